/**
 * The validation rules, one copy each, shared by the engine, the IPC contract, the CLI and the
 * details window: agent and profile ids, the shape of a pasted Anthropic secret, the
 * expires-in bound and the settings bounds. Pure and free of zod (the window bundles it): each
 * check returns a typed verdict, and every front end words it in its own voice.
 */

/** Providers a token can be added for: the secret check knows Anthropic's only. */
export const TOKEN_PROVIDERS = ['anthropic'] as const;
export type TokenProvider = (typeof TOKEN_PROVIDERS)[number];

// ---------------------------------------------------------------------------------------------
// Ids

/**
 * An agent id AuthBar takes from outside (the window, the settings, `--agent`): it ends up in
 * paths, so no separators, no leading dot, at most 64 characters. (Clawdbot's own discovery is
 * narrower still: it lower-cases ids, see gateways/clawdbot/agents.ts.)
 */
export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isAgentId(id: string): boolean {
  return AGENT_ID.test(id);
}

/** `<provider>:<name>`, as the gateways spell profile ids; the name starts with a letter or digit. */
export const PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** Profile ids AuthBar's own sync keeps in step with a login: a handed-in token must not take their place. */
export const SYNC_OWNED_PROFILE_IDS: readonly string[] = [
  'anthropic:claude-cli',
  'openai-codex:codex-cli',
  'qwen-portal:qwen-cli',
];

export type ProfileIdProblem =
  /** Not `<provider>:<name>` in the allowed characters. */
  | 'malformed'
  /** Well formed, but of another provider than the token's. */
  | 'other-provider'
  /** One of SYNC_OWNED_PROFILE_IDS. */
  | 'sync-owned';

/** Whether a profile id may hold a token of `provider`; null when it may. */
export function checkProfileId(profileId: string, provider: string): ProfileIdProblem | null {
  if (!PROFILE_ID.test(profileId)) return 'malformed';
  if (!profileId.startsWith(`${provider}:`)) return 'other-provider';
  if (SYNC_OWNED_PROFILE_IDS.includes(profileId)) return 'sync-owned';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Secrets

export const SETUP_TOKEN_PREFIX = 'sk-ant-oat01-';
export const API_KEY_PREFIX = 'sk-ant-api';
export const REFRESH_TOKEN_PREFIX = 'sk-ant-ort01-';
/** A setup token is the prefix and at least this many characters of [A-Za-z0-9_-]. */
export const SETUP_TOKEN_MIN_BODY = 80;
/** An API key is `sk-ant-api` and at least this many characters of [A-Za-z0-9_-] (`03-` included). */
export const API_KEY_MIN_BODY = 20;
/** Longer than any Anthropic secret by far: more is not a paste of one. */
export const SECRET_MAX_LENGTH = 4096;

export type SecretKind = 'setup-token' | 'api-key';

/** What is wrong with a pasted secret; positions are 1-based, and nothing holds the secret. */
export type SecretProblem =
  | { code: 'empty' }
  /** A line break in the middle: a paste wrapped by a terminal. */
  | { code: 'line-break'; at: number }
  | { code: 'whitespace'; at: number }
  | { code: 'too-long'; length: number }
  | { code: 'refresh-token' }
  /** `sk-ant-` with another kind, or not an Anthropic secret at all. */
  | { code: 'wrong-prefix'; anthropic: boolean }
  /** Characters a token never has after its prefix: how many, and where the first is. */
  | { code: 'bad-characters'; kind: SecretKind; count: number; at: number }
  /** `short`: how many characters are missing; `length`: the whole secret's. */
  | { code: 'too-short'; kind: SecretKind; length: number; short: number; minLength: number };

export type SecretCheck = { ok: true; kind: SecretKind; secret: string } | { ok: false; problem: SecretProblem };

const TOKEN_CHAR = /[A-Za-z0-9_-]/;

/**
 * Checks a pasted Anthropic secret. Surrounding whitespace (the newline `echo` adds) is
 * trimmed; whitespace inside is refused: guessing how to rejoin a wrapped paste would land a
 * wrong token.
 */
export function checkSecret(input: string): SecretCheck {
  const secret = input.trim();
  if (secret === '') return { ok: false, problem: { code: 'empty' } };
  const lineBreak = secret.search(/[\r\n]/);
  if (lineBreak >= 0) return { ok: false, problem: { code: 'line-break', at: lineBreak + 1 } };
  const space = secret.search(/\s/);
  if (space >= 0) return { ok: false, problem: { code: 'whitespace', at: space + 1 } };
  if (secret.length > SECRET_MAX_LENGTH) return { ok: false, problem: { code: 'too-long', length: secret.length } };
  const kind: SecretKind | null = secret.startsWith(SETUP_TOKEN_PREFIX)
    ? 'setup-token'
    : secret.startsWith(API_KEY_PREFIX)
      ? 'api-key'
      : null;
  if (kind === null) {
    if (secret.startsWith(REFRESH_TOKEN_PREFIX)) return { ok: false, problem: { code: 'refresh-token' } };
    return { ok: false, problem: { code: 'wrong-prefix', anthropic: secret.startsWith('sk-ant-') } };
  }
  const prefix = kind === 'setup-token' ? SETUP_TOKEN_PREFIX : API_KEY_PREFIX;
  const body = [...secret.slice(prefix.length)];
  const bad = body.filter((c) => !TOKEN_CHAR.test(c)).length;
  if (bad > 0) {
    const at = prefix.length + body.findIndex((c) => !TOKEN_CHAR.test(c)) + 1;
    return { ok: false, problem: { code: 'bad-characters', kind, count: bad, at } };
  }
  const min = kind === 'setup-token' ? SETUP_TOKEN_MIN_BODY : API_KEY_MIN_BODY;
  if (body.length < min)
    return {
      ok: false,
      problem: {
        code: 'too-short',
        kind,
        length: secret.length,
        short: min - body.length,
        minLength: prefix.length + min,
      },
    };
  return { ok: true, kind, secret };
}

// ---------------------------------------------------------------------------------------------
// Durations

const DAY = 86_400_000;

/** The longest lifetime a token can be given (`--expires-in`, the window's "Expires in"): ten years. */
export const EXPIRES_IN_MAX_DAYS = 3650;
export const EXPIRES_IN_MAX_MS = EXPIRES_IN_MAX_DAYS * DAY;

/** The window and IPC take whole days, 1 to EXPIRES_IN_MAX_DAYS. */
export function isExpiresInDays(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= EXPIRES_IN_MAX_DAYS;
}

/** The CLI takes any positive duration up to EXPIRES_IN_MAX_MS. */
export function isExpiresInMs(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms <= EXPIRES_IN_MAX_MS;
}

/** Parses `365d`, `12h`, `30m`, `90s`, `1w`, `1y` into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY, y: 365 * DAY }[m[2] as 'ms'];
  const ms = n * unit;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

// ---------------------------------------------------------------------------------------------
// Settings

/** Bounds of the numeric settings: each is a number above 0 and at most `max`, counted in `unit`. */
export const SETTINGS_BOUNDS = {
  /** Hours before a non-refreshable credential's expiry at which AuthBar starts to warn: a year at most. */
  warnHours: { max: 24 * 365, unit: 'hours' },
  /** Days before a setup token's one-year mark at which AuthBar starts to warn. */
  tokenReminderDays: { max: 365, unit: 'days' },
  /** The same state of the same profile is never notified twice within this many hours: a month at most. */
  notifyRepeatHours: { max: 24 * 30, unit: 'hours' },
} as const;
export type BoundedSetting = keyof typeof SETTINGS_BOUNDS;

export function inSettingBounds(key: BoundedSetting, value: number): boolean {
  return Number.isFinite(value) && value > 0 && value <= SETTINGS_BOUNDS[key].max;
}

/** The allowed range in words, for every front end's message: "a number of days above 0 and at most 365". */
export function settingRange(key: BoundedSetting): string {
  const { max, unit } = SETTINGS_BOUNDS[key];
  return `a number of ${unit} above 0 and at most ${max}`;
}

/** A terminal app is a name or a path on one line. */
export function isTerminalName(text: string): boolean {
  return !/[\u0000-\u001f\u007f]/.test(text);
}
