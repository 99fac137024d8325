/** The monitor's events, options and scan bookkeeping. */
import type { Collected, CollectOptions, EngineDeps } from '../engine.js';
import type { RouteHealthProbe } from '../gateways/types.js';
import type { Snapshot } from '../../../common/snapshot.js';
import type { SchedulerClock, TimerPort } from './scheduler.js';
import type { Settings } from '../settings.js';
import type { WatchFactory } from './watch.js';
import type { LiveAsk } from './live-schedule.js';

/** Why a scan ran. */
export type ScanTrigger =
  'start' | 'files' | 'deadline' | 'clock-jump' | 'keychain' | 'resync' | 'gateway-check' | 'live';

export type MonitorEvent =
  | { type: 'started'; at: number; watching: string[] }
  | {
      type: 'snapshot';
      at: number;
      trigger: ScanTrigger;
      /** The watched paths whose change caused this scan (for `files`). */
      paths: string[];
      snapshot: Snapshot;
      settings: Settings;
      /** Agents whose store this scan wrote (synced). */
      wrote: string[];
    }
  | { type: 'error'; at: number; message: string }
  | { type: 'stopped'; at: number };

export type MonitorListener = (event: MonitorEvent) => void;

export interface MonitorOptions {
  deps: EngineDeps;
  clock?: SchedulerClock;
  timers?: TimerPort;
  /** Quiet time after the last event of a burst before re-reading. Default 100 ms. */
  debounceMs?: number;
  /** A burst that never goes quiet is still read after this long. Default 1 s. */
  maxWaitMs?: number;
  /** macOS: how often to re-read the Keychain item silently. Default 5 min. */
  keychainIntervalMs?: number;
  /** Under OpenClaw: the route-health check (default: `openclaw models status --json`); null turns it off. */
  routeHealth?: RouteHealthProbe | null;
  /** Under OpenClaw: at most one route-health check per this long. Default 3 min. */
  routeHealthMinIntervalMs?: number;
  /** Under OpenClaw: a route-health check at least this often even without changes. Default 15 min. */
  routeHealthEveryMs?: number;
  /** Under OpenClaw: asks the running gateway for its live view (default: its WebSocket); null turns it off. */
  live?: LiveAsk | null;
  /** AuthBar's version, as the gateway is told it (default `unknown`). */
  clientVersion?: string;
  /** Which program runs the monitor (`cli` for watch, `app`): each keeps its own gateway device identity. */
  owner?: 'cli' | 'app';
  /** Agent ids to watch; null or absent: the settings' list (default every agent). */
  agents?: readonly string[] | null;
  /** Replaces chokidar (tests, benchmarks). */
  watch?: WatchFactory;
  /** Replaces `collect` (tests). */
  collect?: (deps: EngineDeps, opts: CollectOptions) => Promise<Collected>;
}

export const TRIGGER_RANK: Record<ScanTrigger, number> = {
  files: 0,
  'gateway-check': 1,
  live: 1,
  keychain: 2,
  deadline: 3,
  'clock-jump': 4,
  start: 5,
  resync: 6,
};

export interface ScanJob {
  trigger: ScanTrigger;
  paths: Set<string>;
  interactive: boolean;
  waiters: Array<(s: Snapshot | null) => void>;
}

/** The snapshot without what changes by the clock alone: two equal signatures mean nothing new. */
export function signature(s: Snapshot): string {
  return JSON.stringify(s, (k, v: unknown) => {
    // The live view is news of its own (gateway-feeds.ts emits it); a scan is news only for what it read.
    if (k === 'generatedAt' || k === 'monitor' || k === 'remainingMs' || k === 'ageMs' || k === 'live')
      return undefined;
    // What a sync did is news when it wrote (see the scan) or failed; "nothing to do" is not.
    if (k === 'sync' && v && typeof v === 'object') return { error: (v as { error?: unknown }).error ?? null };
    return v;
  });
}
