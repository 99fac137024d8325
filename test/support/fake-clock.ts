/**
 * A fake clock and timer port for the scheduler, the notification policy and the monitor:
 * `advance` moves wall and monotonic time together and fires due timers in order (like a
 * machine that is awake); `jumpWall` moves only the wall clock (NTP, a user setting the
 * time); `sleep` moves the wall clock and fires nothing until the next advance (a suspended
 * machine: monotonic time stands still, as CLOCK_MONOTONIC does on Linux and macOS).
 */
import type { SchedulerClock, TimerPort } from '../../main/engine/monitor/scheduler.js';

interface FakeTimer {
  id: number;
  dueMono: number;
  fn: () => void;
}

export class FakeClock implements SchedulerClock, TimerPort {
  private wall: number;
  private mono = 1_000;
  private nextId = 1;
  private timers = new Map<number, FakeTimer>();
  /** Every delay ever armed, for assertions. */
  readonly armed: number[] = [];

  constructor(startWall: number) {
    this.wall = startWall;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.armed.push(ms);
    this.timers.set(id, { id, dueMono: this.mono + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingCount(): number {
    return this.timers.size;
  }

  /** Monotonic time until the next timer, or null. */
  nextTimerIn(): number | null {
    let min: number | null = null;
    for (const t of this.timers.values())
      min = min === null ? t.dueMono - this.mono : Math.min(min, t.dueMono - this.mono);
    return min;
  }

  /** Moves both clocks forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.mono + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.timers.values())
        if (t.dueMono <= target && (next === undefined || t.dueMono < next.dueMono)) next = t;
      if (next === undefined) break;
      this.wall += next.dueMono - this.mono;
      this.mono = next.dueMono;
      this.timers.delete(next.id);
      next.fn();
    }
    this.wall += target - this.mono;
    this.mono = target;
  }

  /** Moves the wall clock only (a clock change). */
  jumpWall(ms: number): void {
    this.wall += ms;
  }

  /** A suspended machine: the wall clock moves on, monotonic time and timers stand still. */
  sleep(ms: number): void {
    this.wall += ms;
  }
}
