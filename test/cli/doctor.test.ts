import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, utimesSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { claudeCredentials, makeHome, runAuthbar, secret, HOUR } from '../support/home.js';
import { runDoctorChecks } from '../../main/engine/doctor/doctor.js';
import { profileProblems } from '../../main/engine/gateways/clawdbot/doctor-shapes.js';

interface Check {
  id: string;
  verdict: string;
  message: string;
  fix: string | null;
}
async function doctorJson(env: Record<string, string>, fix = false): Promise<{ code: number | null; checks: Check[] }> {
  const r = await runAuthbar(fix ? ['doctor', '--fix', '--json'] : ['doctor', '--json'], env);
  return { code: r.code, checks: (JSON.parse(r.stdout) as { checks: Check[] }).checks };
}

test('a healthy host checks out (exit 0); no login at all fails with the command to log in', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const empty = await doctorJson(h.env);
  assert.equal(empty.code, 1);
  const claude = empty.checks.find((c) => c.id === 'claude-code');
  assert.equal(claude?.verdict, 'fail');
  assert.match(claude?.fix ?? '', /claude/);

  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  await runAuthbar(['sync'], h.env);
  const healthy = await doctorJson(h.env);
  assert.equal(healthy.code, 0, JSON.stringify(healthy.checks, null, 1));
  assert.ok(healthy.checks.every((c) => c.verdict === 'ok' || c.verdict === 'info'));
});

test('modes: a world-readable store and agent dir warn; --fix makes them 0600 / 0700', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  await runAuthbar(['sync'], h.env);
  const store = h.path(h.agentStore());
  chmodSync(store, 0o644);
  chmodSync(dirname(store), 0o755);
  const before = await doctorJson(h.env);
  assert.equal(before.code, 2);
  const warned = before.checks.filter((c) => c.id.startsWith('mode:') && c.verdict === 'warn');
  assert.equal(warned.length, 2);
  assert.ok(warned.some((c) => c.fix === `chmod 600 ${store}`));

  const fixed = await doctorJson(h.env, true);
  assert.equal(fixed.checks.filter((c) => c.verdict === 'fixed').length, 2);
  assert.equal(statSync(store).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(store)).mode & 0o777, 0o700);
  assert.equal((await doctorJson(h.env)).code, 0);
});

test('a stale lock directory warns; --fix removes it; a fresh one is left alone', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  await runAuthbar(['sync'], h.env);
  const lock = h.path(h.agentStore()) + '.lock';
  mkdirSync(lock);
  const fresh = await doctorJson(h.env);
  assert.equal(fresh.checks.find((c) => c.id === 'lock:main')?.verdict, 'info');
  const old = (Date.now() - 5 * 60_000) / 1000;
  utimesSync(lock, old, old);
  const stale = await doctorJson(h.env);
  assert.equal(stale.checks.find((c) => c.id === 'lock:main')?.verdict, 'warn');
  await doctorJson(h.env, true);
  assert.equal(existsSync(lock), false);
});

test('an unparsable store fails; --fix moves it aside intact, then a sync writes a fresh one', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const broken = `{"version":1,"profiles":{"openai:default":{"type":"api_key","provider":"openai","key":"${secret('api')}"}`;
  const store = h.write(h.agentStore(), broken);
  const before = await doctorJson(h.env);
  assert.equal(before.code, 1);
  assert.equal(before.checks.find((c) => c.id === 'store:main')?.verdict, 'fail');
  assert.equal(readFileSync(store, 'utf8'), broken, 'doctor without --fix wrote the store');

  const after = await doctorJson(h.env, true);
  assert.equal(after.checks.find((c) => c.id === 'store:main')?.verdict, 'fixed');
  const aside = readdirSync(dirname(store)).filter((f) => f.startsWith('auth-profiles.json.corrupt-'));
  assert.equal(aside.length, 1);
  assert.equal(readFileSync(join(dirname(store), aside[0] as string), 'utf8'), broken);
  assert.equal(h.readJson(h.agentStore()).profiles['anthropic:claude-cli'].type, 'oauth');
});

test('malformed profiles, cooldown, disabled and out-of-step stores are reported with their fix', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const now = Date.now();
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:pasted': { type: 'token', provider: 'anthropic', token: secret('setup').slice(0, 60) },
      'anthropic:whole': { type: 'token', provider: 'anthropic', token: secret('setup') },
      'anthropic:wrong-names': {
        type: 'oauth',
        provider: 'anthropic',
        accessToken: secret('access'),
        refreshToken: secret('refresh'),
        expiresAt: now + HOUR,
      },
      'openai:cool': { type: 'api_key', provider: 'openai', key: secret('api') },
      'openai:off': { type: 'api_key', provider: 'openai', key: secret('api') },
      junk: { hello: 'world' },
    },
    usageStats: {
      'openai:cool': { cooldownUntil: now + HOUR },
      'openai:off': { disabledUntil: now + 5 * HOUR, disabledReason: 'billing' },
    },
  });
  const { code, checks } = await doctorJson(h.env);
  assert.equal(code, 1);
  const find = (id: string) => checks.filter((c) => c.id === id);
  assert.ok(
    find('profile:main:anthropic:pasted').some(
      (c) => c.verdict === 'fail' && /cut when copied/.test(c.message) && /setup-token/.test(c.fix ?? ''),
    ),
  );
  assert.equal(find('profile:main:anthropic:whole').length, 0);
  assert.ok(find('profile:main:anthropic:wrong-names').some((c) => /accessToken/.test(c.message)));
  assert.ok(find('profile:main:junk').some((c) => /ignores it/.test(c.message)));
  assert.equal(find('usage:main:openai:cool')[0]?.verdict, 'warn');
  assert.equal(find('usage:main:openai:off')[0]?.verdict, 'fail');
  assert.match(find('usage:main:openai:off')[0]?.message ?? '', /billing/);
  assert.equal(find('sync:main')[0]?.verdict, 'warn');
  assert.equal(find('sync:main')[0]?.fix, 'authbar sync');
});

test('the clock check fails on a machine whose clock was never set', async () => {
  const checks = await runDoctorChecks(
    { env: { HOME: '/nonexistent-authbar-home', AUTHBAR_KEYCHAIN: 'off' }, clock: { now: () => Date.UTC(2001, 0, 1) } },
    { fix: false },
  );
  assert.equal(checks.find((c) => c.id === 'clock')?.verdict, 'fail');
});

test('profile problems name fields, never values', () => {
  const problems = profileProblems('anthropic:x', {
    type: 'oauth',
    provider: 'anthropic',
    access: 'SECRET-A',
    refresh: '',
    expires: 'soon',
  });
  const text = problems.map((p) => p.text).join(' ');
  assert.match(text, /refresh/);
  assert.match(text, /expires/);
  assert.doesNotMatch(text, /SECRET-A|soon/);
});
