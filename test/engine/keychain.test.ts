/**
 * The macOS Keychain path, against a fake `security` that behaves as the real one does
 * (arguments, output, exit 44 when not found). The real Keychain is never touched here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecurityCliKeychain, decodeSecurityOutput } from '../../main/engine/sources/keychain.js';
import { readClaudeCode } from '../../main/engine/sources/sources.js';
import { resolvePaths, claudeKeychainService, claudeKeychainAccount } from '../../main/engine/paths.js';
import { defaultKeychain } from '../../main/engine/engine.js';
import { noKeychain } from '../../main/engine/ports.js';

/**
 * A stand-in for macOS's `security` tool: `find-generic-password -s S -a A -w` prints the item's
 * password and a newline; an unknown item prints the real message to stderr and exits 44.
 * Items live in a JSON file; every call is appended to a log.
 */
function fakeSecurity(items: Record<string, string>, opts: { delaySeconds?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-security-'));
  const db = join(dir, 'items.json');
  const log = join(dir, 'calls.log');
  writeFileSync(db, JSON.stringify(items));
  const bin = join(dir, 'security');
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const wait = ${opts.delaySeconds ?? 0};
const go = () => {
  if (args[0] !== 'find-generic-password') { process.stderr.write('security: unknown command\\n'); process.exit(1); }
  const get = (f) => { const i = args.indexOf(f); return i === -1 ? undefined : args[i + 1]; };
  const items = JSON.parse(fs.readFileSync(${JSON.stringify(db)}, 'utf8'));
  const value = items[get('-s') + '\\u0000' + get('-a')];
  if (value === undefined) {
    process.stderr.write('security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\\n');
    process.exit(44);
  }
  if (!args.includes('-w')) { process.stdout.write('keychain: "login.keychain-db"\\n'); process.exit(0); }
  process.stdout.write(value + '\\n');
};
wait ? setTimeout(go, wait * 1000) : go();
`,
    { mode: 0o755 },
  );
  return {
    bin,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const item = (expiresAt: number) =>
  JSON.stringify({
    claudeAiOauth: {
      accessToken: 'sk-ant-oat01-kc',
      refreshToken: 'sk-ant-ort01-kc',
      expiresAt,
      scopes: ['user:inference'],
    },
  });

test('Claude Code service names: plain, or suffixed with the hash of CLAUDE_CONFIG_DIR', () => {
  assert.equal(claudeKeychainService(resolvePaths({ HOME: '/h' })), 'Claude Code-credentials');
  const s = claudeKeychainService(resolvePaths({ HOME: '/h', CLAUDE_CONFIG_DIR: '/h/alt' }));
  assert.match(s, /^Claude Code-credentials-[0-9a-f]{8}$/);
  assert.notEqual(s, claudeKeychainService(resolvePaths({ HOME: '/h', CLAUDE_CONFIG_DIR: '/h/other' })));
  assert.equal(claudeKeychainAccount({ USER: 'ada' }, 'x'), 'ada');
  assert.equal(claudeKeychainAccount({}, 'os.user'), 'os.user');
  assert.equal(claudeKeychainAccount({ USER: 'Jöran Ø' }, 'x'), 'claude-code-user');
});

test('on macOS the Keychain item is read with security -s <service> -a <user> -w, and wins over the file', async (t) => {
  const exp = Date.now() + 5 * 3_600_000;
  const fake = fakeSecurity({ ['Claude Code-credentials\u0000ada']: item(exp) });
  t.after(fake.cleanup);
  const paths = resolvePaths({ HOME: '/nonexistent-home' });
  const r = await readClaudeCode({
    paths,
    env: { USER: 'ada' },
    platform: 'darwin',
    keychain: new SecurityCliKeychain(fake.bin),
    now: Date.now(),
    interactive: false,
  });
  assert.equal(r.status, 'ok');
  assert.equal(r.kind, 'keychain');
  assert.equal(r.credential?.expires, exp);
  assert.deepEqual(fake.calls(), [['find-generic-password', '-s', 'Claude Code-credentials', '-a', 'ada', '-w']]);
});

test('exit 44 (not found) falls back to the credentials file, as Claude Code does', async (t) => {
  const fake = fakeSecurity({});
  const home = mkdtempSync(join(tmpdir(), 'authbar-kc-home-'));
  t.after(() => {
    fake.cleanup();
    rmSync(home, { recursive: true, force: true });
  });
  const r1 = await readClaudeCode({
    paths: resolvePaths({ HOME: home }),
    env: { USER: 'ada' },
    platform: 'darwin',
    keychain: new SecurityCliKeychain(fake.bin),
    now: Date.now(),
    interactive: false,
  });
  assert.equal(r1.status, 'absent');
  assert.equal(r1.kind, 'file');
  assert.equal(fake.calls().length, 1);
});

test('a background read that hangs (a Keychain dialog) is abandoned, not left waiting', async (t) => {
  const fake = fakeSecurity(
    { ['Claude Code-credentials\u0000ada']: item(Date.now() + 3_600_000) },
    { delaySeconds: 5 },
  );
  t.after(fake.cleanup);
  const kc = new SecurityCliKeychain(fake.bin, { background: 300, interactive: 10_000 });
  const started = Date.now();
  const r = await kc.readGenericPassword('Claude Code-credentials', 'ada', { interactive: false });
  assert.equal(r.kind, 'unavailable');
  assert.ok(Date.now() - started < 4_000);
});

test('AUTHBAR_KEYCHAIN=off and non-macOS platforms never run security', async () => {
  assert.equal(defaultKeychain({ AUTHBAR_KEYCHAIN: 'off' }, 'darwin'), noKeychain);
  assert.equal(defaultKeychain({}, 'linux'), noKeychain);
  assert.equal(defaultKeychain({}, 'darwin').name, 'security');
  const fake = fakeSecurity({});
  try {
    await readClaudeCode({
      paths: resolvePaths({ HOME: '/nonexistent-home' }),
      env: {},
      platform: 'linux',
      keychain: new SecurityCliKeychain(fake.bin),
      now: Date.now(),
      interactive: false,
    });
    assert.deepEqual(fake.calls(), []);
  } finally {
    fake.cleanup();
  }
});

test('security -w prints non-printable passwords as hex; both forms decode', () => {
  const json = '{"claudeAiOauth":{"accessToken":"x"}}';
  assert.equal(decodeSecurityOutput(json + '\n'), json);
  assert.equal(decodeSecurityOutput(Buffer.from(json + '\n').toString('hex') + '\n'), json + '\n');
});
