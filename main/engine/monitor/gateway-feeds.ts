/**
 * What the monitor learns from the running gateway rather than from files, when the gateway
 * offers it: its route-health check (route-schedule.ts, OpenClaw's `models status --json`)
 * and its live view (live-schedule.ts, `models.authStatus`). Each keeps its latest result;
 * news (never the same result again, nor its age alone) goes out as a snapshot event.
 */
import type { GatewayCheckView, LiveView, Snapshot } from '../../../common/snapshot.js';
import { gatewayRouteHealth } from '../gateways/registry.js';
import type { RouteHealth } from '../gateways/types.js';
import type { Settings } from '../settings.js';
import { makeLiveSchedule, type LiveSchedule } from './live-schedule.js';
import { RouteSchedule } from './route-schedule.js';
import type { SchedulerClock, TimerPort } from './scheduler.js';
import type { MonitorOptions, ScanTrigger } from './types.js';

export interface GatewayFeedsHooks {
  clock: SchedulerClock;
  timers: TimerPort;
  platform: NodeJS.Platform;
  isRunning: () => boolean;
  current: () => { snapshot: Snapshot; settings: Settings } | null;
  /** The snapshot changed in place (its monitor view or live view): emit it with this trigger. */
  emit: (trigger: Extract<ScanTrigger, 'gateway-check' | 'live'>) => void;
  error: (message: string) => void;
  /** Refreshes snapshot.monitor (the route check's age lives there). */
  refreshView: () => void;
}

export class GatewayFeeds {
  private readonly routes: RouteSchedule | null;
  private readonly liveSchedule: LiveSchedule | null;
  private routeHealth: RouteHealth | null = null;
  private liveView: LiveView | null = null;

  constructor(
    opts: MonitorOptions,
    private readonly hooks: GatewayFeedsHooks,
  ) {
    const probe = opts.routeHealth === undefined ? gatewayRouteHealth() : opts.routeHealth;
    this.routes =
      probe === null
        ? null
        : new RouteSchedule({
            clock: hooks.clock,
            timers: hooks.timers,
            probe,
            env: opts.deps.env,
            minIntervalMs: opts.routeHealthMinIntervalMs ?? 3 * 60_000,
            everyMs: opts.routeHealthEveryMs ?? 15 * 60_000,
            current: hooks.current,
            onResult: (r) => this.onRouteHealth(r),
          });
    this.liveSchedule = makeLiveSchedule(opts, hooks.platform, {
      clock: hooks.clock,
      timers: hooks.timers,
      current: hooks.current,
      onResult: (view) => this.onLive(view),
    });
  }

  /** The latest live view, carried on every new snapshot until the next answer replaces it. */
  get live(): LiveView | null {
    return this.liveView;
  }

  /** The route check for snapshot.monitor, with its age at `at`. */
  gatewayCheck(at: number): GatewayCheckView | null {
    return this.routeHealth === null ? null : { ...this.routeHealth, ageMs: Math.max(0, at - this.routeHealth.at) };
  }

  /** The live schedule's plan and count (tests, the benchmark). */
  get liveStats(): { polls: number; next: { at: number; reason: string } | null } {
    return { polls: this.liveSchedule?.polls ?? 0, next: this.liveSchedule?.next ?? null };
  }

  /**
   * After a scan: plan both. The first read, a resync, or files whose read changed the snapshot
   * are reasons to ask the gateway again; a file event that changed nothing is not (asking the
   * gateway makes it write its own database's log: that echo must not ask again, forever).
   */
  afterScan(snapshot: Snapshot, trigger: ScanTrigger, changed: boolean): void {
    this.routes?.plan(snapshot, trigger === 'gateway-check');
    this.liveSchedule?.afterScan(trigger === 'start' || trigger === 'resync' || (trigger === 'files' && changed));
  }

  setUiOpen(open: boolean): void {
    this.liveSchedule?.setUiOpen(open);
  }

  stop(): void {
    this.routes?.stop();
    this.liveSchedule?.stop();
  }

  private onLive(view: LiveView): void {
    if (!this.hooks.isRunning()) return;
    const strip = (v: LiveView | null) => JSON.stringify(v === null ? null : { ...v, checkedAt: 0 });
    // A gateway that cannot be asked (off) is news only when it could be before.
    const changed = strip(this.liveView) !== strip(view) && !(this.liveView === null && view.state === 'off');
    this.liveView = view;
    const cur = this.hooks.current();
    if (cur === null) return;
    cur.snapshot.live = view;
    if (changed) this.hooks.emit('live');
  }

  private onRouteHealth(result: RouteHealth): void {
    if (!this.hooks.isRunning()) return;
    const before = JSON.stringify({ ...this.routeHealth, at: 0 });
    const previousError = this.routeHealth?.error ?? null;
    this.routeHealth = result;
    if (this.hooks.current() === null) return;
    this.hooks.refreshView();
    // The same failure of every periodic check is said once (it stays in snapshot.monitor);
    // the stores were read without it, so repeating it would drown the lines that matter.
    if (result.error !== null && result.error !== previousError) this.hooks.error(result.error);
    if (before !== JSON.stringify({ ...result, at: 0 })) this.hooks.emit('gateway-check');
  }
}
