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
  routeFails,
  storeHealth,
  type OpenClawProfileHealth,
  type RouteVerdict,
} from './health.js';
import { type MergedStore } from './stores.js';
import type { AgentLocation } from './agents.js';
import { PASTE_TOKEN_COMMAND, RETIRED_CLAUDE_CLI_PROFILE } from './policy.js';
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
  if (claudeRuntime) profiles.push(claudeRuntimeView(ctx, claudeCliReady, verdicts));
  // Degraded, not an outage, when another profile of the same provider still works.
  for (const p of profiles) {
    if (p.attention === 'now' && profiles.some((o) => o !== p && o.provider === p.provider && o.usable)) {
      p.attention = 'soon';
      p.reason = `${p.reason} (another ${p.provider} profile still works)`;
    }
  }
  // An unreadable store says nothing about which credentials are missing: its error is the finding.
  // Under the claude-cli runtime the runtime's row names each failing Anthropic route and its fix.
  const explained = (v: RouteVerdict) => claudeRuntime !== undefined && v.route.provider === 'anthropic';
  const missingProviders =
    error !== null
      ? []
      : [...new Set(verdicts.filter((v) => routeFails(v) && !explained(v)).map((v) => v.route.provider))];
  let attention: Attention = worst(...profiles.map((p) => p.attention));
  if (missingProviders.length > 0 || error !== null || refuses !== null) attention = 'now';
  if (verdicts.some((v) => routeFails(v) && explained(v))) attention = 'now';
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
    // OpenClaw's check still picks it (verified), so it may be the only login a route has.
    reason =
      "retired: OpenClaw no longer uses a copy of Claude Code's login; `openclaw doctor --fix` removes it (add a setup token first if it is your only Anthropic login)";
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

const routeName = (v: RouteVerdict) => `the ${v.route.role} route ${v.route.ref}`;
const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)!}`);

/**
 * Why the routes of a host that reuses Claude Code's login (the claude-cli runtime) fail, each
 * named, with the fix that fits: the runtime's routes need Claude Code logged in, and OpenClaw's
 * own check also wants an Anthropic profile (a setup token) behind them and behind any
 * Anthropic route that does not run on the runtime (the utility model).
 */
export function claudeRuntimeReason(ready: boolean, status: string, verdicts: readonly RouteVerdict[]): string {
  const onRuntime = verdicts.filter((v) => v.runtime === 'claude-cli' && routeFails(v)).map(routeName);
  const direct = verdicts
    .filter((v) => v.runtime !== 'claude-cli' && v.route.provider === 'anthropic' && routeFails(v))
    .map(routeName);
  const token = `add a setup token (\`claude setup-token\`, then \`${PASTE_TOKEN_COMMAND}\`)`;
  const parts: string[] = [];
  if (!ready) {
    const routes = onRuntime.length > 0 ? list(onRuntime) : 'the routes on it';
    parts.push(
      `${routes} ${onRuntime.length === 1 ? 'reuses' : 'reuse'} Claude Code's login, which is ${status}: log in to Claude Code (run \`claude\`, then /login)`,
    );
  } else if (onRuntime.length > 0) {
    parts.push(
      `${list(onRuntime)} ${onRuntime.length === 1 ? 'reuses' : 'reuse'} Claude Code's login (logged in), but \`openclaw models status --check\` cannot confirm it without an Anthropic profile and fails; if you rely on that check, ${token}`,
    );
  } else parts.push("the claude-cli runtime uses Claude Code's own login");
  if (direct.length > 0)
    parts.push(
      `${list(direct)} ${direct.length === 1 ? 'does' : 'do'} not run on the claude-cli runtime and ${direct.length === 1 ? 'has' : 'have'} no Anthropic profile: ${token}`,
    );
  return parts.join('; ');
}

/** The claude-cli runtime's health is Claude Code's own login's (never copied into OpenClaw). */
export function claudeRuntimeView(
  ctx: GatewayReadContext,
  ready: boolean,
  verdicts: readonly RouteVerdict[] = [],
): ProfileView {
  const s = ctx.sources.find((x) => x.id === 'claude-code');
  const cred = s?.credential;
  const expiresAt = cred?.expires ?? null;
  const remainingMs = expiresAt === null ? null : expiresAt - ctx.now;
  const secret = cred ? (cred.type === 'oauth' ? cred.access : cred.token) : undefined;
  const failing = verdicts.some(
    (v) => routeFails(v) && (v.runtime === 'claude-cli' || v.route.provider === 'anthropic'),
  );
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
    attention: ready && !failing ? 'none' : 'now',
    reason: claudeRuntimeReason(ready, s?.status ?? 'absent', verdicts),
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
