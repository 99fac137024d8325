/** Claude Code: `~/.claude/.credentials.json`, or its macOS Keychain item (same JSON). */
import { userInfo } from 'node:os';
import { nestedDeeperThan } from '../fs/lossless-json.js';
import { readJsonFile, MiB, type FileKind } from '../fs/jsonfile.js';
import { claudeKeychainAccount, claudeKeychainService, type Paths } from '../paths.js';
import type { Env, Keychain } from '../ports.js';
import { ClaudeCredentialsFile, describeIssues, type OAuthCredential, type TokenCredential } from '../schemas.js';
import { fingerprint } from '../secrets/mask.js';
import {
  statusOfReadError,
  type SourceContext,
  type SourceDescriptor,
  type SourceId,
  type SourceRead,
} from './source.js';

export const claudeCode: SourceDescriptor = {
  id: 'claude-code',
  label: 'Claude Code',
  profileId: 'anthropic:claude-cli',
  provider: 'anthropic',
  fix: 'claude',
  loginPhrase: 'log in again with claude (then /login)',
  usedBy: ['clawdbot'],
  read: (ctx) => readClaudeCode(ctx),
};

/** The access token in Claude Code's credentials JSON (file or Keychain item), else null. */
export function claudeAccessToken(json: string): string | null {
  try {
    const v = JSON.parse(json) as { claudeAiOauth?: { accessToken?: unknown } };
    const t = v.claudeAiOauth?.accessToken;
    return typeof t === 'string' ? t : null;
  } catch {
    return null;
  }
}

/** The fingerprint of that access token, as the snapshot shows it. */
export function claudeItemFingerprint(json: string): string | null {
  const t = claudeAccessToken(json);
  return t === null ? null : fingerprint(t);
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/**
 * One silent read of Claude Code's Keychain item (never a prompt): the fingerprint of its
 * access token, as the snapshot shows it, so a watcher can tell whether it changed.
 */
export async function readClaudeItemSilently(
  keychain: Keychain,
  paths: Paths,
  env: Env,
): Promise<
  { kind: 'found'; fingerprint: string | null } | { kind: 'not-found' } | { kind: 'unavailable'; reason: string }
> {
  const read = await keychain.readGenericPassword(claudeKeychainService(paths), claudeKeychainAccount(env, osUser()), {
    interactive: false,
  });
  if (read.kind !== 'found') return read;
  return { kind: 'found', fingerprint: claudeItemFingerprint(read.secret) };
}

/** Claude Code ignores a credentials file over 1 MiB; so does AuthBar. */
const CLAUDE_FILE: FileKind = {
  label: 'Claude Code credentials file',
  remedy: 'log in again with `claude` (then /login), which rewrites it',
  maxBytes: 1 * MiB,
};
export async function readClaudeCode(ctx: SourceContext): Promise<SourceRead> {
  const id: SourceId = 'claude-code';
  const profileId = claudeCode.profileId;
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
