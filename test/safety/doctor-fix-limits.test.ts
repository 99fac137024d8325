/**
 * What doctor --fix leaves alone and how it moves a store aside: a live lock dated in the future
 * stays (and nothing is written under it); a moved-aside store is private, shown by its full
 * path, and listed by later runs.
 * Each with AuthBar's own code in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { makeHome, withLogin } from '../support/home.js';
import { doctorJson, runCli } from '../support/cli.js';
import { sha256File as sha } from '../support/fsutil.js';

test('doctor --fix leaves a live proper-lockfile lock dated in the future, and writes nothing under it', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const store = h.write(h.agentStore(), { version: 1, profiles: {} });
  const before = sha(store);
  // A real holder, as Clawdbot takes it (stale 30 s, so it refreshes every 15 s).
  let compromised: Error | undefined;
  const release = await lockfile.lock(store, {
    stale: 30_000,
    realpath: false,
    onCompromised: (err) => (compromised = err),
  });
  t.after(() => release().catch(() => undefined));
  const future = new Date(Date.now() + 2 * 60_000);
  utimesSync(`${store}.lock`, future, future);
  // AuthBar in a process of its own: the lock's holder (this test, as the gateway) is another process.
  const fixed = await doctorJson(h.env, true, 'own-process');
  const lock = fixed.checks.find((c) => c.id === 'lock:main');
  assert.equal(lock?.verdict, 'warn', JSON.stringify(fixed.checks));
  assert.match(lock?.message ?? '', /in the future.*does not remove it/);
  assert.match(lock?.fix ?? '', /^rmdir .*auth-profiles\.json\.lock/);
  assert.ok(existsSync(`${store}.lock`), 'the lock is still there');
  assert.equal(sha(store), before, 'nothing was written under the holder');
  assert.equal(await lockfile.check(store, { stale: 30_000, realpath: false }), true);
  await release();
  assert.equal(compromised, undefined);
});

test('doctor --fix makes the moved-aside store 0600 (and the agent dir 0700), shows its path unmasked, and lists it afterwards', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const agent = h.path('.clawdbot', 'agents', 'main', 'agent');
  const store = h.write(
    h.agentStore(),
    '{"version":1,"profiles":{"openai:k":{"type":"api_key","provider":"openai","key":"x"}',
    0o644,
  );
  chmodSync(agent, 0o755);
  const fixed = await doctorJson(h.env, true);
  const moved = fixed.checks.find((c) => c.id === 'store:main');
  assert.equal(moved?.verdict, 'fixed', JSON.stringify(fixed.checks));
  const aside = readdirSync(agent).filter((n) => n.startsWith('auth-profiles.json.corrupt-'));
  assert.equal(aside.length, 1);
  const asidePath = join(agent, aside[0] as string);
  // The path AuthBar made is shown as it is, in --json and in the human output.
  assert.ok(moved?.message.includes(asidePath), `path shown in full: ${moved?.message}`);
  // Private, whatever mode the broken store had; the agent dir is fixed in the same run.
  assert.equal(statSync(asidePath).mode & 0o777, 0o600);
  assert.equal(statSync(agent).mode & 0o777, 0o700);
  const later = await runCli(['doctor'], h.env);
  assert.ok(later.stdout.includes(asidePath), later.stdout);
  assert.match(later.stdout, /moved aside \(mode 600\)/);
  assert.ok(statSync(store).isFile(), 'a fresh store was written');
});

test('doctor warns about a moved-aside store others can read; --fix makes it 0600', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  h.write(h.agentStore(), { version: 1, profiles: {} });
  const aside = h.write(`${h.agentStore()}.corrupt-2026-01-02T03-04-05-678Z`, '{"version":1,', 0o644);
  const report = await doctorJson(h.env, false);
  const check = report.checks.find((c) => c.id.startsWith('moved-aside:main:'));
  assert.equal(check?.verdict, 'warn', JSON.stringify(report.checks));
  assert.ok(check?.message.includes(aside), check?.message);
  assert.equal(check?.fix, `chmod 600 ${aside}`);
  await doctorJson(h.env, true);
  assert.equal(statSync(aside).mode & 0o777, 0o600);
});
