/** Claude Code: `~/.claude/.credentials.json`, or its macOS Keychain item (same JSON). */
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
