/**
 * The running gateway's `models.authStatus` answer as the snapshot's live view: its verdict per
 * provider, usage windows, and where it disagrees with the files AuthBar read for the same
 * agent. Pure: the clock and the agent come in `ctx`. The answer carries no secret, and the
 * sentences here are built from ids, statuses and times only.
 */
import type {
  AgentView,
  LiveDisagreementView,
  LiveProviderView,
  LiveView,
  ProfileView,
  Snapshot,
} from '../../../../../common/snapshot.js';
import { providerId } from '../policy.js';
import type { AuthStatusPayload, AuthStatusProfile, AuthStatusProvider } from './auth-status.js';
import { USAGE_EMPTY_NOTE, USAGE_PENDING_NOTE } from '../../../../../common/live-usage.js';

export interface LiveViewContext {
  /** The gateway's WebSocket URL (never with a token in it). */
  url: string;
  /** The gateway's version from its `hello-ok`, when it said. */
  version: string | null;
  /** When the answer arrived, epoch ms. */
  checkedAt: number;
  /** The agent asked about (`models.authStatus {agentId}`); null: the gateway's default agent. */
  agentId: string | null;
}

/** Expiries this close are the same credential: the gateway and AuthBar round differently. */
export const EXPIRY_SLACK_MS = 60_000;

/** What makes a running gateway read its stores again (verified on 2026.9.6). */
/**
 * Verified on 2026.9.6: a store created after the gateway started is not seen until it reloads
 * its credentials; `models.authRefresh` (operator.admin, so the user runs it, never AuthBar)
 * makes it reload without a restart.
 */
export const RELOAD_GATEWAY_FIX =
  'Make the running gateway reload its credentials: `openclaw gateway call models.authRefresh --params \'{"operation":"update"}\'` (or restart it: `openclaw gateway restart`).';

/** Providers whose logins (`oauth`, `token`) come with usage windows at the gateway (verified: Claude). */
const USAGE_PROVIDERS = new Set(['anthropic']);

function usageNote(p: AuthStatusProvider): string | null {
  if (p.usage !== undefined) return p.usage.windows.length > 0 ? null : USAGE_EMPTY_NOTE;
  const hasLogin = p.profiles.some((x) => x.type === 'oauth' || x.type === 'token');
  return USAGE_PROVIDERS.has(providerId(p.provider)) && hasLogin ? USAGE_PENDING_NOTE : null;
}

function providerView(p: AuthStatusProvider): LiveProviderView {
  return {
    provider: p.provider,
    displayName: p.displayName ?? null,
    status: p.status ?? 'missing',
    expiresAt: p.expiry?.at ?? null,
    profiles: p.profiles.map((x) => ({
      profileId: x.profileId,
      status: x.status ?? 'missing',
      type: x.type ?? null,
      reasonCode: x.reasonCode ?? null,
      expiresAt: x.expiry?.at ?? null,
    })),
    usage: (p.usage?.windows ?? []).map((w) => ({
      label: w.label,
      usedPercent: w.usedPercent,
      resetsAt: w.resetAt ?? null,
    })),
    plan: p.usage?.plan ?? null,
    usageNote: usageNote(p),
  };
}

/** The files' agent the answer speaks for: the one asked about, else the gateway's default (`main`, else the first). */
export function comparedAgent(files: Snapshot | null, agentId: string | null): AgentView | null {
  if (files === null) return null;
  const agents = files.agents.filter((a) => a.passive === null);
  if (agentId !== null) return agents.find((a) => a.agentId === agentId) ?? null;
  return agents.find((a) => a.agentId === 'main') ?? agents[0] ?? null;
}

/** Profiles the gateway builds at run time from other programs (not in any store AuthBar reads). */
function external(p: AuthStatusProfile): boolean {
  return p.source === 'external' || (p as Record<string, unknown>)['externallyManaged'] === true;
}

function iso(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function where(agentId: string): string {
  return agentId === 'main' ? '' : ` of agent ${agentId}`;
}

/** Where the running gateway and the files disagree about the same agent's profiles. */
export function disagreements(providers: readonly AuthStatusProvider[], agent: AgentView): LiveDisagreementView[] {
  // Only what the stores hold: the claude-cli runtime's row stands for Claude Code's own login.
  const files = new Map(agent.profiles.filter((p) => p.source === 'store').map((p) => [p.profileId, p]));
  const live = new Map<string, { provider: AuthStatusProvider; profile: AuthStatusProfile }>();
  for (const prov of providers)
    for (const profile of prov.profiles)
      if (!external(profile)) live.set(profile.profileId, { provider: prov, profile });
  const at = where(agent.agentId);
  const out: LiveDisagreementView[] = [];
  for (const f of files.values()) {
    const g = live.get(f.profileId);
    if (g === undefined) {
      if (!f.usable) continue;
      out.push({
        profileId: f.profileId,
        provider: f.provider,
        files: f.status,
        gateway: 'absent',
        text: `The files${at} hold ${f.profileId} (${f.status}), but the running gateway does not list it: it has not taken it up.`,
        fix: RELOAD_GATEWAY_FIX,
      });
      continue;
    }
    const gStatus = g.profile.status ?? 'missing';
    if (g.provider.status === 'static' || !comparableExpiry(f, g.profile)) continue;
    const fAt = f.expiresAt as number;
    const gAt = g.profile.expiry?.at as number;
    if (Math.abs(fAt - gAt) <= EXPIRY_SLACK_MS) continue;
    out.push({
      profileId: f.profileId,
      provider: f.provider,
      files: f.status,
      gateway: gStatus,
      text: `${f.profileId}${at} expires ${iso(fAt)} in the files but ${iso(gAt)} in the running gateway: the gateway holds another credential.`,
      fix: RELOAD_GATEWAY_FIX,
    });
  }
  // Entries AuthBar could not judge are still in the files.
  const ignored = new Set(agent.ignoredEntries);
  for (const [profileId, g] of live) {
    if (files.has(profileId) || ignored.has(profileId)) continue;
    const gStatus = g.profile.status ?? 'missing';
    out.push({
      profileId,
      provider: providerId(g.provider.provider),
      files: 'absent',
      gateway: gStatus,
      text: `The running gateway still lists ${profileId} (${gStatus}), which the files${at} no longer hold.`,
      fix: RELOAD_GATEWAY_FIX,
    });
  }
  return out;
}

/** Expiries are compared only where both sides have one and neither is a key that never expires. */
function comparableExpiry(f: ProfileView, g: AuthStatusProfile): boolean {
  if (f.type === 'api_key' || g.type === 'api_key' || f.status === 'static' || g.status === 'static') return false;
  return f.expiresAt !== null && g.expiry?.at !== undefined;
}

/** The live view of one answer, beside the files of the same instant. */
/** `files` null: nothing to compare with (a host whose files AuthBar cannot read). */
export function liveView(payload: AuthStatusPayload, files: Snapshot | null, ctx: LiveViewContext): LiveView {
  const base = {
    state: 'connected' as const,
    checkedAt: ctx.checkedAt,
    gateway: { url: ctx.url, version: ctx.version },
    agentId: ctx.agentId,
  };
  if (payload.unavailable !== undefined) {
    // An empty list here means "not yet", not "no credentials": nothing to compare.
    return {
      ...base,
      reasonCode: 'loading',
      message: 'The gateway is still loading its model catalog, so it has no auth status yet.',
      fix: 'Wait a few seconds; if it persists, restart the gateway: `openclaw gateway restart`.',
      providers: [],
      disagreements: [],
    };
  }
  const agent = comparedAgent(files, ctx.agentId);
  // An unreadable store says nothing about which profiles exist.
  const comparable = agent !== null && agent.error === null && agent.storeStatus !== 'error';
  return {
    ...base,
    reasonCode: null,
    message: null,
    fix: null,
    providers: payload.providers.map(providerView),
    disagreements: comparable ? disagreements(payload.providers, agent) : [],
  };
}
