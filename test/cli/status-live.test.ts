/**
 * `authbar status`'s live part, rendered from a snapshot: the gateway's state line, provider
 * verdicts where they differ from the files, disagreements with their fix, the Usage section
 * (labels, percentages, reset times, used up), the states that are not an answer each as one
 * line that never hides the table, nothing for `off` but the user's own setting, and no
 * terminal control from gateway-supplied text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatusTable } from '../../main/cli/render/status.js';
import { renderLive, renderUsageLines, fileVerdict } from '../../main/cli/render/live.js';
import { clockText, percentText, resetText, windowLabel } from '../../common/live-usage.js';
import { agent, profile, snapshot, NOW, HOUR, DAY } from '../support/snapshots.js';
import { claudeProvider, liveProblemView, liveView } from '../support/live-fixtures.js';
import type { LiveView } from '../../common/snapshot.js';

const plain = { color: false, timeZone: 'UTC' };
const MIN = 60_000;

function snap(live: LiveView | null | undefined, profiles = [profile({ profileId: 'anthropic:claude-cli' })]) {
  return snapshot({ gateway: 'openclaw', version: '2026.9.6', agents: [agent('main', profiles)], live });
}

test('the shared words: labels, percentages, clock times', () => {
  assert.equal(windowLabel('5h'), '5 h');
  assert.equal(windowLabel('7D'), '7 d');
  assert.equal(windowLabel('Week'), 'Week');
  assert.equal(percentText(42.4), '42 %');
  assert.equal(percentText(99.7), '99 %', 'never "100 %" while room is left');
  assert.equal(percentText(100), 'used up');
  assert.equal(percentText(130), 'used up');
  assert.equal(percentText(Number.NaN), '0 %');
  // NOW is Wed 2 Dec 2026, 06:00 UTC.
  const utc = { timeZone: 'UTC' };
  assert.equal(clockText(NOW + 8 * HOUR + 30 * MIN, NOW, utc), '14:30');
  assert.equal(clockText(NOW + 2 * DAY, NOW, utc), 'Fri 06:00');
  assert.equal(clockText(NOW - 2 * DAY, NOW, utc), 'Mon 06:00');
  assert.equal(clockText(NOW + 10 * DAY, NOW, utc), 'Dec 12');
  // 16:00 the same day in UTC is past midnight in Tokyo: the day is the zone's.
  assert.equal(clockText(NOW + 10 * HOUR, NOW, utc), '16:00');
  assert.equal(clockText(NOW + 10 * HOUR, NOW, { timeZone: 'Asia/Tokyo' }), 'Thu 01:00');
  assert.equal(resetText(null, NOW), null);
  assert.equal(resetText(NOW - MIN, NOW), 'resets now');
});

test('connected: the gateway line, then the Usage section, after the table', () => {
  const out = renderStatusTable(snap(liveView(NOW)), plain);
  const table = out.indexOf('AGENT');
  const live = out.indexOf('Gateway (live): OpenClaw 2026.9.6 at ws://127.0.0.1:18789 · checked 05:59');
  assert.ok(table >= 0 && live > table, out);
  assert.match(out, /checked 05:59 · agrees with the files/);
  assert.match(
    out,
    /\nUsage\n {2}Claude 5 h {3}42 % {2}resets 08:00\n {2}Claude Week {2}18 % {2}resets Sat 10:00\n {2}Claude Opus {2}63 % {2}resets Sat 10:00\n/,
  );
  assert.doesNotMatch(out, /\u001b\[/, 'plain text when not a terminal');
});

test('provider verdicts where they differ, disagreements with their fix', () => {
  const live = liveView(NOW, {
    providers: [claudeProvider(NOW, { status: 'expiring', expiresAt: NOW + 2 * HOUR })],
    disagreements: [
      {
        profileId: 'anthropic:manual',
        provider: 'anthropic',
        files: 'ok',
        gateway: 'absent',
        text: 'The running gateway does not list it: it has not loaded the store since it started.',
        fix: 'openclaw gateway restart',
      },
    ],
  });
  const out = renderLive(snap(live), plain);
  assert.match(out, /Claude \(anthropic\) — gateway: expiring \(expires in 2 h\), files: ok/);
  assert.match(out, /anthropic:manual — files: ok, gateway: absent\. Fix: openclaw gateway restart/);
  assert.doesNotMatch(out, /agrees with the files/);
  assert.equal(fileVerdict(snap(live), 'openai', null), 'missing');
});

test('used up, warn colours, and a usage note when there are no windows', () => {
  const live = liveView(NOW, {
    providers: [
      claudeProvider(NOW, {
        usage: [
          { label: '5h', usedPercent: 100, resetsAt: NOW + 30 * MIN },
          { label: 'Week', usedPercent: 96, resetsAt: NOW + 12 * DAY },
        ],
      }),
      claudeProvider(NOW, {
        provider: 'openai-codex',
        displayName: 'Codex',
        usage: [],
        usageNote: 'The usage endpoint answered 503.',
      }),
    ],
  });
  assert.deepEqual(renderUsageLines(snap(live), plain), [
    'Usage',
    '  Claude 5 h   used up  resets 06:30',
    '  Claude Week  96 %     resets Dec 14',
    '  Codex: The usage endpoint answered 503.',
  ]);
  const coloured = renderUsageLines(snap(live), { color: true, timeZone: 'UTC' }).join('\n');
  assert.match(coloured, /\u001b\[31mused up/);
  assert.match(coloured, /\u001b\[31m96 %/);
});

test('not running, refused, unavailable: one line with the fix, the table still there; off: only the setting', () => {
  const cases: Array<[Parameters<typeof liveProblemView>[1], RegExp | null]> = [
    [
      'not-running',
      /Gateway \(live\): not running: Nothing listens on ws:\/\/127\.0\.0\.1:18789\. \(checked 05:59\)\n {2}Fix: Start it: openclaw gateway run/,
    ],
    [
      'refused',
      /Gateway \(live\): refused AuthBar: The gateway refused the token AuthBar sent\.[^\n]*\n {2}Fix: Set OPENCLAW_GATEWAY_TOKEN/,
    ],
    ['unavailable', /Gateway \(live\): status unavailable: The gateway did not answer within 5 s\./],
    ['off', /Gateway \(live\): off — liveGateway is off in the settings\./],
  ];
  for (const [state, re] of cases) {
    const out = renderStatusTable(snap(liveProblemView(NOW, state)), plain);
    assert.match(out, /anthropic:claude-cli/, `${state}: the table stays`);
    if (re) assert.match(out, re, state);
    assert.doesNotMatch(out, /\nUsage\n/, state);
  }
  const notOpenClaw = liveView(NOW, { state: 'off', reasonCode: 'not-openclaw', providers: [] });
  assert.equal(renderLive(snap(notOpenClaw), plain), '');
  assert.equal(renderLive(snap(null), plain), '');
  assert.equal(renderLive(snap(undefined), plain), '');
});

test('gateway-supplied text cannot drive the terminal', () => {
  const evil = 'Cl\u001b[2Jaude\u202e';
  const live = liveView(NOW, {
    gateway: { url: 'ws://x\u0007', version: '9\u001b]0;pwn\u0007' },
    providers: [
      claudeProvider(NOW, {
        displayName: evil,
        usage: [{ label: '5h\u001b[31m', usedPercent: 10, resetsAt: null }],
      }),
    ],
    disagreements: [
      { profileId: 'a\nb', provider: 'anthropic', files: 'ok', gateway: 'x\u001b', text: 't\r', fix: 'f\u0007' },
    ],
  });
  const out = renderLive(snap(live), plain);
  assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/u, JSON.stringify(out));
  assert.match(out, /Cl\\x1b\[2Jaude\\u202e 5h\\x1b\[31m/);
});
