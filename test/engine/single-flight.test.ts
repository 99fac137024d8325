import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SingleFlight } from '../../main/engine/monitor/single-flight.js';
import { FakeClock } from '../support/fake-clock.js';

test('single flight: never two at once, at most one per interval, requests collapse into one later run', async () => {
  const clock = new FakeClock(0);
  let active = 0;
  let maxActive = 0;
  const starts: number[] = [];
  const finishers: Array<() => void> = [];
  const results: number[] = [];
  const flight = new SingleFlight<number>({
    clock,
    timers: clock,
    minIntervalMs: 60_000,
    run: () => {
      active++;
      maxActive = Math.max(maxActive, active);
      starts.push(clock.now());
      return new Promise<number>((resolve) =>
        finishers.push(() => {
          active--;
          resolve(starts.length);
        }),
      );
    },
    onResult: (r) => {
      if (r.ok) results.push(r.value);
    },
  });
  const settle = () => new Promise((r) => setImmediate(r));
  flight.request();
  flight.request(); // while running: one more later
  flight.request();
  assert.equal(starts.length, 1);
  clock.advance(5_000);
  finishers.shift()?.();
  await settle();
  assert.equal(starts.length, 1, 'the follow-up waits for the interval');
  assert.equal(clock.pendingCount, 1);
  clock.advance(55_000);
  assert.deepEqual(starts, [0, 60_000]);
  finishers.shift()?.();
  await settle();
  assert.equal(clock.pendingCount, 0, 'nothing more was asked for');
  clock.advance(120_000);
  flight.request(); // long after: at once
  assert.deepEqual(starts, [0, 60_000, 180_000]);
  finishers.shift()?.();
  await settle();
  assert.equal(maxActive, 1);
  assert.deepEqual(results, [1, 2, 3]);
});

test('single flight: a failing job reports and the next request still runs; stop cancels', async () => {
  const clock = new FakeClock(0);
  let calls = 0;
  const outcomes: boolean[] = [];
  const flight = new SingleFlight<void>({
    clock,
    timers: clock,
    minIntervalMs: 1_000,
    run: async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    },
    onResult: (r) => outcomes.push(r.ok),
  });
  flight.request();
  await new Promise((r) => setImmediate(r));
  flight.request();
  clock.advance(1_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(outcomes, [false, true]);
  flight.request();
  flight.stop();
  clock.advance(5_000);
  assert.equal(calls, 2);
});
