/**
 * The secret values AuthBar read (store keys and tokens, source logins), so every output can
 * mask each exact copy of them wherever a file put one (an email field, a profile id, an
 * agent dir name, a disabled reason) — the pattern scrubber cannot recognise a short or
 * word-like key. Pure.
 */
import { KNOWN_SECRET_MIN } from './scrub.js';

/** Field names that hold a credential in Clawdbot/OpenClaw stores and the CLIs' login files. */
const SECRET_FIELDS = new Set([
  'key',
  'token',
  'access',
  'refresh',
  'apiKey',
  'api_key',
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
  'clientSecret',
  'client_secret',
  'password',
]);
/** Config and env-style names: `apiKey`, `OPENAI_API_KEY`, `GITHUB_TOKEN`, `clientSecret`. */
const SECRET_NAME = /(?:key|token|secret|password)$/i;

/** Adds every credential field's value (≥ KNOWN_SECRET_MIN chars) found in `value` to `out`. */
export function addSecretValues(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (value === null || typeof value !== 'object' || depth > 16) return out;
  if (Array.isArray(value)) {
    for (const v of value) addSecretValues(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if ((SECRET_FIELDS.has(k) || SECRET_NAME.test(k)) && v.length >= KNOWN_SECRET_MIN) out.add(v);
    } else {
      addSecretValues(v, out, depth + 1);
    }
  }
  return out;
}
