/**
 * Single flight with a minimum interval: a job that must never run twice at once and at most
 * once per `minIntervalMs` (e.g. `openclaw models status --json`, 2–3 s of CPU). Requests
 * while it runs, or too soon after the last start, collapse into one later run.
 */
import type { Clock } from '../ports.js';
import type { TimerHandle, TimerPort } from './scheduler.js';

export interface SingleFlightOptions<T> {
  clock: Clock;
  timers: TimerPort;
  minIntervalMs: number;
  run: () => Promise<T>;
  onResult: (
    result:
      | { ok: true; value: T; startedAt: number; finishedAt: number }
      | { ok: false; error: unknown; startedAt: number; finishedAt: number },
  ) => void;
}

export class SingleFlight<T> {
  private running = false;
  private wanted = false;
  private lastStart: number | null = null;
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** How many times the job has started (for tests and the monitor view). */
  runs = 0;

  constructor(private readonly opts: SingleFlightOptions<T>) {}

  get busy(): boolean {
    return this.running;
  }

  /** Asks for a run: now if allowed, else once as soon as it is. */
  request(): void {
    if (this.stopped) return;
    this.wanted = true;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.wanted = false;
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (!this.wanted || this.running || this.timer !== null || this.stopped) return;
    const now = this.opts.clock.now();
    const earliest = this.lastStart === null ? now : this.lastStart + this.opts.minIntervalMs;
    if (now < earliest) {
      this.timer = this.opts.timers.setTimeout(() => {
        this.timer = null;
        this.pump();
      }, earliest - now);
      return;
    }
    this.wanted = false;
    this.running = true;
    this.lastStart = now;
    this.runs++;
    const startedAt = now;
    let promise: Promise<T>;
    try {
      promise = this.opts.run();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => this.finish({ ok: true, value, startedAt, finishedAt: this.opts.clock.now() }),
      (error: unknown) => this.finish({ ok: false, error, startedAt, finishedAt: this.opts.clock.now() }),
    );
  }

  private finish(result: Parameters<SingleFlightOptions<T>['onResult']>[0]): void {
    this.running = false;
    if (!this.stopped) {
      try {
        this.opts.onResult(result);
      } catch {
        // A listener's failure is its own; the flight goes on.
      }
    }
    this.pump();
  }
}
