/**
 * Data-safety defects an adversarial review found (review-findings.md F0, F18, F1, F3, F7,
 * F19/F8), each reproduced with the real `authbar` in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { AUTHBAR_BIN, HOUR, claudeCredentials, makeHome, runAuthbar, type TempHome } from '../support/home.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/fsutil.js';

interface Check {
  id: string;
  verdict: string;
  message: string;
  fix: string | null;
}

async function doctorJson(
  env: Record<string, string>,
  fix: boolean,
): Promise<{ code: number | null; checks: Check[] }> {
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
  for (let i = 0; i < 12000; i++)
    profiles[`openai:k${i}`] = {
      type: 'api_key',
      provider: 'openai',
      key: 'sk-' + 'a'.repeat(40),
      note: 'x'.repeat(200),
    };
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
  assert.deepEqual(
    readdirSync(join(store, '..')).filter((n) => n.includes('.corrupt-')),
    [],
  );
});

test('F0: a sync that would grow a store past the read limit is refused (73) and the store is left byte for byte', async (t) => {
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

test('F0: doctor --fix never moves aside a store only for being too big to read', async (t) => {
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

// F18: a lock dated in the future may be a live holder's (the clock was stepped back).

test('F18: doctor --fix leaves a live proper-lockfile lock dated in the future, and writes nothing under it', async (t) => {
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

// F1: a Clawdbot state dir that resolves to OpenClaw's is never written as Clawdbot's.

test('F1: AUTHBAR_GATEWAY=clawdbot on a migrated host (~/.clawdbot → ~/.openclaw): sync and doctor --fix write nothing into OpenClaw’s state dir (73, says why)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  // OpenClaw's markers, as detect.ts knows them; the link is what `openclaw doctor --fix` leaves.
  h.write('.openclaw/openclaw.json', '{"meta":{"lastTouchedVersion":"2026.9.6"}}\n');
  mkdirSync(h.path('.openclaw', 'state'), { mode: 0o700 });
  writeFileSync(h.path('.openclaw', 'state', 'openclaw.sqlite'), '');
  symlinkSync('.openclaw', h.path('.clawdbot'));
  const before = treeSnapshot(h.path('.openclaw'));
  const env = { ...h.env, AUTHBAR_GATEWAY: 'clawdbot' };
  const sync = await runAuthbar(['sync'], env);
  assert.equal(sync.code, 73, sync.stdout + sync.stderr);
  assert.match(sync.stderr, /is OpenClaw's state dir .*openclaw\.json exists.*unset AUTHBAR_GATEWAY/);
  await runAuthbar(['doctor', '--fix'], env);
  await runAuthbar(['status'], env);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
  // Without the override, detection picks OpenClaw and its note no longer suggests Clawdbot.
  const st = await runAuthbar(['status', '--json', '--no-sync'], { ...h.env, CLAWDBOT_STATE_DIR: h.path('.clawdbot') });
  const gw = (JSON.parse(st.stdout) as { gateway: { kind: string; note: string | null } }).gateway;
  assert.equal(gw.kind, 'openclaw');
  assert.doesNotMatch(gw.note ?? '', /AUTHBAR_GATEWAY=clawdbot/);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
});

test('F1: CLAWDBOT_AGENT_DIR pointing into an OpenClaw state dir is refused too', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  h.write('.openclaw/openclaw.json', '{}\n');
  mkdirSync(h.path('.openclaw', 'agents', 'main', 'agent'), { recursive: true, mode: 0o700 });
  const before = treeSnapshot(h.path('.openclaw'));
  const r = await runAuthbar(['sync'], {
    ...h.env,
    AUTHBAR_GATEWAY: 'clawdbot',
    CLAWDBOT_AGENT_DIR: h.path('.openclaw', 'agents', 'main', 'agent'),
  });
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
});

// F3: AuthBar never creates the gateway's state dir.

test('F3: with no gateway state dir, status/sync create nothing and status says so', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const st = await runAuthbar(['status'], h.env);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /no Clawdbot state dir at .*\.clawdbot: nothing to sync/);
  const sync = await runAuthbar(['sync'], h.env);
  assert.match(sync.stdout, /no Clawdbot state dir at .*: nothing to sync/);
  assert.equal(existsSync(h.path('.clawdbot')), false, 'no ~/.clawdbot was created');
  assert.equal(existsSync(h.path('.openclaw')), false);
  // Once the gateway has created its state dir, the default agent's store is written.
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 });
  const again = await runAuthbar(['sync'], h.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(
    JSON.parse(readFileSync(h.path(h.agentStore()), 'utf8')).profiles['anthropic:claude-cli']?.type,
    'oauth',
  );
});

test('F3: watch does not recreate a state dir that was removed while it runs', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  h.write(h.agentStore(), { version: 1, profiles: {} });
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--json'], {
    env: h.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const seen: Array<{ type: string; trigger?: string; paths?: string[] }> = [];
  const arrived = new EventEmitter();
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') seen.push(JSON.parse(line) as (typeof seen)[number]);
    arrived.emit('event');
  });
  /** Resolves once an event matching `match` has been printed (no polling, no fixed sleep). */
  const eventWhere = (match: (e: (typeof seen)[number]) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch printed no ${what}: ${out.slice(-2000)}`)), 30_000);
      const check = () => {
        if (!seen.some(match)) return;
        clearTimeout(timer);
        arrived.off('event', check);
        resolve();
      };
      arrived.on('event', check);
      check();
    });
  // The first scan has synced the store: watch is idle, not writing into the dir being removed.
  await eventWhere((e) => e.type === 'snapshot' && e.trigger === 'start', 'first snapshot');
  rmSync(h.path('.clawdbot'), { recursive: true, force: true, maxRetries: 5 });
  // Changing a source afterwards gives watch every reason to sync again; its snapshot for that
  // change is the moment it decided (and did not recreate the dir).
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 9 * HOUR }));
  await eventWhere(
    (e) => e.type === 'snapshot' && (e.paths ?? []).some((p) => p.endsWith('.credentials.json')),
    'snapshot for the changed login',
  );
  child.kill('SIGTERM');
  assert.equal(existsSync(h.path('.clawdbot')), false, `watch recreated the state dir: ${out.slice(-2000)}`);
});

// F7: a symlinked store never hands root's tokens to another user; a dangling link is 73.

test('F7: a store linked into a shared sticky dir, or into a dir another user owns, is not written (73)', async (t) => {
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
  const r = await runAuthbar(['sync'], h.env);
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
    const r2 = await runAuthbar(['sync'], h.env);
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
  const ok = await runAuthbar(['sync'], h.env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(
    JSON.parse(readFileSync(join(mine, 'store.json'), 'utf8')).profiles['anthropic:claude-cli']?.type,
    'oauth',
  );
});

test('F7: a dangling store link whose target directory exists is 73, and the target is not created', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const agent = h.path('.clawdbot', 'agents', 'main', 'agent');
  mkdirSync(agent, { recursive: true, mode: 0o700 });
  symlinkSync(h.path('x.json'), join(agent, 'auth-profiles.json'));
  const r = await runAuthbar(['sync'], h.env);
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assert.match(r.stderr, /is a symlink to .*x\.json, which does not exist/);
  assert.equal(existsSync(h.path('x.json')), false);
});

// F19 / F8: the moved-aside store is private, its path shown in full, and doctor lists it later.

test('F19/F8: doctor --fix makes the moved-aside store 0600 (and the agent dir 0700), shows its path unmasked, and lists it afterwards', async (t) => {
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
  // F8: the path AuthBar made is shown as it is, in --json and in the human output.
  assert.ok(moved?.message.includes(asidePath), `path shown in full: ${moved?.message}`);
  // F19: private, whatever mode the broken store had; the agent dir is fixed in the same run.
  assert.equal(statSync(asidePath).mode & 0o777, 0o600);
  assert.equal(statSync(agent).mode & 0o777, 0o700);
  const later = await runAuthbar(['doctor'], h.env);
  assert.ok(later.stdout.includes(asidePath), later.stdout);
  assert.match(later.stdout, /moved aside \(mode 600\)/);
  assert.ok(statSync(store).isFile(), 'a fresh store was written');
});

test('F19: doctor warns about a moved-aside store others can read; --fix makes it 0600', async (t) => {
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
