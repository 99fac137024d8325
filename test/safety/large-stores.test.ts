/**
 * Large stores: the read limit never makes a valid store unusable; a sync that would grow a store
 * past it is refused and leaves it byte for byte; doctor --fix never moves a store aside for its size alone.
 * Each with AuthBar's own code in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, runAuthbar, withLogin } from '../support/home.js';
import { doctorJson, runCli } from '../support/cli.js';
import { sha256File as sha } from '../support/fsutil.js';

test('a valid 3.7 MiB store is synced (it grows past 4 MiB) and stays readable; doctor --fix keeps every key', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const profiles: Record<string, unknown> = {};
  for (let i = 0; i < 12000; i++)
    profiles[`openai:k${i}`] = {
      type: 'api_key',
      provider: 'openai',
      key: 'sk-' + 'a'.repeat(40),
      note: 'x'.repeat(200),
    };
  const store = h.write(h.agentStore(), JSON.stringify({ version: 1, profiles }));
  const sync = await runCli(['sync'], h.env);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  assert.ok(statSync(store).size > 4 * 1024 * 1024, 'the pretty-printed store is past the old 4 MiB limit');
  const again = await runCli(['sync'], h.env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /up to date/);
  const fixed = await doctorJson(h.env, true);
  assert.ok(!fixed.checks.some((c) => /moved the unusable store aside/.test(c.message)), JSON.stringify(fixed.checks));
  const after = JSON.parse(readFileSync(store, 'utf8')) as { profiles: Record<string, unknown> };
  assert.equal(Object.keys(after.profiles).length, 12001);
  assert.deepEqual(
    readdirSync(join(store, '..')).filter((n) => n.includes('.corrupt-')),
    [],
  );
});

test('a sync that would grow a store past the read limit is refused (73) and the store is left byte for byte', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  // 13 MiB compact; two-space indentation puts every array element on its own line: ~68 MiB.
  const big = {
    version: 1,
    profiles: {
      'openai:k': {
        type: 'api_key',
        provider: 'openai',
        key: 'sk-' + 'a'.repeat(40),
        n: new Array<number>(6_500_000).fill(1),
      },
    },
  };
  const store = h.write(h.agentStore(), JSON.stringify(big));
  const before = sha(store);
  const r = await runAuthbar(['sync'], h.env, { timeoutMs: 120_000 });
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assert.match(r.stderr, /would be [\d.]+ MiB, more than the 64\.0 MiB AuthBar reads back/);
  assert.equal(sha(store), before);
});

test('doctor --fix never moves aside a store only for being too big to read', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  // Valid JSON, 65 MiB: past the read limit.
  const store = h.write(h.agentStore(), `{"version":1,"profiles":{},"pad":"${'p'.repeat(65 * 1024 * 1024)}"}`);
  const before = sha(store);
  const report = await doctorJson(h.env, false);
  const fail = report.checks.find((c) => c.id === 'store:main');
  assert.ok(
    fail && fail.verdict === 'fail' && /more than the 64\.0 MiB/.test(fail.message),
    JSON.stringify(report.checks),
  );
  assert.ok(!/doctor --fix/.test(fail.fix ?? ''), `no --fix offered for a too-big store: ${fail.fix}`);
  const fixed = await doctorJson(h.env, true);
  assert.ok(!fixed.checks.some((c) => c.verdict === 'fixed' && c.id === 'store:main'), JSON.stringify(fixed.checks));
  assert.equal(sha(store), before);
  assert.deepEqual(
    readdirSync(join(store, '..')).filter((n) => n.includes('.corrupt-')),
    [],
  );
});
