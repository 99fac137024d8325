import { sha256Hex } from '../fs/hash.js';
import { maskCredential } from './scrub.js';

/**
 * Masked form of a secret for display: enough of the prefix to tell the kind of
 * credential (`sk-ant-oat01-`), and the last four characters to tell two apart — the
 * last four only when the secret is long enough that they give little of it away.
 */
export function maskSecret(secret: string): string {
  return maskCredential(secret);
}

/** A short, stable, non-reversible identifier of a secret (first 12 hex of SHA-256). */
export function fingerprint(secret: string): string {
  return sha256Hex(secret).slice(0, 12);
}
