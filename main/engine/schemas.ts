/**
 * zod schemas for every file AuthBar reads. Each object schema is loose: keys AuthBar
 * does not own pass through untouched, at every level, so a rewrite never loses them.
 * (zod/mini: the same validators as zod, a tenth of the start-up cost for the CLI.)
 */
import * as z from 'zod/mini';
import { MAX_TIME } from './time.js';

const epochMs = z
  .number()
  .check(
    z.refine(
      (n) => Number.isFinite(n) && Math.abs(n) <= MAX_TIME,
      'must be a finite number of epoch milliseconds within the range of a date',
    ),
  );

/**
 * A stored profile as Clawdbot sees it: any entry with a known `type` and a `provider` is
 * a profile (Clawdbot drops the rest). Its other fields are read leniently (a field of the
 * wrong type reads as absent) because the parse is for judging health only: the stored
 * entry itself is never rewritten from it.
 */
const provider = z.string().check(z.minLength(1));
const optString = z.catch(z.optional(z.string()), undefined);
const optNumber = z.catch(z.optional(z.number().check(z.refine(Number.isFinite))), undefined);

export const StoredProfile = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('api_key'), provider, key: optString, email: optString }),
  z.looseObject({ type: z.literal('token'), provider, token: optString, expires: optNumber, email: optString }),
  z.looseObject({
    type: z.literal('oauth'),
    provider,
    access: optString,
    refresh: optString,
    expires: optNumber,
    email: optString,
    accountId: optString,
    projectId: optString,
    enterpriseUrl: optString,
  }),
]);
export type StoredProfile = z.infer<typeof StoredProfile>;
export type CredentialType = StoredProfile['type'];

/** Credentials AuthBar itself produces from a source: every field present and typed. */
export type OAuthCredential = {
  type: 'oauth';
  provider: string;
  access: string;
  refresh: string;
  expires: number;
  email?: string;
  accountId?: string;
  projectId?: string;
  enterpriseUrl?: string;
};
export type TokenCredential = { type: 'token'; provider: string; token: string; expires?: number; email?: string };

export const UsageStats = z.looseObject({
  lastUsed: z.optional(z.number()),
  cooldownUntil: z.optional(z.number()),
  disabledUntil: z.optional(z.number()),
  disabledReason: z.optional(z.string()),
  errorCount: z.optional(z.number()),
  failureCounts: z.optional(z.record(z.string(), z.number())),
  lastFailureAt: z.optional(z.number()),
});
export type UsageStats = z.infer<typeof UsageStats>;
const UsageStatsLenient = z.looseObject({
  lastUsed: optNumber,
  cooldownUntil: optNumber,
  disabledUntil: optNumber,
  disabledReason: optString,
  errorCount: optNumber,
});

/**
 * An agent's `auth-profiles.json`. Profiles stay `unknown` here: Clawdbot silently drops
 * a malformed entry, AuthBar keeps it byte-for-byte and reports it instead.
 */
export const AuthStore = z.looseObject({
  // Clawdbot coerces or ignores odd values in these (a string version, a malformed order
  // entry); AuthBar keeps them untouched and reads usage stats one entry at a time, so only
  // a store without a `profiles` object counts as unusable.
  version: z.optional(z.unknown()),
  profiles: z.record(z.string(), z.unknown()),
  order: z.optional(z.unknown()),
  lastGood: z.optional(z.unknown()),
  usageStats: z.optional(z.unknown()),
});
export type AuthStore = z.infer<typeof AuthStore>;

/** One profile's usage stats, when the store holds a readable entry for it. */
export function usageOf(store: AuthStore | undefined, profileId: string): UsageStats | undefined {
  const all = store?.usageStats;
  if (typeof all !== 'object' || all === null || Array.isArray(all)) return undefined;
  // Own entries only: a profile id `constructor` must not read Object.prototype's.
  if (!Object.hasOwn(all, profileId)) return undefined;
  const parsed = UsageStatsLenient.safeParse((all as Record<string, unknown>)[profileId]);
  return parsed.success ? parsed.data : undefined;
}

/** Claude Code's `.credentials.json`, or the Keychain item's password: same JSON. */
export const ClaudeAiOauth = z.looseObject({
  accessToken: z.string().check(z.minLength(1, 'must be a non-empty string')),
  refreshToken: z.optional(z.nullable(z.string())),
  expiresAt: z
    .number()
    .check(
      z.refine(
        (n) => Number.isFinite(n) && n > 0 && n <= MAX_TIME,
        'must be a positive number of epoch milliseconds within the range of a date',
      ),
    ),
  scopes: z.optional(z.nullable(z.array(z.string()))),
  subscriptionType: z.optional(z.nullable(z.string())),
  rateLimitTier: z.optional(z.nullable(z.string())),
});
export const ClaudeCredentialsFile = z.looseObject({
  claudeAiOauth: z.optional(ClaudeAiOauth),
});
export type ClaudeCredentialsFile = z.infer<typeof ClaudeCredentialsFile>;

/** Codex CLI's `auth.json`. */
export const CodexAuthFile = z.looseObject({
  OPENAI_API_KEY: z.optional(z.nullable(z.string())),
  tokens: z.optional(
    z.nullable(
      z.looseObject({
        access_token: z.string().check(z.minLength(1, 'must be a non-empty string')),
        refresh_token: z.string().check(z.minLength(1, 'must be a non-empty string')),
        id_token: z.optional(z.nullable(z.string())),
        account_id: z.optional(z.nullable(z.string())),
      }),
    ),
  ),
  last_refresh: z.optional(z.nullable(z.string())),
});
export type CodexAuthFile = z.infer<typeof CodexAuthFile>;

/** Qwen Code's `oauth_creds.json`. */
export const QwenCredsFile = z.looseObject({
  access_token: z.string().check(z.minLength(1, 'must be a non-empty string')),
  refresh_token: z.string().check(z.minLength(1, 'must be a non-empty string')),
  expiry_date: epochMs,
  token_type: z.optional(z.string()),
  resource_url: z.optional(z.string()),
});
export type QwenCredsFile = z.infer<typeof QwenCredsFile>;

/** Turns zod issues into one line that names fields, never values. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the top level';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
