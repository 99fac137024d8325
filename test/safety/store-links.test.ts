/**
 * A symlinked store never hands the tokens to another user (a shared sticky dir, a dir another
 * user owns) and a dangling link is refused without creating its target; a link to the user's own
 * private file still works.
 * Each with AuthBar's own code in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHome, withLogin } from '../support/home.js';
import { runCli } from '../support/cli.js';

test('a store linked into a shared sticky dir, or into a dir another user owns, is not written (73)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const agent = h.path('.clawdbot', 'agents', 'main', 'agent');
  mkdirSync(agent, { recursive: true, mode: 0o700 });
  // A sticky world-writable dir, like /tmp.
  const shared = mkdtempSync(join(tmpdir(), 'authbar-shared-'));
  t.after(() => rmSync(shared, { recursive: true, force: true }));
  chmodSync(shared, 0o1777);
  const target = join(shared, 'store.json');
  writeFileSync(target, '{"version":1,"profiles":{}}\n', { mode: 0o600 });
  symlinkSync(target, join(agent, 'auth-profiles.json'));
  const r = await runCli(['sync'], h.env);
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assert.match(r.stderr, /shared directory \(mode 1777\)/);
  assert.equal(readFileSync(target, 'utf8'), '{"version":1,"profiles":{}}\n');
  assert.deepEqual(readdirSync(shared), ['store.json'], 'no lock or temp file left in the shared dir');
  if (process.getuid?.() === 0) {
    // Run as root: a private dir that belongs to another user.
    const theirs = mkdtempSync(join(tmpdir(), 'authbar-theirs-'));
    t.after(() => rmSync(theirs, { recursive: true, force: true }));
    chownSync(theirs, 65534, 65534);
    const file = join(theirs, 'store.json');
    writeFileSync(file, '{"version":1,"profiles":{}}\n', { mode: 0o600 });
    chownSync(file, 65534, 65534);
    rmSync(join(agent, 'auth-profiles.json'));
    symlinkSync(file, join(agent, 'auth-profiles.json'));
    const r2 = await runCli(['sync'], h.env);
    assert.equal(r2.code, 73, r2.stdout + r2.stderr);
    assert.match(r2.stderr, /belongs to .*uid 65534/);
    assert.equal(readFileSync(file, 'utf8'), '{"version":1,"profiles":{}}\n');
  }
  // A link to a private file the same user owns still works.
  const mine = mkdtempSync(join(tmpdir(), 'authbar-mine-'));
  t.after(() => rmSync(mine, { recursive: true, force: true }));
  chmodSync(mine, 0o700);
  writeFileSync(join(mine, 'store.json'), '{"version":1,"profiles":{}}\n', { mode: 0o600 });
  rmSync(join(agent, 'auth-profiles.json'));
  symlinkSync(join(mine, 'store.json'), join(agent, 'auth-profiles.json'));
  const ok = await runCli(['sync'], h.env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(
    JSON.parse(readFileSync(join(mine, 'store.json'), 'utf8')).profiles['anthropic:claude-cli']?.type,
    'oauth',
  );
});

test('a dangling store link whose target directory exists is 73, and the target is not created', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const agent = h.path('.clawdbot', 'agents', 'main', 'agent');
  mkdirSync(agent, { recursive: true, mode: 0o700 });
  symlinkSync(h.path('x.json'), join(agent, 'auth-profiles.json'));
  const r = await runCli(['sync'], h.env);
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assert.match(r.stderr, /is a symlink to .*x\.json, which does not exist/);
  assert.equal(existsSync(h.path('x.json')), false);
});
