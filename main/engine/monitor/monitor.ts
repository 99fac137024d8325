/**
 * The monitor: notices every change to what a snapshot was built from the moment it
 * happens, and otherwise sleeps until the next deadline.
 *
 * - chokidar (native fs.watch, no polling) watches the parent directories of every path in
 *   `collect().watch` (so atomic renames, deletions and files that do not exist yet all
 *   work) and the agents dir (a new agent is picked up). Where a directory does not exist,
 *   its nearest existing ancestor is watched instead, through a filter that lets only the
 *   way down to the watched paths through.
 * - A burst of events is debounced (~100 ms), then everything is re-read, synced where the
 *   gateway allows, and the snapshot emitted to subscribers; the watch set is re-armed when
 *   it changed.
 * - One deadline timer (scheduler.ts) for the next instant anything changes by time alone;
 *   a clock jump or a sleep re-reads everything.
 * - macOS Keychain: re-read gently (a silent probe every few minutes) once a first silent
 *   read succeeded; never a prompt. Elsewhere nothing.
 * - OpenClaw: `openclaw models status --json` after changes and every so often, never
 *   concurrently and at most every few minutes, its age in `snapshot.monitor`.
 *
 * Nothing here throws at its caller once started: failures become `error` events.
 */
import { claudeItemFingerprint } from '../sources/claude-code.js';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, relative, sep } from 'node:path';
import { collect, defaultKeychain, type Collected, type CollectOptions, type EngineDeps } from '../engine.js';
import { describeError } from '../errors.js';
import { claudeKeychainAccount, claudeKeychainService, resolvePaths } from '../paths.js';
import type { Keychain } from '../ports.js';
import { openclawStatusProbe, type RouteHealth, type RouteHealthProbe } from '../gateways/openclaw/route-health.js';
import {
  DeadlineTimer,
  nextDeadline,
  systemSchedulerClock,
  systemTimers,
  tokenReminderMs,
  type Deadline,
  type SchedulerClock,
  type TimerHandle,
  type TimerPort,
} from './scheduler.js';
import type { Settings } from '../settings.js';
import { SingleFlight } from './single-flight.js';
import type { MonitorView, Snapshot } from '../../../common/snapshot.js';

/** Why a scan ran. */
export type ScanTrigger = 'start' | 'files' | 'deadline' | 'clock-jump' | 'keychain' | 'resync' | 'gateway-check';

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

/** A running set of directory watches; the default is chokidar. */
export interface WatchHandle {
  close(): Promise<void>;
}

export interface WatchRequest {
  roots: string[];
  /** True for paths whose events matter (and directories on the way to them). */
  relevant: (path: string) => boolean;
  onEvent: (event: string, path: string) => void;
  onError: (err: unknown) => void;
}

export type WatchFactory = (req: WatchRequest) => Promise<WatchHandle>;

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
  /** Agent ids to watch; null or absent: the settings' list (default every agent). */
  agents?: readonly string[] | null;
  /** Replaces chokidar (tests, benchmarks). */
  watch?: WatchFactory;
  /** Replaces `collect` (tests). */
  collect?: (deps: EngineDeps, opts: CollectOptions) => Promise<Collected>;
}

const TRIGGER_RANK: Record<ScanTrigger, number> = {
  files: 0,
  'gateway-check': 1,
  keychain: 2,
  deadline: 3,
  'clock-jump': 4,
  start: 5,
  resync: 6,
};

interface ScanJob {
  trigger: ScanTrigger;
  paths: Set<string>;
  interactive: boolean;
  waiters: Array<(s: Snapshot | null) => void>;
}

/** The snapshot without what changes by the clock alone: two equal signatures mean nothing new. */
function signature(s: Snapshot): string {
  return JSON.stringify(s, (k, v: unknown) => {
    if (k === 'generatedAt' || k === 'monitor' || k === 'remainingMs' || k === 'ageMs') return undefined;
    // What a sync did is news when it wrote (see the scan) or failed; "nothing to do" is not.
    if (k === 'sync' && v && typeof v === 'object') return { error: (v as { error?: unknown }).error ?? null };
    return v;
  });
}

export class Monitor {
  private readonly clock: SchedulerClock;
  private readonly timers: TimerPort;
  private readonly listeners = new Set<MonitorListener>();
  private readonly deadline: DeadlineTimer;
  private readonly routeFlight: SingleFlight<RouteHealth> | null;
  private readonly keychain: Keychain;
  private readonly platform: NodeJS.Platform;

  private running = false;
  private stopping = false;
  private startedAt: number | null = null;
  private lastScanAt: number | null = null;
  private lastEventAt: number | null = null;
  private snapshot: Snapshot | null = null;
  private settings: Settings | null = null;
  private readonly secretsSeen = new Set<string>();
  /** Every secret value any scan read (kept after it rotates out): outputs mask each copy of them. */
  get secrets(): ReadonlySet<string> {
    return this.secretsSeen;
  }
  private lastSignature: string | null = null;
  private nextDue: Deadline | null = null;

  private watchKey = '';
  private watchList: string[] = [];
  private watcher: WatchHandle | null = null;

  private queued: ScanJob | null = null;
  private draining: Promise<void> | null = null;

  private debounce: TimerHandle | null = null;
  private burstStart = 0;
  private burstPaths = new Set<string>();

  private keychainTimer: TimerHandle | null = null;
  private keychainPaused = false;
  private routeTimer: TimerHandle | null = null;
  private routeHealth: RouteHealth | null = null;

  constructor(private readonly opts: MonitorOptions) {
    this.clock = opts.clock ?? systemSchedulerClock;
    this.timers = opts.timers ?? systemTimers;
    this.platform = opts.deps.platform ?? process.platform;
    this.keychain = opts.deps.keychain ?? defaultKeychain(opts.deps.env, this.platform);
    this.deadline = new DeadlineTimer({
      clock: this.clock,
      timers: this.timers,
      onDue: () => void this.requestScan('deadline'),
      onJump: () => void this.requestScan('clock-jump'),
    });
    const probe = opts.routeHealth === undefined ? openclawStatusProbe() : opts.routeHealth;
    this.routeFlight =
      probe === null
        ? null
        : new SingleFlight<RouteHealth>({
            clock: this.clock,
            timers: this.timers,
            minIntervalMs: opts.routeHealthMinIntervalMs ?? 3 * 60_000,
            run: () => {
              const snapshot = this.snapshot;
              const settings = this.settings;
              if (snapshot === null || settings === null) return Promise.reject(new Error('no snapshot yet'));
              return probe({ env: opts.deps.env, settings, snapshot, now: () => this.clock.now() });
            },
            onResult: (r) =>
              this.onRouteHealth(
                r.ok
                  ? r.value
                  : {
                      at: r.finishedAt,
                      exitCode: null,
                      missingProviders: [],
                      issues: [],
                      error: `The gateway check failed: ${describeError(r.error)}`,
                    },
              ),
          });
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: MonitorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest snapshot, or null before the first scan finished. */
  current(): Snapshot | null {
    return this.snapshot;
  }

  /** Every path the current snapshot was built from (what is watched). */
  get watching(): readonly string[] {
    return this.watchList;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The first scan, then watching. Resolves with the first snapshot (null if it failed: see the error event). */
  async start(): Promise<Snapshot | null> {
    if (this.running) return this.snapshot;
    this.running = true;
    this.stopping = false;
    this.startedAt = this.clock.now();
    const first = await this.requestScan('start');
    if (this.running) this.emit({ type: 'started', at: this.clock.now(), watching: [...this.watchList] });
    return first;
  }

  /**
   * Re-reads everything now (a user's click). `interactive: true` allows a Keychain prompt,
   * and re-enables the silent Keychain re-reads after one failed.
   */
  resync(opts: { interactive?: boolean } = {}): Promise<Snapshot | null> {
    if (opts.interactive) this.keychainPaused = false;
    return this.requestScan('resync', [], opts.interactive ?? false);
  }

  /** Closes every watcher and timer; waits for a scan in flight. Emits `stopped`. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.running = false;
    this.deadline.disarm();
    this.clear('debounce');
    this.clear('keychainTimer');
    this.clear('routeTimer');
    this.routeFlight?.stop();
    const pending = this.queued;
    this.queued = null;
    for (const w of pending?.waiters ?? []) w(this.snapshot);
    await this.draining;
    await this.closeWatcher(this.watcher);
    this.watcher = null;
    this.watchKey = '';
    this.emit({ type: 'stopped', at: this.clock.now() });
  }

  // -------------------------------------------------------------------------------------

  private emit(event: MonitorEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A subscriber's failure must not stop the others, nor the monitor.
      }
    }
  }

  private error(message: string): void {
    this.emit({ type: 'error', at: this.clock.now(), message });
  }

  private clear(which: 'debounce' | 'keychainTimer' | 'routeTimer'): void {
    const h = this[which];
    if (h !== null) this.timers.clearTimeout(h);
    this[which] = null;
  }

  private requestScan(
    trigger: ScanTrigger,
    paths: Iterable<string> = [],
    interactive = false,
  ): Promise<Snapshot | null> {
    if (!this.running) return Promise.resolve(this.snapshot);
    const job = (this.queued ??= { trigger, paths: new Set(), interactive: false, waiters: [] });
    if (TRIGGER_RANK[trigger] > TRIGGER_RANK[job.trigger]) job.trigger = trigger;
    for (const p of paths) job.paths.add(p);
    job.interactive ||= interactive;
    const done = new Promise<Snapshot | null>((resolve) => job.waiters.push(resolve));
    this.draining ??= this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued !== null && this.running) {
        const job = this.queued;
        this.queued = null;
        let snapshot: Snapshot | null;
        try {
          snapshot = await this.scan(job);
        } catch (err) {
          // Nothing may kill the monitor: an unexpected failure is an event, and it goes on.
          this.error(`Re-reading the credentials failed unexpectedly: ${describeError(err)}`);
          snapshot = this.snapshot;
        }
        for (const w of job.waiters) w(snapshot);
      }
    } finally {
      this.draining = null;
    }
  }

  private async scan(job: ScanJob): Promise<Snapshot | null> {
    const collectFn = this.opts.collect ?? collect;
    let collected: Collected;
    try {
      collected = await collectFn(
        { ...this.opts.deps, clock: this.clock, keychain: this.keychain, platform: this.platform },
        { sync: 'apply', interactive: job.interactive, ...(this.opts.agents ? { agents: this.opts.agents } : {}) },
      );
    } catch (err) {
      // e.g. a broken settings file: say so, keep watching (its fix is a file event too).
      this.error(describeError(err));
      if (this.watcher === null && this.running) await this.rearm(this.fallbackWatchList());
      return this.snapshot;
    }
    if (!this.running && !this.stopping) return this.snapshot;
    const { snapshot, settings } = collected;
    for (const v of collected.secrets ?? []) this.secretsSeen.add(v);
    this.settings = settings;
    snapshot.monitor = this.view(snapshot.generatedAt);
    this.snapshot = snapshot;
    this.lastScanAt = this.clock.now();
    if (this.running) {
      try {
        await this.rearm(collected.watch);
      } catch (err) {
        this.error(
          `Could not watch the credential files (${describeError(err)}); changes will be picked up at the next deadline or resync.`,
        );
      }
      this.nextDue = nextDeadline(snapshot, { tokenReminderMs: tokenReminderMs(settings.tokenReminderDays) });
      this.deadline.arm(this.nextDue);
      this.planKeychainProbe(snapshot);
      this.planRouteHealth(snapshot, job.trigger);
    }
    snapshot.monitor = this.view(snapshot.generatedAt);
    const sig = signature(snapshot);
    const wrote = snapshot.agents.filter((a) => a.sync.wrote).map((a) => a.agentId);
    const changed = sig !== this.lastSignature || wrote.length > 0;
    this.lastSignature = sig;
    // A scan caused by our own sync's writes (or a touch that changed nothing) is not news.
    if (changed || job.trigger === 'start' || job.trigger === 'resync') {
      this.emit({
        type: 'snapshot',
        at: this.clock.now(),
        trigger: job.trigger,
        paths: [...job.paths],
        snapshot,
        settings,
        wrote,
      });
    }
    return snapshot;
  }

  private view(at: number): MonitorView {
    return {
      running: this.running,
      startedAt: this.startedAt,
      lastScanAt: this.lastScanAt,
      watching: [...this.watchList],
      lastEventAt: this.lastEventAt,
      nextDeadlineAt: this.nextDue?.at ?? null,
      nextDeadlineReason: this.nextDue?.reason ?? null,
      gatewayCheck:
        this.routeHealth === null ? null : { ...this.routeHealth, ageMs: Math.max(0, at - this.routeHealth.at) },
    };
  }

  // ---- file events ---------------------------------------------------------------------

  private onFsEvent(path: string): void {
    if (!this.running) return;
    const now = this.clock.now();
    this.lastEventAt = now;
    this.burstPaths.add(path);
    if (this.debounce === null) this.burstStart = now;
    else this.timers.clearTimeout(this.debounce);
    const maxWait = this.opts.maxWaitMs ?? 1_000;
    const wait = Math.max(0, Math.min(this.opts.debounceMs ?? 100, this.burstStart + maxWait - now));
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = null;
      const paths = this.burstPaths;
      this.burstPaths = new Set();
      void this.requestScan('files', paths);
    }, wait);
  }

  /** Before the first scan succeeds: the well-known paths, so fixing the problem is noticed. */
  private fallbackWatchList(): string[] {
    const p = resolvePaths(this.opts.deps.env);
    return [
      p.settings,
      p.claudeCredentials,
      p.codexAuth,
      p.qwenCredentials,
      p.clawdbotConfig,
      `${p.stateDir}${sep}agents`,
    ];
  }

  private async rearm(watch: readonly string[]): Promise<void> {
    const plan = watchPlan(watch);
    const key = JSON.stringify([plan.roots, [...plan.targets].sort()]);
    this.watchList = [...watch];
    if (key === this.watchKey && this.watcher !== null) return;
    const factory = this.opts.watch ?? chokidarWatch;
    // Make before break: the old watcher keeps reporting until the new one is ready.
    const next = await factory({
      roots: plan.roots,
      relevant: plan.relevant,
      onEvent: (_event, path) => this.onFsEvent(path),
      onError: (err) => this.error(`The file watcher reported: ${describeError(err)}`),
    });
    if (!this.running) {
      await this.closeWatcher(next);
      return;
    }
    const old = this.watcher;
    this.watcher = next;
    this.watchKey = key;
    await this.closeWatcher(old);
  }

  private async closeWatcher(w: WatchHandle | null): Promise<void> {
    if (w === null) return;
    try {
      await w.close();
    } catch (err) {
      this.error(`Could not close a file watcher: ${describeError(err)}`);
    }
  }

  // ---- macOS Keychain ------------------------------------------------------------------

  private planKeychainProbe(snapshot: Snapshot): void {
    const claude = snapshot.sources.find((s) => s.id === 'claude-code');
    const eligible =
      this.platform === 'darwin' &&
      this.keychain.name !== 'off' &&
      !this.keychainPaused &&
      claude?.kind === 'keychain' &&
      claude.status === 'ok';
    if (!eligible) {
      this.clear('keychainTimer');
      return;
    }
    if (this.keychainTimer !== null) return;
    this.keychainTimer = this.timers.setTimeout(
      () => {
        this.keychainTimer = null;
        void this.probeKeychain();
      },
      this.opts.keychainIntervalMs ?? 5 * 60_000,
    );
  }

  /** One silent read of Claude Code's item; a full re-read only when it changed. */
  private async probeKeychain(): Promise<void> {
    if (!this.running) return;
    try {
      const paths = resolvePaths(this.opts.deps.env);
      const read = await this.keychain.readGenericPassword(
        claudeKeychainService(paths),
        claudeKeychainAccount(this.opts.deps.env, osUser()),
        { interactive: false },
      );
      const known = this.snapshot?.sources.find((s) => s.id === 'claude-code')?.fingerprint ?? null;
      if (read.kind === 'unavailable') {
        // It would have to ask: stop until a user's click (resync with interactive) allows it.
        this.keychainPaused = true;
        this.error(
          `The Keychain item of Claude Code could not be read silently (${read.reason}); re-reading is paused until you choose Resync.`,
        );
        await this.requestScan('keychain');
        return;
      }
      if (read.kind === 'not-found' || claudeItemFingerprint(read.secret) !== known) {
        await this.requestScan('keychain');
        return;
      }
    } catch (err) {
      this.error(`Reading the Keychain failed: ${describeError(err)}`);
    }
    if (this.snapshot) this.planKeychainProbe(this.snapshot);
  }

  // ---- OpenClaw route health -----------------------------------------------------------

  private planRouteHealth(snapshot: Snapshot, trigger: ScanTrigger): void {
    if (this.routeFlight === null || snapshot.gateway.kind !== 'openclaw') {
      this.clear('routeTimer');
      return;
    }
    if (trigger !== 'gateway-check') this.routeFlight.request();
    if (this.routeTimer !== null) return;
    this.routeTimer = this.timers.setTimeout(
      () => {
        this.routeTimer = null;
        this.routeFlight?.request();
        if (this.snapshot) this.planRouteHealth(this.snapshot, 'gateway-check');
      },
      this.opts.routeHealthEveryMs ?? 15 * 60_000,
    );
  }

  private onRouteHealth(result: RouteHealth): void {
    if (!this.running) return;
    const before = JSON.stringify({ ...this.routeHealth, at: 0 });
    this.routeHealth = result;
    const snapshot = this.snapshot;
    if (snapshot === null || this.settings === null) return;
    snapshot.monitor = this.view(this.clock.now());
    if (result.error !== null) this.error(result.error);
    // Only news is emitted; the age alone is not.
    if (before !== JSON.stringify({ ...result, at: 0 })) {
      this.emit({
        type: 'snapshot',
        at: this.clock.now(),
        trigger: 'gateway-check',
        paths: [],
        snapshot,
        settings: this.settings,
        wrote: [],
      });
    }
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------
// What to watch

export interface WatchPlan {
  /** Existing directories to hand to the watcher. */
  roots: string[];
  /** The paths themselves (files or dirs). */
  targets: Set<string>;
  relevant: (path: string) => boolean;
}

function nearestExisting(dir: string): string {
  let d = dir;
  for (;;) {
    try {
      if (statSync(d).isDirectory()) return d;
    } catch {
      // absent: go up
    }
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
}

/**
 * From the paths a snapshot was built from: which directories to watch, and which event
 * paths matter — the paths, every directory on the way to them, and under an agents dir
 * `<id>`, `<id>/agent` and the store files found there (so a new agent is picked up).
 */
export function watchPlan(watch: readonly string[]): WatchPlan {
  const targets = new Set(watch);
  const agentsDirs = watch.filter((p) => basename(p) === 'agents');
  const storeNames = new Set<string>(['auth-profiles.json']);
  for (const p of watch) {
    const agentDir = dirname(p);
    if (basename(agentDir) === 'agent' && agentsDirs.includes(dirname(dirname(agentDir)))) storeNames.add(basename(p));
  }
  const ancestors = new Set<string>();
  for (const p of watch) {
    for (let d = dirname(p); ; d = dirname(d)) {
      ancestors.add(d);
      if (dirname(d) === d) break;
    }
  }
  const roots = new Set<string>();
  for (const p of watch) roots.add(nearestExisting(agentsDirs.includes(p) ? p : dirname(p)));
  const relevant = (path: string): boolean => {
    if (targets.has(path) || ancestors.has(path)) return true;
    for (const a of agentsDirs) {
      if (!path.startsWith(a + sep)) continue;
      const parts = relative(a, path).split(sep);
      if (parts.some((x) => x.startsWith('.'))) return false;
      if (parts.length === 1) return true;
      if (parts[1] !== 'agent') return false;
      return parts.length === 2 || (parts.length === 3 && storeNames.has(parts[2] as string));
    }
    return false;
  };
  return { roots: [...roots].sort(), targets, relevant };
}

/** The default watcher: chokidar on native fs.watch, never polling. Loaded on first use. */
export const chokidarWatch: WatchFactory = async (req) => {
  const { watch } = await import('chokidar');
  const w = watch(req.roots, {
    persistent: true,
    ignoreInitial: true,
    usePolling: false,
    followSymlinks: false,
    // Our own debounce gathers bursts; chokidar's unlink→add folding would only delay.
    atomic: false,
    ignored: (path: string) => !req.relevant(path),
  });
  w.on('all', (event, path) => req.onEvent(event, path));
  w.on('error', (err) => req.onError(err));
  await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return { close: () => w.close() };
};
