/**
 * A remote host's report in words and in one level of attention, shared by the tray, the menu
 * and the details window. Only fields the app itself set (the state, `since`) become words
 * here; what the host sent (message, fix, versions, profiles) is escaped by each front end.
 */
import { roughDuration } from './duration.js';
import type { HostReport, HostState } from './hosts.js';

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
