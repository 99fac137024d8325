/** The menu model: the lines in words, the actions, their enabled and checked states. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  flattenMenu,
  menuModel,
  profilePhrase,
  tomorrowMorning,
  type MenuContext,
  type MenuItemModel,
} from '../../main/app/menu-model.js';
import { safeLabel } from '../../main/app/safe-label.js';
import { scrubSecrets } from '../../main/engine/secrets/scrub.js';
import type { EngineState } from '../../main/app/engine-service.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';
import { claudeProvider, liveProblemView, liveView } from '../support/live-fixtures.js';
import type { LiveView } from '../../common/snapshot.js';

const ctx = (over: Partial<MenuContext> = {}): MenuContext => ({
  now: NOW,
  resyncing: false,
  loginItem: { supported: true, enabled: false, note: null },
  pausedUntil: null,
  formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
  ...over,
});
const byId = (items: MenuItemModel[], id: string) => {
  const found = flattenMenu(items).find((i) => i.id === id);
  assert.ok(found, `menu item ${id}`);
  return found;
};
const st = (s: EngineState['snapshot'], error: string | null = null): EngineState => ({ snapshot: s, error });

const phrases: Array<[string, Parameters<typeof profilePhrase>[0], RegExp]> = [
  ['refreshable oauth', profile({ profileId: 'anthropic:claude-cli' }), /^refreshes by itself$/],
  [
    'refreshable oauth whose refresh was refused',
    profile({
      profileId: 'anthropic:claude-cli',
      attention: 'now',
      reason: 'refresh refused (invalid_grant): sign in again',
    }),
    /^refresh refused \(invalid_grant\): sign in again$/,
  ],
  ['api key', profile({ profileId: 'anthropic:api', type: 'api_key' }), /^API key, does not expire$/],
  [
    'setup token, 3 days left',
    setupToken('anthropic:setup', NOW + 3 * DAY + 5 * HOUR, 'soon'),
    /^expires in 3 d — run claude setup-token$/,
  ],
  ['setup token, 41 days left, calm', setupToken('anthropic:setup', NOW + 41 * DAY, 'none'), /^expires in 41 d$/],
  [
    'setup token expired 2 h ago',
    setupToken('anthropic:setup', NOW - 2 * HOUR - 60_000, 'now'),
    /^expired 2 h ago — run claude setup-token$/,
  ],
  [
    'setup token with a renew command from its age view',
    setupToken('anthropic:setup', NOW - DAY * 3, 'now', {
      token: {
        firstSeenAt: NOW - 400 * DAY,
        ageMs: 400 * DAY,
        mintedAt: null,
        expiresAt: NOW - 3 * DAY,
        expiryKind: 'estimated',
        inVault: true,
        renewCommand: 'authbar setup-token',
      },
    }),
    /^expired 3 d ago — run authbar setup-token$/,
  ],
  [
    'static token with an estimated expiry',
    setupToken('anthropic:setup', null, 'none', {
      token: {
        firstSeenAt: NOW - 300 * DAY,
        ageMs: 300 * DAY,
        mintedAt: null,
        expiresAt: NOW + 65 * DAY,
        expiryKind: 'estimated',
        inVault: false,
        renewCommand: 'authbar setup-token',
      },
    }),
    /^about expires in 65 d$/,
  ],
  ['static token, nothing known', setupToken('openai:key', null, 'none'), /^no expiry recorded$/],
  [
    'disabled for billing',
    profile({
      profileId: 'anthropic:work',
      attention: 'now',
      disabledUntil: NOW + 5 * HOUR,
      disabledReason: 'billing',
    }),
    /^disabled \(billing\) for 5 h$/,
  ],
  [
    'token in cooldown',
    setupToken('anthropic:setup', NOW + 90 * DAY, 'soon', { cooldownUntil: NOW + 12 * 60_000 }),
    /^cooling down for 12 m$/,
  ],
];
for (const [name, p, want] of phrases) {
  test(`menu words: ${name}`, () => assert.match(profilePhrase(p, NOW), want));
}

test('menu: the gateway line, a line per profile, then every action in order', () => {
  const s = snapshot({
    gateway: 'openclaw',
    version: '2026.9.6',
    agents: [
      agent('main', [
        profile({ profileId: 'anthropic:default' }),
        setupToken('anthropic:setup', NOW + 3 * DAY, 'soon'),
      ]),
    ],
    reasons: ['anthropic:setup expires in 3 d'],
  });
  const items = menuModel(st(s), ctx());
  assert.deepEqual(
    items.filter((i) => i.type !== 'separator').map((i) => i.label),
    [
      'OpenClaw 2026.9.6 — attention soon',
      'anthropic:setup expires in 3 d',
      '✓ anthropic:default — refreshes by itself',
      '⚠ anthropic:setup — expires in 3 d — run claude setup-token',
      'Resync now',
      'Run `claude setup-token` in a terminal…',
      'Add token…',
      'Show details…',
      'Open the auth store folder',
      'Launch at login',
      'Pause notifications',
      'Quit AuthBar',
    ],
  );
  assert.equal(byId(items, 'headline').enabled, false, 'the headline is information, not a button');
  assert.deepEqual(byId(items, 'profile:main/anthropic:setup').action, {
    kind: 'show-profile',
    agentId: 'main',
    profileId: 'anthropic:setup',
  });
  assert.deepEqual(byId(items, 'open-store').action, { kind: 'open-store', agentId: 'main' });
  for (const id of ['resync', 'setup-token', 'add-token', 'show-details', 'open-store', 'quit'])
    assert.equal(byId(items, id).enabled, true, id);
  assert.equal(byId(items, 'pause:resume').enabled, false, 'nothing to resume');
});

const states: Array<{
  name: string;
  state: EngineState;
  c?: Partial<MenuContext>;
  expect: (items: MenuItemModel[]) => void;
}> = [
  {
    name: 'calm Clawdbot',
    state: st(snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] })),
    expect: (items) => assert.equal(byId(items, 'headline').label, 'Clawdbot — all credentials healthy'),
  },
  {
    name: 'now: an expired token and a missing provider',
    state: st(
      snapshot({
        agents: [
          agent('main', [setupToken('anthropic:setup', NOW - 2 * HOUR, 'now')], { missingProviders: ['openai'] }),
        ],
      }),
    ),
    expect: (items) => {
      assert.equal(byId(items, 'headline').label, 'Clawdbot — needs action now');
      assert.equal(
        byId(items, 'profile:main/anthropic:setup').label,
        '✕ anthropic:setup — expired 2 h ago — run claude setup-token',
      );
      assert.match(byId(items, 'missing:main/openai').label, /no credential, but a model uses it/);
    },
  },
  {
    name: 'several agents: a header per agent, a store folder per agent',
    state: st(
      snapshot({
        agents: [
          agent('main', [profile({ profileId: 'anthropic:claude-cli' })]),
          agent('work', [], { error: 'auth-profiles.json does not parse' }),
        ],
      }),
    ),
    expect: (items) => {
      assert.equal(byId(items, 'agent:main').label, 'Agent main');
      assert.match(byId(items, 'agent-error:work').label, /store unreadable: auth-profiles.json does not parse/);
      const store = byId(items, 'open-store');
      assert.equal(store.type, 'submenu');
      assert.deepEqual(
        store.submenu?.map((i) => i.action),
        [
          { kind: 'open-store', agentId: 'main' },
          { kind: 'open-store', agentId: 'work' },
        ],
      );
    },
  },
  {
    name: 'starting: no snapshot yet, no store to open',
    state: st(null),
    expect: (items) => {
      assert.equal(byId(items, 'headline').label, 'AuthBar — checking credentials…');
      assert.equal(byId(items, 'open-store').enabled, false);
      assert.equal(byId(items, 'resync').enabled, true);
    },
  },
  {
    name: 'failed check with stale data says its age',
    state: st(snapshot({ agents: [agent('main', [])], generatedAt: NOW - 3 * HOUR }), 'EACCES'),
    expect: (items) => assert.equal(byId(items, 'stale').label, 'Last check failed — showing data from 3 h ago'),
  },
  {
    name: 'resync running',
    state: st(null),
    c: { resyncing: true },
    expect: (items) => {
      assert.equal(byId(items, 'resync').label, 'Resyncing…');
      assert.equal(byId(items, 'resync').enabled, false);
    },
  },
  {
    name: 'launch at login on, awaiting approval',
    state: st(null),
    c: { loginItem: { supported: true, enabled: true, note: 'approve it in System Settings › General › Login Items' } },
    expect: (items) => {
      const login = byId(items, 'launch-at-login');
      assert.equal(login.type, 'checkbox');
      assert.equal(login.checked, true);
      assert.match(login.label, /approve it in System Settings/);
    },
  },
  {
    name: 'launch at login unsupported',
    state: st(null),
    c: { loginItem: { supported: false, enabled: false, note: null } },
    expect: (items) => assert.equal(byId(items, 'launch-at-login').enabled, false),
  },
  {
    name: 'notifications paused',
    state: st(null),
    c: { pausedUntil: NOW + HOUR },
    expect: (items) => {
      assert.equal(byId(items, 'pause').label, 'Notifications paused until 07:00');
      assert.equal(byId(items, 'pause:resume').enabled, true);
      assert.deepEqual(byId(items, 'pause:hour').action, { kind: 'pause', until: 'hour' });
      assert.deepEqual(byId(items, 'pause:tomorrow').action, { kind: 'pause', until: 'tomorrow' });
    },
  },
  {
    name: 'a pause that has run out reads as not paused',
    state: st(null),
    c: { pausedUntil: NOW - 1 },
    expect: (items) => assert.equal(byId(items, 'pause').label, 'Pause notifications'),
  },
];
for (const s of states) test(`menu: ${s.name}`, () => s.expect(menuModel(s.state, ctx(s.c))));

test('menu: every item has a unique id', () => {
  const s = snapshot({
    agents: [
      agent('main', [profile({ profileId: 'anthropic:a' }), profile({ profileId: 'anthropic:b' })]),
      agent('work', [profile({ profileId: 'anthropic:a' })]),
    ],
  });
  const ids = flattenMenu(menuModel(st(s), ctx())).map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('menu: file-derived text is stripped of control characters and secrets are masked', () => {
  const token = 'sk-ant-oat01-' + 'Q'.repeat(60) + 'Zz99';
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlc2lnbmF0dXJl';
  const s = snapshot({
    agents: [
      agent('main', [
        profile({
          profileId: 'anthropic:evil\u202e\nname',
          attention: 'now',
          reason: `refresh refused: ${token} ${jwt}`,
        }),
      ]),
    ],
    reasons: [`line one\nline two ${token}`],
  });
  const labels = flattenMenu(menuModel(st(s), ctx()))
    .map((i) => i.label)
    .join('\n---\n');
  assert.doesNotMatch(labels, /Q{20}/);
  assert.doesNotMatch(labels, /eyJleHAi/);
  for (const label of flattenMenu(menuModel(st(s), ctx())).map((i) => i.label))
    assert.doesNotMatch(label, /[\u0000-\u001f\u007f\u202e]/);
  assert.match(labels, /sk-ant-oat01-…Zz99/);
});

test("safeLabel: the engine's scrubber (one masking rule), on one line; keeps ordinary text and paths", () => {
  assert.equal(safeLabel('key sk-proj-abcdefghijklmnopqrstuvwxyz1234 end'), 'key sk-proj-…1234 end');
  assert.equal(safeLabel('/home/u/.clawdbot/agents/main/agent'), '/home/u/.clawdbot/agents/main/agent');
  const rt = 'rt_' + 'aB3xK9qZ'.repeat(6);
  assert.equal(safeLabel(`refresh ${rt}`), `refresh ${scrubSecrets(rt)}`);
  assert.equal(safeLabel(rt), 'rt_…K9qZ');
  assert.equal(safeLabel('claude-opus-4-5-20251101'), 'claude-opus-4-5-20251101', 'model refs stay readable');
  // Line breaks and tabs fold into spaces; other controls are spelled out, not hidden.
  assert.equal(safeLabel('a\tb\r\nc\u0007'), 'a b c\\x07');
  assert.equal(safeLabel('evil\u202eexe.txt'), 'evil\\u202eexe.txt');
  assert.equal(safeLabel('word '.repeat(50), 10), 'word word…');
});

test('tomorrowMorning: 08:00 local time the next day', () => {
  const t = new Date(tomorrowMorning(NOW));
  const n = new Date(NOW);
  assert.equal(t.getHours(), 8);
  assert.equal(t.getMinutes(), 0);
  assert.ok(t.getTime() > NOW && t.getTime() - NOW <= 32 * HOUR);
  assert.notEqual(t.getDate(), n.getDate());
});

const withLive = (live: LiveView | null) =>
  snapshot({ gateway: 'openclaw', agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])], live });
const liveLabels = (live: LiveView | null) =>
  menuModel(st(withLive(live)), ctx({ timeZone: 'UTC' }))
    .filter((i) => i.id.startsWith('live:'))
    .map((i) => i.label);

test('menu, live: usage windows as disabled lines after the profiles, in their own section', () => {
  // NOW is Wed 2 Dec 2026, 06:00 UTC.
  const items = menuModel(st(withLive(liveView(NOW))), ctx({ timeZone: 'UTC' }));
  assert.deepEqual(liveLabels(liveView(NOW)), [
    'Claude — running gateway: ok',
    'Claude 5 h: 42 % · resets 08:00',
    'Claude Week: 18 % · resets Sat 10:00',
    'Claude Opus: 63 % · resets Sat 10:00',
  ]);
  const ids = items.map((i) => i.id);
  assert.ok(ids.indexOf('sep:live') > ids.indexOf('profile:main/anthropic:claude-cli'));
  assert.ok(ids.indexOf('live:usage:anthropic/0') > ids.indexOf('sep:live'));
  assert.ok(ids.indexOf('live:usage:anthropic/2') < ids.indexOf('sep:actions'));
  for (const i of items.filter((x) => x.id.startsWith('live:'))) assert.equal(i.enabled, false, i.id);
});

test('menu, live: near and over the limit are marked; used up; a note when the gateway has no windows', () => {
  const live = liveView(NOW, {
    providers: [
      claudeProvider(NOW, {
        usage: [
          { label: '5h', usedPercent: 100, resetsAt: NOW + 30 * 60_000 },
          { label: 'Week', usedPercent: 81, resetsAt: null },
        ],
      }),
      claudeProvider(NOW, { provider: 'openai-codex', displayName: null, usage: [], usageNote: 'No usage yet.' }),
    ],
  });
  assert.deepEqual(liveLabels(live), [
    'Claude — running gateway: ok',
    '⚠ Claude 5 h: used up · resets 06:30',
    '⚠ Claude Week: 81 %',
    'openai-codex — running gateway: ok',
    'openai-codex usage: No usage yet.',
  ]);
});

test('menu, live: not running, refused, unavailable say what to do; disagreements with their fix; off says nothing', () => {
  assert.deepEqual(liveLabels(liveProblemView(NOW, 'not-running')), [
    '⚠ Gateway not running — Start it: openclaw gateway run',
  ]);
  const refused = liveLabels(liveProblemView(NOW, 'refused'));
  assert.equal(refused[0], '✕ Gateway refused AuthBar — The gateway refused the token AuthBar sent.');
  assert.match(refused[1] ?? '', /^ {4}Set OPENCLAW_GATEWAY_TOKEN/);
  assert.deepEqual(liveLabels(liveProblemView(NOW, 'unavailable')), [
    '⚠ Gateway status unavailable — The gateway did not answer within 5 s.',
  ]);
  assert.deepEqual(liveLabels(liveProblemView(NOW, 'off')), []);
  assert.deepEqual(liveLabels(null), []);
  const ids = menuModel(st(withLive(liveProblemView(NOW, 'off'))), ctx()).map((i) => i.id);
  assert.ok(!ids.includes('sep:live'), 'no empty section');
  const disagree = liveView(NOW, {
    providers: [claudeProvider(NOW, { usage: [] })],
    disagreements: [
      {
        profileId: 'anthropic:manual',
        provider: 'anthropic',
        files: 'ok',
        gateway: 'absent',
        text: 'The running gateway has not loaded it.',
        fix: 'openclaw gateway restart',
      },
    ],
  });
  assert.deepEqual(liveLabels(disagree), [
    '⚠ anthropic:manual — files: ok, gateway: absent',
    '    Fix: openclaw gateway restart',
    'Claude — running gateway: ok',
  ]);
});

test('menu, live: gateway text is a network peer’s: escaped, one line, secrets masked', () => {
  const live = liveView(NOW, {
    providers: [
      claudeProvider(NOW, {
        displayName: `Cl\u001b[2Jaude\u202e\n${'sk-ant-oat01-' + 'Q'.repeat(60)}`,
        usage: [{ label: '5h\u0007', usedPercent: 5, resetsAt: null }],
      }),
    ],
  });
  for (const label of liveLabels(live)) {
    assert.doesNotMatch(label, /[\u0000-\u001f\u007f\u202e]/u);
    assert.doesNotMatch(label, /Q{20}/);
  }
});
