/**
 * A remote host's report in words and in one level of attention, shared by the tray, the menu
 * and the details window. Only fields the app itself set (the state, `since`) become words
 * here; what the host sent (message, fix, versions, profiles) is escaped by each front end.
 */
import { roughDuration } from './duration.js';
import type { HostReport, HostState } from './hosts.js';
import type { Snapshot } from './snapshot.js';

/** `unknown`: not heard from (yet); never shown as healthy. */
export type HostAttention = 'none' | 'unknown' | 'soon' | 'now';

const RANK: Record<HostAttention, number> = { none: 0, unknown: 1, soon: 2, now: 3 };

export function worseAttention(a: HostAttention, b: HostAttention): HostAttention {
  return RANK[a] >= RANK[b] ? a : b;
}

export const HOST_STATE_WORDS: Record<HostState, string> = {
  ok: 'connected',
  connecting: 'connecting…',
  unreachable: 'unreachable',
  'host-key': 'host key not trusted',
  auth: 'ssh login refused',
  'no-authbar': 'AuthBar not found there',
  incompatible: 'AuthBar version mismatch',
};

/** A gateway verdict word (`models.authStatus`) as attention. */
function liveWordAttention(status: string): HostAttention {
  if (status === 'expired' || status === 'missing') return 'now';
  if (status === 'expiring') return 'soon';
  return 'none';
}

/**
 * What a host needs: its snapshot's verdict while connected; `unknown` until first heard from;
 * at least `soon` for a host that cannot be watched (unreachable, host key, login, no AuthBar,
 * version), keeping a worse verdict from its last snapshot. A host without AuthBar whose
 * gateway answered over the connection is judged by that gateway's own verdicts.
 */
export function hostAttention(h: HostReport): HostAttention {
  const files: HostAttention = h.snapshot ? h.snapshot.overall.attention : 'unknown';
  if (h.state === 'ok') return files;
  if (h.state === 'connecting') return worseAttention('unknown', files);
  if (h.state === 'no-authbar' && h.live?.state === 'connected' && h.live.providers.length > 0)
    return h.live.providers.map((p) => liveWordAttention(p.status)).reduce(worseAttention, 'none');
  return worseAttention('soon', files);
}

/** The overall verdict, and who holds it: `null` is this machine, a string a host's name. */
export interface OverallVerdict {
  attention: HostAttention;
  /** Every machine at that level, this machine first, then the hosts in their order. */
  worst: Array<string | null>;
}

/**
 * The worst of this machine and every remote host: the tray icon's rule and the window
 * header's. This machine counts by its snapshot (unknown before the first), each host by
 * `hostAttention` (a host not heard from is never ok).
 */
export function overallVerdict(local: Snapshot | null, hosts: readonly HostReport[]): OverallVerdict {
  const mine: HostAttention = local ? (viewerOnly(local, hosts.length) ? 'none' : local.overall.attention) : 'unknown';
  const levels = hosts.map((h) => ({ name: h.name, attention: hostAttention(h) }));
  const attention = levels.map((l) => l.attention).reduce(worseAttention, mine);
  const worst = [
    ...(mine === attention ? [null] : []),
    ...levels.filter((l) => l.attention === attention).map((l) => l.name),
  ];
  return { attention, worst };
}

/**
 * A laptop that only watches other hosts: hosts are configured and this machine has no gateway
 * state at all (every agent is "no state dir yet"). Its would-be verdict is not a credential
 * anyone uses, so it does not colour the icon or the exit code.
 */
export function viewerOnly(local: Snapshot, hostCount: number): boolean {
  return hostCount > 0 && local.agents.length > 0 && local.agents.every((a) => a.passiveCode === 'no-state-dir');
}

/** "since 14:02" within a day (the time of day says enough), else "for 3 days". */
export function sinceWords(since: number | null, now: number, formatTime: (ms: number) => string): string {
  if (since === null) return '';
  const age = now - since;
  return age < 86_400_000 ? `since ${formatTime(since)}` : `for ${roughDuration(age)}`;
}

/** "vps — unreachable since 14:02"; front ends still pass it through their escaper. */
export function hostStateLine(h: HostReport, now: number, formatTime: (ms: number) => string): string {
  const since = h.state === 'ok' ? '' : sinceWords(h.since, now, formatTime);
  return `${h.name} — ${HOST_STATE_WORDS[h.state]}${since ? ` ${since}` : ''}`;
}
