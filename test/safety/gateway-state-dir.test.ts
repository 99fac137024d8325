/**
 * The gateway's state dir is the gateway's: AuthBar never creates it (not even a watch after it
 * was removed), and never writes a Clawdbot store into a dir that is really OpenClaw's.
 * Each with AuthBar's own code in a temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { AUTHBAR_BIN, HOUR, claudeCredentials, makeHome, withLogin } from '../support/home.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/tree.js';
import { runCli } from '../support/cli.js';

test('AUTHBAR_GATEWAY=clawdbot on a migrated host (~/.clawdbot → ~/.openclaw): sync and doctor --fix write nothing into OpenClaw’s state dir (73, says why)', async (t) => {
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
  const sync = await runCli(['sync'], env);
  assert.equal(sync.code, 73, sync.stdout + sync.stderr);
  assert.match(sync.stderr, /is OpenClaw's state dir .*openclaw\.json exists.*unset AUTHBAR_GATEWAY/);
  await runCli(['doctor', '--fix'], env);
  await runCli(['status'], env);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
  // Without the override, detection picks OpenClaw and its note no longer suggests Clawdbot.
  const st = await runCli(['status', '--json', '--no-sync'], { ...h.env, CLAWDBOT_STATE_DIR: h.path('.clawdbot') });
  const gw = (JSON.parse(st.stdout) as { gateway: { kind: string; note: string | null } }).gateway;
  assert.equal(gw.kind, 'openclaw');
  assert.doesNotMatch(gw.note ?? '', /AUTHBAR_GATEWAY=clawdbot/);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
});

test('CLAWDBOT_AGENT_DIR pointing into an OpenClaw state dir is refused too', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  h.write('.openclaw/openclaw.json', '{}\n');
  mkdirSync(h.path('.openclaw', 'agents', 'main', 'agent'), { recursive: true, mode: 0o700 });
  const before = treeSnapshot(h.path('.openclaw'));
  const r = await runCli(['sync'], {
    ...h.env,
    AUTHBAR_GATEWAY: 'clawdbot',
    CLAWDBOT_AGENT_DIR: h.path('.openclaw', 'agents', 'main', 'agent'),
  });
  assert.equal(r.code, 73, r.stdout + r.stderr);
  assertTreeUnchanged(before, treeSnapshot(h.path('.openclaw')), 'OpenClaw state dir');
});

test('with no gateway state dir, status/sync create nothing and status says so', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const st = await runCli(['status'], h.env);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /no Clawdbot state dir at .*\.clawdbot: nothing to sync/);
  const sync = await runCli(['sync'], h.env);
  assert.match(sync.stdout, /no Clawdbot state dir at .*: nothing to sync/);
  assert.equal(existsSync(h.path('.clawdbot')), false, 'no ~/.clawdbot was created');
  assert.equal(existsSync(h.path('.openclaw')), false);
  // Once the gateway has created its state dir, the default agent's store is written.
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 });
  const again = await runCli(['sync'], h.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(
    JSON.parse(readFileSync(h.path(h.agentStore()), 'utf8')).profiles['anthropic:claude-cli']?.type,
    'oauth',
  );
});

test('watch does not recreate a state dir that was removed while it runs', async (t) => {
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
