/**
 * Turns what was read into the snapshot's views: health, attention, masks. Pure: the same
 * files at the same instant give the same snapshot.
 */
import { envKeyFor, type GatewayConfig } from './config.js';
import {
  DEFAULT_WARN_MS,
  credentialHealth,
  formatDuration,
  hasValidExpiry,
  isRefreshable,
  isUsable,
  profileAttention,
  worst,
  type Attention,
  type AttentionVerdict,
  type ProfileHealth,
  type RefreshOutcome,
} from '../../health.js';
import type { Env } from '../../ports.js';
import { StoredProfile, usageOf, type AuthStore } from '../../schemas.js';
import { fingerprint, maskSecret } from '../../secrets/mask.js';
import { SOURCE_PROFILE, type SourceId, type SourceRead } from '../../sources/sources.js';
import { sourceById, sourceLabel } from '../../sources/registry.js';
import { decideSync } from './sync.js';
import type { AgentView, ProfileView, Snapshot } from '../../../../common/snapshot.js';

// A Map: a profile id such as `constructor` or `__proto__` must not find Object.prototype's.
const PROFILE_SOURCE = new Map<string, SourceId>(
  Object.entries(SOURCE_PROFILE).map(([source, profile]) => [profile, source as SourceId]),
);

export { sourceLabel };

function secretOf(p: StoredProfile): string | undefined {
  if (p.type === 'api_key') return p.key;
  if (p.type === 'token') return p.token;
  return p.access;
}

export interface AgentInput {
  agentId: string;
  agentDir: string;
  storePath: string;
  linkTarget: string | null;
  origin: AgentView['origin'];
  /** The store as it stands after any sync; undefined when there is none. */
  store: AuthStore | undefined;
  storeError: string | null;
  passive: string | null;
  passiveCode: PassiveCode | null;
  sync: AgentView['sync'];
}

export interface AssessContext {
  now: number;
  warnMs: number;
  env: Env;
  config: GatewayConfig;
  sources: readonly SourceRead[];
  refresh?: ReadonlyMap<string, RefreshOutcome>;
}

export function agentView(input: AgentInput, ctx: AssessContext): AgentView {
  const { now, warnMs } = ctx;
  const entries = Object.entries(input.store?.profiles ?? {});
  const ignoredEntries: string[] = [];
  const parsed: Array<[string, StoredProfile]> = [];
  for (const [id, raw] of entries) {
    const p = StoredProfile.safeParse(raw);
    if (p.success) parsed.push([id, p.data]);
    else ignoredEntries.push(id);
  }
  // Which source-owned profiles the sync would still change: those are out of step.
  const active = input.passive === null;
  const decision = active && input.storeError === null ? decideSync(input.store, ctx.sources, now) : undefined;
  const pending = decision?.changes ?? [];
  const heldBack = decision?.held ?? [];
  const pendingIds = new Set(pending.map((c) => c.profileId));

  const profiles: ProfileView[] = parsed
    .map(([profileId, cred]) => {
      const usage = usageOf(input.store, profileId);
      // `status` is Clawdbot's, with its fixed 24 h window; the user's window moves attention only.
      const health = credentialHealth(cred, now, DEFAULT_WARN_MS);
      const forAttention = warnMs === DEFAULT_WARN_MS ? health : credentialHealth(cred, now, warnMs);
      let verdict = profileAttention(cred, forAttention, usage, now, ctx.refresh?.get(profileId));
      // An expiry no clock can reach (`1e300`) is invalid, not "far away": say which file.
      const badExpiry = !hasValidExpiry(cred);
      if (badExpiry && !(usage?.disabledUntil !== undefined && usage.disabledUntil > now)) {
        verdict = {
          attention: worst(verdict.attention === 'now' ? 'soon' : verdict.attention, 'soon'),
          reason: `has an expiry (${String((cred as { expires?: number }).expires)}) in ${input.storePath} that is not a valid time, so its health cannot be judged`,
          code: 'bad-expiry',
        };
      }
      const secret = secretOf(cred);
      const owner = PROFILE_SOURCE.get(profileId);
      const ownerStatus = owner ? ctx.sources.find((s) => s.id === owner)?.status : undefined;
      const sourceOk = ownerStatus === 'ok';
      // A source's login whose source is gone (logged out): nothing hands the agent a new one,
      // so its expiry is an outage, not routine. Clawdbot's own check says 1 here too.
      const orphaned =
        verdict.code === 'refreshable' &&
        (ownerStatus === 'absent' || ownerStatus === 'logged-out') &&
        (forAttention.status === 'expired' || forAttention.status === 'expiring');
      if (orphaned) verdict = orphanVerdict(owner, forAttention);
      return {
        profileId,
        provider: cred.provider,
        type: cred.type,
        status: health.status,
        attention: verdict.attention,
        reason: verdict.reason,
        reasonCode: verdict.code,
        expiresAt: health.expiresAt,
        remainingMs: health.remainingMs,
        source: owner ?? 'store',
        refreshable: isRefreshable(cred),
        // Clawdbot itself uses a profile with an unreadable expiry.
        usable: badExpiry
          ? isUsable(cred, { status: 'static', expiresAt: null, remainingMs: null }, usage, now)
          : !(orphaned && health.status === 'expired') && isUsable(cred, health, usage, now),
        masked: secret ? maskSecret(secret) : null,
        fingerprint: secret ? fingerprint(secret) : null,
        email: cred.email ?? null,
        cooldownUntil: usage?.cooldownUntil ?? null,
        disabledUntil: usage?.disabledUntil ?? null,
        disabledReason: usage?.disabledReason ?? null,
        inStepWithSource: owner && sourceOk ? !pendingIds.has(profileId) : null,
        token: null,
      } satisfies ProfileView;
    })
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.profileId.localeCompare(b.profileId));

  // A broken profile beside a working one of the same provider is degraded, not an outage:
  // Clawdbot rotates past it.
  for (const p of profiles) {
    if (p.attention === 'now' && profiles.some((o) => o !== p && o.provider === p.provider && o.usable)) {
      p.attention = 'soon';
      p.reason = `${p.reason} (another ${p.provider} profile still works)`;
    }
  }
  // No gateway state dir yet: nothing is written, but the default agent is judged as the
  // empty store Clawdbot would create on its first run (its --check says 1 for a missing provider).
  const judged = active || input.passiveCode === 'no-state-dir';
  const missingProviders = !judged
    ? []
    : ctx.config.providersInUse.filter(
        (provider) =>
          !profiles.some((p) => p.provider === provider && p.usable) &&
          !envKeyFor(provider, ctx.env) &&
          !ctx.config.providersWithConfigKeys.includes(provider),
      );

  let attention: Attention = judged ? worst(...profiles.map((p) => p.attention)) : 'none';
  if (missingProviders.length > 0 || (active && input.storeError !== null)) attention = 'now';
  // A passive store (the legacy one) that does not parse stops nothing: Clawdbot ignores it. Soon, not now.
  if (!active && input.storeError !== null) attention = 'soon';
  if (pending.length > 0 || heldBack.length > 0) attention = worst(attention, 'soon');
  return {
    agentId: input.agentId,
    agentDir: input.agentDir,
    storePath: input.storePath,
    linkTarget: input.linkTarget,
    origin: input.origin,
    // No state dir: the profiles shown are the store Clawdbot would make; no file exists yet.
    storeStatus:
      input.storeError !== null ? 'error' : input.store && input.passiveCode !== 'no-state-dir' ? 'ok' : 'missing',
    passive: input.passive,
    passiveCode: input.passiveCode,
    error: input.storeError,
    attention,
    profiles,
    missingProviders,
    outOfStep: pending,
    heldBack,
    ignoredEntries,
    sync: input.sync,
  };
}

/** A source-owned login whose source is logged out: `now` once expired, `soon` before. */
function orphanVerdict(owner: SourceId | undefined, health: ProfileHealth): AttentionVerdict {
  const d = owner ? sourceById(owner) : undefined;
  const who = d ? `${d.label} is logged out` : 'its source is gone';
  const fix = d ? d.loginPhrase : 'log in again';
  if (health.status === 'expired')
    return {
      attention: 'now',
      reason: `expired and ${who}, so nothing can refresh it: ${fix}`,
      code: 'source-logged-out',
    };
  return {
    attention: 'soon',
    reason: `expires in ${formatDuration(health.remainingMs ?? 0)} and ${who}: ${fix}`,
    code: 'source-logged-out',
  };
}

/** Why a store is only read: `AgentView.passiveCode`. */
export type PassiveCode = NonNullable<AgentView['passiveCode']>;

/** What `clawdbot models status --check` exits with for one agent's store (its rules exactly). */
export function gatewayCheckCodeCode(agent: AgentView, ctx: Pick<AssessContext, 'env' | 'config'>): 0 | 1 | 2 {
  if (agent.passive !== null && agent.passiveCode !== 'no-state-dir') return 0;
  const timed = agent.profiles.filter((p) => p.type === 'oauth' || p.type === 'token');
  const missing = ctx.config.providersInUse.some(
    (provider) =>
      !agent.profiles.some((p) => p.provider === provider) &&
      !envKeyFor(provider, ctx.env) &&
      !ctx.config.providersWithConfigKeys.includes(provider),
  );
  if (missing || timed.some((p) => p.status === 'expired' || p.status === 'missing')) return 1;
  if (timed.some((p) => p.status === 'expiring')) return 2;
  return 0;
}

export function combineCheckCodes(codes: ReadonlyArray<0 | 1 | 2>): 0 | 1 | 2 {
  if (codes.includes(1)) return 1;
  if (codes.includes(2)) return 2;
  return 0;
}

export type { Snapshot };
