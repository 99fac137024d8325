/** OpenClaw's stores as the snapshot's views: profiles by its own health rules, the claude-cli runtime, route verdicts. */
import { fingerprint, maskSecret } from '../../secrets/mask.js';
import { credentialHealth, profileAttention, worst, type Attention, type ReasonCode } from '../../health.js';
import { StoredProfile, usageOf, type AuthStore } from '../../schemas.js';
import type { AgentView, ProfileView } from '../../../../common/snapshot.js';
import type { GatewayReadContext } from '../types.js';
import { modelRoutes, providersWithConfigKeys, type OpenClawConfig } from './config.js';
import {
  checkCode,
  isRefreshFence,
  judgeRoute,
  storeHealth,
  type OpenClawProfileHealth,
  type RouteVerdict,
} from './health.js';
import { type MergedStore } from './stores.js';
import type { AgentLocation } from './agents.js';
import { RETIRED_CLAUDE_CLI_PROFILE } from './policy.js';
export function secretOf(raw: Record<string, unknown>): string | undefined {
  const v = raw['type'] === 'api_key' ? raw['key'] : raw['type'] === 'token' ? raw['token'] : raw['access'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function buildAgentView(
  agent: AgentLocation,
  storePath: string,
  merged: MergedStore,
  hasStore: boolean,
  error: string | null,
  refuses: string | null,
  cfg: OpenClawConfig,
  ctx: GatewayReadContext,
  claudeCliReady: boolean,
): { view: AgentView; code: 0 | 1 | 2; verdicts: RouteVerdict[] } {
  const now = ctx.now;
  const health = storeHealth(merged, now);
  const routes = modelRoutes(cfg, agent.agentId);
  const verdicts = routes.map((r) =>
    judgeRoute(
      {
        cfg,
        agentId: agent.agentId,
        store: merged,
        profiles: health,
        env: ctx.env,
        providersWithConfigKeys: providersWithConfigKeys(cfg),
        refuses,
      },
      r,
      now,
    ),
  );
  const code = checkCode(verdicts, refuses);
  const asStore = merged as unknown as AuthStore;
  const ignoredEntries = Object.keys(merged.profiles).filter((id) => !health.some((h) => h.profileId === id));
  const profiles: ProfileView[] = health.map((h) =>
    profileView(h, merged.profiles[h.profileId] as Record<string, unknown>, asStore, ctx),
  );
  const claudeRuntime = verdicts.find((v) => v.runtime === 'claude-cli');
  if (claudeRuntime) profiles.push(claudeRuntimeView(ctx, claudeCliReady));
  // Degraded, not an outage, when another profile of the same provider still works.
  for (const p of profiles) {
    if (p.attention === 'now' && profiles.some((o) => o !== p && o.provider === p.provider && o.usable)) {
      p.attention = 'soon';
      p.reason = `${p.reason} (another ${p.provider} profile still works)`;
    }
  }
  // An unreadable store says nothing about which credentials are missing: its error is the finding.
  const missingProviders =
    error !== null
      ? []
      : [
          ...new Set(
            verdicts.filter((v) => v.health === 'missing' || v.health === 'unavailable').map((v) => v.route.provider),
          ),
        ];
  let attention: Attention = worst(...profiles.map((p) => p.attention));
  if (missingProviders.length > 0 || error !== null || refuses !== null) attention = 'now';
  return {
    code,
    verdicts,
    view: {
      agentId: agent.agentId,
      agentDir: agent.agentDir,
      storePath,
      linkTarget: null,
      origin: agent.origin,
      storeStatus: error !== null ? 'error' : hasStore ? 'ok' : 'missing',
      passive: null,
      error: error ?? (refuses !== null && refuses !== error ? refuses : null),
      attention,
      profiles,
      missingProviders,
      outOfStep: [],
      ignoredEntries,
      sync: { mode: 'skipped', wrote: false, changes: [], error: null, errorCode: null },
    },
  };
}

export function profileView(
  h: OpenClawProfileHealth,
  raw: Record<string, unknown>,
  store: AuthStore,
  ctx: GatewayReadContext,
): ProfileView {
  const parsed = StoredProfile.safeParse(raw);
  const usage = usageOf(store, h.profileId);
  let attention: Attention = 'none';
  let reason = h.status === 'static' ? 'does not expire' : 'valid';
  let reasonCode: ReasonCode = h.status === 'static' ? 'static' : 'valid';
  let usable = h.eligible;
  if (parsed.success) {
    const verdict = profileAttention(
      parsed.data,
      credentialHealth(parsed.data, ctx.now, ctx.warnMs),
      usage,
      ctx.now,
      ctx.refresh?.get(h.profileId),
    );
    attention = verdict.attention;
    reason = verdict.reason;
    reasonCode = verdict.code;
  }
  if (isRefreshFence(raw)) {
    attention = 'now';
    reason =
      'OpenClaw could not refresh it (refresh fence): log in again with `openclaw models auth login --provider ' +
      h.provider +
      '`';
    reasonCode = 'gateway';
    usable = false;
  } else if (h.profileId === RETIRED_CLAUDE_CLI_PROFILE) {
    attention = worst(attention, 'soon');
    reason = "retired: OpenClaw no longer uses a copy of Claude Code's login; `openclaw doctor --fix` removes it";
    reasonCode = 'gateway';
    usable = false;
  } else if (!h.eligible && attention === 'none') {
    attention = 'now';
    reason = h.reasonCode ?? h.status;
    reasonCode = 'gateway';
  }
  const secret = secretOf(raw);
  return {
    profileId: h.profileId,
    provider: h.provider,
    type: h.type,
    status: h.status,
    attention,
    reason,
    reasonCode,
    expiresAt: h.expiresAt,
    remainingMs: h.remainingMs,
    source: 'store',
    refreshable:
      h.type === 'oauth' && typeof raw['refresh'] === 'string' && raw['refresh'] !== '' && !isRefreshFence(raw),
    usable,
    masked: secret && !isRefreshFence(raw) ? maskSecret(secret) : null,
    fingerprint: secret && !isRefreshFence(raw) ? fingerprint(secret) : null,
    email: typeof raw['email'] === 'string' ? raw['email'] : null,
    cooldownUntil: usage?.cooldownUntil ?? null,
    disabledUntil: usage?.disabledUntil ?? null,
    disabledReason: usage?.disabledReason ?? null,
    inStepWithSource: null,
    token: null,
  };
}

/** The claude-cli runtime's health is Claude Code's own login's (never copied into OpenClaw). */
export function claudeRuntimeView(ctx: GatewayReadContext, ready: boolean): ProfileView {
  const s = ctx.sources.find((x) => x.id === 'claude-code');
  const cred = s?.credential;
  const expiresAt = cred?.expires ?? null;
  const remainingMs = expiresAt === null ? null : expiresAt - ctx.now;
  const secret = cred ? (cred.type === 'oauth' ? cred.access : cred.token) : undefined;
  return {
    profileId: 'claude-cli',
    provider: 'anthropic',
    type: cred?.type ?? 'oauth',
    status: !cred
      ? 'missing'
      : remainingMs !== null && remainingMs <= 0
        ? 'expired'
        : remainingMs !== null && remainingMs <= 24 * 3_600_000
          ? 'expiring'
          : 'ok',
    attention: ready ? 'none' : 'now',
    reason: ready
      ? "the claude-cli runtime uses Claude Code's own login"
      : `the claude-cli runtime needs Claude Code logged in (${s?.status ?? 'absent'}): run \`claude\` and log in`,
    expiresAt,
    remainingMs,
    source: 'claude-code',
    refreshable: cred?.type === 'oauth',
    usable: ready,
    masked: secret ? maskSecret(secret) : null,
    fingerprint: secret ? fingerprint(secret) : null,
    email: null,
    cooldownUntil: null,
    disabledUntil: null,
    disabledReason: null,
    inStepWithSource: null,
    token: null,
  };
}
