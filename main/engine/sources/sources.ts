/**
 * Sources: credential stores other programs own. Each reader turns one into the profile
 * Clawdbot would store, or says plainly why it cannot. Readers never throw and never prompt.
 */
import { userInfo } from 'node:os';
import { claudeCode } from './claude-code.js';
import { codexCli } from './codex-cli.js';
import { qwenCode } from './qwen-code.js';
import * as z from 'zod/mini';
import type { AuthBarError } from '../errors.js';
import { nestedDeeperThan } from '../fs/lossless-json.js';
import { readJsonFile, MiB, type FileKind } from '../fs/jsonfile.js';
import type { Paths } from '../paths.js';
import { MAX_TIME } from '../time.js';
import { claudeKeychainAccount, claudeKeychainService } from '../paths.js';
import type { Env, Keychain } from '../ports.js';
import {
  ClaudeCredentialsFile,
  CodexAuthFile,
  QwenCredsFile,
  describeIssues,
  type OAuthCredential,
  type TokenCredential,
} from '../schemas.js';

export type SourceId = 'claude-code' | 'codex-cli' | 'qwen-code';

export const SOURCE_PROFILE: Record<SourceId, string> = {
  'claude-code': claudeCode.profileId,
  'codex-cli': codexCli.profileId,
  'qwen-code': qwenCode.profileId,
};

/**
 * `absent`: no file or item; `logged-out`: the file exists without a login in it;
 * `invalid`/`unreadable`: the file is broken; `unavailable`: the keychain would not answer.
 */
export type SourceStatus = 'ok' | 'absent' | 'logged-out' | 'invalid' | 'unreadable' | 'unavailable';

export interface SourceRead {
  id: SourceId;
  kind: 'file' | 'keychain';
  /** File path, or `keychain:<service>` for a Keychain item. */
  location: string;
  status: SourceStatus;
  profileId: string;
  credential?: OAuthCredential | TokenCredential;
  /** Where the expiry came from when it is not stored as such (Codex: JWT or guess). */
  expirySource?: 'stored' | 'jwt' | 'mtime';
  mtimeMs?: number;
  error?: string;
  /** Facts worth showing that are not secrets. */
  detail?: { scopes?: string[]; subscriptionType?: string };
}

/** Claude Code ignores a credentials file over 1 MiB; so does AuthBar. */
const CLAUDE_FILE: FileKind = {
  label: 'Claude Code credentials file',
  remedy: 'log in again with `claude` (then /login), which rewrites it',
  maxBytes: 1 * MiB,
};
const CODEX_FILE: FileKind = {
  label: 'Codex CLI auth file',
  remedy: 'run `codex login` again, which rewrites it',
  maxBytes: 1 * MiB,
};
const QWEN_FILE: FileKind = {
  label: 'Qwen Code credentials file',
  remedy: 'log in again with `qwen`, which rewrites it',
  maxBytes: 1 * MiB,
};

export interface SourceContext {
  paths: Paths;
  env: Env;
  platform: NodeJS.Platform;
  keychain: Keychain;
  now: number;
  /** True only when a user's click asked for this read. */
  interactive: boolean;
}

export async function readAllSources(ctx: SourceContext): Promise<SourceRead[]> {
  return Promise.all([readClaudeCode(ctx), readCodexCli(ctx), readQwenCode(ctx)]);
}

export async function readClaudeCode(ctx: SourceContext): Promise<SourceRead> {
  const id: SourceId = 'claude-code';
  const profileId = SOURCE_PROFILE[id];
  if (ctx.platform === 'darwin' && ctx.keychain.name !== 'off') {
    const service = claudeKeychainService(ctx.paths);
    const account = claudeKeychainAccount(ctx.env, safeOsUser());
    const location = `keychain:${service}`;
    const item = await ctx.keychain.readGenericPassword(service, account, { interactive: ctx.interactive });
    if (item.kind === 'found') {
      let value: unknown;
      if (nestedDeeperThan(item.secret)) {
        return {
          id,
          kind: 'keychain',
          location,
          status: 'invalid',
          profileId,
          error: `Cannot parse the Keychain item "${service}": it is too deeply nested to be Claude Code's login; log in again with \`claude\` (/login).`,
        };
      }
      try {
        value = JSON.parse(item.secret);
      } catch {
        return {
          id,
          kind: 'keychain',
          location,
          status: 'invalid',
          profileId,
          error: `The Keychain item "${service}" does not hold JSON: log in again with \`claude\` (/login).`,
        };
      }
      return fromClaudeJson(value, { id, kind: 'keychain', location, profileId }, `the Keychain item "${service}"`);
    }
    if (item.kind === 'unavailable') {
      // Fall back to the file as Claude Code does, but say the Keychain did not answer.
      const file = await readClaudeFile(ctx, profileId);
      if (file.status === 'ok') return file;
      return {
        id,
        kind: 'keychain',
        location,
        status: 'unavailable',
        profileId,
        error: `The Keychain item "${service}" could not be read: ${item.reason}; choose "Read Keychain" in AuthBar or run \`authbar status\` in a terminal to allow it.`,
      };
    }
    // not-found: Claude Code then uses the file.
  }
  return readClaudeFile(ctx, profileId);
}

async function readClaudeFile(ctx: SourceContext, profileId: string): Promise<SourceRead> {
  const id: SourceId = 'claude-code';
  const location = ctx.paths.claudeCredentials;
  const read = await readJsonFile(location, CLAUDE_FILE);
  const base = { id, kind: 'file' as const, location, profileId };
  if (read.kind === 'missing') return { ...base, status: 'absent' };
  if (read.kind === 'error') return { ...base, status: statusOfReadError(read.error), error: read.error.message };
  return { ...fromClaudeJson(read.value, base, `the Claude Code credentials file ${location}`), mtimeMs: read.mtimeMs };
}

function fromClaudeJson(
  value: unknown,
  base: Pick<SourceRead, 'id' | 'kind' | 'location' | 'profileId'>,
  what: string,
): SourceRead {
  const parsed = ClaudeCredentialsFile.safeParse(value);
  if (!parsed.success) {
    return {
      ...base,
      status: 'invalid',
      error: `${capitalise(what)} is not in Claude Code's format (${describeIssues(parsed.error)}): log in again with \`claude\` (/login).`,
    };
  }
  const oauth = parsed.data.claudeAiOauth;
  if (!oauth) {
    return {
      ...base,
      status: 'logged-out',
      error: `${capitalise(what)} holds no Claude login (no claudeAiOauth): run \`claude\` and /login, or \`claude setup-token\` for a long-lived token.`,
    };
  }
  const detail: SourceRead['detail'] = {};
  if (oauth.scopes) detail.scopes = oauth.scopes;
  if (oauth.subscriptionType) detail.subscriptionType = oauth.subscriptionType;
  const credential: OAuthCredential | TokenCredential =
    typeof oauth.refreshToken === 'string' && oauth.refreshToken !== ''
      ? {
          type: 'oauth',
          provider: 'anthropic',
          access: oauth.accessToken,
          refresh: oauth.refreshToken,
          expires: oauth.expiresAt,
        }
      : { type: 'token', provider: 'anthropic', token: oauth.accessToken, expires: oauth.expiresAt };
  return { ...base, status: 'ok', credential, expirySource: 'stored', detail };
}

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
  const base = { id, kind: 'file' as const, location, profileId: SOURCE_PROFILE[id] };
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

export async function readQwenCode(ctx: SourceContext): Promise<SourceRead> {
  const id: SourceId = 'qwen-code';
  const location = ctx.paths.qwenCredentials;
  const base = { id, kind: 'file' as const, location, profileId: SOURCE_PROFILE[id] };
  const read = await readJsonFile(location, QWEN_FILE);
  if (read.kind === 'missing') return { ...base, status: 'absent' };
  if (read.kind === 'error') return { ...base, status: statusOfReadError(read.error), error: read.error.message };
  const parsed = QwenCredsFile.safeParse(read.value);
  if (!parsed.success) {
    return {
      ...base,
      status: 'invalid',
      mtimeMs: read.mtimeMs,
      error: `The Qwen Code credentials file ${location} is not in Qwen's format (${describeIssues(parsed.error)}): log in again with \`qwen\`.`,
    };
  }
  const credential: OAuthCredential = {
    type: 'oauth',
    provider: 'qwen-portal',
    access: parsed.data.access_token,
    refresh: parsed.data.refresh_token,
    expires: parsed.data.expiry_date,
  };
  return { ...base, status: 'ok', credential, expirySource: 'stored', mtimeMs: read.mtimeMs };
}

/** A file that is there but damaged is `invalid`; one that cannot be read at all, `unreadable`. */
function statusOfReadError(error: AuthBarError): SourceStatus {
  return error.code === 'unparsable' || error.code === 'too-large' ? 'invalid' : 'unreadable';
}

function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
