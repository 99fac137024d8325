/**
 * Health rules, pure. `status` is Clawdbot's (what `clawdbot models status` prints);
 * `attention` is AuthBar's: what the user must do, which colours the icon.
 */
import type { StoredProfile, UsageStats } from './schemas.js';
import { MAX_TIME, untilPhrase } from './time.js';
import { formatDuration } from '../../common/duration.js';

/** The one duration formatter (common/duration.ts), re-exported for the engine's callers. */
export { formatDuration };

export type HealthStatus = 'ok' | 'expiring' | 'expired' | 'missing' | 'static';
export type Attention = 'none' | 'soon' | 'now';

export const DEFAULT_WARN_MS = 24 * 60 * 60 * 1000;

export interface ProfileHealth {
  status: HealthStatus;
  expiresAt: number | null;
  remainingMs: number | null;
}

/** Clawdbot's status of one credential. */
export function credentialHealth(cred: StoredProfile, now: number, warnMs: number): ProfileHealth {
  if (cred.type === 'api_key') return { status: 'static', expiresAt: null, remainingMs: null };
  const expires = cred.expires;
  // Clawdbot: a token without a positive expiry never expires; an oauth one is "missing".
  if (cred.type === 'token' && (expires === undefined || expires <= 0))
    return { status: 'static', expiresAt: null, remainingMs: null };
  if (expires === undefined || expires <= 0) return { status: 'missing', expiresAt: null, remainingMs: null };
  // Beyond any date a clock can reach (`1e300`): no expiry can be judged from it.
  if (!hasValidExpiry(cred)) return { status: 'missing', expiresAt: null, remainingMs: null };
  const remainingMs = expires - now;
  const status: HealthStatus = remainingMs <= 0 ? 'expired' : remainingMs <= warnMs ? 'expiring' : 'ok';
  return { status, expiresAt: expires, remainingMs };
}

/** False for an expiry no Date can hold (`1e300`): such a value is invalid, not "far away". */
export function hasValidExpiry(cred: StoredProfile): boolean {
  if (cred.type === 'api_key') return true;
  return cred.expires === undefined || cred.expires <= MAX_TIME;
}

/** A refresh token can mint a new access token: its expiry is routine, not news. */
export function isRefreshable(cred: StoredProfile): boolean {
  return cred.type === 'oauth' && typeof cred.refresh === 'string' && cred.refresh.trim() !== '';
}

/** Why a profile has its attention, for code to branch on (the reason words it). */
export type ReasonCode =
  | 'disabled'
  | 'refresh-refused'
  | 'refresh-failing'
  | 'cooldown'
  | 'no-expiry'
  | 'refreshable'
  | 'expired'
  | 'expiring'
  | 'static'
  | 'valid'
  /** A login copied from a source (Claude Code) that is logged out: nothing refreshes it. */
  | 'source-logged-out'
  /** A stored expiry that is not a valid time. */
  | 'bad-expiry'
  /** Set by a gateway's own rules (a refresh fence, a retired profile, an ineligible one …). */
  | 'gateway';

export interface AttentionVerdict {
  attention: Attention;
  /** One short phrase a person reads ("expires in 3 h", "disabled: billing"). */
  reason: string;
  code: ReasonCode;
}

export const attentionRank: Record<Attention, number> = { none: 0, soon: 1, now: 2 };

export function worst(...levels: Attention[]): Attention {
  return levels.reduce<Attention>((a, b) => (attentionRank[b] > attentionRank[a] ? b : a), 'none');
}

/** Last outcome of refreshing this profile, when AuthBar tried (room for the refresh engine). */
export interface RefreshOutcome {
  ok: boolean;
  /** A refusal (`invalid_grant`, revoked) will never succeed by retrying. */
  permanent: boolean;
  at: number;
  consecutiveFailures: number;
}

/** AuthBar's attention for one profile, on its own (degradation by siblings comes later). */
export function profileAttention(
  cred: StoredProfile,
  health: ProfileHealth,
  usage: UsageStats | undefined,
  now: number,
  refresh?: RefreshOutcome,
): AttentionVerdict {
  if (usage?.disabledUntil !== undefined && usage.disabledUntil > now) {
    return {
      attention: 'now',
      reason: `disabled${usage.disabledReason ? `: ${usage.disabledReason}` : ''} ${untilPhrase(usage.disabledUntil)}`,
      code: 'disabled',
    };
  }
  if (refresh && !refresh.ok && refresh.permanent)
    return { attention: 'now', reason: 'refresh was refused: log in again', code: 'refresh-refused' };
  if (isRefreshable(cred)) {
    if (refresh && !refresh.ok && refresh.consecutiveFailures >= 2)
      return { attention: 'soon', reason: 'refresh keeps failing', code: 'refresh-failing' };
    if (usage?.cooldownUntil !== undefined && usage.cooldownUntil > now)
      return { attention: 'soon', reason: `in cooldown ${untilPhrase(usage.cooldownUntil)}`, code: 'cooldown' };
    if (health.status === 'missing') return { attention: 'soon', reason: 'no expiry recorded', code: 'no-expiry' };
    return {
      attention: 'none',
      reason: health.status === 'expired' ? 'access token expired; refreshes on next use' : 'refreshable',
      code: 'refreshable',
    };
  }
  if (health.status === 'expired') return { attention: 'now', reason: 'expired', code: 'expired' };
  if (health.status === 'missing') return { attention: 'now', reason: 'no expiry recorded', code: 'no-expiry' };
  if (usage?.cooldownUntil !== undefined && usage.cooldownUntil > now)
    return { attention: 'soon', reason: `in cooldown ${untilPhrase(usage.cooldownUntil)}`, code: 'cooldown' };
  if (health.status === 'expiring')
    return { attention: 'soon', reason: `expires in ${formatDuration(health.remainingMs ?? 0)}`, code: 'expiring' };
  return health.status === 'static'
    ? { attention: 'none', reason: 'does not expire', code: 'static' }
    : { attention: 'none', reason: 'valid', code: 'valid' };
}

/** A profile Clawdbot would use right now. */
export function isUsable(
  cred: StoredProfile,
  health: ProfileHealth,
  usage: UsageStats | undefined,
  now: number,
): boolean {
  if (usage?.disabledUntil !== undefined && usage.disabledUntil > now) return false;
  if (usage?.cooldownUntil !== undefined && usage.cooldownUntil > now) return false;
  if (isRefreshable(cred)) return true;
  return health.status === 'ok' || health.status === 'expiring' || health.status === 'static';
}
