/**
 * A damaged OpenClaw state database (real OpenClaw home, garbage written over the SQLite
 * header) is reported as a damaged file, named, with OpenClaw's repair — never as "no
 * usable anthropic credential" with advice to paste a token into it.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { secret } from '../support/home.js';
import {
  NODE24,
  OPENCLAW,
  SKIP_OPENCLAW,
  authbarOn,
  mkTemp,
  ocEnv,
  openclawOk,
  treeDigest,
} from '../support/openclaw-peer.js';

test('a damaged state/openclaw.sqlite is named as damaged, with openclaw doctor --fix or a backup as the fix, and no paste-token advice', async (t) => {
  if (!OPENCLAW || !NODE24) return t.skip(SKIP_OPENCLAW);
  const home = mkTemp('authbar-oc-damaged-');
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = ocEnv(home);
  await openclawOk(
    [
      'models',
      'auth',
      'paste-token',
      '--provider',
      'anthropic',
      '--profile-id',
      'anthropic:default',
      '--expires-in',
      '12h',
    ],
    env,
    secret('setup') + '\n',
  );
  await openclawOk(['models', 'set', 'anthropic/claude-opus-4-6'], env);
  const db = join(home, '.openclaw', 'state', 'openclaw.sqlite');
  const fd = openSync(db, 'r+');
  writeSync(fd, Buffer.from('garbage garbage garbage garbage!'), 0, 32, 0);
  closeSync(fd);
  const before = treeDigest(join(home, '.openclaw'));

  const status = await authbarOn(NODE24, ['status', '--json', '--no-sync'], env);
  const snap = JSON.parse(status.stdout) as {
    agents: Array<{ agentId: string; error: string | null; storePath: string; missingProviders: string[] }>;
    overall: { attention: string; reasons: string[] };
  };
  const main = snap.agents.find((a) => a.agentId === 'main')!;
  assert.ok(main.error?.includes(`state database ${db} cannot be read`), String(main.error));
  assert.match(main.error ?? '', /damaged.*restore it from a backup or run `openclaw doctor --fix`/);
  assert.equal(main.storePath, db);
  assert.deepEqual(main.missingProviders, []);
  assert.equal(snap.overall.attention, 'now');
  assert.ok(!snap.overall.reasons.some((r) => /no usable/.test(r)), snap.overall.reasons.join('; '));
  assert.ok(status.stderr.includes(db), 'stderr names the damaged file');

  const check = await authbarOn(NODE24, ['status', '--check', '--no-sync'], env);
  assert.equal(check.code, 1);
  const doctor = JSON.parse((await authbarOn(NODE24, ['doctor', '--json'], env)).stdout) as {
    checks: Array<{ id: string; verdict: string; message: string; fix: string | null }>;
  };
  const store = doctor.checks.find((c) => c.id === 'store:main');
  assert.equal(store?.verdict, 'fail');
  assert.match(store?.message ?? '', /openclaw\.sqlite cannot be read/);
  assert.equal(store?.fix, 'openclaw doctor --fix');
  assert.ok(!doctor.checks.some((c) => /paste-token|setup-token/.test(c.fix ?? '')), JSON.stringify(doctor.checks));
  assert.deepEqual(
    [...treeDigest(join(home, '.openclaw')).entries()].sort(),
    [...before.entries()].sort(),
    'the damaged file is left as it was',
  );
});
