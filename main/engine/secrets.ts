import { sha256Hex } from './hash.js';

/**
 * Masked form of a secret for display: enough of the prefix to tell the kind of
 * credential (`sk-ant-oat01-`), and the last four characters to tell two apart.
 */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '(empty)';
  if (secret.length < 16) return '…' + '•'.repeat(4);
  const prefix = /^(sk-ant-[a-z]+\d*-|sk-[a-z]+-|sk-|eyJ)/.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

/** A short, stable, non-reversible identifier of a secret (first 12 hex of SHA-256). */
export function fingerprint(secret: string): string {
  return sha256Hex(secret).slice(0, 12);
}
