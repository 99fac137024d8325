/**
 * Age and renewal rules are for Anthropic setup tokens only; the fix a notice names replaces
 * the very profile that expired; a recorded expiry survives its passing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { collect } from '../../main/engine/engine.js';
import { subjectsOf } from '../../main/engine/notify/policy.js';
import { deadlinesOf } from '../../main/engine/monitor/scheduler.js';
import type { Snapshot } from '../../common/snapshot.js';
import { makeHome, secret, issuedSecrets, DAY, HOUR } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { AUTHBAR_BIN, runAuthbar } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import { NODE24, OPENCLAW, SKIP_OPENCLAW, authbarOn, ocEnv, openclawOk, mkTemp } from '../support/openclaw-peer.js';

/** An OpenAI key as Clawdbot 2026.1's `models auth paste-token --provider openai` stores it. */
function openAiToken(): string {
  const v = `sk-proj-${randomBytes(36).toString('base64url')}`;
  issuedSecrets.add(v);
  return v;
}

test('a token of another provider gets no setup-token age, expiry or renewal, even with a year-long reminder', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'openai:default': { type: 'token', provider: 'openai', token: openAiToken() },
      'anthropic:key': { type: 'api_key', provider: 'anthropic', key: secret('api') },
    },
  });
  h.write('.config/authbar/settings.json', { tokenReminderDays: 365 });
  const table = await runCli(['status', '--no-sync'], h.env);
  assert.doesNotMatch(table.stdout, /Setup tokens|setup-token|one-year/, table.stdout);
  assert.match(table.stdout, /^All credentials healthy\.$/m, table.stdout);
  assert.equal((await runCli(['status', '--check', '--no-sync'], h.env)).code, 0);
  const { snapshot } = await collect({ env: h.env }, { sync: 'skip' });
  const p = snapshot.agents[0]?.profiles.find((x) => x.profileId === 'openai:default');
  assert.equal(p?.token, null);
  assert.deepEqual(subjectsOf(snapshot, { now: Date.now(), tokenReminderMs: 365 * DAY }), [], 'watch notifies nothing');
});

test('an expired setup token in anthropic:manual: status, the notice and the token view name the fix for that profile', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:manual': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - DAY },
    },
  });
  const fix = 'authbar setup-token --profile-id anthropic:manual';
  // The option exists: it is what lands a token under another profile id.
  const help = await runCli(['setup-token', '--help'], h.env);
  assert.match(help.stdout, /--profile-id ID/);
  const table = await runCli(['status', '--no-sync'], h.env);
  assert.ok(table.stdout.includes(`renew with \`${fix}\``), table.stdout);
  assert.doesNotMatch(table.stdout, /`authbar setup-token`/);
  const { snapshot } = await collect({ env: h.env }, { sync: 'skip' });
  const p = snapshot.agents[0]?.profiles[0];
  assert.equal(p?.token?.renewCommand, fix, 'the window shows the same fix');
  const notice = subjectsOf(snapshot, { now: Date.now(), tokenReminderMs: 30 * DAY }).find(
    (s) => s.key === 'profile:main/anthropic:manual',
  );
  assert.equal(notice?.draft.body, `Run ${fix} to replace it (anthropic:manual).`);
  // The default profile keeps the plain command.
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup-token': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() - DAY,
      },
    },
  });
  const plain = (await collect({ env: h.env }, { sync: 'skip' })).snapshot.agents[0]?.profiles[0];
  assert.equal(plain?.token?.renewCommand, 'authbar setup-token');
});

const noKeyring = keyringUnavailable();
test(
  'an API key added with authbar token add: no estimated expiry, and status finds it in the store (no sync loop)',
  { skip: noKeyring ?? false },
  async (t) => {
    const h = makeHome();
    mkdirSync(h.state, { mode: 0o700 });
    t.after(() => h.cleanup());
    const env = keyringEnv(h.home, h.env);
    const add = await runInKeyringSession(
      process.execPath,
      [AUTHBAR_BIN, 'token', 'add', '--provider', 'anthropic'],
      env,
      {
        stdin: secret('api') + '\n',
      },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /anthropic:api-key: .* kept in the OS keyring/);
    assert.match(add.stdout, /an API key: it does not expire/);
    assert.doesNotMatch(add.stdout, /one-year|setup-token/);
    const list = await runAuthbar(['token', 'list'], env);
    assert.match(list.stdout, /anthropic:api-key .* never /, list.stdout);
    assert.doesNotMatch(list.stdout, /estimated/);
    const status = await runAuthbar(['status'], env);
    assert.doesNotMatch(status.stdout, /not found in any store/, status.stdout);
    const sync = await runInKeyringSession(process.execPath, [AUTHBAR_BIN, 'sync'], env);
    assert.match(sync.stdout, /up to date/);
  },
);

test(
  'OpenClaw: a token pasted with --expires-in keeps its recorded expiry after it passes',
  { skip: !OPENCLAW || !NODE24 ? SKIP_OPENCLAW : false, timeout: 400_000 },
  async (t) => {
    const home = mkTemp('authbar-oc-expired-');
    const env = ocEnv(home);
    t.after(() => import('node:fs').then((fs) => fs.rmSync(home, { recursive: true, force: true })));
    const started = Date.now();
    await openclawOk(
      [
        'models',
        'auth',
        'paste-token',
        '--provider',
        'anthropic',
        '--profile-id',
        'anthropic:manual',
        '--expires-in',
        '1m',
      ],
      env,
      secret('setup') + '\n',
    );
    // Let it pass its recorded expiry (a minute after the paste finished).
    await new Promise((r) => setTimeout(r, 62_000));
    const r = await authbarOn(NODE24 as string, ['status', '--json', '--no-sync'], env);
    const snap = JSON.parse(r.stdout) as {
      agents: Array<{
        profiles: Array<{
          profileId: string;
          expiresAt: number | null;
          token: { expiresAt: number | null; expiryKind: string } | null;
        }>;
      }>;
      monitor: null;
    };
    const p = snap.agents.flatMap((a) => a.profiles).find((x) => x.profileId === 'anthropic:manual');
    assert.ok(p, r.stdout);
    assert.ok(p.expiresAt !== null && p.expiresAt <= Date.now() && p.expiresAt > started, `expiresAt ${p.expiresAt}`);
    assert.equal(p.token?.expiresAt, p.expiresAt);
    assert.equal(p.token?.expiryKind, 'recorded');
    // watch schedules no check from a made-up year ahead.
    const ahead = deadlinesOf(JSON.parse(r.stdout) as Snapshot, { tokenReminderMs: 30 * DAY }).filter((d) =>
      d.reason.includes('anthropic:manual'),
    );
    assert.deepEqual(ahead, []);
    const table = await authbarOn(NODE24 as string, ['status', '--no-sync'], env);
    assert.doesNotMatch(table.stdout, /expires about/, table.stdout);
    assert.match(table.stdout, /anthropic:manual .*: .*, expired \d{4}-\d\d-\d\d/);
    assert.ok(Date.now() - started < 10 * HOUR);
  },
);
