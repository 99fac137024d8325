/**
 * Data-safety defects an adversarial review found (review-findings.md F0, F18, F1, F3, F7,
 * F19/F8), each reproduced with the real `authbar` in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { HOUR, claudeCredentials, makeHome, runAuthbar, type TempHome } from '../helpers/home.js';

interface Check {
  id: string;
  verdict: string;
  message: string;
  fix: string | null;
}

async function doctorJson(env: Record<string, string>, fix: boolean): Promise<{ code: number | null; checks: Check[] }> {
  const r = await runAuthbar(fix ? ['doctor', '--fix', '--json'] : ['doctor', '--json'], env);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { code: r.code, checks: (JSON.parse(r.stdout) as { checks: Check[] }).checks };
}

function withLogin(h: TempHome): void {
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

// F0: the store size limit must never make a valid store unusable.

test('F0: a valid 3.7 MiB store is synced (it grows past 4 MiB) and stays readable; doctor --fix keeps every key', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const profiles: Record<string, unknown> = {};
  for (let i = 0; i < 12000; i++) profiles[`openai:k${i}`] = { type: 'api_key', provider: 'openai', key: 'sk-' + 'a'.repeat(40), note: 'x'.repeat(200) };
  const store = h.write(h.agentStore(), JSON.stringify({ version: 1, profiles }));
  const sync = await runAuthbar(['sync'], h.env);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  assert.ok(statSync(store).size > 4 * 1024 * 1024, 'the pretty-printed store is past the old 4 MiB limit');
  const again = await runAuthbar(['sync'], h.env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /up to date/);
  const fixed = await doctorJson(h.env, true);
  assert.ok(!fixed.checks.some((c) => /moved the unusable store aside/.test(c.message)), JSON.stringify(fixed.checks));
  const after = JSON.parse(readFileSync(store, 'utf8')) as { profiles: Record<string, unknown> };
  assert.equal(Object.keys(after.profiles).length, 12001);
  assert.deepEqual(readdirSync(join(store, '..')).filter((n) => n.includes('.corrupt-')), []);
});

test('F0: a sync that would grow a store past the read limit is refused (73) and the store is left byte for byte', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  // 13 MiB compact; two-space indentation puts every array element on its own line: ~68 MiB.
  const big = { version: 1, profiles: { 'openai:k': { type: 'api_key', provider: 'openai', key: 'sk-' + 'a'.repeat(40), n: new Array<number>(6_500_000).fill(1) } } };
  const store = h.write(h.agentStore(), JSON.stringify(big));
  const before = sha(store);
  const r = await runAuthbar(['sync'], h.env, { timeoutMs: 120_000 });
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assert.match(r.stderr, /would be [\d.]+ MiB, more than the 64\.0 MiB AuthBar reads back/);
  assert.equal(sha(store), before);
});

test('F0: doctor --fix never moves aside a store only for being too big to read', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  // Valid JSON, 65 MiB: past the read limit.
  const store = h.write(h.agentStore(), `{"version":1,"profiles":{},"pad":"${'p'.repeat(65 * 1024 * 1024)}"}`);
  const before = sha(store);
  const report = await doctorJson(h.env, false);
  const fail = report.checks.find((c) => c.id === 'store:main');
  assert.ok(fail && fail.verdict === 'fail' && /more than the 64\.0 MiB/.test(fail.message), JSON.stringify(report.checks));
  assert.ok(!/doctor --fix/.test(fail.fix ?? ''), `no --fix offered for a too-big store: ${fail.fix}`);
  const fixed = await doctorJson(h.env, true);
  assert.ok(!fixed.checks.some((c) => c.verdict === 'fixed' && c.id === 'store:main'), JSON.stringify(fixed.checks));
  assert.equal(sha(store), before);
  assert.deepEqual(readdirSync(join(store, '..')).filter((n) => n.includes('.corrupt-')), []);
});



// F18: a lock dated in the future may be a live holder's (the clock was stepped back).

test('F18: doctor --fix leaves a live proper-lockfile lock dated in the future, and writes nothing under it', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const store = h.write(h.agentStore(), { version: 1, profiles: {} });
  const before = sha(store);
  // A real holder, as Clawdbot takes it (stale 30 s, so it refreshes every 15 s).
  let compromised: Error | undefined;
  const release = await lockfile.lock(store, { stale: 30_000, realpath: false, onCompromised: (err) => (compromised = err) });
  t.after(() => release().catch(() => undefined));
  const future = new Date(Date.now() + 2 * 60_000);
  utimesSync(`${store}.lock`, future, future);
  const fixed = await doctorJson(h.env, true);
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
