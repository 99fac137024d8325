/**
 * The tray's "Add token…" end to end through the real token engine: the app's addToken (as
 * the main process runs it, after the IPC schema) in its own process inside a D-Bus session
 * with a real gnome-keyring, over a temp HOME with Clawdbot stores — and under the real
 * OpenClaw 2026.9.6 (paste-token), run by OpenClaw's Node 24 as Electron's main process would.
 * Every answer is one sentence with the token masked; none holds any piece of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddTokenRequest, CommandResult } from '../../common/bridge.js';
import { describeAddToken, makeAddToken } from '../../main/app/token-command.js';
import type { AddTokenResult } from '../../main/engine/tokens/add.js';
import type { TokenRecord } from '../../main/engine/tokens/state.js';
import { ROOT, DAY, makeHome, runProcess, secret } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import { scanTreeForSecrets } from '../support/secret-scan.js';
import { watchProcesses } from '../support/proc-watch.js';
import { INSTALL_HINT, peerPath } from '../support/peers.js';

const DRIVER = join(ROOT, 'dist', 'test', 'app', 'helpers', 'add-token-driver.js');
const VAULT_JS = join(ROOT, 'dist', 'main', 'engine', 'vault.js');
const skipKeyring = keyringUnavailable();
const OPENCLAW = peerPath('PEER_OPENCLAW', 'openclaw');
const NODE24 = process.env['PEER_NODE24']?.trim() || undefined;
const fp = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

type DriverOut = CommandResult | { refusedByIpc: string };

/** Every 16-character run of the token (and its body alone): none may appear in an answer. */
function assertNoPieceOf(token: string, text: string, what: string): void {
  for (let i = 0; i + 16 <= token.length; i += 4)
    assert.ok(!text.includes(token.slice(i, i + 16)), `${what} holds part of the token`);
  assert.ok(!text.includes(token.slice(13)), `${what} holds the token's body`);
}

function sentence(r: CommandResult): string {
  return r.ok ? r.message : r.error;
}

function assertOneSentence(text: string): void {
  assert.doesNotMatch(text, /\n/, 'one line');
  assert.match(text, /\.$/, 'ends as a sentence');
}

/** The app's addToken in a new process (inside a keyring session when `keyring`). */
async function addInApp(
  env: Record<string, string>,
  req: AddTokenRequest,
  opts: { keyring: boolean; node?: string },
): Promise<DriverOut> {
  const node = opts.node ?? process.execPath;
  const input = JSON.stringify(req);
  const r = opts.keyring
    ? await runInKeyringSession(node, [DRIVER], env, { stdin: input, timeoutMs: 240_000 })
    : await runProcess(node, [DRIVER], env, { stdin: input, timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  assertNoPieceOf(req.token, r.stdout + r.stderr, 'the driver output');
  return JSON.parse(r.stdout) as DriverOut;
}

function asResult(out: DriverOut): CommandResult {
  assert.ok(!('refusedByIpc' in out), `the IPC schema refused: ${'refusedByIpc' in out ? out.refusedByIpc : ''}`);
  return out;
}

/** Reads the vault entry in a new keyring session; prints only its fingerprint. */
async function vaultFingerprint(env: Record<string, string>, profileId: string): Promise<string> {
  const script = `import(${JSON.stringify(VAULT_JS)}).then(async (m) => { const v = await m.openVault(process.env); const s = await v.get(${JSON.stringify(profileId)}); const { createHash } = await import('node:crypto'); console.log(s === null ? 'none' : createHash('sha256').update(s).digest('hex').slice(0, 12)); })`;
  const r = await runInKeyringSession(process.execPath, ['-e', script], env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** Every file under a directory with its bytes and mtime: proves a run changed nothing. */
function tree(root: string, skip: (path: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (skip(p)) continue;
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) out.set(p, `${statSync(p).mtimeMs} ${readFileSync(p, 'latin1')}`);
    }
  };
  walk(root);
  return out;
}

test(
  'app addToken, Clawdbot + real gnome-keyring: lands in the store, one masked sentence; a second add changes nothing',
  { skip: skipKeyring ?? false },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const env = keyringEnv(h.home, h.env);
    mkdirSync(h.path('.clawdbot'), { mode: 0o700 }); // Clawdbot's state dir: the gateway makes it, AuthBar never does
    const token = secret('setup');
    const watch = watchProcesses(() => [token]);

    const first = asResult(
      await addInApp(env, { provider: 'anthropic', token, expiresInDays: 365 }, { keyring: true }),
    );
    assert.equal(first.ok, true, sentence(first));
    assertOneSentence(sentence(first));
    assert.match(
      sentence(first),
      /^Added anthropic:setup-token \(sk-ant-oat01-…[A-Za-z0-9]{4}\): kept in the OS keyring and landed in agent main; it expires on \d{4}-\d\d-\d\d\.$/,
    );
    assert.ok(sentence(first).includes(`…${token.slice(-4)})`), 'the masked form shows the last four characters');

    // The store holds the token with the expiry AuthBar recorded; the keyring holds it; the state file knows it.
    const state = h.readJson('.config/authbar/state.json');
    const rec = state.tokens['anthropic:setup-token'] as TokenRecord;
    assert.equal(rec.fingerprint, fp(token));
    assert.equal(rec.inVault, true);
    assert.deepEqual(rec.landedIn, ['main']);
    assert.ok(rec.expiresAt !== null && Math.abs(rec.expiresAt - (Date.now() + 365 * DAY)) < 5 * 60_000);
    assert.ok(sentence(first).includes(new Date(rec.expiresAt).toISOString().slice(0, 10)));
    assert.deepEqual(h.readJson(h.agentStore()).profiles['anthropic:setup-token'], {
      type: 'token',
      provider: 'anthropic',
      token,
      expires: rec.expiresAt,
    });
    assert.equal(
      await vaultFingerprint(env, 'anthropic:setup-token'),
      fp(token),
      'a new keyring session reads it back',
    );

    // The same token again: no file in HOME changes (the keyring's own files included), and the sentence says so.
    const before = tree(h.home);
    const again = asResult(
      await addInApp(env, { provider: 'anthropic', token, expiresInDays: 365 }, { keyring: true }),
    );
    assert.equal(again.ok, true, sentence(again));
    assert.match(
      sentence(again),
      /^anthropic:setup-token \(sk-ant-oat01-…[A-Za-z0-9]{4}\) is already in the OS keyring and in agent main: nothing changed\.$/,
    );
    assert.deepEqual(tree(h.home), before, 'a second add changes no file');

    assert.deepEqual(watch.stop(), [], 'no process held the token in argv or environment');
    const keyringDir = join(env['XDG_DATA_HOME'] as string, 'keyrings');
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], { except: [keyringDir, h.path(h.agentStore())] }),
      [],
      'the token is in the keyring and the agent store only',
    );
  },
);

test(
  'app addToken, bad tokens: ok:false with a precise sentence that never echoes the token; nothing written',
  { skip: skipKeyring ?? false },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const env = keyringEnv(h.home, h.env);
    const good = secret('setup');
    const cases: Array<[string, RegExp]> = [
      [
        good.slice(0, 13 + 70),
        /^Not added: the setup token is too short by 10 characters \(at least 80 after `sk-ant-oat01-`\): it was probably cut off when copied; run `authbar setup-token` to capture it exactly\.$/,
      ],
      [
        'sk-ant-xyz01-' + good.slice(13),
        /^Not added: wrong prefix: a setup token starts with `sk-ant-oat01-` and an API key with `sk-ant-api`\.$/,
      ],
      [
        'sk-ant-ort01-' + good.slice(13),
        /^Not added: this is an OAuth refresh token, not a setup token or API key: run `authbar setup-token` to mint a setup token\.$/,
      ],
      [
        good.slice(0, 50) + '$' + good.slice(51),
        /^Not added: the setup token contains 1 character a setup token never has/,
      ],
    ];
    for (const [token, why] of cases) {
      const r = asResult(await addInApp(env, { provider: 'anthropic', token }, { keyring: true }));
      assert.equal(r.ok, false);
      assert.match(sentence(r), why);
      assertOneSentence(sentence(r));
      assertNoPieceOf(token, sentence(r), 'the refusal');
    }
    // A profile id the sync owns: refused by the engine, in words without CLI flags.
    const reserved = asResult(
      await addInApp(env, { provider: 'anthropic', token: good, profileId: 'anthropic:claude-cli' }, { keyring: true }),
    );
    assert.equal(reserved.ok, false);
    assert.match(
      sentence(reserved),
      /^Not added: anthropic:claude-cli is kept in step with its own login by `authbar sync`: choose another profile id\.$/,
    );
    assertNoPieceOf(good, sentence(reserved), 'the refusal');
    assert.equal(h.exists(h.agentStore()), false, 'nothing landed');
    assert.equal(h.exists('.config/authbar/state.json'), false, 'nothing recorded');
    assert.equal(await vaultFingerprint(env, 'anthropic:setup-token'), 'none', 'nothing kept');
  },
);

test(
  'app addToken without a keyring: ok:false, one sentence, nothing landed or recorded',
  { skip: process.platform === 'linux' ? false : 'without AUTHBAR_KEYCHAIN=off this would reach the real OS keychain' },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const token = secret('setup');
    // No D-Bus session at all: no session bus address, and a runtime dir with no bus in it.
    const env = { ...keyringEnv(h.home, h.env), XDG_RUNTIME_DIR: h.path('run') };
    const r = asResult(await addInApp(env, { provider: 'anthropic', token, expiresInDays: 365 }, { keyring: false }));
    assert.equal(r.ok, false);
    assertOneSentence(sentence(r));
    assert.match(
      sentence(r),
      /^Not added: no OS keyring is available to AuthBar \(.+\); install and unlock a Secret Service keyring \(gnome-keyring, or KeePassXC with Secret Service on\) in this login session, then add the token again\.$/,
    );
    assert.doesNotMatch(sentence(r), /--no-vault/, 'the window has no --no-vault');
    assert.equal(h.exists(h.agentStore()), false, 'nothing landed silently');
    assert.equal(h.exists('.config/authbar/state.json'), false, 'nothing recorded');

    const off = asResult(
      await addInApp({ ...env, AUTHBAR_KEYCHAIN: 'off' }, { provider: 'anthropic', token }, { keyring: false }),
    );
    assert.equal(off.ok, false);
    assert.match(sentence(off), /^Not added: the OS keyring is turned off for AuthBar \(AUTHBAR_KEYCHAIN=off\)/);
    assertOneSentence(sentence(off));
    assert.equal(h.exists(h.agentStore()), false);
  },
);

test('app addToken, IPC: a provider the engine does not take never reaches it', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const token = secret('api');
  const out = await addInApp(h.env, { provider: 'openai', token }, { keyring: false });
  assert.deepEqual(out, { refusedByIpc: 'provider' });
});

test(
  'app addToken under the real OpenClaw 2026.9.6: lands through paste-token (stdin only), masked sentence, a second add changes nothing',
  {
    skip:
      skipKeyring ??
      (!OPENCLAW
        ? `PEER_OPENCLAW not set: ${INSTALL_HINT}`
        : !NODE24
          ? `PEER_NODE24 not set (the Node 24 that runs OpenClaw, as Electron's main process would): ${INSTALL_HINT}`
          : false),
  },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const env: Record<string, string> = {
      ...keyringEnv(h.home, h.env),
      AUTHBAR_GATEWAY: 'openclaw',
      PATH: `${join(OPENCLAW as string, '..')}:${h.env['PATH']}`,
    };
    const oc = (args: string[]) => runProcess(OPENCLAW as string, args, env, { timeoutMs: 120_000 });
    assert.equal((await oc(['models', 'set', 'anthropic/claude-opus-4-5'])).code, 0);

    const token = secret('setup');
    const watch = watchProcesses(() => [token]);
    const first = asResult(
      await addInApp(
        env,
        { provider: 'anthropic', token, profileId: 'anthropic:team', expiresInDays: 365 },
        { keyring: true, node: NODE24 as string },
      ),
    );
    assert.equal(first.ok, true, sentence(first));
    assert.match(
      sentence(first),
      /^Added anthropic:team \(sk-ant-oat01-…[A-Za-z0-9]{4}\): kept in the OS keyring and landed in OpenClaw; it expires on \d{4}-\d\d-\d\d\.$/,
    );

    const st = await oc(['models', 'status', '--json', '--check']);
    assert.equal(st.code, 0, st.stderr);
    const json = JSON.parse(st.stdout.slice(st.stdout.indexOf('{'))) as {
      auth: { oauth: { profiles: Array<{ profileId: string; type: string; status: string; expiresAt: number }> } };
    };
    const profile = json.auth.oauth.profiles.find((p) => p.profileId === 'anthropic:team');
    const rec = h.readJson('.config/authbar/state.json').tokens['anthropic:team'] as TokenRecord;
    assert.equal(profile?.type, 'token');
    assert.equal(profile?.status, 'ok');
    assert.equal(profile?.expiresAt, rec.expiresAt, 'OpenClaw shows the expiry AuthBar recorded');
    assert.deepEqual(rec.landedIn, ['openclaw']);
    assert.equal(rec.inVault, true);
    assert.equal(h.exists('.clawdbot'), false, 'under OpenClaw no JSON store is ever written');

    const before = tree(h.path('.openclaw'), (p) => p.endsWith('.sqlite-wal') || p.endsWith('.sqlite-shm'));
    const beforeState = h.read('.config/authbar/state.json');
    const again = asResult(
      await addInApp(
        env,
        { provider: 'anthropic', token, profileId: 'anthropic:team', expiresInDays: 365 },
        { keyring: true, node: NODE24 as string },
      ),
    );
    assert.equal(again.ok, true, sentence(again));
    assert.match(
      sentence(again),
      /^anthropic:team \(sk-ant-oat01-…[A-Za-z0-9]{4}\) is already in the OS keyring and in OpenClaw: nothing changed\.$/,
    );
    assert.equal(h.read('.config/authbar/state.json'), beforeState);
    const after = tree(h.path('.openclaw'), (p) => p.endsWith('.sqlite-wal') || p.endsWith('.sqlite-shm'));
    for (const [path, bytes] of before)
      assert.equal(
        after.get(path)?.slice(after.get(path)!.indexOf(' ')),
        bytes.slice(bytes.indexOf(' ')),
        `${path} unchanged`,
      );

    assert.deepEqual(
      watch.stop(),
      [],
      'no process held the token in argv or environment (paste-token read it on stdin)',
    );
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], {
        except: [h.path('.openclaw', 'state'), join(env['XDG_DATA_HOME'] as string, 'keyrings')],
      }),
      [],
      "the token is only in the keyring and OpenClaw's own store",
    );
  },
);

// The wording over every outcome the engine reports (pure: no files).
const record: TokenRecord = {
  provider: 'anthropic',
  profileId: 'anthropic:setup-token',
  kind: 'setup-token',
  fingerprint: 'abcdef012345',
  masked: 'sk-ant-oat01-…Wxyz',
  addedAt: 0,
  mintedAt: null,
  expiresAt: null,
  inVault: true,
  landedIn: ['main'],
};
const okResult = (over: Partial<Extract<AddTokenResult, { ok: true }>>): AddTokenResult => ({
  ok: true,
  record,
  landings: [],
  changed: true,
  gateway: { kind: 'clawdbot', stateDir: '/h/.clawdbot' },
  now: 0,
  ...over,
});

test('app addToken wording: partial landings, skips, no agents, a missing gateway CLI — each one sentence', () => {
  const cases: Array<[AddTokenResult, boolean, RegExp]> = [
    [
      okResult({
        landings: [
          { target: 'main', outcome: 'written', detail: null },
          {
            target: 'work',
            outcome: 'skipped',
            skip: 'no-store-yet',
            detail: "no store yet: Clawdbot copies main's into it on first use",
          },
        ],
      }),
      true,
      /^Added anthropic:setup-token \(sk-ant-oat01-…Wxyz\): kept in the OS keyring and landed in agent main; its expiry is unknown, so AuthBar counts its age from today\.$/,
    ],
    [
      okResult({
        landings: [
          { target: 'main', outcome: 'written', detail: null },
          { target: 'work', outcome: 'failed', detail: 'The auth store /h/work.json does not parse (line 1): fix it.' },
        ],
      }),
      false,
      /^Kept anthropic:setup-token \(sk-ant-oat01-…Wxyz\) in the OS keyring and landed it in agent main, but agent work did not take it \(the auth store \/h\/work\.json does not parse \(line 1\): fix it\)\.$/,
    ],
    [
      okResult({
        landings: [
          {
            target: 'main',
            outcome: 'skipped',
            detail: 'anthropic:setup-token holds an OAuth login there; choose another --profile-id',
          },
        ],
      }),
      false,
      /^Kept anthropic:setup-token \(sk-ant-oat01-…Wxyz\) in the OS keyring, but agent main did not take it \(anthropic:setup-token holds an OAuth login there; choose another profile id\)\.$/,
    ],
    [
      okResult({ landings: [] }),
      false,
      /^Kept anthropic:setup-token \(sk-ant-oat01-…Wxyz\) in the OS keyring, but there is no agent under \/h\/\.clawdbot to land it in: run `authbar sync` once the gateway has one\.$/,
    ],
    [
      {
        ok: false,
        reason: 'not-landed',
        message:
          'The `openclaw` command is not on PATH: install OpenClaw, or set "gatewayCli" in AuthBar\'s settings file to its full path.',
        error: new Error('x'),
        record,
      },
      false,
      /^Kept anthropic:setup-token \(sk-ant-oat01-…Wxyz\) in the OS keyring, but could not land it: the `openclaw` command is not on PATH: install OpenClaw, or set "gatewayCli" in AuthBar's settings file to its full path\.$/,
    ],
    [
      {
        ok: false,
        reason: 'keyring-unavailable',
        message: 'x',
        error: new Error('x'),
        keyring: { cause: 'unreachable', detail: 'no D-Bus' },
      },
      false,
      /^Not added: no OS keyring is available to AuthBar \(no D-Bus\); unlock your login keychain, then add the token again\.$/,
    ],
  ];
  for (const [result, ok, re] of cases) {
    const r = describeAddToken(result, 'darwin');
    assert.equal(r.ok, ok, sentence(r));
    assert.match(sentence(r), re);
    assertOneSentence(sentence(r));
  }
});

test('app addToken: whatever goes wrong, the answer never holds the token', async () => {
  const token = secret('setup');
  // An engine that fails with the token inside its message (it never does; the app must not trust that).
  const add = makeAddToken({
    engine: { env: {} },
    addToken: async () => ({
      ok: false,
      reason: 'state-file',
      message: `The state file holds ${token} and ${token.trim()}.`,
      error: new Error('x'),
    }),
  });
  const r = await add({ provider: 'anthropic', token: `${token}\n` });
  assert.equal(r.ok, false);
  assertNoPieceOf(token, sentence(r), 'the answer');
  assert.match(sentence(r), /sk-ant-oat01-…/);
  const thrown = await makeAddToken({
    engine: { env: {} },
    addToken: async () => {
      throw new Error(`boom ${token}`);
    },
  })({ provider: 'anthropic', token });
  assert.equal(thrown.ok, false);
  assertNoPieceOf(token, sentence(thrown), 'the answer');
});
