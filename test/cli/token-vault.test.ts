/**
 * The vault against a real gnome-keyring in a D-Bus session started by the test: add, list,
 * remove, a restart (new session, new processes) that reads back; and no keyring at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AUTHBAR_BIN, ROOT, assertNoSecrets, makeHome, runAuthbar, secret } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import { scanTreeForSecrets } from '../support/secret-scan.js';

const skip = keyringUnavailable();
const VAULT_JS = join(ROOT, 'dist', 'main', 'engine', 'tokens', 'vault.js');
const fp = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

/** Reads the vault entry in a new process and prints only its fingerprint (never the secret). */
async function vaultFingerprint(env: Record<string, string>, profileId: string): Promise<string> {
  const script = `import(${JSON.stringify(VAULT_JS)}).then(async (m) => { const v = await m.openVault(process.env); const s = await v.get(${JSON.stringify(profileId)}); const { createHash } = await import('node:crypto'); console.log(s === null ? 'none' : createHash('sha256').update(s).digest('hex').slice(0, 12)); })`;
  const r = await runInKeyringSession(process.execPath, ['-e', script], env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test(
  'vault: add, list, restart and read back, remove — against a real gnome-keyring',
  { skip: skip ?? false },
  async (t) => {
    const h = makeHome();
    // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
    mkdirSync(h.state, { mode: 0o700 });
    t.after(() => h.cleanup());
    const env = keyringEnv(h.home, h.env);
    const token = secret('setup');

    const add = await runInKeyringSession(
      process.execPath,
      [AUTHBAR_BIN, 'token', 'add', '--provider', 'anthropic', '--expires-in', '365d'],
      env,
      { stdin: token + '\n' },
    );
    assertNoSecrets('token add', add.stdout + add.stderr);
    assert.equal(add.code, 0, add.stderr);
    assert.match(
      add.stdout,
      /anthropic:setup-token: sk-ant-oat01-….{4} \(fingerprint [0-9a-f]{12}\) kept in the OS keyring/,
    );
    assert.match(add.stdout, /landed in agent main/);

    // Restart: a new D-Bus session and keyring daemon over the same keyring files, a new process.
    assert.equal(await vaultFingerprint(env, 'anthropic:setup-token'), fp(token));
    const list = await runAuthbar(['token', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const listed = JSON.parse(list.stdout) as {
      tokens: Array<{
        profileId: string;
        fingerprint: string;
        inVault: boolean;
        landedIn: string[];
        expiresAt: number;
      }>;
    };
    assert.equal(listed.tokens.length, 1);
    assert.equal(listed.tokens[0]?.fingerprint, fp(token));
    assert.equal(listed.tokens[0]?.inVault, true);
    assert.deepEqual(listed.tokens[0]?.landedIn, ['main']);
    const table = await runAuthbar(['token', 'list'], env);
    assert.match(
      table.stdout,
      /anthropic:setup-token\s+sk-ant-oat01-…\S{4}\s+at least 0 d\s+\d{4}-\d\d-\d\d \(in 36[45] d/,
    );

    // The state file is 0600 and holds no secret; nothing in HOME but the keyring holds it.
    const state = h.readJson('.config/authbar/state.json');
    assert.equal(state.tokens['anthropic:setup-token'].fingerprint, fp(token));
    const keyringDir = join(env['XDG_DATA_HOME'] as string, 'keyrings');
    assert.deepEqual(scanTreeForSecrets(h.home, [token], { except: [keyringDir, h.path(h.agentStore())] }), []);

    // Sync with the gateway's copy gone lands it again from the keyring.
    h.write(h.agentStore(), { version: 1, profiles: {} });
    const sync = await runInKeyringSession(process.execPath, [AUTHBAR_BIN, 'sync'], env);
    assertNoSecrets('sync', sync.stdout + sync.stderr);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /vault anthropic:setup-token: landed in agent main/);
    assert.equal(h.readJson(h.agentStore()).profiles['anthropic:setup-token'].token, token);

    const remove = await runInKeyringSession(
      process.execPath,
      [AUTHBAR_BIN, 'token', 'remove', 'anthropic:setup-token'],
      env,
    );
    assert.equal(remove.code, 0, remove.stderr);
    assert.match(
      remove.stdout,
      /Removed anthropic:setup-token from AuthBar's vault \(OS keyring\)\. The gateway still has it: to remove it there, `delete "anthropic:setup-token" from "profiles"/,
    );
    assert.equal(await vaultFingerprint(env, 'anthropic:setup-token'), 'none');
    assert.deepEqual(h.readJson('.config/authbar/state.json').tokens, {});
    const again = await runInKeyringSession(
      process.execPath,
      [AUTHBAR_BIN, 'token', 'remove', 'anthropic:setup-token'],
      env,
    );
    assert.equal(again.code, 64);
    assert.match(again.stderr, /no token anthropic:setup-token in AuthBar's vault/);
  },
);

test(
  'no keyring: one sentence, exit 69, nothing stored; --no-vault lands in the gateway only',
  { skip: process.platform === 'linux' ? false : 'without AUTHBAR_KEYCHAIN=off this would reach the real OS keychain' },
  async (t) => {
    const h = makeHome();
    // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
    mkdirSync(h.state, { mode: 0o700 });
    t.after(() => h.cleanup());
    const token = secret('setup');
    // No D-Bus session at all: no session bus address, and a runtime dir with no bus in it.
    const env = { ...keyringEnv(h.home, h.env), XDG_RUNTIME_DIR: h.path('run') };
    const r = await runAuthbar(['token', 'add', '--provider', 'anthropic'], env, { stdin: token });
    assert.equal(r.code, 69, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^authbar: No OS keyring is available to AuthBar \(.*\): install and unlock a Secret Service keyring .*or run with --no-vault to land the token in the gateway only\.\n$/,
    );
    assert.equal(h.exists(h.agentStore()), false, 'nothing landed');
    assert.equal(h.exists('.config/authbar/state.json'), false, 'nothing recorded');

    const off = await runAuthbar(
      ['token', 'add', '--provider', 'anthropic'],
      { ...env, AUTHBAR_KEYCHAIN: 'off' },
      { stdin: token },
    );
    assert.equal(off.code, 69);
    assert.match(off.stderr, /AUTHBAR_KEYCHAIN=off/);

    const noVault = await runAuthbar(['token', 'add', '--provider', 'anthropic', '--no-vault'], env, { stdin: token });
    assert.equal(noVault.code, 0, noVault.stderr);
    assert.match(noVault.stdout, /not kept by AuthBar \(--no-vault\)/);
    assert.equal(h.readJson(h.agentStore()).profiles['anthropic:setup-token'].token, token);
    assert.equal(h.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'].inVault, false);
  },
);

test('token add says precisely what is wrong with a bad token, and never echoes it', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const good = secret('setup');
  const cases: Array<[string, RegExp]> = [
    [good.slice(0, 13 + 70), /too short by 10 characters/],
    [good.slice(0, 60) + '\n' + good.slice(60), /line break in the middle.*authbar setup-token/],
    [good.slice(0, 60) + ' ' + good.slice(60), /whitespace in the middle/],
    ['sk-ant-xyz01-' + good.slice(13), /wrong prefix/],
    ['', /nothing was read from stdin/],
  ];
  for (const [input, why] of cases) {
    const r = await runAuthbar(['token', 'add', '--provider', 'anthropic', '--no-vault'], h.env, { stdin: input });
    assert.equal(r.code, 65, `${why}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'one sentence');
    if (input.length > 20) assert.ok(!r.stderr.includes(input.slice(13, 40)));
  }
  assert.equal(h.exists(h.agentStore()), false);
  assert.equal((await runAuthbar(['token', 'add'], h.env, { stdin: good })).code, 64, '--provider is required');
  assert.equal(
    (await runAuthbar(['token', 'add', '--provider', 'openai', '--no-vault'], h.env, { stdin: good })).code,
    64,
  );
  assert.equal(
    (
      await runAuthbar(
        ['token', 'add', '--provider', 'anthropic', '--no-vault', '--profile-id', 'anthropic:claude-cli'],
        h.env,
        { stdin: good },
      )
    ).code,
    64,
  );
});

test('under OpenClaw without the openclaw command: one sentence, exit 74, nothing recorded', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const r = await runAuthbar(
    ['token', 'add', '--provider', 'anthropic', '--no-vault'],
    { ...h.env, AUTHBAR_GATEWAY: 'openclaw', PATH: '/usr/bin:/bin' },
    { stdin: secret('setup') },
  );
  assert.equal(r.code, 74, r.stderr);
  assert.match(
    r.stderr,
    /^authbar: The `openclaw` command is not on PATH: install OpenClaw, or set "gatewayCli" in AuthBar's settings file to its full path\.\n$/,
  );
  assert.equal(h.exists('.config/authbar/state.json'), false);
  assert.equal(h.exists('.clawdbot'), false, 'under OpenClaw no JSON store is ever written');
});
