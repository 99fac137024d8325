/**
 * The monitor's two non-file inputs: the macOS Keychain (a fake keychain port, since the real
 * one cannot run here; never a prompt from background work), and OpenClaw's route health
 * (`openclaw models status --json` only, single flight, min interval, its age in the snapshot),
 * against the real OpenClaw when PEER_OPENCLAW is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { collect, type Collected, type CollectOptions, type EngineDeps } from '../../main/engine/engine.js';
import { Monitor, type MonitorEvent, type WatchFactory } from '../../main/engine/monitor/monitor.js';
import type { Keychain, KeychainRead } from '../../main/engine/ports.js';
import {
  MODELS_STATUS_ARGS,
  openclawStatusProbe,
  parseModelsStatus,
  type RouteHealth,
} from '../../main/engine/gateways/openclaw/route-health.js';
import { gatewayCli } from '../../main/engine/gateways/cli-runner.js';
import { DEFAULT_SETTINGS } from '../../main/engine/settings.js';
import type { Snapshot } from '../../common/snapshot.js';
import { FakeClock } from '../support/fake-clock.js';
import { AUTHBAR_BIN, assertNoSecrets, makeHome, HOUR, ROOT, secret } from '../support/home.js';
import { peerPath, INSTALL_HINT } from '../support/peers.js';

const noWatch: WatchFactory = async () => ({ close: async () => {} });
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

/** The Keychain port as `security` behaves: silent when the ACL allows, `unavailable` when it would ask. */
class FakeKeychain implements Keychain {
  readonly name = 'fake-keychain';
  item: string | null = null;
  wouldPrompt = true;
  readonly calls: Array<{ interactive: boolean }> = [];
  async readGenericPassword(_service: string, _account: string, opts: { interactive: boolean }): Promise<KeychainRead> {
    this.calls.push({ interactive: opts.interactive });
    if (this.item === null) return { kind: 'not-found' };
    if (this.wouldPrompt && !opts.interactive)
      return { kind: 'unavailable', reason: 'the Keychain did not answer in time (it may be waiting for approval)' };
    return { kind: 'found', secret: this.item };
  }
}

const item = (access: string) =>
  JSON.stringify({
    claudeAiOauth: { accessToken: access, refreshToken: secret('refresh'), expiresAt: Date.now() + 8 * HOUR },
  });

test('macOS Keychain: probed silently every few minutes only after a silent read succeeded; a change re-reads everything', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  const keychain = new FakeKeychain();
  keychain.item = item(secret('access'));
  const clock = new FakeClock(Date.now());
  const monitor = new Monitor({
    deps: { env: h.env, keychain, platform: 'darwin' },
    clock,
    timers: clock,
    watch: noWatch,
    routeHealth: null,
    keychainIntervalMs: 5 * 60_000,
  });
  t.after(() => monitor.stop());
  const first = await monitor.start();
  assert.equal(
    first?.sources.find((s) => s.id === 'claude-code')?.status,
    'unavailable',
    'the item would prompt: not read',
  );
  const afterStart = keychain.calls.length;
  clock.advance(30 * 60_000);
  await settle();
  assert.equal(keychain.calls.length, afterStart, 'no probing before a first silent read succeeded');

  // The user clicks Resync and allows access ("Always Allow"): reads are silent from then on.
  keychain.wouldPrompt = false;
  const allowed = await monitor.resync({ interactive: true });
  assert.equal(allowed?.sources.find((s) => s.id === 'claude-code')?.status, 'ok');
  const scanAt = monitor.current()?.monitor?.lastScanAt;
  const before = keychain.calls.length;
  clock.advance(5 * 60_000);
  await settle();
  assert.equal(keychain.calls.length, before + 1, 'one probe after 5 minutes');
  assert.equal(monitor.current()?.monitor?.lastScanAt, scanAt, 'unchanged item: no re-read of the files');

  const next = secret('access');
  keychain.item = item(next);
  const got = new Promise<Snapshot>((resolve) =>
    monitor.subscribe((e: MonitorEvent) => e.type === 'snapshot' && e.trigger === 'keychain' && resolve(e.snapshot)),
  );
  clock.advance(5 * 60_000);
  const s = await got;
  assert.equal(s.sources.find((x) => x.id === 'claude-code')?.masked?.endsWith(next.slice(-4)), true);
  assert.equal(h.readJson(h.agentStore()).profiles['anthropic:claude-cli'].access, next, 'synced into the sink');

  // Access revoked (Claude Code recreated the item): the probe stops and says so, never prompts.
  keychain.wouldPrompt = true;
  const errors: string[] = [];
  monitor.subscribe((e) => e.type === 'error' && errors.push(e.message));
  clock.advance(5 * 60_000);
  await settle(100);
  assert.match(errors.join('\n'), /paused until you choose Resync/);
  const n = keychain.calls.length;
  clock.advance(60 * 60_000);
  await settle();
  assert.equal(keychain.calls.length, n, 'no more probes');
  assert.ok(
    keychain.calls.slice(1).filter((c) => c.interactive).length === 1,
    'the only interactive read was the user’s click',
  );
});

test('Linux: the Keychain is never read and nothing is probed', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const keychain = new FakeKeychain();
  keychain.item = item(secret('access'));
  keychain.wouldPrompt = false;
  const clock = new FakeClock(Date.now());
  const monitor = new Monitor({
    deps: { env: h.env, keychain, platform: 'linux' },
    clock,
    timers: clock,
    watch: noWatch,
    routeHealth: null,
  });
  t.after(() => monitor.stop());
  await monitor.start();
  clock.advance(2 * HOUR);
  await settle();
  assert.equal(keychain.calls.length, 0);
});

/** collect() on a plain temp HOME, reported as OpenClaw: the route-health rules without the peer. */
const asOpenclaw = async (deps: EngineDeps, opts: CollectOptions): Promise<Collected> => {
  const c = await collect(deps, opts);
  c.snapshot.gateway = { ...c.snapshot.gateway, kind: 'openclaw', probesRoutes: true };
  return c;
};

test('OpenClaw route health: after changes, never concurrently, at most every few minutes, age in the snapshot', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const clock = new FakeClock(Date.now());
  let calls = 0;
  let running = 0;
  let maxRunning = 0;
  const release: Array<() => void> = [];
  const probe = async (): Promise<RouteHealth> => {
    calls++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((r) => release.push(r));
    running--;
    return {
      at: clock.now(),
      exitCode: 1,
      missingProviders: ['anthropic'],
      issues: ['anthropic via claude-cli: unavailable'],
      error: null,
    };
  };
  const monitor = new Monitor({
    deps: { env: h.env },
    clock,
    timers: clock,
    watch: noWatch,
    collect: asOpenclaw,
    routeHealth: probe,
    routeHealthMinIntervalMs: 3 * 60_000,
    routeHealthEveryMs: 15 * 60_000,
  });
  t.after(() => monitor.stop());
  await monitor.start();
  assert.equal(calls, 1, 'checked after the first scan');
  await monitor.resync();
  await monitor.resync();
  assert.equal(calls, 1, 'never two at once');
  const reported = new Promise<Snapshot>((resolve) =>
    monitor.subscribe((e) => e.type === 'snapshot' && e.trigger === 'gateway-check' && resolve(e.snapshot)),
  );
  release.shift()?.();
  const s = await reported;
  assert.deepEqual(s.monitor?.gatewayCheck?.missingProviders, ['anthropic']);
  assert.equal(s.monitor?.gatewayCheck?.ageMs, 0);
  await settle();
  assert.equal(calls, 1, 'the follow-up waits for the minimum interval');
  clock.advance(3 * 60_000);
  await settle();
  assert.equal(calls, 2);
  release.shift()?.();
  await settle();
  clock.advance(60_000);
  await monitor.resync();
  assert.ok((monitor.current()?.monitor?.gatewayCheck?.ageMs ?? -1) >= 60_000, 'its age is recorded');
  assert.equal(maxRunning, 1);
});

test('the default probe runs the gateway CLI with --json only, and reads what it prints', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-oc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'argv.log');
  const bin = join(dir, 'openclaw');
  writeFileSync(
    bin,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\necho '{"auth":{"missingProvidersInUse":["openai"],"modelRouteIssues":["default route: expired"],"runtimeAuthRoutes":[{"provider":"anthropic","runtime":"claude-cli","status":"unavailable","runtimeDetail":"claude is not logged in"},{"provider":"openai","status":"ok"}]}}'\nexit 1\n`,
    { mode: 0o755 },
  );
  const probe = openclawStatusProbe(() => gatewayCli('openclaw', bin, { PATH: '/usr/bin:/bin' }));
  const r = await probe({ env: {}, settings: DEFAULT_SETTINGS, snapshot: {} as Snapshot, now: () => 42 });
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [MODELS_STATUS_ARGS.join(' ')]);
  assert.deepEqual(MODELS_STATUS_ARGS, ['models', 'status', '--json']);
  assert.deepEqual(r, {
    at: 42,
    exitCode: 1,
    missingProviders: ['openai'],
    issues: ['default route: expired', 'anthropic via claude-cli: unavailable (claude is not logged in)'],
    error: null,
  });
  assert.match(parseModelsStatus('not json', 1, 0).error ?? '', /did not print JSON/);
});

test('the default probe against the real OpenClaw', async (t) => {
  const openclaw = peerPath('PEER_OPENCLAW', 'openclaw');
  if (!openclaw) {
    t.skip(`OpenClaw is not installed (${INSTALL_HINT}, or set PEER_OPENCLAW)`);
    return;
  }
  const h = makeHome();
  t.after(() => h.cleanup());
  const probe = openclawStatusProbe();
  const r = await probe({
    env: h.env,
    settings: { ...DEFAULT_SETTINGS, gatewayCli: openclaw },
    snapshot: {} as Snapshot,
    now: () => Date.now(),
  });
  assert.equal(r.error, null);
  assert.equal(r.exitCode, 0, '--json without --check exits 0');
  assert.ok(r.missingProviders.length > 0, 'a fresh OpenClaw home has no credential for its default model');
});

test("the probe leaves OpenClaw's files byte-identical (no config-health row, no -wal/-shm) and says what OpenClaw says", async (t) => {
  const openclaw = peerPath('PEER_OPENCLAW', 'openclaw');
  if (!openclaw) {
    t.skip(`OpenClaw is not installed (${INSTALL_HINT}, or set PEER_OPENCLAW)`);
    return;
  }
  const h = makeHome();
  t.after(() => h.cleanup());
  const cli = gatewayCli('openclaw', openclaw, h.env);
  const pasted = await cli.run(['models', 'auth', 'paste-token', '--provider', 'anthropic'], {
    stdin: secret('setup') + '\n',
    timeoutMs: 60_000,
  });
  assert.equal(pasted.code, 0, pasted.stderr);
  // Two fresh copies of that home (openclaw.json's ctime changes with the copy: OpenClaw would record it).
  const copies = [1, 2].map(() => {
    const d = mkdtempSync(join(tmpdir(), 'authbar-probe-'));
    cpSync(join(h.home, '.openclaw'), join(d, '.openclaw'), { recursive: true });
    return d;
  });
  t.after(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const [probed, direct] = copies as [string, string];
  const digest = (dir: string) => {
    const out: string[] = [];
    for (const name of readdirSync(dir, { recursive: true }) as string[]) {
      const full = join(dir, name);
      const st = lstatSync(full);
      out.push(
        `${name}:${st.isFile() ? createHash('sha256').update(readFileSync(full)).digest('hex') : 'dir'}:${st.mtimeMs}`,
      );
    }
    return out.sort();
  };
  const before = digest(join(probed, '.openclaw'));
  const r = await openclawStatusProbe()({
    env: { ...h.env, HOME: probed },
    settings: { ...DEFAULT_SETTINGS, gatewayCli: openclaw },
    snapshot: { agents: [] } as unknown as Snapshot,
    now: () => 1,
  });
  assert.deepEqual(digest(join(probed, '.openclaw')), before, "OpenClaw's state dir is byte-identical after the probe");
  assert.ok(!existsSync(join(probed, '.openclaw', 'state', 'openclaw.sqlite-wal')));
  const d = await gatewayCli('openclaw', openclaw, { ...h.env, HOME: direct }).run(MODELS_STATUS_ARGS, {
    timeoutMs: 60_000,
  });
  assert.ok(
    existsSync(join(direct, '.openclaw', 'state', 'openclaw.sqlite-wal')),
    'run on the original, OpenClaw 2026.9.6 does write (the reason for the copy)',
  );
  assert.deepEqual(r, parseModelsStatus(d.stdout, d.code, 1), 'the copy gives the same answer as the original');
  assert.ok(r.missingProviders.length > 0 || r.issues.length > 0 || r.exitCode === 0);
});

test('OpenClaw: a paste-token made with OpenClaw itself emits a snapshot holding it, and the gateway check fills snapshot.monitor', async (t) => {
  const openclaw = peerPath('PEER_OPENCLAW', 'openclaw');
  const node24 = process.env['PEER_NODE24'];
  if (!openclaw || !node24) {
    // The monitor reads OpenClaw's SQLite stores with node:sqlite (Node 24, as OpenClaw itself needs).
    t.skip(`needs PEER_OPENCLAW and PEER_NODE24 (${INSTALL_HINT})`);
    return;
  }
  const h = makeHome('authbar-oc-watch-');
  t.after(() => h.cleanup());
  // The gateway check finds `openclaw` on PATH: a wrapper that logs its argv, then runs the real one.
  const bin = h.path('bin');
  mkdirSync(bin);
  const argvLog = h.path('openclaw-argv.log');
  writeFileSync(join(bin, 'openclaw'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${openclaw}' "$@"\n`, {
    mode: 0o755,
  });
  const env = { ...h.env, AUTHBAR_GATEWAY: 'openclaw', PATH: `${bin}:${h.env['PATH']}` };

  // The monitor as `authbar watch --json` runs it, on Node 24; its NDJSON read line by line.
  type Line = {
    type: string;
    trigger?: string;
    watching?: string[];
    gateway?: string;
    snapshot?: Snapshot;
    message?: string;
  };
  const child = spawn(node24, [AUTHBAR_BIN, 'watch', '--json', '--no-notify'], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Line[] = [];
  const waiters: Array<() => void> = [];
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (l) => {
    stdout += l + '\n';
    lines.push(JSON.parse(l) as Line);
    for (const w of waiters.splice(0)) w();
  });
  const line = (what: string, pred: (l: Line) => boolean, timeoutMs = 60_000) =>
    new Promise<Line>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no ${what}; got ${lines.map((l) => `${l.type}/${l.trigger ?? ''}`).join(', ')}; stderr: ${stderr}`,
            ),
          ),
        timeoutMs,
      );
      const check = () => {
        const found = lines.find(pred);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });

  const started = await line('started', (l) => l.type === 'started');
  assert.equal(started.gateway, 'openclaw');
  const watching = (started.watching ?? []).map((p) => p.slice(h.home.length));
  for (const p of [
    '/.openclaw/state/openclaw.sqlite',
    '/.openclaw/state/openclaw.sqlite-wal',
    '/.openclaw/agents/main/agent/openclaw-agent.sqlite',
  ])
    assert.ok(watching.includes(p), `watches ${p}: ${watching.join(', ')}`);
  const hasAnthropic = (s: Snapshot | undefined) =>
    s?.agents.some((a) => a.profiles.some((p) => p.provider === 'anthropic')) ?? false;
  assert.equal(hasAnthropic(lines.find((l) => l.type === 'snapshot')?.snapshot), false, 'no Anthropic profile before');

  // OpenClaw's own writer, straight from the peer (not through the logging wrapper); the token on stdin.
  const token = secret('setup');
  const r = await gatewayCli('openclaw', openclaw, env).run(
    ['models', 'auth', 'paste-token', '--provider', 'anthropic'],
    { stdin: token + '\n', timeoutMs: 60_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const after = await line(
    'a snapshot holding the new profile',
    (l) => l.type === 'snapshot' && l.trigger === 'files' && hasAnthropic(l.snapshot),
  );
  const pasted = after.snapshot?.agents.flatMap((a) => a.profiles).find((p) => p.provider === 'anthropic');
  assert.equal(pasted?.type, 'token');

  // The route-health probe ran under OpenClaw and its result rides in snapshot.monitor.
  const checked = await line(
    'a gateway check',
    (l) => l.type === 'snapshot' && (l.snapshot?.monitor?.gatewayCheck ?? null) !== null,
  );
  const gc = checked.snapshot?.monitor?.gatewayCheck;
  assert.equal(gc?.error, null);
  assert.equal(typeof gc?.exitCode, 'number');
  assert.ok(Array.isArray(gc?.missingProviders));

  child.kill('SIGTERM');
  await line('stopped', (l) => l.type === 'stopped');
  // Only ever `openclaw models status --json` (the text mode writes OpenClaw's store).
  const calls = readFileSync(argvLog, 'utf8').trim().split('\n');
  assert.ok(calls.length >= 1);
  for (const c of calls) assert.equal(c, MODELS_STATUS_ARGS.join(' '));
  assert.ok(!(stdout + stderr).includes(token.slice(13, 45)), 'the token never appears');
  assertNoSecrets('watch --json', stdout + stderr);
});

test('nothing kills the monitor: a failing scan or a throwing subscriber becomes an error event', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const clock = new FakeClock(Date.now());
  let fail = true;
  const flaky = async (deps: EngineDeps, opts: CollectOptions): Promise<Collected> => {
    if (fail) throw new TypeError('disk on fire');
    return collect(deps, opts);
  };
  const monitor = new Monitor({
    deps: { env: h.env },
    clock,
    timers: clock,
    watch: noWatch,
    collect: flaky,
    routeHealth: null,
  });
  t.after(() => monitor.stop());
  const errors: string[] = [];
  monitor.subscribe(() => {
    throw new Error('a broken subscriber');
  });
  monitor.subscribe((e) => e.type === 'error' && errors.push(e.message));
  assert.equal(await monitor.start(), null);
  assert.match(errors.join('\n'), /disk on fire/);
  fail = false;
  const s = await monitor.resync();
  assert.ok(s, 'the next scan works');
  assert.equal(monitor.isRunning, true);

  // A settings file that is broken is reported, and fixing it is noticed on the next scan.
  h.write('.config/authbar/settings.json', '{ "warnHours": ');
  await monitor.resync();
  assert.match(errors.at(-1) ?? '', /settings file/);
  h.write('.config/authbar/settings.json', { warnHours: 12 });
  assert.equal((await monitor.resync())?.warnMs, 12 * HOUR);
});
