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
 * - macOS Keychain: a silent probe every few minutes (keychain-probe.ts); never a prompt.
 * - What the running gateway itself says (gateway-feeds.ts): its route-health check after
 *   changes and every so often, and its live view (status, usage windows) on the live poll
 *   plan — at start, after changes, around expiries and resets, every minute while the menu
 *   or window is open.
 *
 * Nothing here throws at its caller once started: failures become `error` events.
 */
import { KeychainProbe } from './keychain-probe.js';
import { FsWatch } from './fs-watch.js';
import { collect, defaultKeychain, type Collected } from '../engine.js';
import { describeError } from '../errors.js';
import type { Keychain } from '../ports.js';
import {
  DeadlineTimer,
  nextDeadline,
  systemSchedulerClock,
  systemTimers,
  tokenReminderMs,
  type Deadline,
  type SchedulerClock,
  type TimerPort,
} from './scheduler.js';
import type { Settings } from '../settings.js';
import { GatewayFeeds } from './gateway-feeds.js';
import type { MonitorView, Snapshot } from '../../../common/snapshot.js';
import { ScanQueue } from './scan-queue.js';
import { fallbackWatchList } from './watch.js';
import { signature, type MonitorEvent, type MonitorListener, type MonitorOptions, type ScanJob } from './types.js';
export type { MonitorEvent, MonitorListener, MonitorOptions, ScanTrigger } from './types.js';

export type { WatchFactory, WatchHandle, WatchPlan, WatchRequest } from './watch.js';
export { chokidarWatch, watchPlan } from './watch.js';

export class Monitor {
  private readonly clock: SchedulerClock;
  private readonly timers: TimerPort;
  private readonly listeners = new Set<MonitorListener>();
  private readonly deadline: DeadlineTimer;
  private readonly platform: NodeJS.Platform;

  private running = false;
  private stopping = false;
  private startedAt: number | null = null;
  private lastScanAt: number | null = null;
  private snapshot: Snapshot | null = null;
  private settings: Settings | null = null;
  private readonly secretsSeen = new Set<string>();
  /** Every secret value any scan read (kept after it rotates out): outputs mask each copy of them. */
  get secrets(): ReadonlySet<string> {
    return this.secretsSeen;
  }
  private lastSignature: string | null = null;
  private nextDue: Deadline | null = null;

  private readonly queue: ScanQueue;

  private readonly keychain: Keychain;
  private readonly files: FsWatch;
  private readonly keychainProbe: KeychainProbe;
  private readonly feeds: GatewayFeeds;

  constructor(private readonly opts: MonitorOptions) {
    this.clock = opts.clock ?? systemSchedulerClock;
    this.timers = opts.timers ?? systemTimers;
    this.platform = opts.deps.platform ?? process.platform;
    this.queue = new ScanQueue({
      scan: (job) => this.scan(job),
      isRunning: () => this.running,
      current: () => this.snapshot,
      onError: (message) => this.error(message),
    });
    this.deadline = new DeadlineTimer({
      clock: this.clock,
      timers: this.timers,
      onDue: () => void this.queue.request('deadline'),
      onJump: () => void this.queue.request('clock-jump'),
    });
    this.files = new FsWatch({
      clock: this.clock,
      timers: this.timers,
      ...(opts.watch ? { factory: opts.watch } : {}),
      debounceMs: opts.debounceMs ?? 100,
      maxWaitMs: opts.maxWaitMs ?? 1_000,
      isRunning: () => this.running,
      onBurst: (paths) => void this.queue.request('files', paths),
      onError: (message) => this.error(message),
    });
    this.keychain = opts.deps.keychain ?? defaultKeychain(opts.deps.env, this.platform);
    this.keychainProbe = new KeychainProbe({
      timers: this.timers,
      intervalMs: opts.keychainIntervalMs ?? 5 * 60_000,
      keychain: this.keychain,
      platform: this.platform,
      env: opts.deps.env,
      isRunning: () => this.running,
      known: () => this.snapshot?.sources.find((x) => x.id === 'claude-code')?.fingerprint ?? null,
      current: () => this.snapshot,
      rescan: () => this.queue.request('keychain').then(() => undefined),
      onError: (message) => this.error(message),
    });
    this.feeds = new GatewayFeeds(opts, {
      clock: this.clock,
      timers: this.timers,
      platform: this.platform,
      isRunning: () => this.running,
      current: () =>
        this.snapshot === null || this.settings === null ? null : { snapshot: this.snapshot, settings: this.settings },
      emit: (trigger) => {
        if (this.snapshot === null || this.settings === null) return;
        const snapshot = this.snapshot;
        this.emit({
          type: 'snapshot',
          at: this.clock.now(),
          trigger,
          paths: [],
          snapshot,
          settings: this.settings,
          wrote: [],
        });
      },
      error: (message) => this.error(message),
      refreshView: () => {
        if (this.snapshot !== null) this.snapshot.monitor = this.view(this.clock.now());
      },
    });
  }

  /** The menu or the details window is open (true) or closed: live status is asked every minute only while open. */
  setUiOpen(open: boolean): void {
    this.feeds.setUiOpen(open);
  }

  /** The live schedule's plan and count (tests, the benchmark). */
  get liveStats(): { polls: number; next: { at: number; reason: string } | null } {
    return this.feeds.liveStats;
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
    return this.files.watching;
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
    const first = await this.queue.request('start');
    if (this.running) this.emit({ type: 'started', at: this.clock.now(), watching: [...this.files.watching] });
    return first;
  }

  /**
   * Re-reads everything now (a user's click). `interactive: true` allows a Keychain prompt,
   * and re-enables the silent Keychain re-reads after one failed.
   */
  resync(opts: { interactive?: boolean } = {}): Promise<Snapshot | null> {
    if (opts.interactive) this.keychainProbe.resume();
    return this.queue.request('resync', [], opts.interactive ?? false);
  }

  /** Closes every watcher and timer; waits for a scan in flight. Emits `stopped`. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.running = false;
    this.deadline.disarm();
    this.files.cancelBurst();
    this.keychainProbe.stop();
    this.feeds.stop();
    await this.queue.stop();
    await this.files.stop();
    this.emit({ type: 'stopped', at: this.clock.now() });
  }

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
      if (!this.files.armed && this.running)
        await this.files.rearm(fallbackWatchList(this.opts.deps.env, this.settings?.gatewayCli ?? null), null);
      return this.snapshot;
    }
    if (!this.running && !this.stopping) return this.snapshot;
    const { snapshot, settings } = collected;
    for (const v of collected.secrets ?? []) this.secretsSeen.add(v);
    this.settings = settings;
    snapshot.monitor = this.view(snapshot.generatedAt);
    // The latest live view rides along on every snapshot until the next answer replaces it.
    if (this.feeds.live !== null) snapshot.live = this.feeds.live;
    this.snapshot = snapshot;
    this.lastScanAt = this.clock.now();
    if (this.running) {
      try {
        await this.files.rearm(collected.watch, collected.watchLayout ?? null);
      } catch (err) {
        this.error(
          `Could not watch the credential files (${describeError(err)}); changes will be picked up at the next deadline or resync.`,
        );
      }
      this.nextDue = nextDeadline(snapshot, { tokenReminderMs: tokenReminderMs(settings.tokenReminderDays) });
      this.deadline.arm(this.nextDue);
      this.keychainProbe.plan(snapshot);
    }
    snapshot.monitor = this.view(snapshot.generatedAt);
    const sig = signature(snapshot);
    const wrote = snapshot.agents.filter((a) => a.sync.wrote).map((a) => a.agentId);
    const changed = sig !== this.lastSignature || wrote.length > 0;
    this.lastSignature = sig;
    if (this.running) this.feeds.afterScan(snapshot, job.trigger, changed);
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
      watching: [...this.files.watching],
      lastEventAt: this.files.lastEventAt,
      nextDeadlineAt: this.nextDue?.at ?? null,
      nextDeadlineReason: this.nextDue?.reason ?? null,
      gatewayCheck: this.feeds.gatewayCheck(at),
    };
  }
}
