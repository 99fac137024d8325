/**
 * Scrubbing text that came from files before anyone sees it. Pure.
 *
 * - `maskCredential` / `scrubSecrets` (common/scrub.ts, shared with the window): anything that
 *   looks like a credential, or is a known secret value, is masked wherever it appears.
 * - `escapeControls` (common/escape.ts): control characters written as visible escapes, so
 *   file content can never drive a terminal or forge a line of `--plain` / `sync` output.
 * - `forTerminal`: both.
 * - `scrubDeep`: every string of a JSON-shaped value (keys included), secrets masked only:
 *   for the snapshot and `--json`, where JSON's own escaping handles control characters.
 */
import { escapeControls } from '../../../common/escape.js';
import { scrubSecrets, type KnownSecrets } from '../../../common/scrub.js';

export { escapeControls, INVISIBLE, jsonText } from '../../../common/escape.js';
export {
  KNOWN_SECRET_MIN,
  looksRandom,
  maskCredential,
  maskKnownSecrets,
  scrubSecrets,
  type KnownSecrets,
} from '../../../common/scrub.js';

/** For a terminal or a `--plain` field: secrets (and known secret values) masked, control characters made visible. */
export function forTerminal(text: string, known?: KnownSecrets): string {
  return escapeControls(scrubSecrets(text, known));
}

/**
 * Every string of a JSON-shaped value (object keys too) with its secrets masked. Arrays and
 * plain objects are rebuilt (null-prototype-safe: keys are set as own data properties);
 * numbers, booleans and null pass through.
 */
export function scrubDeep<T>(value: T, known?: KnownSecrets): T {
  return scrubValue(value, 0, known) as T;
}

function scrubValue(value: unknown, depth: number, known: KnownSecrets | undefined): unknown {
  if (typeof value === 'string') return scrubSecrets(value, known);
  if (value === null || typeof value !== 'object') return value;
  // Snapshots are shallow; a pathological depth is cut rather than overflowing the stack.
  if (depth > 64) return null;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, known));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, scrubSecrets(k, known), {
      value: scrubValue(v, depth + 1, known),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
