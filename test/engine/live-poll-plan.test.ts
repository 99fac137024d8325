/**
 * When AuthBar asks the running gateway again: at start, after a store change, around each
 * expiry, at each reset, every minute only while the UI is open, backoff while the gateway is
 * down, 30 min after a refusal, never within a minute of the last question, and never when idle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LIVE_BACKOFF_MAX_MS,
  liveBackoffMs,
  livePollDeadlines,
  nextLivePoll,
  type LivePollInput,
} from '../../main/engine/monitor/live-poll-plan.js';
import { agent, NOW, HOUR, DAY, profile, setupToken, snapshot } from '../support/snapshots.js';

const MIN = 60_000;
const T = NOW;

function input(extra: Partial<LivePollInput> = {}): LivePollInput {
  return {
    now: T,
    lastPollAt: T - 10 * MIN,
    lastState: 'connected',
    consecutiveFailures: 0,
    uiOpen: false,
    storesChangedAt: null,
    deadlines: { expiries: [], resets: [] },
    ...extra,
  };
}

test('start: ask at once, whatever else is known', () => {
  assert.deepEqual(nextLivePoll(input({ lastPollAt: null, lastState: null })), { at: T, reason: 'start' });
});

test('idle with the UI closed and no deadline: no poll at all', () => {
  assert.equal(nextLivePoll(input()), null);
  // Deadlines already spent (before the last question) do not count.
  assert.equal(nextLivePoll(input({ deadlines: { expiries: [T - 20 * MIN - DAY], resets: [T - 20 * MIN] } })), null);
  // A store change seen before the last question was already asked about.
  assert.equal(nextLivePoll(input({ storesChangedAt: T - 11 * MIN })), null);
});

test('the live view turned off: never', () => {
  assert.equal(nextLivePoll(input({ lastState: 'off', uiOpen: true, storesChangedAt: T })), null);
});

test('UI open: every 60 s from the last question; closed: not', () => {
  assert.deepEqual(nextLivePoll(input({ uiOpen: true, lastPollAt: T - 20_000 })), {
    at: T + 40_000,
    reason: 'the menu or window is open',
  });
  // Overdue (the UI was just opened, the last question long ago): now.
  assert.equal(nextLivePoll(input({ uiOpen: true }))?.at, T);
});

test('a store change: asked at once, but never within 60 s of the last question', () => {
  assert.deepEqual(nextLivePoll(input({ storesChangedAt: T - 1_000 })), {
    at: T,
    reason: 'a store or the gateway config changed',
  });
  const r = nextLivePoll(input({ lastPollAt: T - 15_000, storesChangedAt: T - 1_000 }));
  assert.equal(r?.at, T + 45_000, 'moved to the end of the minute after the last question');
  assert.equal(r?.reason, 'a store or the gateway config changed');
});

test('each expiry is asked about at −24 h, −5 min and at the expiry; the earliest not yet spent wins', () => {
  const e = T + 2 * DAY;
  assert.deepEqual(nextLivePoll(input({ deadlines: { expiries: [e], resets: [] } })), {
    at: e - DAY,
    reason: 'a credential expires in 24 h',
  });
  // After the −24 h question: −5 min is next.
  assert.deepEqual(
    nextLivePoll(input({ now: e - DAY + MIN, lastPollAt: e - DAY, deadlines: { expiries: [e], resets: [] } })),
    {
      at: e - 5 * MIN,
      reason: 'a credential expires in 5 min',
    },
  );
  assert.deepEqual(
    nextLivePoll(input({ now: e - 4 * MIN, lastPollAt: e - 5 * MIN + 200, deadlines: { expiries: [e], resets: [] } })),
    { at: e, reason: 'a credential expires' },
  );
  assert.equal(
    nextLivePoll(input({ now: e + MIN, lastPollAt: e + 100, deadlines: { expiries: [e], resets: [] } })),
    null,
  );
  // A deadline inside the minute after the last question moves to its end.
  const r = nextLivePoll(input({ now: e - 30_000, lastPollAt: e - 40_000, deadlines: { expiries: [e], resets: [] } }));
  assert.deepEqual(r, { at: e + 20_000, reason: 'a credential expires' });
  // Passed while nobody asked (the machine slept): due now.
  assert.equal(
    nextLivePoll(input({ now: e + HOUR, lastPollAt: e - 2 * HOUR, deadlines: { expiries: [e], resets: [] } }))?.at,
    e + HOUR,
  );
});

test("each usage reset: asked at the reset, and a minute later when the gateway's cache has turned over", () => {
  const r = T + 2 * HOUR;
  const deadlines = { expiries: [], resets: [r] };
  assert.deepEqual(nextLivePoll(input({ deadlines })), { at: r, reason: 'a usage window resets' });
  assert.deepEqual(nextLivePoll(input({ now: r + 1_000, lastPollAt: r + 500, deadlines })), {
    at: r + 500 + MIN,
    reason: 'fresh usage after a reset',
  });
  assert.equal(nextLivePoll(input({ now: r + 2 * MIN, lastPollAt: r + MIN + 600, deadlines })), null);
});

test('usage not fetched yet, or the catalog still loading: once more a minute after', () => {
  assert.deepEqual(nextLivePoll(input({ lastPollAt: T - 5_000, awaitingUsage: true })), {
    at: T + 55_000,
    reason: 'usage was not fetched yet',
  });
  assert.equal(nextLivePoll(input({ lastPollAt: T - 5_000, loading: true }))?.at, T + 55_000);
});

test('not running: backoff from 1 min, doubling, at most 15 min; deadlines wait for the gateway', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(liveBackoffMs), [
    MIN,
    2 * MIN,
    4 * MIN,
    8 * MIN,
    15 * MIN,
    15 * MIN,
    LIVE_BACKOFF_MAX_MS,
  ]);
  assert.equal(liveBackoffMs(0), MIN);
  const at = (failures: number) =>
    nextLivePoll(
      input({
        now: T,
        lastPollAt: T,
        lastState: 'not-running',
        consecutiveFailures: failures,
        deadlines: { expiries: [T + 2 * MIN], resets: [T + 3 * MIN] },
      }),
    )?.at;
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(at), [
    T + MIN,
    T + 2 * MIN,
    T + 4 * MIN,
    T + 8 * MIN,
    T + 15 * MIN,
    T + 15 * MIN,
  ]);
  // An unavailable gateway (a timeout) backs off the same way.
  assert.equal(
    nextLivePoll(input({ lastPollAt: T, lastState: 'unavailable', consecutiveFailures: 3 }))?.at,
    T + 4 * MIN,
  );
  // An open menu still learns within a minute that it is back; a store change is asked about.
  assert.equal(
    nextLivePoll(input({ lastPollAt: T, lastState: 'not-running', consecutiveFailures: 5, uiOpen: true }))?.at,
    T + MIN,
  );
  const changed = nextLivePoll(
    input({
      now: T + 2 * MIN,
      lastPollAt: T,
      lastState: 'not-running',
      consecutiveFailures: 5,
      storesChangedAt: T + 2 * MIN,
    }),
  );
  assert.deepEqual(changed, { at: T + 2 * MIN, reason: 'a store or the gateway config changed' });
});

test('refused: again only after a store or config change, or 30 min; neither the UI nor deadlines hurry it', () => {
  const base = { lastPollAt: T, now: T, lastState: 'refused' as const, consecutiveFailures: 1 };
  assert.deepEqual(
    nextLivePoll(input({ ...base, uiOpen: true, deadlines: { expiries: [T + 2 * MIN], resets: [T + 3 * MIN] } })),
    { at: T + 30 * MIN, reason: 'retry after the gateway refused AuthBar' },
  );
  assert.equal(nextLivePoll(input({ ...base, now: T + 5 * MIN, storesChangedAt: T + 4 * MIN }))?.at, T + 5 * MIN);
  assert.equal(
    nextLivePoll(input({ ...base, now: T + 10_000, storesChangedAt: T + 5_000 }))?.at,
    T + MIN,
    'the 60 s floor holds',
  );
});

test('the deadlines of a snapshot: file expiries (active agents), live expiries and resets; sorted, once each', () => {
  const at = T + 5 * HOUR;
  const snap = snapshot({
    gateway: 'openclaw',
    agents: [
      agent('main', [setupToken('anthropic:a', at, 'none'), profile({ profileId: 'openai:k', type: 'api_key' })]),
      agent('old', [setupToken('anthropic:p', T + 9 * HOUR, 'none')], { passive: 'legacy', passiveCode: 'legacy' }),
    ],
  });
  snap.live = {
    state: 'connected',
    reasonCode: null,
    message: null,
    fix: null,
    checkedAt: T,
    gateway: { url: 'ws://127.0.0.1:18789/', version: null },
    providers: [
      {
        provider: 'anthropic',
        displayName: 'Claude',
        status: 'ok',
        expiresAt: at,
        profiles: [
          { profileId: 'anthropic:a', status: 'ok', type: 'token', reasonCode: null, expiresAt: T + 6 * HOUR },
        ],
        usage: [
          { label: '5h', usedPercent: 10, resetsAt: T + 2 * HOUR },
          { label: 'Week', usedPercent: 10, resetsAt: T + 3 * DAY },
          { label: 'Opus', usedPercent: 10, resetsAt: null },
        ],
        plan: null,
        usageNote: null,
      },
    ],
    disagreements: [],
  };
  assert.deepEqual(livePollDeadlines(snap), { expiries: [at, T + 6 * HOUR], resets: [T + 2 * HOUR, T + 3 * DAY] });
  delete snap.live;
  assert.deepEqual(livePollDeadlines(snap), { expiries: [at], resets: [] });
});
