/**
 * Masking anything that looks like a credential, wherever it appears in text that came from a
 * file (a key pasted into an email field, a token as a profile id or agent dir name, a model
 * ref, a file quoted in an error): replaced by a masked form that keeps at most a prefix
 * naming the kind (`sk-ant-oat01-`) and, for long secrets only, the last 4 chars. The engine,
 * the app and the details window all mask with this one rule. Pure and import-free.
 *
 * Known secrets: each function also takes the set of secret values AuthBar read
 * (`KnownSecrets`, collected by the engine) and masks each exact occurrence of them, since a
 * short, letters-only or `/`-containing key copied into an email field does not look random
 * to the heuristic.
 */

/** Secret values AuthBar read (keys, tokens); values shorter than this are not matched. */
export type KnownSecrets = ReadonlySet<string>;
export const KNOWN_SECRET_MIN = 8;

/** Prefixes that name a credential's kind; they are kept in the masked form. */
const KNOWN_PREFIX =
  /^(?:sk-ant-[a-z]{2,8}\d{0,3}-|sk-(?:proj|svcacct|admin|or-v1|None)-|sk-|eyJ|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abposr]-|gsk_|xai-|hf_|AIza|AKIA|rt_|sess-|pk-|Bearer\s)/;

/** The body after the prefix must be at least this long before its last 4 chars are shown. */
const SHOW_TAIL_FROM = 20;

/** Masked form of one secret: `sk-ant-oat01-…Xy12`, `sk-…` (short), `…` (no known prefix, short). */
export function maskCredential(secret: string): string {
  if (secret.length === 0) return '(empty)';
  const prefix = KNOWN_PREFIX.exec(secret)?.[0] ?? '';
  const body = secret.length - prefix.length;
  // A short secret keeps no tail: the tail would be a large part of it.
  const tail = body >= SHOW_TAIL_FROM ? secret.slice(-4) : '';
  // A prefix longer than a third of a short secret would give most of it away.
  const shownPrefix = prefix.length > 0 && (body >= 8 || prefix.length <= 4) ? prefix : prefix.slice(0, 3);
  return `${shownPrefix}…${tail}`;
}

// A credential-ish run never starts right after a character that could belong to it.
const B = '(?<![A-Za-z0-9_+=-])';
const PATTERNS: RegExp[] = [
  // Anthropic keys and tokens: a prefix alone (`sk-ant-oat01-`, named in a message) stays.
  new RegExp(`${B}sk-ant-[A-Za-z0-9]*-?[A-Za-z0-9_-]+`, 'g'),
  // Other `sk-` keys (OpenAI, OpenRouter, …).
  new RegExp(`${B}sk-[A-Za-z0-9_-]{8,}`, 'g'),
  // JWTs: three base64url segments, the first a JSON header.
  new RegExp(`${B}eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*`, 'g'),
  // Three long base64url segments (JWTs without the usual header, JWEs).
  new RegExp(`${B}[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{8,}`, 'g'),
  // Well-known vendor prefixes.
  new RegExp(`${B}(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|gsk_|xai-|hf_)[A-Za-z0-9_-]{12,}`, 'g'),
  new RegExp(`${B}(?:AIza[A-Za-z0-9_-]{30,}|AKIA[A-Z0-9]{16})`, 'g'),
];
/** Candidate runs for the entropy rule: base64, base64url and hex alphabets, no dots or slashes. */
const RUN = new RegExp(`${B}[A-Za-z0-9_+=-]{20,}`, 'g');

function entropyBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long run of key-alphabet characters that reads as random rather than as words: one
 * segment (between `-`/`_`) of 20+ chars mixing letters and digits, or a 32+ char run
 * with a 12+ char segment mixing them with high entropy. Model refs (`claude-opus-4-5-20251101`) and kebab-case
 * names stay readable.
 */
export function looksRandom(run: string): boolean {
  const hasDigit = /[0-9]/.test(run);
  const hasLetter = /[A-Za-z]/.test(run);
  if (!hasDigit || !hasLetter)
    return run.length >= 40 && /[a-z]/.test(run) && /[A-Z]/.test(run) && entropyBitsPerChar(run) >= 4;
  if (run.split(/[-_]/).some((seg) => seg.length >= 20 && /[0-9]/.test(seg) && /[A-Za-z]/.test(seg))) return true;
  // Words joined by `-`/`_` (a temp dir `authbar-state-1unBt8`, a slug) have short segments;
  // a random key has long ones even when its alphabet includes `-` and `_`.
  const longest = Math.max(...run.split(/[-_]/).map((seg) => seg.length));
  return run.length >= 32 && longest >= 12 && entropyBitsPerChar(run) >= 3.5;
}

/**
 * How a message names a kind of key on purpose (`sk-ant-oat01-`, `sk-ant-api`, `sk-proj-`, `sk-`):
 * the prefix with its kind, its version digits and its dash, each part optional. What follows it
 * is the secret body.
 */
const NAMING_PREFIX = /^sk-(?:ant-(?:[a-z]{2,8}\d{0,3}-?)?|(?:proj|svcacct|admin|or-v1|None)-?)?/;
/** A shape match is a secret only with at least this many characters after the naming prefix. */
const SECRET_BODY_MIN = 8;

/**
 * A prefix named on purpose ("a setup token starts with `sk-ant-oat01-…`"), a masked form
 * (`sk-ant-oat01-…Xy12`: scrubbing twice changes nothing) or a stub too short to be a key stays.
 */
function isSecretShaped(match: string): boolean {
  const prefix = NAMING_PREFIX.exec(match)?.[0] ?? '';
  return match.length - prefix.length >= SECRET_BODY_MIN;
}

// The known secrets of a set, longest first (a memo: the set's content decides it). Matched by
// plain search, never one alternation: a regular expression built from values that came from
// files can grow past what V8 compiles ("Regular expression too large"), and its source would
// carry every secret into the error.
const knownLists = new WeakMap<KnownSecrets, { size: number; values: readonly string[] }>();

function knownValues(known: KnownSecrets): readonly string[] {
  const cached = knownLists.get(known);
  if (cached && cached.size === known.size) return cached.values;
  const values = [...known].filter((v) => v.length >= KNOWN_SECRET_MIN).sort((a, b) => b.length - a.length);
  knownLists.set(known, { size: known.size, values });
  return values;
}

/** Every exact occurrence of a known secret value, masked (the longest first). */
export function maskKnownSecrets(text: string, known: KnownSecrets | undefined): string {
  if (known === undefined || known.size === 0 || text.length < KNOWN_SECRET_MIN) return text;
  let out = text;
  for (const value of knownValues(known)) {
    if (value.length > out.length || !out.includes(value)) continue;
    out = out.split(value).join(maskCredential(value));
  }
  return out;
}

/** Masks every credential-looking part of a text (and every known secret); the rest stays as it is. */
export function scrubSecrets(text: string, known?: KnownSecrets): string {
  if (text.length < 8) return text;
  let out = maskKnownSecrets(text, known);
  for (const re of PATTERNS) {
    out = out.replace(re, (m: string) => (isSecretShaped(m) ? maskCredential(m) : m));
  }
  return out.replace(RUN, (m: string) => (looksRandom(m) ? maskCredential(m) : m));
}
