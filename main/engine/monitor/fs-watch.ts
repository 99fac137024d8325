/**
 * The file side of the monitor: one watcher over the plan of what a snapshot was built from
 * (re-armed make-before-break when the plan changes), and a debounce that turns a burst of
 * events into one re-read (~100 ms of quiet, at most ~1 s after the first event).
 */
import { describeError } from '../errors.js';
import type { SchedulerClock, TimerHandle, TimerPort } from './scheduler.js';
import { chokidarWatch, watchPlan, type WatchFactory, type WatchHandle, type WatchLayout } from './watch.js';

export interface FsWatchOptions {
  clock: SchedulerClock;
  timers: TimerPort;
  factory?: WatchFactory;
  debounceMs: number;
  maxWaitMs: number;
  isRunning: () => boolean;
  /** A burst went quiet: these paths changed. */
  onBurst: (paths: Set<string>) => void;
  onError: (message: string) => void;
}

export class FsWatch {
  private key = '';
  private list: string[] = [];
  private watcher: WatchHandle | null = null;
  private debounce: TimerHandle | null = null;
  private burstStart = 0;
  private burstPaths = new Set<string>();
  /** When a watched file last changed (epoch ms). */
  lastEventAt: number | null = null;

  constructor(private readonly opts: FsWatchOptions) {}

  /** Every path the current snapshot was built from (what is watched). */
  get watching(): readonly string[] {
    return this.list;
  }

  get armed(): boolean {
    return this.watcher !== null;
  }

  async rearm(watch: readonly string[], layout: WatchLayout | null): Promise<void> {
    const plan = watchPlan(watch, layout);
    const key = JSON.stringify([plan.roots, [...plan.targets].sort()]);
    this.list = [...watch];
    if (key === this.key && this.watcher !== null) return;
    const factory = this.opts.factory ?? chokidarWatch;
    // Make before break: the old watcher keeps reporting until the new one is ready.
    const next = await factory({
      roots: plan.roots,
      relevant: plan.relevant,
      onEvent: (_event, path) => this.onEvent(path),
      onError: (err) => this.opts.onError(`The file watcher reported: ${describeError(err)}`),
    });
    if (!this.opts.isRunning()) {
      await this.close(next);
      return;
    }
    const old = this.watcher;
    this.watcher = next;
    this.key = key;
    await this.close(old);
  }

  /** Drops a pending burst (stopping). */
  cancelBurst(): void {
    if (this.debounce !== null) this.opts.timers.clearTimeout(this.debounce);
    this.debounce = null;
  }

  async stop(): Promise<void> {
    this.cancelBurst();
    await this.close(this.watcher);
    this.watcher = null;
    this.key = '';
  }

  private onEvent(path: string): void {
    if (!this.opts.isRunning()) return;
    const now = this.opts.clock.now();
    this.lastEventAt = now;
    this.burstPaths.add(path);
    if (this.debounce === null) this.burstStart = now;
    else this.opts.timers.clearTimeout(this.debounce);
    const wait = Math.max(0, Math.min(this.opts.debounceMs, this.burstStart + this.opts.maxWaitMs - now));
    this.debounce = this.opts.timers.setTimeout(() => {
      this.debounce = null;
      const paths = this.burstPaths;
      this.burstPaths = new Set();
      this.opts.onBurst(paths);
    }, wait);
  }

  private async close(w: WatchHandle | null): Promise<void> {
    if (w === null) return;
    try {
      await w.close();
    } catch (err) {
      this.opts.onError(`Could not close a file watcher: ${describeError(err)}`);
    }
  }
}
