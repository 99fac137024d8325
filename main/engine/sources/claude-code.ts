/** Claude Code: `~/.claude/.credentials.json`, or its macOS Keychain item (same JSON). */
import { userInfo } from 'node:os';
import { claudeKeychainAccount, claudeKeychainService, type Paths } from '../paths.js';
import type { Env, Keychain } from '../ports.js';
import { fingerprint } from '../secrets/mask.js';
import type { SourceDescriptor } from './source.js';

export const claudeCode: SourceDescriptor = {
  id: 'claude-code',
  label: 'Claude Code',
  profileId: 'anthropic:claude-cli',
  provider: 'anthropic',
  fix: 'claude',
  loginPhrase: 'log in again with claude (then /login)',
  usedBy: ['clawdbot'],
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
