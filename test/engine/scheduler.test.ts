/**
 * The deadline scheduler: the pure deadline computation over real snapshots (real files in a
 * temp HOME), the one-timer DeadlineTimer on a fake clock, and the monitor firing status
 * transitions at the warn boundary and at expiry — on a fake clock (exact) and on real
 * timers (within the 1 s budget the README states).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect } from '../../main/engine/engine.js';
import {
  DeadlineTimer,
  MAX_TIMER_MS,
  deadlinesOf,
  nextDeadline,
  type Deadline,
} from '../../main/engine/monitor/scheduler.js';
import { Monitor, type MonitorEvent, type WatchFactory } from '../../main/engine/monitor/monitor.js';
import type { Snapshot } from '../../common/snapshot.js';
import { FakeClock } from '../support/fake-clock.js';
import { makeHome, secret, HOUR, DAY } from '../support/home.js';

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const noWatch: WatchFactory = async () => ({ close: async () => {} });

function tokenStore(expires: number | undefined, extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        ...(expires !== undefined ? { expires } : {}),
      },
    },
    ...extra,
  };
}

test('deadlines: warn boundary, expiry, cooldown end; nothing pending for keys only', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const exp = T0 + 3 * DAY;
  h.write(h.agentStore(), tokenStore(exp, { usageStats: { 'anthropic:setup': { cooldownUntil: T0 + 10 * 60_000 } } }));
  const clock = new FakeClock(T0);
  const { snapshot } = await collect({ env: h.env, clock }, { sync: 'skip' });
  const ds = deadlinesOf(snapshot, { tokenReminderMs: 30 * DAY });
  const at = ds.map((d) => d.at);
  assert.deepEqual(at, [T0 + 10 * 60_000, exp - DAY, exp]);
  assert.match(ds[0]?.reason ?? '', /leaves cooldown/);
  assert.equal(nextDeadline(snapshot, { tokenReminderMs: 30 * DAY })?.at, T0 + 10 * 60_000);

  const h2 = makeHome();
  t.after(() => h2.cleanup());
  h2.write(h2.agentStore(), {
    version: 1,
    profiles: { 'openai:k': { type: 'api_key', provider: 'openai', key: secret('api') } },
  });
  const { snapshot: idle } = await collect({ env: h2.env, clock }, { sync: 'skip' });
  assert.equal(nextDeadline(idle, { tokenReminderMs: 30 * DAY }), null, 'an API key never changes by time alone');
});

test("a setup token's reminder and one-year marks are deadlines when its age is known", () => {
  const base = { generatedAt: T0, warnMs: DAY, sources: [], vault: null } as unknown as Snapshot;
  const mark = T0 + 200 * DAY;
  const snapshot = {
    ...base,
    agents: [
      {
        agentId: 'main',
        profiles: [
          {
            profileId: 'anthropic:setup',
            expiresAt: null,
            cooldownUntil: null,
            disabledUntil: null,
            token: { expiresAt: mark },
          },
        ],
      },
    ],
  } as unknown as Snapshot;
  assert.deepEqual(
    deadlinesOf(snapshot, { tokenReminderMs: 30 * DAY }).map((d) => d.at),
    [mark - 30 * DAY, mark - DAY, mark],
  );
});

test('DeadlineTimer: one timer, sliced and clamped, fires exactly at the deadline; none when nothing is pending', () => {
  const clock = new FakeClock(T0);
  const due: Deadline[] = [];
  const jumps: number[] = [];
  const timer = new DeadlineTimer({
    clock,
    timers: clock,
    onDue: (d) => due.push(d),
    onJump: (j) => jumps.push(j.driftMs),
  });
  timer.arm(null);
  assert.equal(clock.pendingCount, 0, 'no deadline, no timer');
  timer.arm({ at: T0 + 3 * DAY, reason: 'x' });
  assert.equal(clock.pendingCount, 1);
  timer.arm({ at: T0 + 2 * HOUR, reason: 'y' });
  assert.equal(clock.pendingCount, 1, 're-arming replaces the timer');
  clock.advance(2 * HOUR - 1);
  assert.equal(due.length, 0);
  clock.advance(1);
  assert.deepEqual(
    due.map((d) => d.reason),
    ['y'],
  );
  assert.equal(clock.now(), T0 + 2 * HOUR);
  assert.equal(clock.pendingCount, 0);
  assert.ok(
    clock.armed.every((ms) => ms <= 10 * 60_000),
    'long waits are cut into slices',
  );

  // Without slicing, a far deadline is clamped to setTimeout's maximum and re-armed.
  const c2 = new FakeClock(T0);
  const t2 = new DeadlineTimer({
    clock: c2,
    timers: c2,
    sliceMs: Number.MAX_SAFE_INTEGER,
    onDue: (d) => due.push(d),
    onJump: () => assert.fail('no jump'),
  });
  t2.arm({ at: T0 + 60 * DAY, reason: 'far' });
  assert.equal(c2.armed[0], MAX_TIMER_MS);
  c2.advance(60 * DAY);
  assert.equal(due.at(-1)?.reason, 'far');
  assert.equal(c2.now(), T0 + 60 * DAY);
  assert.equal(jumps.length, 0);
});

test('DeadlineTimer: a wall-clock jump or a sleep calls for a recompute', () => {
  const clock = new FakeClock(T0);
  const events: string[] = [];
  const timer = new DeadlineTimer({
    clock,
    timers: clock,
    onDue: () => events.push('due'),
    onJump: (j) => events.push(`jump ${Math.round(j.driftMs / 1000)}`),
  });
  timer.arm({ at: T0 + DAY, reason: 'x' });
  clock.jumpWall(2 * HOUR); // the user sets the clock forward
  clock.advance(10 * 60_000); // the next slice notices
  assert.deepEqual(events, ['jump 7200']);
  assert.equal(clock.pendingCount, 0, 'the owner re-arms after recomputing');

  timer.arm({ at: clock.now() + DAY, reason: 'x' });
  clock.sleep(3 * HOUR); // the lid closes for 3 h
  clock.advance(10 * 60_000);
  assert.deepEqual(events, ['jump 7200', 'jump 10800']);

  // A small drift (NTP slewing) is not a jump.
  timer.arm({ at: clock.now() + 20 * 60_000, reason: 'x' });
  clock.jumpWall(500);
  clock.advance(20 * 60_000);
  assert.deepEqual(events.at(-1), 'due');
});

async function nextSnapshot(
  monitor: Monitor,
  pred: (e: Extract<MonitorEvent, { type: 'snapshot' }>) => boolean,
  timeoutMs = 10_000,
): Promise<Extract<MonitorEvent, { type: 'snapshot' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no matching snapshot in time'));
    }, timeoutMs);
    const off = monitor.subscribe((e) => {
      if (e.type === 'snapshot' && pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

const attentionOf = (s: Snapshot) =>
  s.agents.find((a) => a.agentId === 'main')?.profiles.find((p) => p.profileId === 'anthropic:setup')?.attention;

test('monitor on a fake clock: the warn boundary and the expiry fire exactly; a clock jump recomputes', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const exp = T0 + 2 * DAY;
  h.write(h.agentStore(), tokenStore(exp));
  const clock = new FakeClock(T0);
  const monitor = new Monitor({ deps: { env: h.env }, clock, timers: clock, watch: noWatch, routeHealth: null });
  t.after(() => monitor.stop());
  const first = await monitor.start();
  assert.ok(first);
  assert.equal(attentionOf(first), 'none');
  assert.equal(first.monitor?.nextDeadlineAt, exp - DAY);

  const soon = nextSnapshot(monitor, (e) => e.trigger === 'deadline');
  clock.advance(DAY - 1);
  assert.equal(monitor.current()?.generatedAt, T0, 'nothing before the boundary');
  clock.advance(1);
  const s1 = await soon;
  assert.equal(s1.snapshot.generatedAt, exp - DAY, 'at the warn boundary exactly');
  assert.equal(attentionOf(s1.snapshot), 'soon');
  assert.equal(s1.snapshot.monitor?.nextDeadlineAt, exp);

  const now = nextSnapshot(monitor, (e) => e.trigger === 'deadline');
  clock.advance(DAY);
  const s2 = await now;
  assert.equal(s2.snapshot.generatedAt, exp);
  assert.equal(attentionOf(s2.snapshot), 'now');
  assert.equal(s2.snapshot.monitor?.nextDeadlineAt, null, 'an expired token has nothing more pending');
  assert.equal(clock.pendingCount, 0, 'no timer when nothing is pending');

  // A fresh token far ahead; the wall clock is set forward past its warn boundary.
  h.write(h.agentStore(), tokenStore(clock.now() + 30 * DAY));
  await monitor.resync();
  assert.equal(attentionOf(monitor.current() as Snapshot), 'none');
  const jumped = nextSnapshot(monitor, (e) => e.trigger === 'clock-jump');
  clock.jumpWall(29.5 * DAY);
  clock.advance(10 * 60_000);
  const s3 = await jumped;
  assert.equal(attentionOf(s3.snapshot), 'soon');
});

test('monitor on real timers: transitions land within 1 s of the warn boundary and of the expiry', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // A warn window of 1.8 s (warnHours 0.0005) and an expiry 3.5 s from now.
  h.write('.config/authbar/settings.json', { warnHours: 0.0005 });
  const start = Date.now();
  const exp = start + 3_500;
  h.write(h.agentStore(), tokenStore(exp));
  const monitor = new Monitor({ deps: { env: h.env }, watch: noWatch, routeHealth: null });
  t.after(() => monitor.stop());
  const seen: Array<{ at: number; attention: string | undefined }> = [];
  monitor.subscribe((e) => {
    if (e.type === 'snapshot') seen.push({ at: Date.now(), attention: attentionOf(e.snapshot) });
  });
  const expired = nextSnapshot(monitor, (e) => attentionOf(e.snapshot) === 'now');
  await monitor.start();
  await expired;
  const soonAt = seen.find((s) => s.attention === 'soon')?.at;
  const nowAt = seen.find((s) => s.attention === 'now')?.at;
  assert.ok(soonAt !== undefined && nowAt !== undefined, JSON.stringify(seen));
  const warnBoundary = exp - 1_800;
  assert.ok(
    soonAt >= warnBoundary && soonAt - warnBoundary < 1_000,
    `soon ${soonAt - warnBoundary} ms after the boundary`,
  );
  assert.ok(nowAt >= exp && nowAt - exp < 1_000, `now ${nowAt - exp} ms after expiry`);
});
