/**
 * The app's port onto the remote hosts' watcher (main/engine/hosts/hosts-watch.ts, `HostsWatch`):
 * the part of its interface the app uses, so tests can script it and the app never depends on
 * how connections are made.
 */
import type { HostEntry, HostReport } from '../../common/hosts.js';
import type { HostNotice } from './engine-service.js';

export interface HostsWatchPort {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  /** The settings' host list changed: connect new hosts, drop removed ones. */
  setHosts(hosts: HostEntry[]): void;
  /** Every configured host's report, in the settings' order. */
  current(): HostReport[];
  /** Called whenever any host's report changes; returns the unsubscribe. */
  subscribe(cb: (reports: HostReport[]) => void): () => void;
  /** Resync or wake from sleep: every host reconnects now rather than at its backoff. */
  reconnectAll(): void;
  /** The per-host notices (host-notices.ts), when the watcher emits them. */
  subscribeNotices?(cb: (notice: HostNotice) => void): () => void;
}

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
