/** Codex CLI: `$CODEX_HOME/auth.json` (its access token is a JWT whose `exp` is the expiry). */
import * as z from 'zod/mini';
import { readJsonFile, MiB, type FileKind } from '../fs/jsonfile.js';
import { CodexAuthFile, describeIssues, type OAuthCredential } from '../schemas.js';
import { MAX_TIME } from '../time.js';
import {
  statusOfReadError,
  type SourceContext,
  type SourceDescriptor,
  type SourceId,
  type SourceRead,
} from './source.js';

export const codexCli: SourceDescriptor = {
  id: 'codex-cli',
  label: 'Codex CLI',
  profileId: 'openai-codex:codex-cli',
  provider: 'openai-codex',
  fix: 'codex login',
  loginPhrase: 'log in again with codex login',
  usedBy: ['clawdbot'],
  read: (ctx) => readCodexCli(ctx),
};

const CODEX_FILE: FileKind = {
  label: 'Codex CLI auth file',
  remedy: 'run `codex login` again, which rewrites it',
  maxBytes: 1 * MiB,
};
const JwtPayload = z.looseObject({ exp: z.optional(z.number()) });

/** The `exp` claim of a JWT in epoch ms, or undefined when the token is no JWT or has none. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const parsed = JwtPayload.safeParse(json);
    const exp = parsed.success ? parsed.data.exp : undefined;
    return exp !== undefined && Number.isFinite(exp) && exp > 0 && exp * 1000 <= MAX_TIME ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function readCodexCli(ctx: SourceContext): Promise<SourceRead> {
  const id: SourceId = 'codex-cli';
  const location = ctx.paths.codexAuth;
  const base = { id, kind: 'file' as const, location, profileId: codexCli.profileId };
  const read = await readJsonFile(location, CODEX_FILE);
  if (read.kind === 'missing') return { ...base, status: 'absent' };
  if (read.kind === 'error') return { ...base, status: statusOfReadError(read.error), error: read.error.message };
  const parsed = CodexAuthFile.safeParse(read.value);
  if (!parsed.success) {
    return {
      ...base,
      status: 'invalid',
      mtimeMs: read.mtimeMs,
      error: `The Codex CLI auth file ${location} is not in Codex's format (${describeIssues(parsed.error)}): run \`codex login\` again.`,
    };
  }
  const tokens = parsed.data.tokens;
  if (!tokens) {
    return {
      ...base,
      status: 'logged-out',
      mtimeMs: read.mtimeMs,
      error: `The Codex CLI auth file ${location} holds no ChatGPT login: run \`codex login\`.`,
    };
  }
  // Clawdbot guesses mtime + 1 h; the access token's own `exp` is the truth.
  const fromJwt = jwtExpiry(tokens.access_token);
  const credential: OAuthCredential = {
    type: 'oauth',
    provider: 'openai-codex',
    access: tokens.access_token,
    refresh: tokens.refresh_token,
    expires: fromJwt ?? read.mtimeMs + 60 * 60 * 1000,
  };
  if (typeof tokens.account_id === 'string') credential.accountId = tokens.account_id;
  return {
    ...base,
    status: 'ok',
    credential,
    expirySource: fromJwt !== undefined ? 'jwt' : 'mtime',
    mtimeMs: read.mtimeMs,
  };
}
