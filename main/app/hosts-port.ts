/**
 * The app's ports onto the remote hosts: the watcher (main/engine/hosts/hosts-watch.ts,
 * `HostsWatch`) and the per-host notices fed by its events (host-notices.ts, `HostNotices`),
 * as the app uses them, so tests can script them.
 */
import type { HostEntry } from '../../common/hosts.js';
import type { HostsWatch, HostsWatchEvent } from '../engine/hosts/hosts-watch.js';
import type { Notice } from '../engine/notify/notices.js';
import type { PolicyContext } from '../engine/notify/policy.js';

export type HostsWatchPort = Pick<HostsWatch, 'start' | 'stop' | 'setHosts' | 'current' | 'subscribe' | 'reconnectAll'>;

/** `HostNotices`: turns the watcher's events into notices about each host. */
export interface HostNoticesPort {
  onEvent(e: HostsWatchEvent): void;
  stop(): Promise<void>;
}

/** Builds the notices port with where its notices go and the policy settings to use. */
export type HostNoticesFactory = (opts: {
  deliver: (host: string, notice: Notice) => void;
  context: () => Omit<PolicyContext, 'now'>;
}) => HostNoticesPort;

/** Same list of hosts (by every field), so an unrelated settings change does not reconnect them. */
export function sameHosts(a: readonly HostEntry[], b: readonly HostEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((h, i) => {
      const o = b[i];
      return o !== undefined && h.name === o.name && h.ssh === o.ssh && h.authbar === o.authbar;
    })
  );
}
