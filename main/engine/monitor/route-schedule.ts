/**
 * When the gateway has its own route-health check (the snapshot's gateway `probesRoutes`,
 * OpenClaw): run it after changes and every so often, never concurrently and at most every
 * few minutes (a SingleFlight); its latest result goes back to the monitor.
 */
import { describeError } from '../errors.js';
import type { Env } from '../ports.js';
import type { Settings } from '../settings.js';
import type { RouteHealth, RouteHealthProbe } from '../gateways/types.js';
import type { SchedulerClock, TimerHandle, TimerPort } from './scheduler.js';
import { SingleFlight } from './single-flight.js';
import type { Snapshot } from '../../../common/snapshot.js';

export interface RouteScheduleOptions {
  clock: SchedulerClock;
  timers: TimerPort;
  probe: RouteHealthProbe;
  env: Env;
  minIntervalMs: number;
  everyMs: number;
  /** The snapshot and settings the probe runs against (the latest scan's). */
  current: () => { snapshot: Snapshot; settings: Settings } | null;
  onResult: (result: RouteHealth) => void;
}

export class RouteSchedule {
  private readonly flight: SingleFlight<RouteHealth>;
  private timer: TimerHandle | null = null;

  constructor(private readonly opts: RouteScheduleOptions) {
    this.flight = new SingleFlight<RouteHealth>({
      clock: opts.clock,
      timers: opts.timers,
      minIntervalMs: opts.minIntervalMs,
      run: () => {
        const now = opts.current();
        if (now === null) return Promise.reject(new Error('no snapshot yet'));
        return opts.probe({ env: opts.env, ...now, now: () => opts.clock.now() });
      },
      onResult: (r) =>
        opts.onResult(
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

  /** After a scan: a check now (unless this is the periodic one), and the next periodic one armed. */
  plan(snapshot: Snapshot, periodic: boolean): void {
    if (snapshot.gateway.probesRoutes !== true) {
      this.clearTimer();
      return;
    }
    if (!periodic) this.flight.request();
    if (this.timer !== null) return;
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = null;
      this.flight.request();
      const now = this.opts.current();
      if (now) this.plan(now.snapshot, true);
    }, this.opts.everyMs);
  }

  stop(): void {
    this.clearTimer();
    this.flight.stop();
  }

  private clearTimer(): void {
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
