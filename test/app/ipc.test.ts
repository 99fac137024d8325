/**
 * IPC: every channel of the bridge refuses a foreign sender and every malformed payload, and
 * lets the app's own window through (both sides tested: a sender check is one `!` away from
 * letting every frame in). Snapshots are held back until the window is ready.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { AddTokenRequest, CHANNELS } from '../../common/ipc-contract.js';
import { isAppRenderer, registerBridge, SnapshotSender, type BridgeHandlers } from '../../main/app/ipc.js';
import { TOKEN_PROVIDERS as ADD_TOKEN_PROVIDERS } from '../../common/rules.js';
import { SettingsPatch } from '../../common/settings.js';
import { checkProfileId } from '../../main/engine/tokens/land.js';
import { Settings } from '../../main/engine/settings.js';
import { TOKEN_PROVIDERS } from '../../main/engine/tokens/add.js';
import { secret } from '../support/home.js';
import { FakeIpcMain, FakeWebContents } from '../support/fake-electron.js';
import { assertNothingSecretCrossed } from '../support/ipc-log.js';
import { agent, profile, snapshot } from '../support/snapshots.js';

const RENDERER = '/opt/AuthBar/resources/app.asar/dist/renderer/index.html';
const OWN = pathToFileURL(RENDERER).href;
const setupToken = secret('setup');

function setup() {
  const calls: Array<[string, unknown]> = [];
  const snap = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
  const ok = (name: string) => async (arg?: unknown) => {
    calls.push([name, arg]);
    return { ok: true as const, message: name };
  };
  const handlers: BridgeHandlers = {
    getSnapshot: () => {
      calls.push(['getSnapshot', undefined]);
      return snap;
    },
    resync: ok('resync'),
    openSetupToken: ok('openSetupToken'),
    addToken: ok('addToken') as (r: AddTokenRequest) => Promise<{ ok: true; message: string }>,
    revealStore: ok('revealStore') as (a: string) => Promise<{ ok: true; message: string }>,
    getSettings: async () => {
      calls.push(['getSettings', undefined]);
      return Settings.parse({});
    },
    setSettings: ok('setSettings'),
    getHosts: () => {
      calls.push(['getHosts', undefined]);
      return [];
    },
    renewOnHost: ok('renewOnHost') as (h: string) => Promise<{ ok: true; message: string }>,
  };
  const ipc = new FakeIpcMain();
  const unregister = registerBridge(ipc, OWN, handlers);
  return { ipc, calls, unregister, snap };
}

const validArgs: Record<string, unknown[]> = {
  [CHANNELS.getSnapshot]: [],
  [CHANNELS.resync]: [],
  [CHANNELS.openSetupToken]: [],
  [CHANNELS.addToken]: [{ provider: 'anthropic', token: setupToken, profileId: 'anthropic:setup', expiresInDays: 365 }],
  [CHANNELS.revealStore]: ['main'],
  [CHANNELS.getSettings]: [],
  [CHANNELS.setSettings]: [{ warnHours: 48 }],
  [CHANNELS.getHosts]: [],
  [CHANNELS.renewOnHost]: ['vps'],
};

test('ipc: exactly the bridge channels are handled (no push channel, nothing else)', () => {
  const { ipc } = setup();
  assert.deepEqual(
    ipc.channels(),
    Object.values(CHANNELS)
      .filter((c) => c !== CHANNELS.snapshot && c !== CHANNELS.hosts)
      .sort(),
  );
});

test('ipc: the app window is accepted on every channel, with any hash', async () => {
  const { ipc, calls } = setup();
  for (const [channel, args] of Object.entries(validArgs)) {
    await ipc.invoke(`${OWN}#profile=main%2Fanthropic%3Aa`, channel, ...args);
  }
  assert.deepEqual(
    calls.map(([n]) => n),
    [
      'getSnapshot',
      'resync',
      'openSetupToken',
      'addToken',
      'revealStore',
      'getSettings',
      'setSettings',
      'getHosts',
      'renewOnHost',
    ],
  );
});

const foreign = [
  ['a web page', 'https://evil.example/index.html'],
  ['another local file', pathToFileURL('/tmp/evil/index.html').href],
  ['a file beside the renderer', pathToFileURL('/opt/AuthBar/resources/app.asar/dist/renderer/other.html').href],
  ['a path that only starts like it', OWN + '.evil.html'],
  ['a UNC-style file host', OWN.replace('file:///', 'file://evil-host/')],
  ['a data URL', 'data:text/html,<script>1</script>'],
  ['about:blank (a new frame)', 'about:blank'],
  ['a destroyed frame', null],
  ['an empty url', ''],
] as const;

for (const [name, url] of foreign) {
  test(`ipc: refuses ${name} on every channel, before any handler runs`, async () => {
    const { ipc, calls } = setup();
    for (const [channel, args] of Object.entries(validArgs)) {
      await assert.rejects(
        ipc.invoke(url, channel, ...args),
        /AuthBar refused .*did not come from AuthBar's own window/,
      );
    }
    assert.deepEqual(calls, []);
  });
}

test('isAppRenderer: the check itself, both ways', () => {
  assert.equal(isAppRenderer(OWN, OWN), true);
  assert.equal(isAppRenderer(`${OWN}?x=1#y`, OWN), true);
  assert.equal(isAppRenderer('https://evil.example/', OWN), false);
  assert.equal(isAppRenderer(undefined, OWN), false);
  assert.equal(isAppRenderer('not a url', OWN), false);
});

const tooLong = 'sk-ant-oat01-' + 'A'.repeat(5000);
const malformed: Array<[string, string, unknown[]]> = [
  ['getSnapshot with an argument', CHANNELS.getSnapshot, [1]],
  ['resync with an argument', CHANNELS.resync, [{ force: true }]],
  ['addToken without arguments', CHANNELS.addToken, []],
  ['addToken with a string', CHANNELS.addToken, [setupToken]],
  ['addToken with an unknown provider', CHANNELS.addToken, [{ provider: 'evil', token: setupToken }]],
  // The token engine validates Anthropic secrets only: the window must not offer the others.
  ['addToken for openai', CHANNELS.addToken, [{ provider: 'openai', token: secret('api') }]],
  ['addToken for google', CHANNELS.addToken, [{ provider: 'google', token: secret('api') }]],
  ['addToken for openrouter', CHANNELS.addToken, [{ provider: 'openrouter', token: secret('api') }]],
  [
    'addToken with a + in the profile id (the engine refuses it)',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, profileId: 'anthropic:a+b' }],
  ],
  ['addToken with a token too short', CHANNELS.addToken, [{ provider: 'anthropic', token: 'sk-ant' }]],
  ['addToken with a token too long', CHANNELS.addToken, [{ provider: 'anthropic', token: tooLong }]],
  [
    'addToken with a line break in the token',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken.slice(0, 50) + '\n' + setupToken.slice(50) }],
  ],
  [
    'addToken with a space in the token',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken.slice(0, 50) + ' ' + setupToken.slice(50) }],
  ],
  [
    'addToken with a token that is a number',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: 12345678901234567000 }],
  ],
  [
    'addToken with a path in the profile id',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, profileId: 'anthropic:../../x' }],
  ],
  [
    'addToken with an option in the profile id',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, profileId: '--agent=x' }],
  ],
  [
    'addToken with a profile id of another provider',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, profileId: 'openai:default' }],
  ],
  ['addToken with 0 days', CHANNELS.addToken, [{ provider: 'anthropic', token: setupToken, expiresInDays: 0 }]],
  [
    'addToken with fractional days',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, expiresInDays: 1.5 }],
  ],
  [
    'addToken with 10,000 days',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, expiresInDays: 10_000 }],
  ],
  [
    'addToken with days as a string',
    CHANNELS.addToken,
    [{ provider: 'anthropic', token: setupToken, expiresInDays: '30' }],
  ],
  ['addToken with an extra key', CHANNELS.addToken, [{ provider: 'anthropic', token: setupToken, agent: '../x' }]],
  ['addToken with two arguments', CHANNELS.addToken, [{ provider: 'anthropic', token: setupToken }, 'extra']],
  ['revealStore without an id', CHANNELS.revealStore, []],
  ['revealStore with a path', CHANNELS.revealStore, ['../../etc']],
  ['revealStore with an absolute path', CHANNELS.revealStore, ['/etc/passwd']],
  ['revealStore with a dot id', CHANNELS.revealStore, ['..']],
  ['revealStore with a number', CHANNELS.revealStore, [7]],
  ['revealStore with a very long id', CHANNELS.revealStore, ['a'.repeat(65)]],
  ['setSettings with an unknown key', CHANNELS.setSettings, [{ warnHours: 24, evil: true }]],
  ['setSettings with a negative warn window', CHANNELS.setSettings, [{ warnHours: -1 }]],
  ['setSettings with a warn window over a year', CHANNELS.setSettings, [{ warnHours: 24 * 366 }]],
  ['setSettings with notifications as a string', CHANNELS.setSettings, [{ notifications: 'yes' }]],
  ['setSettings with an empty agent id', CHANNELS.setSettings, [{ agents: [''] }]],
  ['setSettings with an unknown refresh mode', CHANNELS.setSettings, [{ refresh: 'always' }]],
  ['setSettings with null', CHANNELS.setSettings, [null]],
  ['setSettings with an array', CHANNELS.setSettings, [[{ warnHours: 1 }]]],
  ['getHosts with an argument', CHANNELS.getHosts, ['vps']],
  ['renewOnHost without a name', CHANNELS.renewOnHost, []],
  ['renewOnHost with an option for a name', CHANNELS.renewOnHost, ['--help']],
  ['renewOnHost with a command for a name', CHANNELS.renewOnHost, ['vps; rm -rf ~']],
  ['renewOnHost with an upper-case name', CHANNELS.renewOnHost, ['VPS']],
  ['renewOnHost with a name too long', CHANNELS.renewOnHost, ['a'.repeat(33)]],
  ['renewOnHost with two names', CHANNELS.renewOnHost, ['vps', 'lab']],
];

for (const [name, channel, args] of malformed) {
  test(`ipc: refuses ${name}`, async () => {
    const { ipc, calls } = setup();
    const err = await ipc.invoke(OWN, channel, ...args).then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(err, 'rejected');
    assert.match(err.message, /AuthBar refused \w+: invalid/);
    assert.doesNotMatch(err.message, /AAAAAAAA|sk-ant-oat01-[A-Za-z0-9]{8}/, 'the refusal never echoes the token');
    assert.deepEqual(calls, []);
  });
}

// The CLI checks --provider against the engine's TOKEN_PROVIDERS itself (it keeps no list of its own).
test('ipc: the window offers exactly the providers the token engine (and the CLI) take', () => {
  assert.deepEqual([...ADD_TOKEN_PROVIDERS], [...TOKEN_PROVIDERS]);
  assert.deepEqual([...ADD_TOKEN_PROVIDERS], ['anthropic']);
});

test('ipc: every profile id the schema lets through is one the token engine takes (or refuses only as reserved)', () => {
  const ids = [
    'anthropic:team',
    'anthropic:a.b_c-d@e',
    'anthropic:X9',
    'anthropic:claude-cli',
    'anthropic:a+b',
    'anthropic:a b',
    'anthropic:',
    'openai:x',
  ];
  for (const id of ids) {
    const schemaOk = AddTokenRequest.safeParse({
      provider: 'anthropic',
      token: setupToken,
      profileId: id,
    }).success;
    const problem = checkProfileId(id, 'anthropic');
    if (schemaOk)
      assert.ok(
        problem === null || /kept in step with its own login/.test(problem),
        `${id}: the schema passes it, the engine says ${problem}`,
      );
  }
  assert.equal(
    AddTokenRequest.safeParse({ provider: 'anthropic', token: setupToken, profileId: 'anthropic:team' }).success,
    true,
  );
});

test('ipc: a settings patch keeps only the keys sent (no defaults fill in the rest)', () => {
  const parsed = SettingsPatch.parse({ warnHours: 48 });
  assert.deepEqual(parsed, { warnHours: 48 });
  assert.deepEqual(
    Object.keys(SettingsPatch.shape).sort(),
    Object.keys(Settings.shape).sort(),
    'every setting can be patched',
  );
  assert.deepEqual(SettingsPatch.parse({}), {});
});

test('ipc: unregistering removes every handler', async () => {
  const { ipc, unregister } = setup();
  unregister();
  assert.deepEqual(ipc.channels(), []);
  await assert.rejects(ipc.invoke(OWN, CHANNELS.resync), /No handler registered/);
});

test('snapshot sender: holds the latest snapshot until the window is ready, then sends it once', async () => {
  const wc = new FakeWebContents();
  const sender = new SnapshotSender();
  sender.attach(wc);
  const a = snapshot({ agents: [agent('main', [])], generatedAt: 1 });
  const b = snapshot({ agents: [agent('main', [])], generatedAt: 2 });
  sender.send(a);
  sender.send(b);
  assert.deepEqual(wc.snapshotsSent(), [], 'nothing before the window is ready');
  wc.emit('did-finish-load');
  assert.deepEqual(
    wc.snapshotsSent().map((s) => (s as { generatedAt: number }).generatedAt),
    [2],
    'only the latest, once',
  );
  sender.send(a);
  assert.equal(wc.snapshotsSent().length, 2, 'sent at once when ready');
  wc.destroyed = true;
  assert.doesNotThrow(() => sender.send(a), 'a destroyed window is skipped, not thrown at');
});

test('snapshot sender: a window that asks for the snapshot itself is ready and gets no stale copy', () => {
  const wc = new FakeWebContents();
  const sender = new SnapshotSender();
  sender.attach(wc);
  sender.send(snapshot({ agents: [] }));
  sender.markReady(false);
  assert.deepEqual(wc.snapshotsSent(), []);
  sender.send(snapshot({ agents: [] }));
  assert.equal(wc.snapshotsSent().length, 1);
});

after(() => assertNothingSecretCrossed());
