/**
 * SHA-256 from node:crypto, for fingerprints of secrets and Claude Code's Keychain service
 * name. node:crypto is loaded on the first call, not at start-up: a cold `authbar status`
 * with nothing to fingerprint never pays for it.
 */
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

export function sha256Hex(text: string): string {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
