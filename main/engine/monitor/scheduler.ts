/**
 * The deadline scheduler: from a snapshot, the next instant at which any status or attention
 * changes by the passage of time alone (a warn window entered, an expiry, a cooldown's end,
 * a setup token's reminder and one-year marks), and one timer armed for it.
 *
 * Pure part: `deadlinesOf` / `nextDeadline`. Timer part: `DeadlineTimer`, which takes its
 * clock and timers through ports so tests drive it with a fake clock. Every boundary is
 * "now >= t" (health.ts: expiring when remaining <= warn, expired when remaining <= 0,
 * cooldown while until > now), so firing at t itself is enough.
 */
import { DEFAULT_WARN_MS } from '../health.js';
import type { Clock } from '../ports.js';
import type { Snapshot } from '../../../common/snapshot.js';

export interface Deadline {
  /** Epoch ms. */
  at: number;
  /** What changes then, e.g. "agent main: anthropic:default expires". Never a secret. */
  reason: string;
}

export interface DeadlineOptions {
  /** How long before a setup token's one-year mark AuthBar starts to remind (settings.tokenReminderDays). */
  tokenReminderMs: number;
}

const DAY = 86_400_000;

/** Every future instant at which something in this snapshot changes by time alone, soonest first. */
export function deadlinesOf(snapshot: Snapshot, opts: DeadlineOptions): Deadline[] {
  const now = snapshot.generatedAt;
  const out: Deadline[] = [];
  const add = (at: number | null | undefined, reason: string) => {
    if (typeof at === 'number' && Number.isFinite(at) && at > now) out.push({ at, reason });
  };
  // The user's window moves attention; Clawdbot's fixed 24 h window moves `status`.
  const windows = [...new Set([snapshot.warnMs, DEFAULT_WARN_MS])];
  for (const agent of snapshot.agents) {
    for (const p of agent.profiles) {
      const who = `agent ${agent.agentId}: ${p.profileId}`;
      if (p.expiresAt !== null) {
        for (const w of windows) add(p.expiresAt - w, `${who} enters its ${Math.round(w / 3_600_000)} h warn window`);
        add(p.expiresAt, `${who} expires`);
      }
      add(p.cooldownUntil, `${who} leaves cooldown`);
      add(p.disabledUntil, `${who} is no longer disabled`);
      if (p.token && p.token.expiresAt !== null) {
        add(p.token.expiresAt - opts.tokenReminderMs, `${who}: setup token reminder`);
        for (const w of windows) add(p.token.expiresAt - w, `${who}: setup token enters its warn window`);
        add(p.token.expiresAt, `${who}: setup token reaches its one-year mark`);
      }
    }
  }
  for (const s of snapshot.sources) {
    // A sink's copy is re-synced when the stored one has expired: the source's expiry matters too.
    add(s.expiresAt, `${s.id} login expires`);
  }
  for (const v of snapshot.vault?.entries ?? []) {
    if (v.expiresAt !== null) {
      add(v.expiresAt - opts.tokenReminderMs, `vault ${v.profileId}: reminder`);
      add(v.expiresAt, `vault ${v.profileId} expires`);
    }
  }
  // One entry per instant (a token's recorded expiry is also its profile's expiry).
  const seen = new Set<number>();
  return out.sort((a, b) => a.at - b.at).filter((d) => !seen.has(d.at) && seen.add(d.at) !== undefined);
}

export function nextDeadline(snapshot: Snapshot, opts: DeadlineOptions): Deadline | null {
  return deadlinesOf(snapshot, opts)[0] ?? null;
}

export function tokenReminderMs(days: number): number {
  return days * DAY;
}

// ---------------------------------------------------------------------------------------
// Ports and the timer

/** Wall clock plus a monotonic one (which does not jump, and on Linux and macOS stops during sleep). */
export interface SchedulerClock extends Clock {
  monotonic(): number;
}

export const systemSchedulerClock: SchedulerClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

export type TimerHandle = unknown;

export interface TimerPort {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real timers, unref'd: a pending deadline alone never keeps a process alive. */
export const systemTimers: TimerPort = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** setTimeout's largest delay (a 32-bit signed int); longer ones fire at once in Node. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DeadlineTimerOptions {
  clock: SchedulerClock;
  timers: TimerPort;
  /** Called when the armed deadline has come. */
  onDue: (deadline: Deadline) => void;
  /** Called when the wall clock jumped or the machine slept: recompute everything. */
  onJump: (info: { driftMs: number; lateMs: number }) => void;
  /**
   * The longest single sleep. Long waits are cut into slices so that a wall-clock jump is
   * noticed within one slice; a slice wake-up compares two clocks and reads nothing.
   */
  sliceMs?: number;
  /** Drift between wall and monotonic time, or timer lateness, above which we call it a jump or a sleep. */
  toleranceMs?: number;
}

/**
 * Holds at most one timer, for one deadline. `arm(null)` means nothing is pending: no timer.
 */
export class DeadlineTimer {
  private handle: TimerHandle | null = null;
  private deadline: Deadline | null = null;
  private readonly sliceMs: number;
  private readonly toleranceMs: number;

  constructor(private readonly opts: DeadlineTimerOptions) {
    this.sliceMs = Math.min(opts.sliceMs ?? 10 * 60_000, MAX_TIMER_MS);
    this.toleranceMs = opts.toleranceMs ?? 3_000;
  }

  /** The deadline armed, or null. */
  get armed(): Deadline | null {
    return this.deadline;
  }

  /** True while a timer is pending. */
  get pending(): boolean {
    return this.handle !== null;
  }

  arm(deadline: Deadline | null): void {
    this.disarm();
    this.deadline = deadline;
    if (deadline !== null) this.schedule();
  }

  disarm(): void {
    if (this.handle !== null) this.opts.timers.clearTimeout(this.handle);
    this.handle = null;
    this.deadline = null;
  }

  private schedule(): void {
    const deadline = this.deadline;
    if (deadline === null) return;
    const { clock, timers } = this.opts;
    const wall0 = clock.now();
    const mono0 = clock.monotonic();
    const delay = Math.max(0, Math.min(deadline.at - wall0, this.sliceMs));
    this.handle = timers.setTimeout(() => {
      this.handle = null;
      const wall = clock.now();
      const mono = clock.monotonic();
      const driftMs = wall - wall0 - (mono - mono0);
      const lateMs = mono - mono0 - delay;
      if (Math.abs(driftMs) > this.toleranceMs || lateMs > this.toleranceMs) {
        this.deadline = null;
        this.opts.onJump({ driftMs, lateMs });
        return;
      }
      if (wall >= deadline.at) {
        this.deadline = null;
        this.opts.onDue(deadline);
        return;
      }
      // A slice ended (or the timer fired a millisecond early): sleep on.
      this.schedule();
    }, delay);
  }
}
