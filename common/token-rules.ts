/**
 * What a pasted Anthropic secret is, and precisely what is wrong with it when it is not
 * usable. Messages never contain the secret or any part of it beyond its known prefix.
 */
export const SETUP_TOKEN_PREFIX = 'sk-ant-oat01-';
export const API_KEY_PREFIX = 'sk-ant-api';
/** A setup token is the prefix and at least this many characters of [A-Za-z0-9_-]. */
export const SETUP_TOKEN_MIN_BODY = 80;

export type SecretKind = 'setup-token' | 'api-key';

export type Validation = { ok: true; kind: SecretKind; secret: string } | { ok: false; problem: string };

const BODY = /^[A-Za-z0-9_-]+$/;

/**
 * Checks what came in on stdin. Surrounding whitespace (the newline `echo` adds) is
 * trimmed; whitespace or a line break in the middle is a wrapped paste and is refused:
 * guessing how to rejoin it would land a wrong token.
 */
export function validateAnthropicSecret(input: string): Validation {
  const secret = input.trim();
  if (secret === '')
    return {
      ok: false,
      problem:
        'nothing was read from stdin: pipe the token in, e.g. `pbpaste | authbar token add --provider anthropic`',
    };
  if (/[\r\n]/.test(secret)) {
    return {
      ok: false,
      problem:
        'the token contains a line break in the middle, so it was probably wrapped when copied from a terminal: run `authbar setup-token` to capture it exactly, or paste it again as one line',
    };
  }
  if (/\s/.test(secret))
    return { ok: false, problem: 'the token contains whitespace in the middle: paste it again as one unbroken line' };
  if (secret.startsWith(SETUP_TOKEN_PREFIX)) {
    const body = secret.slice(SETUP_TOKEN_PREFIX.length);
    const bad = [...body].filter((c) => !/[A-Za-z0-9_-]/.test(c)).length;
    if (bad > 0)
      return {
        ok: false,
        problem: `the setup token contains ${bad} character${bad === 1 ? '' : 's'} a setup token never has (only letters, digits, _ and - follow \`${SETUP_TOKEN_PREFIX}\`)`,
      };
    if (body.length < SETUP_TOKEN_MIN_BODY) {
      const short = SETUP_TOKEN_MIN_BODY - body.length;
      return {
        ok: false,
        problem: `the setup token is too short by ${short} character${short === 1 ? '' : 's'} (at least ${SETUP_TOKEN_MIN_BODY} after \`${SETUP_TOKEN_PREFIX}\`): it was probably cut off when copied; run \`authbar setup-token\` to capture it exactly`,
      };
    }
    return { ok: true, kind: 'setup-token', secret };
  }
  if (secret.startsWith(API_KEY_PREFIX)) {
    const rest = secret.slice(API_KEY_PREFIX.length);
    if (!BODY.test(rest) || rest.length < 20)
      return {
        ok: false,
        problem:
          'the API key is malformed (only letters, digits, _ and - follow `sk-ant-api`, and it is much longer): copy it again from the Anthropic console',
      };
    return { ok: true, kind: 'api-key', secret };
  }
  if (secret.startsWith('sk-ant-ort01-'))
    return {
      ok: false,
      problem:
        'this is an OAuth refresh token, not a setup token or API key: run `authbar setup-token` to mint a setup token',
    };
  if (secret.startsWith('sk-ant-'))
    return {
      ok: false,
      problem: `wrong prefix: a setup token starts with \`${SETUP_TOKEN_PREFIX}\` and an API key with \`${API_KEY_PREFIX}\``,
    };
  return {
    ok: false,
    problem: `wrong prefix: an Anthropic setup token starts with \`${SETUP_TOKEN_PREFIX}\` and an API key with \`${API_KEY_PREFIX}\``,
  };
}

/** Parses `365d`, `12h`, `30m`, `90s`, `1w`, `1y` into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 }[
    m[2] as 'ms'
  ];
  const ms = n * unit;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}
