/** The Usage card's view model (renderer/view/live.ts), in node: words, fills, tones, escaping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSection } from '../../renderer/view-model.js';
import { MIN, NOW } from '../support/renderer-fixtures.js';
import { claudeProvider, liveProblemView, liveView } from '../support/live-fixtures.js';

const utc = { locale: 'en-US', timeZone: 'UTC' };

test('connected: title, checked time, a bar per window', () => {
  const v = liveSection(liveView(NOW), NOW, utc);
  assert.ok(v);
  assert.equal(v.title, 'OpenClaw 2026.9.6 · live');
  assert.equal(v.detail, 'checked 09:29 · ws://127.0.0.1:18789');
  assert.deepEqual(v.lines, []);
  assert.deepEqual(v.usage[0]?.bars[0], { label: '5 h', fill: 42, percent: '42 %', reset: 'resets 11:30', tone: 'ok' });
  assert.equal(v.usage[0]?.plan, 'Max plan');
});

test('fills clamp to 0–100; tones at 80 % and 95 %', () => {
  const usage = [-5, 79.9, 80, 95, 250].map((usedPercent) => ({ label: 'x', usedPercent, resetsAt: null }));
  const v = liveSection(liveView(NOW, { providers: [claudeProvider(NOW, { usage })] }), NOW, utc);
  assert.deepEqual(
    v?.usage[0]?.bars.map((b) => [b.fill, b.tone, b.percent]),
    [
      [0, 'ok', '0 %'],
      [79.9, 'ok', '80 %'],
      [80, 'soon', '80 %'],
      [95, 'now', '95 %'],
      [100, 'now', 'used up'],
    ],
  );
});

test('states: lines with the fix; a loading catalog says so; off and absent: null', () => {
  const refused = liveSection(liveProblemView(NOW, 'refused'), NOW, utc);
  assert.equal(refused?.lines[0]?.text, 'Gateway refused AuthBar');
  assert.equal(refused?.lines[0]?.tone, 'now');
  assert.match(refused?.lines[1]?.text ?? '', /^Fix: Set OPENCLAW_GATEWAY_TOKEN/);
  assert.deepEqual(refused?.usage, []);
  const loading = liveSection(
    liveView(NOW, { reasonCode: 'loading', message: 'The gateway is still loading its model catalog.', providers: [] }),
    NOW,
    utc,
  );
  assert.equal(loading?.lines[0]?.text, 'Gateway still loading its models');
  assert.equal(liveSection(liveProblemView(NOW, 'off'), NOW, utc), null);
  assert.equal(liveSection(null, NOW, utc), null);
  assert.equal(liveSection(undefined, NOW, utc), null);
});

test('gateway strings are escaped and secrets masked', () => {
  const secret = 'sk-ant-oat01-' + 'Q'.repeat(70);
  const v = liveSection(
    liveView(NOW, {
      checkedAt: NOW - 5 * MIN,
      providers: [claudeProvider(NOW, { displayName: `C\u202e${secret}`, plan: '\u0007' })],
    }),
    NOW,
    utc,
  );
  assert.doesNotMatch(JSON.stringify(v), /Q{20}|\u202e|\u0007/);
  assert.match(v?.usage[0]?.name ?? '', /^C\\u202esk-ant-oat01-…/);
});
