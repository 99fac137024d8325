/** The details window's view model: words, times, masking and input checks, under node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildView,
  checkExpiresInDays,
  checkProfileId,
  checkToken,
  duration,
  escapeControls,
  redactSecrets,
  relativeTime,
  settingsPatch,
  shown,
  type SettingsForm,
} from '../../renderer/view-model.js';
import {
  DAY,
  HOUR,
  MIN,
  NOW,
  PLANTED_SECRETS,
  settings,
  states,
  setupToken,
  agent,
  snapshot,
} from '../support/renderer-fixtures.js';

const UTC = { locale: 'en-US', timeZone: 'UTC' };

test('durations and relative times use the short form of every front end (d, h, m)', () => {
  const cases: Array<[number, string]> = [
    [20_000, '<1 m'],
    [5 * MIN, '5 m'],
    [HOUR, '1 h'],
    [5 * HOUR + 12 * MIN, '5 h 12 m'],
    [DAY, '1 d'],
    [DAY + 3 * HOUR, '1 d 3 h'],
    [3 * DAY + 4 * HOUR, '3 d 4 h'],
    [41 * DAY + 5 * HOUR, '41 d 5 h'],
    [-2 * HOUR, '2 h'],
  ];
  for (const [ms, text] of cases) assert.equal(duration(ms), text, String(ms));
  assert.equal(relativeTime(NOW - 3 * MIN, NOW), '3 m ago');
  assert.equal(relativeTime(NOW + 3 * DAY, NOW), 'in 3 d');
  assert.equal(relativeTime(NOW - 10_000, NOW), 'just now');
});

test('secrets are masked wherever they appear in a string', () => {
  for (const secret of PLANTED_SECRETS) {
    const out = redactSecrets(`before ${secret} after`);
    assert.ok(!out.includes(secret), out);
    assert.ok(out.startsWith('before ') && out.endsWith(' after'), out);
    assert.ok(out.includes(`…${secret.slice(-4)}`), 'keeps the last four to tell two apart');
  }
  const [setup, api, jwt] = PLANTED_SECRETS as [string, string, string];
  assert.equal(
    redactSecrets(`a ${setup} b ${api} c ${jwt}`),
    `a sk-ant-oat01-…${setup.slice(-4)} b sk-ant-api03-…${api.slice(-4)} c eyJ…${jwt.slice(-4)}`,
  );
  assert.equal(redactSecrets('refresh rt_abcdefghijklmnop1234'), 'refresh rt_…1234');
  assert.equal(redactSecrets('sk-ant-oat01-…Ab12'), 'sk-ant-oat01-…Ab12', 'an already masked value stays as it is');
  assert.equal(redactSecrets('plain words, a path /home/ada'), 'plain words, a path /home/ada');
});

test('control characters and bidi overrides are shown as visible escapes', () => {
  assert.equal(escapeControls('a\nb\tc\u001b[31m'), 'a\\nb\\tc\\x1b[31m');
  assert.equal(escapeControls('ev\u202eil\u0085\u200b'), 'ev\\u202eil\\x85\\u200b');
  assert.equal(escapeControls('<b>markup</b> stays text'), '<b>markup</b> stays text');
  assert.equal(shown('x'.repeat(1000)).length, 400);
  assert.equal(shown(null), '');
});

test('healthy Clawdbot host: headline, gateway, rows with type, source, expiry and token age', () => {
  const view = buildView(states.healthy(), NOW, UTC);
  assert.equal(view.overall.attention, 'none');
  assert.equal(view.overall.headline, 'All credentials healthy');
  assert.equal(view.overall.summary, '4 profiles in 2 agents');
  assert.equal(view.gateway.title, 'Clawdbot 2026.1.24-3');
  assert.equal(view.gateway.lines[0]?.text, 'Detected: ~/.clawdbot/clawdbot.json exists');
  assert.deepEqual(view.freshness, { text: 'Updated 3 m ago', stale: false, detail: 'Mar 14, 2026, 9:27 AM' });
  const [main, work] = view.agents;
  assert.ok(main && work);
  const [oauth, token, api] = main.profiles;
  assert.ok(oauth && token && api);
  assert.deepEqual([oauth.type, oauth.source, oauth.status.text], ['OAuth login', 'Claude Code', 'OK']);
  assert.equal(oauth.expiry.text, 'Refreshes by itself · access token for 6 h');
  assert.equal(oauth.expiry.detail, 'until Mar 14, 2026, 3:30 PM');
  assert.equal(oauth.credential, 'sk-ant-oat01-…Ab12 · fingerprint 3f9a0c12ab34');
  assert.deepEqual([token.type, token.source], ['Setup token', 'Agent store']);
  assert.equal(token.tokenAge?.text, 'Token at least 41 days old · first seen Feb 1, 2026');
  assert.equal(token.tokenAge?.detail, 'renew with authbar setup-token');
  assert.deepEqual(
    [token.status.text, token.expiry.text, token.expiry.detail],
    ['OK', 'Expires in about 324 d', 'Feb 1, 2027 (estimated)'],
  );
  assert.equal(api.expiry.text, 'Never expires');
  assert.equal(main.lastSync.text, 'Synced 3 m ago: already up to date');
  assert.equal(work.lastSync.text, 'Synced 3 m ago: 1 change written');
});

test('soon, now and stale: tones, words and the age of the data', () => {
  const soon = buildView(states.soon(), NOW, UTC);
  assert.equal(soon.overall.headline, 'Attention needed soon');
  assert.equal(soon.agents[0]?.profiles[0]?.status.tone, 'soon');
  assert.equal(soon.agents[0]?.profiles[0]?.tokenAge?.text, 'Token at least 340 days old · first seen Apr 8, 2025');
  assert.deepEqual(
    [soon.agents[0]?.profiles[0]?.status.text, soon.agents[0]?.profiles[0]?.expiry.text],
    ['Renew soon', 'Expires in about 25 d'],
  );
  const now = buildView(states.now(), NOW, UTC);
  assert.equal(now.overall.headline, 'Action needed now');
  assert.equal(now.agents[0]?.profiles[0]?.status.text, 'Expired');
  assert.deepEqual(
    [
      now.agents[0]?.profiles[0]?.expiry.text,
      now.agents[0]?.profiles[0]?.expiry.detail,
      now.agents[0]?.profiles[0]?.expiry.tone,
    ],
    ['Expired about 7 d ago', 'Mar 7, 2026 (estimated)', 'now'],
  );
  const stale = buildView(states.stale(), NOW, UTC);
  assert.equal(stale.freshness.stale, true);
  assert.equal(stale.freshness.text, 'Updated 2 h 5 m ago — may be out of date');
  assert.match(stale.freshness.detail, /the monitor is not running/);
});

test('a setup token with a known mint date says how old it is exactly', () => {
  const p = setupToken('anthropic:default', 41, 300);
  const minted = { ...p, token: { ...p.token!, mintedAt: NOW - 1 * DAY, expiryKind: 'recorded' as const } };
  const row = buildView(snapshot([agent('main', [minted])]), NOW, UTC).agents[0]?.profiles[0];
  assert.equal(row?.tokenAge?.text, 'Token 1 day old · minted Mar 13, 2026');
  assert.deepEqual([row?.expiry.text, row?.expiry.detail], ['Expires in 300 d', 'Jan 8, 2027']);
});

test('OpenClaw: version, how it was found, what was read, and the note', () => {
  const view = buildView(states.openclaw(), NOW, UTC);
  assert.equal(view.gateway.title, 'OpenClaw 2026.9.6');
  assert.deepEqual(
    view.gateway.lines.map((l) => l.text),
    [
      'Detected: AUTHBAR_GATEWAY=openclaw',
      "Reading OpenClaw's SQLite store (read-only)",
      'Clawdbot state was found too (~/.clawdbot): OpenClaw was chosen because AUTHBAR_GATEWAY says so.',
    ],
  );
});

test('an unusable store and a failed sync are said, in red', () => {
  const view = buildView(states.error(), NOW, UTC);
  const main = view.agents[0];
  assert.equal(main?.storeLine.text, 'Store unusable');
  assert.equal(main?.lastSync.tone, 'now');
  assert.match(main?.lastSync.text ?? '', /^Sync failed 3 m ago: Could not lock/);
  assert.match(main?.notes[0]?.text ?? '', /is not valid JSON/);
});

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

test('hostile strings come out masked and escaped in every part of the view', () => {
  const view = buildView(states.hostile(), NOW, UTC);
  // The raw agent id is kept only to hand back to revealStore; everything else is for display.
  const all = strings({ ...view, agents: view.agents.map(({ rawAgentId: _raw, ...a }) => a) });
  for (const secret of PLANTED_SECRETS) assert.ok(!all.some((s) => s.includes(secret)), 'no planted secret survives');
  for (const s of all)
    assert.doesNotMatch(s, /[\u0000-\u001f\u007f-\u009f\u202e]/, `no raw control character in ${JSON.stringify(s)}`);
  const joined = all.join(' ');
  for (const escape of ['\\u202e', '\\x1b', '\\n', '\\x07', '\\x00', '\\x85'])
    assert.ok(joined.includes(escape), `shows ${escape}`);
  assert.equal(view.agents[0]?.rawAgentId, 'ev\u202eil<b>agent</b>');
});

test('the token check says what is wrong, never echoing the token', () => {
  const good = 'sk-ant-oat01-' + 'A1_b-'.repeat(16);
  assert.deepEqual(checkToken(`  ${good}\n`), { ok: true, token: good, kind: 'setup-token' });
  assert.deepEqual(checkToken('sk-ant-api03-' + 'k'.repeat(60)), {
    ok: true,
    token: 'sk-ant-api03-' + 'k'.repeat(60),
    kind: 'api-key',
  });
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['sk-ant-oat01-abc def' + 'x'.repeat(80), /space or line break at character 17/],
    ['sk-ant-ort01-' + 'r'.repeat(80), /refresh token/],
    ['hello-world-secretvalue', /not an Anthropic setup token/],
    ['sk-ant-oat01-' + 'x'.repeat(40) + '%' + 'x'.repeat(40), /Character 54 is not allowed/],
    ['sk-ant-oat01-' + 'x'.repeat(30), /Too short for a setup token: 43 characters, at least 93/],
    ['sk-ant-api03-abc9', /Too short for an API key/],
  ];
  for (const [input, message] of bad) {
    const r = checkToken(input);
    assert.equal(r.ok, false, input);
    if (r.ok) continue;
    assert.match(r.error, message);
    const body = input.trim().replace(/^sk-ant-[a-z]+\d*-/, '');
    if (body.length >= 3) assert.ok(!r.error.includes(body), `the message does not repeat ${JSON.stringify(input)}`);
  }
  assert.deepEqual(checkProfileId(''), { ok: true, profileId: undefined });
  assert.deepEqual(checkProfileId('anthropic:work'), { ok: true, profileId: 'anthropic:work' });
  assert.equal(checkProfileId('openai:x').ok, false);
  assert.equal(checkProfileId('anthropic:a b').ok, false);
  assert.deepEqual(checkExpiresInDays('30'), { ok: true, days: 30 });
  assert.equal(checkExpiresInDays('0').ok, false);
  assert.equal(checkExpiresInDays('1.5').ok, false);
});

test('the settings form gives a patch of what changed, or names the wrong field', () => {
  const form: SettingsForm = {
    warnHours: '24',
    notifications: true,
    allAgents: true,
    agents: [],
    terminal: '',
    tokenReminderDays: '30',
  };
  assert.deepEqual(settingsPatch(settings, form), { ok: true, patch: {} });
  assert.deepEqual(
    settingsPatch(settings, {
      ...form,
      warnHours: '48',
      notifications: false,
      terminal: ' iTerm ',
      tokenReminderDays: '14',
    }),
    {
      ok: true,
      patch: { warnHours: 48, notifications: false, terminal: 'iTerm', tokenReminderDays: 14 },
    },
  );
  assert.deepEqual(settingsPatch(settings, { ...form, allAgents: false, agents: ['main', 'work'] }), {
    ok: true,
    patch: { agents: ['main', 'work'] },
  });
  assert.deepEqual(
    settingsPatch({ ...settings, agents: ['work', 'main'] }, { ...form, allAgents: false, agents: ['main', 'work'] }),
    { ok: true, patch: {} },
  );
  assert.deepEqual(settingsPatch({ ...settings, agents: ['main'] }, form), { ok: true, patch: { agents: null } });
  const wrong: Array<[Partial<SettingsForm>, string]> = [
    [{ warnHours: '0' }, 'warnHours'],
    [{ warnHours: 'soon' }, 'warnHours'],
    [{ warnHours: '9000' }, 'warnHours'],
    [{ tokenReminderDays: '0' }, 'tokenReminderDays'],
    [{ tokenReminderDays: '366' }, 'tokenReminderDays'],
    [{ allAgents: false, agents: [] }, 'agents'],
    [{ terminal: 'a\nb' }, 'terminal'],
  ];
  for (const [change, field] of wrong) {
    const r = settingsPatch(settings, { ...form, ...change });
    assert.equal(r.ok, false, JSON.stringify(change));
    if (!r.ok) assert.equal(r.field, field);
  }
});
