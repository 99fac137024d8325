/**
 * The shapes shared by one host's watch (remote-watch.ts), all hosts' watch (hosts-watch.ts)
 * and their users (the tray app, `authbar watch --all-hosts`). Types only.
 */
import type { HostEntry, HostReport } from '../../../common/hosts.js';
import type { LiveView } from '../../../common/live.js';
import type { Clock, Env } from '../ports.js';
import type { RemoteLine } from './watch-lines.js';

/**
 * For a host without AuthBar: the running gateway's own view, asked over the same ssh
 * connection (remote-live.ts). Null when the host has no gateway that answers.
 */
export type RemoteLiveAsk = (
  entry: HostEntry,
  opts: { env: Env; controlDir: string; signal: AbortSignal },
) => Promise<LiveView | null>;

/** Timings, all overridable by tests; the defaults are what users get. */
export interface WatchTimings {
  /** Waits before each reconnect attempt, the last one repeating (5 s … 5 min). */
  backoffMs: readonly number[];
  /** No `hello` from the host within this long: the connection is dropped as unreachable. */
  handshakeMs: number;
  /** How often the wall clock is checked for a jump (sleep/resume). */
  tickMs: number;
  /** A tick this much later than planned means the machine slept: reconnect at once. */
  jumpMs: number;
  /** How often a no-authbar host's gateway is asked for its live view. */
  livePollMs: number;
}

export const DEFAULT_TIMINGS: WatchTimings = {
  backoffMs: [5_000, 15_000, 30_000, 60_000, 120_000, 300_000],
  handshakeMs: 30_000,
  tickMs: 5_000,
  jumpMs: 30_000,
  livePollMs: 60_000,
};

export interface HostsWatchOptions {
  env: Env;
  hosts: readonly HostEntry[];
  /** Wall clock for `since`, `lastSeenAt` and the sleep detector (tests jump it). */
  clock?: Clock;
  remoteLive?: RemoteLiveAsk;
  timings?: Partial<WatchTimings>;
  /** The `ssh` program (default: the one on PATH). */
  ssh?: string;
}

/**
 * What a subscriber hears:
 * - `report`: a host's report changed (state, snapshot, version, live view); `current()` has it;
 * - `line`: an event the host's AuthBar sent (already parsed; its strings are the host's: show
 *   them escaped only);
 * - `problem`: something about the connection worth one line (a bad line from the host, said
 *   once per connection); never fatal;
 * - `removed`: the host left the settings.
 * Notices about hosts come from HostNotices (host-notices.ts), fed with these events.
 */
export type HostsWatchEvent =
  | { type: 'report'; host: string; report: HostReport }
  | { type: 'line'; host: string; line: RemoteLine }
  | { type: 'problem'; host: string; at: number; message: string }
  | { type: 'removed'; host: string };

export type HostsWatchListener = (e: HostsWatchEvent) => void;
