/**
 * When the monitor asks the running gateway for its live view (OpenClaw): the pure poll plan
 * (gateways/openclaw/live/poll-plan.ts) decides the instant — at start, after a store change,
 * around each credential's expiry and each usage window's reset, every minute only while the
 * menu or window is open, with backoff while the gateway is down — and this arms one timer
 * for it. One question at a time; the answer goes back to the monitor.
 */
import type { LiveView, Snapshot } from '../../../common/snapshot.js';
import { awaitingUsage } from '../../../common/live-usage.js';
import { gatewayLive } from '../gateways/registry.js';
import { livePollDeadlines, nextLivePoll } from './live-poll-plan.js';
import type { Settings } from '../settings.js';
import { MAX_TIMER_MS, type SchedulerClock, type TimerHandle, type TimerPort } from './scheduler.js';
import type { MonitorOptions } from './types.js';

export type LiveAsk = (snapshot: Snapshot, settings: Settings) => Promise<LiveView>;

export interface LiveScheduleOptions {
  clock: SchedulerClock;
  timers: TimerPort;
  ask: LiveAsk;
  /** The snapshot and settings the question is asked against (the latest scan's). */
  current: () => { snapshot: Snapshot; settings: Settings } | null;
  onResult: (view: LiveView) => void;
}

export class LiveSchedule {
  private timer: TimerHandle | null = null;
  private busy = false;
  private stopped = false;
  private uiOpen = false;
  private lastPollAt: number | null = null;
  private last: LiveView | null = null;
  private failures = 0;
  private storesChangedAt: number | null = null;
  /** Questions asked so far (tests, the benchmark). */
  polls = 0;
  /** The instant of the next planned question, and why (null: none planned). */
  next: { at: number; reason: string } | null = null;

  constructor(private readonly opts: LiveScheduleOptions) {}

  /** After a scan: a store change (or the first scan) is a reason to ask; then re-plan. */
  afterScan(storesChanged: boolean): void {
    if (storesChanged) this.storesChangedAt = this.opts.clock.now();
    this.plan();
  }

  /** The menu or the window opened or closed: every minute while open, otherwise only when due. */
  setUiOpen(open: boolean): void {
    if (this.uiOpen === open) return;
    this.uiOpen = open;
    this.plan();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private plan(): void {
    if (this.stopped || this.busy) return;
    this.clear();
    const cur = this.opts.current();
    if (cur === null) return;
    if (!cur.settings.liveGateway) {
      this.next = null;
      return;
    }
    const now = this.opts.clock.now();
    this.next = nextLivePoll({
      now,
      lastPollAt: this.lastPollAt,
      lastState: this.last?.state ?? null,
      loading: this.last?.reasonCode === 'loading',
      awaitingUsage: this.last !== null && awaitingUsage(this.last),
      consecutiveFailures: this.failures,
      uiOpen: this.uiOpen,
      storesChangedAt: this.storesChangedAt,
      deadlines: livePollDeadlines(cur.snapshot),
    });
    if (this.next === null) return;
    const due = this.next.at;
    // A timer longer than ~24.8 days fires at once in Node: wait in slices, and ask only when due.
    this.timer = this.opts.timers.setTimeout(
      () => {
        this.timer = null;
        if (this.opts.clock.now() < due) this.plan();
        else void this.poll();
      },
      Math.min(Math.max(0, due - now), MAX_TIMER_MS),
    );
  }

  private async poll(): Promise<void> {
    const cur = this.opts.current();
    if (this.stopped || this.busy || cur === null) return;
    this.busy = true;
    this.polls++;
    const startedAt = this.opts.clock.now();
    let view: LiveView;
    try {
      view = await this.opts.ask(cur.snapshot, cur.settings);
    } catch (err) {
      view = {
        state: 'unavailable',
        reasonCode: 'protocol',
        message: `Asking the gateway failed: ${err instanceof Error ? err.message : String(err)}.`,
        fix: null,
        checkedAt: this.opts.clock.now(),
        gateway: null,
        providers: [],
        disagreements: [],
      };
    }
    this.busy = false;
    this.lastPollAt = startedAt;
    // A change seen before this question started is answered by it.
    if (this.storesChangedAt !== null && this.storesChangedAt <= startedAt) this.storesChangedAt = null;
    this.failures = view.state === 'connected' ? 0 : this.failures + 1;
    this.last = view;
    if (!this.stopped) this.opts.onResult(view);
    this.plan();
  }
}

/** The monitor's schedule: the detected gateway's own probe unless the options replace it (null: none). */
export function makeLiveSchedule(
  opts: MonitorOptions,
  platform: NodeJS.Platform,
  rest: Omit<LiveScheduleOptions, 'ask'>,
): LiveSchedule | null {
  if (opts.live === null) return null;
  const probe = gatewayLive();
  const ask: LiveAsk =
    opts.live ??
    ((snapshot, settings) =>
      probe({
        env: opts.deps.env,
        platform,
        settings,
        snapshot,
        now: () => rest.clock.now(),
        clientVersion: opts.clientVersion ?? 'unknown',
        owner: opts.owner ?? 'cli',
      }));
  return new LiveSchedule({ ...rest, ask });
}
