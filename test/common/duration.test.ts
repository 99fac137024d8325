/** The one duration formatter: the short form (d, h, m) every front end uses, and its prose form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compactDuration,
  DAY_MS as DAY,
  formatDuration,
  HOUR_MS as HOUR,
  MINUTE_MS as MIN,
  roughDuration,
} from '../../common/duration.js';

test('short form: two units at most, to the nearest minute, no zero second unit, "ago" when negative', () => {
  const cases: Array<[number, string]> = [
    [10_000, '<1 m'],
    [59_999, '<1 m'],
    [5 * MIN, '5 m'],
    [HOUR - 2_000, '1 h'],
    [5 * HOUR + 12 * MIN, '5 h 12 m'],
    [DAY, '1 d'],
    [3 * DAY + 4 * HOUR, '3 d 4 h'],
    [-42 * MIN, '42 m ago'],
    [Number.MAX_SAFE_INTEGER, 'more than 100 years'],
    [NaN, 'an unknown time'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
  assert.equal(formatDuration(-2 * HOUR, { signed: false }), '2 h');
});

test('coarse forms for menus and the tray title: the largest whole unit', () => {
  assert.equal(roughDuration(3 * DAY + 23 * HOUR), '3 d');
  assert.equal(roughDuration(47 * HOUR), '47 h');
  assert.equal(roughDuration(-12 * MIN), '12 m');
  assert.equal(roughDuration(30_000), '<1 m');
  assert.equal(compactDuration(5 * DAY), '5d');
});

test('one formatter: a notice and the status line of the same profile read the same duration', async (t) => {
  const { collect } = await import('../../main/engine/engine.js');
  const { subjectsOf } = await import('../../main/engine/notify/subjects.js');
  const { makeHome, secret } = await import('../support/home.js');
  const h = makeHome();
  t.after(() => h.cleanup());
  const now = Date.now();
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup-token': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: now + 3 * MIN },
    },
  });
  const { snapshot } = await collect({ env: h.env, clock: { now: () => now } }, { sync: 'skip' });
  const p = snapshot.agents[0]?.profiles[0];
  assert.equal(p?.reason, 'expires in 3 m');
  const notice = subjectsOf(snapshot, { now, tokenReminderMs: 30 * DAY }).find(
    (s) => s.key === 'profile:main/anthropic:setup-token',
  );
  assert.equal(notice?.draft.title, 'anthropic setup token expires in 3 m');
  assert.doesNotMatch(JSON.stringify(notice), /minute|hour|days?\b/);
});
