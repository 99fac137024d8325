/**
 * Usage and live-state notices through the notification policy: 80 %, 95 %, used up and the
 * reset, each once; the repeat window against flapping but not across a reset; snooze and pause;
 * no "reset" when the gateway merely stops answering; the gateway down or refusing AuthBar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notice } from '../../main/engine/notify/notices.js';
import {
  emptyPolicyState,
  observe,
  pauseAll,
  snooze,
  subjectKeyOf,
  summarise,
  tick,
  type PolicyContext,
  type PolicyState,
} from '../../main/engine/notify/policy.js';
import { PolicyState as PolicyStateSchema } from '../../main/engine/notify/policy.js';
import { clockTime } from '../../main/engine/notify/live-subjects.js';
import type { LiveView, Snapshot } from '../../common/snapshot.js';
import { agent, NOW, HOUR, DAY, snapshot } from '../support/snapshots.js';

const T0 = NOW; // 2026-12-02 06:00 UTC
const MIN = 60_000;
const RESET = T0 + 3 * HOUR + 30 * MIN; // 09:30 UTC
const K = 'usage:anthropic/5h';

type Live =
  | { state: 'connected'; windows: Array<{ label: string; pct: number; resetsAt?: number | null }>; loading?: boolean }
  | { state: 'connected-no-usage' }
  | { state: 'not-running' | 'refused' | 'unavailable' | 'off' }
  | null;

function snap(live: Live, now: number): Snapshot {
  const s = snapshot({ gateway: 'openclaw', agents: [agent('main', [])], generatedAt: now });
  if (live === null) return s;
  const base: LiveView = {
    state: 'connected',
    reasonCode: null,
    message: null,
    fix: null,
    checkedAt: now,
    gateway: { url: 'ws://127.0.0.1:18789/', version: '2026.9.6' },
    providers: [],
    disagreements: [],
  };
  if (live.state === 'connected') {
    base.reasonCode = live.loading ? 'loading' : null;
    base.providers = live.loading
      ? []
      : [
          {
            provider: 'anthropic',
            displayName: 'Claude',
            status: 'ok',
            expiresAt: null,
            profiles: [],
            usage: live.windows.map((w) => ({
              label: w.label,
              usedPercent: w.pct,
              resetsAt: w.resetsAt === undefined ? RESET : w.resetsAt,
            })),
            plan: null,
            usageNote: null,
          },
        ];
  } else if (live.state === 'connected-no-usage') {
    base.providers = [
      {
        provider: 'anthropic',
        displayName: 'Claude',
        status: 'ok',
        expiresAt: null,
        profiles: [],
        usage: [],
        plan: null,
        usageNote: 'No usage reported yet',
      },
    ];
  } else {
    base.state = live.state;
    base.reasonCode = live.state === 'refused' ? 'token-mismatch' : live.state === 'off' ? 'setting' : null;
    base.message =
      live.state === 'refused'
        ? 'The gateway refused the token AuthBar found in openclaw.json.'
        : 'Nothing listens on 18789.';
    base.fix = live.state === 'refused' ? 'Check gateway.auth.token.' : 'Start it: openclaw gateway run.';
  }
  s.live = base;
  return s;
}

const five = (pct: number, resetsAt?: number | null): Live => ({
  state: 'connected',
  windows: [{ label: '5h', pct, ...(resetsAt === undefined ? {} : { resetsAt }) }],
});

const ctxAt = (now: number, extra: Partial<PolicyContext> = {}): PolicyContext => ({
  now,
  repeatMs: 24 * HOUR,
  tokenReminderMs: 30 * DAY,
  utcOffsetMinutes: 0,
  ...extra,
});

type Step =
  | { at: number; live: Live; expect: string[] }
  | { at: number; tick: true; expect: string[] }
  | { at: number; act: (s: PolicyState) => PolicyState };

function run(steps: Step[], state = emptyPolicyState()): { state: PolicyState; all: Notice[][] } {
  const all: Notice[][] = [];
  steps.forEach((step, i) => {
    if ('act' in step) {
      state = step.act(state);
      return;
    }
    const r = 'tick' in step ? tick(state, ctxAt(step.at)) : observe(state, snap(step.live, step.at), ctxAt(step.at));
    // What is kept must load again after a restart.
    assert.equal(PolicyStateSchema.safeParse(JSON.parse(JSON.stringify(r.state))).success, true);
    state = r.state;
    all.push(r.notices);
    const got = r.notices.map((n) => (n.items ? `summary[${n.items.map((x) => x.key).join(',')}]` : n.key));
    assert.deepEqual(got, step.expect, `step ${i} (t+${Math.round((step.at - T0) / MIN)} min)`);
  });
  return { state, all };
}

test('a window crossing 80 %, 95 %, used up, then its reset: one notice each, worded like the menu', () => {
  const { all } = run([
    { at: T0, live: five(42), expect: [] },
    { at: T0 + 10 * MIN, live: five(82.7), expect: [`${K}:soon-80`] },
    { at: T0 + 20 * MIN, live: five(88), expect: [] },
    { at: T0 + 30 * MIN, live: five(96), expect: [`${K}:soon-95`] },
    { at: T0 + 40 * MIN, live: five(97), expect: [] },
    { at: T0 + 50 * MIN, live: five(100), expect: [`${K}:now-100`] },
    { at: T0 + 60 * MIN, live: five(100), expect: [] },
    // The gateway's first answer after the reset is its cache of the old window: the reset passed.
    { at: RESET + 5_000, live: five(100), expect: [`${K}:recovered`] },
    { at: RESET + MIN, live: five(1, RESET + 5 * HOUR), expect: [] },
  ]);
  const first = (i: number) => all[i]?.[0];
  const [at80, at95, usedUp, reset] = [first(1), first(3), first(5), first(7)];
  assert.equal(at80?.title, 'Claude 5 h window at 82 % · resets 09:30');
  assert.equal(at80?.state, 'soon');
  assert.equal(at80?.action, 'open-details');
  assert.match(at80?.body ?? '', /^82 % used; it resets in 3 h 20 m\. Run authbar status/);
  assert.deepEqual(at80?.subject, { agentId: null, profileId: null, provider: 'anthropic' });
  assert.equal(at95?.title, 'Claude 5 h window at 96 % · resets 09:30');
  assert.equal(usedUp?.title, 'Claude 5 h window used up · resets 09:30');
  assert.equal(usedUp?.state, 'now');
  assert.match(usedUp?.body ?? '', /^Used up until it resets in 2 h 40 m\./);
  assert.equal(reset?.title, 'Claude 5 h window has reset');
  assert.equal(reset?.state, 'recovered');
});

test('the next window notifies again within the repeat hours: a reset starts a new period', () => {
  const R2 = RESET + 5 * HOUR;
  run([
    { at: T0, live: five(85), expect: [`${K}:soon-80`] },
    { at: RESET + MIN, live: five(3, R2), expect: [`${K}:recovered`] },
    { at: RESET + 2 * HOUR, live: five(81, R2), expect: [`${K}:soon-80`] },
    { at: R2 + MIN, live: five(2, R2 + 5 * HOUR), expect: [`${K}:recovered`] },
  ]);
});

test('a reset nobody saw (the next answer is already high again) is still news', () => {
  const R2 = RESET + 5 * HOUR;
  run([
    { at: T0, live: five(85), expect: [`${K}:soon-80`] },
    { at: RESET + 4 * HOUR, live: five(86, R2), expect: [`${K}:soon-80`] },
    { at: RESET + 4 * HOUR + 10 * MIN, live: five(87, R2), expect: [] },
  ]);
});

test('falling back under 80 % without a reset: said once; flapping around 80 % stays quiet', () => {
  const { all } = run([
    { at: T0, live: five(81), expect: [`${K}:soon-80`] },
    { at: T0 + 5 * MIN, live: five(79), expect: [`${K}:recovered`] },
    { at: T0 + 10 * MIN, live: five(81), expect: [] },
    { at: T0 + 15 * MIN, live: five(79), expect: [] },
    { at: T0 + 20 * MIN, live: five(81), expect: [] },
  ]);
  assert.equal(all[1]?.[0]?.title, 'Claude 5 h window is below 80 % again');
});

test('95 % back to 85 % is quiet; rising to 95 % again within the repeat hours too', () => {
  run([
    { at: T0, live: five(96), expect: [`${K}:soon-95`] },
    { at: T0 + 10 * MIN, live: five(85), expect: [] },
    { at: T0 + 20 * MIN, live: five(95), expect: [] },
    { at: T0 + 30 * MIN, live: five(100), expect: [`${K}:now-100`] },
  ]);
});

test('no answer is not a reset: gateway down, not asked, loading, usage not fetched, live off', () => {
  run([
    { at: T0, live: five(90), expect: [`${K}:soon-80`] },
    { at: T0 + MIN, live: { state: 'unavailable' }, expect: [] },
    { at: T0 + 2 * MIN, live: null, expect: [] },
    { at: T0 + 3 * MIN, live: { state: 'connected', windows: [], loading: true }, expect: [] },
    { at: T0 + 4 * MIN, live: { state: 'connected-no-usage' }, expect: [] },
    { at: T0 + 5 * MIN, live: { state: 'off' }, expect: [] },
    { at: T0 + 6 * MIN, live: five(91), expect: [] },
    // Down across the reset: the reset is known from its time alone.
    { at: RESET - MIN, live: { state: 'unavailable' }, expect: [] },
    { at: RESET + MIN, live: { state: 'unavailable' }, expect: [`${K}:recovered`] },
  ]);
});

test('a reset goes out at its time without a snapshot: the policy asks to be woken then', () => {
  const first = observe(emptyPolicyState(), snap(five(90), T0), ctxAt(T0));
  assert.deepEqual(
    first.notices.map((n) => n.key),
    [`${K}:soon-80`],
  );
  assert.equal(first.wakeAt, RESET);
  const early = tick(first.state, ctxAt(RESET - 1));
  assert.deepEqual(early.notices, []);
  const woken = tick(first.state, ctxAt(RESET));
  assert.deepEqual(
    woken.notices.map((n) => [n.key, n.title]),
    [[`${K}:recovered`, 'Claude 5 h window has reset']],
  );
  assert.equal(woken.wakeAt, null);
  // The snapshot after it (the gateway's stale cache) says nothing more.
  assert.deepEqual(observe(woken.state, snap(five(90), RESET + 1_000), ctxAt(RESET + 1_000)).notices, []);
});

test('a connected answer that no longer lists the provider at all: it eased', () => {
  run([
    { at: T0, live: five(90), expect: [`${K}:soon-80`] },
    { at: T0 + 5 * MIN, live: { state: 'connected', windows: [] }, expect: [] },
  ]);
  // The provider present with no windows is "not fetched", above; absent entirely is an answer.
  const s = snap({ state: 'connected', windows: [] }, T0);
  if (s.live) s.live.providers = [];
  const first = observe(emptyPolicyState(), snap(five(90), T0), ctxAt(T0));
  assert.deepEqual(
    observe(first.state, s, ctxAt(T0 + 20_000)).notices.map((n) => n.key),
    [`${K}:recovered`],
  );
});

test('several windows at once coalesce into one summary that counts usage windows', () => {
  const both: Live = {
    state: 'connected',
    windows: [
      { label: '5h', pct: 85 },
      { label: 'Week', pct: 81, resetsAt: T0 + 3 * DAY },
      { label: 'Opus', pct: 20, resetsAt: null },
    ],
  };
  const { all } = run([{ at: T0, live: both, expect: [`summary[${K}:soon-80,usage:anthropic/Week:soon-80]`] }]);
  const summary = all[0]?.[0] as Notice;
  assert.equal(summary.title, '2 usage windows need attention');
  assert.match(summary.body, /Claude 5 h window at 85 % · resets 09:30; Claude Week window at 81 % · resets Sat 06:00/);
  const items = summary.items as Notice[];
  assert.equal(
    summarise(
      items.map((n) => ({ ...n, state: 'recovered' as const })),
      T0,
    ).title,
    '2 usage windows are below 80 % again',
  );
  assert.equal(
    summarise([...items, { ...items[0], key: 'profile:main/anthropic:a:now', state: 'now' } as Notice], T0).title,
    '3 items need attention',
  );
});

test('snooze and pause hold usage notices like any other; the snooze covers every stage of the window', () => {
  run([
    { at: T0, act: (s) => snooze(s, `${K}:soon-80`, T0 + HOUR) },
    { at: T0, live: five(85), expect: [] },
    { at: T0 + 10 * MIN, live: five(96), expect: [] },
    { at: T0 + HOUR, tick: true, expect: [`${K}:soon-95`] },
    { at: T0 + HOUR + MIN, act: (s) => pauseAll(s, T0 + 2 * HOUR) },
    { at: T0 + HOUR + 2 * MIN, live: five(100), expect: [] },
    { at: T0 + 2 * HOUR, tick: true, expect: [`${K}:now-100`] },
  ]);
  assert.equal(subjectKeyOf(`${K}:soon-95`), K);
  assert.equal(subjectKeyOf(`${K}:recovered`), K);
  assert.equal(subjectKeyOf('profile:main/anthropic:a:now'), 'profile:main/anthropic:a');
});

test('the gateway refusing AuthBar: said once, not again while it lasts; and when it accepts again', () => {
  const { all } = run([
    { at: T0, live: { state: 'refused' }, expect: ['live:refused:soon'] },
    { at: T0 + 30 * MIN, live: { state: 'refused' }, expect: [] },
    { at: T0 + 2 * HOUR, live: { state: 'refused' }, expect: [] },
    // AuthBar could not ask at all (a timeout): that says nothing about the refusal.
    { at: T0 + 3 * HOUR, live: { state: 'unavailable' }, expect: [] },
    { at: T0 + 4 * HOUR, live: five(10), expect: ['live:refused:recovered'] },
  ]);
  assert.equal(all[0]?.[0]?.title, 'The OpenClaw gateway refused AuthBar');
  assert.equal(
    all[0]?.[0]?.body,
    'The gateway refused the token AuthBar found in openclaw.json. Check gateway.auth.token.',
  );
  assert.equal(all[4]?.[0]?.title, 'The OpenClaw gateway accepts AuthBar again');
});

test('the gateway not running: at most once per repeat window, however often it comes and goes', () => {
  const { all } = run([
    { at: T0, live: { state: 'not-running' }, expect: ['live:not-running:soon'] },
    { at: T0 + 15 * MIN, live: five(10), expect: ['live:not-running:recovered'] },
    { at: T0 + 30 * MIN, live: { state: 'not-running' }, expect: [] },
    { at: T0 + 45 * MIN, live: five(10), expect: [] },
    { at: T0 + 60 * MIN, live: { state: 'not-running' }, expect: [] },
    // A day on, both may be said once more.
    { at: T0 + 25 * HOUR, live: five(10), expect: ['live:not-running:recovered'] },
    { at: T0 + 26 * HOUR, live: { state: 'not-running' }, expect: ['live:not-running:soon'] },
    { at: T0 + 27 * HOUR, live: { state: 'not-running' }, expect: [] },
  ]);
  assert.equal(all[0]?.[0]?.title, 'The OpenClaw gateway is not running');
  assert.equal(all[0]?.[0]?.body, 'Start it: openclaw gateway run.');
});

test('times of day: local with the zone offset, the day named beyond today, UTC said when unknown', () => {
  const now = Date.UTC(2026, 11, 2, 6, 0); // Wednesday
  assert.equal(clockTime(Date.UTC(2026, 11, 2, 9, 30), now, 0), '09:30');
  assert.equal(clockTime(Date.UTC(2026, 11, 2, 9, 30), now, 60), '10:30');
  assert.equal(clockTime(Date.UTC(2026, 11, 2, 23, 30), now, 60), 'Thu 00:30');
  assert.equal(clockTime(Date.UTC(2026, 11, 5, 9, 30), now, 0), 'Sat 09:30');
  assert.equal(clockTime(Date.UTC(2026, 11, 20, 9, 30), now, 0), 'Dec 20 09:30');
  assert.equal(clockTime(Date.UTC(2026, 11, 2, 9, 30), now), '09:30 UTC');
  // Without an offset in the context, a notice says UTC.
  const step = observe(emptyPolicyState(), snap(five(85), T0), { ...ctxAt(T0), utcOffsetMinutes: undefined });
  assert.equal(step.notices[0]?.title, 'Claude 5 h window at 85 % · resets 09:30 UTC');
});

test('a window without a reset time says so by omission; model windows and extra usage read naturally', () => {
  const live: Live = {
    state: 'connected',
    windows: [
      { label: 'Opus', pct: 99, resetsAt: null },
      { label: 'Extra usage', pct: 100, resetsAt: null },
    ],
  };
  const step = observe(emptyPolicyState(), snap(live, T0), ctxAt(T0));
  const titles = (step.notices[0]?.items ?? []).map((n) => n.title).sort();
  assert.deepEqual(titles, ['Claude Opus window at 99 %', 'Claude extra usage used up']);
  assert.equal(
    step.notices[0]?.items?.find((n) => n.key.startsWith('usage:anthropic/Opus'))?.body,
    '99 % used. Run authbar status for every window.',
  );
});

test('a state kept by an older AuthBar (no stages, no ends) still loads and works', () => {
  const old = {
    version: 1,
    subjects: {
      'profile:main/anthropic:a': {
        level: 'soon',
        announced: 'soon',
        draft: {
          subject: { agentId: 'main', profileId: 'anthropic:a', provider: 'anthropic' },
          title: 't',
          body: 'b',
          action: 'none',
          recovered: 'r',
        },
      },
    },
    lastNotified: { 'profile:main/anthropic:a:soon': T0 },
    snoozes: {},
    pausedUntil: null,
    quietUntil: 0,
    pending: [],
  };
  const state = PolicyStateSchema.parse(old);
  const step = observe(state, snap(five(85), T0 + MIN), ctxAt(T0 + MIN));
  assert.deepEqual(
    step.notices
      .map((n) => (n.items ? n.items.map((x) => x.key) : [n.key]))
      .flat()
      .sort(),
    ['profile:main/anthropic:a:recovered', `${K}:soon-80`],
  );
});
