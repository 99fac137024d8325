/**
 * Snapshots for the app tests, built from a few words and validated against the real schema,
 * so a fixture can never drift from what the engine emits.
 */
import {
  Snapshot,
  type AgentView,
  type LiveView,
  type ProfileView,
  type Snapshot as SnapshotT,
} from '../../common/snapshot.js';
import { maskSecret, fingerprint } from '../../main/engine/secrets/mask.js';
import { secret, HOUR, DAY } from './home.js';

export const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
export { HOUR, DAY };

type Attention = 'none' | 'soon' | 'now';

export function profile(p: Partial<ProfileView> & { profileId: string }): ProfileView {
  const provider = p.profileId.split(':')[0] as string;
  const type = p.type ?? 'oauth';
  const s = secret(type === 'api_key' ? 'api' : type === 'token' ? 'setup' : 'access');
  return {
    provider,
    type,
    status: 'ok',
    attention: 'none',
    reason: 'ok',
    expiresAt: type === 'api_key' ? null : NOW + 8 * HOUR,
    remainingMs: type === 'api_key' ? null : 8 * HOUR,
    source: 'store',
    refreshable: type === 'oauth',
    usable: true,
    masked: maskSecret(s),
    fingerprint: fingerprint(s),
    email: null,
    cooldownUntil: null,
    disabledUntil: null,
    disabledReason: null,
    inStepWithSource: null,
    token: null,
    ...p,
  };
}

/** A non-refreshable setup token expiring at `expiresAt` (null: never recorded). */
export function setupToken(
  profileId: string,
  expiresAt: number | null,
  attention: Attention,
  extra: Partial<ProfileView> = {},
): ProfileView {
  return profile({
    profileId,
    type: 'token',
    refreshable: false,
    expiresAt,
    remainingMs: expiresAt === null ? null : expiresAt - NOW,
    status: expiresAt === null ? 'static' : expiresAt <= NOW ? 'expired' : attention === 'soon' ? 'expiring' : 'ok',
    attention,
    usable: expiresAt === null || expiresAt > NOW,
    reason: expiresAt !== null && expiresAt <= NOW ? 'expired' : 'ok',
    ...extra,
  });
}

export function agent(agentId: string, profiles: ProfileView[], extra: Partial<AgentView> = {}): AgentView {
  const worst = profiles.some((p) => p.attention === 'now')
    ? 'now'
    : profiles.some((p) => p.attention === 'soon')
      ? 'soon'
      : 'none';
  return {
    agentId,
    agentDir: `/home/u/.clawdbot/agents/${agentId}/agent`,
    storePath: `/home/u/.clawdbot/agents/${agentId}/agent/auth-profiles.json`,
    linkTarget: null,
    origin: 'agents',
    storeStatus: 'ok',
    passive: null,
    error: null,
    attention: worst,
    profiles,
    missingProviders: [],
    outOfStep: [],
    ignoredEntries: [],
    sync: { mode: 'applied', wrote: false, changes: [], error: null, errorCode: null },
    ...extra,
  };
}

export function snapshot(opts: {
  gateway?: 'clawdbot' | 'openclaw';
  agents: AgentView[];
  attention?: Attention;
  reasons?: string[];
  version?: string | null;
  generatedAt?: number;
  /** What the running gateway said (test/support/live-fixtures.ts); absent: nobody asked. */
  live?: LiveView | null;
}): SnapshotT {
  const attention =
    opts.attention ??
    (opts.agents.some((a) => a.attention === 'now' || a.missingProviders.length > 0)
      ? 'now'
      : opts.agents.some((a) => a.attention === 'soon')
        ? 'soon'
        : 'none');
  const kind = opts.gateway ?? 'clawdbot';
  const state = kind === 'openclaw' ? '/home/u/.openclaw' : '/home/u/.clawdbot';
  return Snapshot.parse({
    schemaVersion: 1,
    generatedAt: opts.generatedAt ?? NOW,
    gateway: {
      kind,
      name: kind === 'openclaw' ? 'OpenClaw' : 'Clawdbot',
      probesRoutes: kind === 'openclaw',
      version: opts.version ?? null,
      stateDir: state,
      configPath: `${state}/${kind}.json`,
      detectedBy: 'test',
      dataVia: kind === 'openclaw' ? 'sqlite' : 'json-files',
      note: null,
    },
    warnMs: 24 * HOUR,
    stateDir: state,
    configPath: `${state}/${kind}.json`,
    configError: null,
    providersInUse: ['anthropic'],
    overall: {
      attention,
      reasons: opts.reasons ?? [],
      gatewayCheckCode: attention === 'now' ? 1 : attention === 'soon' ? 2 : 0,
    },
    sources: [],
    agents: opts.agents,
    refresh: [],
    monitor: null,
    vault: null,
    ...(opts.live !== undefined ? { live: opts.live } : {}),
  });
}
