/**
 * `npm run bench` (third part) or `node dist/bench/live-bench.js`: the cost of asking the
 * running OpenClaw gateway for its live view, and that nothing asks while idle.
 *   1. one question (connect, models.authStatus, close) against a real OpenClaw gateway on
 *      its own Node 24: median and p95 wall time over BENCH_POLLS (20), the client's CPU per
 *      question, and the gateway's CPU per question (from /proc).
 *   2. idle: the real `authbar watch` beside that gateway for BENCH_IDLE_S (60) seconds with
 *      the menu closed and no deadline near: how many questions reach the gateway (its log).
 *      Target: the one at start, then none.
 *   3. the schedule over 7 simulated days, menu closed (target: 1 question), and over one
 *      simulated hour with the menu open (target: one a minute).
 * Parts 1–2 need the peers (PEER_OPENCLAW, PEER_NODE24) and, for 2, gnome-keyring and dbus.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { LiveSchedule } from '../main/engine/monitor/live-schedule.js';
import { DEFAULT_SETTINGS } from '../main/engine/settings.js';
import { FakeClock } from '../test/support/fake-clock.js';
import { keyringEnv, keyringSessionArgv, keyringUnavailable } from '../test/support/keyring.js';
import { liveView } from '../test/support/live-fixtures.js';
import { NODE24, SKIP_GATEWAY, prepareGatewayHome, startOpenClawGateway } from '../test/support/openclaw-gateway.js';
import { openclawOk } from '../test/support/openclaw-peer.js';
import { agent, snapshot } from '../test/support/snapshots.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'authbar.cjs');
const CLK_TCK = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** CPU time (ms) of every process whose working directory is dir (the gateway runs in its home). */
function cpuOfProcessesIn(dir: string): number {
  let ticks = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/cwd`) !== dir) continue;
      const f = readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

async function realGateway(): Promise<void> {
  const skip = SKIP_GATEWAY || keyringUnavailable();
  if (skip) {
    console.log(`live: real gateway part skipped (${skip})`);
    return;
  }
  const gh = prepareGatewayHome();
  await openclawOk(
    ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '30d'],
    gh.env,
    `sk-ant-oat01-${randomBytes(66).toString('base64url')}\n`,
  );
  const gw = await startOpenClawGateway({ home: gh });
  try {
    const polls = Number(process.env['BENCH_POLLS'] ?? 20);
    const gwCpu0 = cpuOfProcessesIn(gh.home);
    const child = spawnSync(NODE24 as string, [join(ROOT, 'dist', 'bench', 'live-poll.js')], {
      env: { ...gw.clientEnv, BENCH_POLLS: String(polls) },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (child.status !== 0) throw new Error(`live-poll failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { wall: number[]; cpuPerPollMs: number };
    const gwCpuPerPoll = (cpuOfProcessesIn(gh.home) - gwCpu0) / (polls + 1);
    console.log(
      `live: one question to the gateway: median ${quantile(r.wall, 0.5).toFixed(1)} ms, p95 ${quantile(r.wall, 0.95).toFixed(1)} ms wall; ` +
        `CPU ${r.cpuPerPollMs.toFixed(1)} ms in AuthBar, ~${gwCpuPerPoll.toFixed(0)} ms in the gateway (${polls} questions, OpenClaw 2026.9.6, Node 24)`,
    );

    const idleS = Number(process.env['BENCH_IDLE_S'] ?? 60);
    const count = () => (gw.logText().match(/models\.authStatus/g) ?? []).length;
    const before = count();
    const [cmd, args] = keyringSessionArgv(NODE24 as string, [BIN, 'watch', '--json', '--no-notify']);
    // Its own process group: the D-Bus session wrapper does not pass SIGTERM on to the watcher.
    const watch = spawn(cmd, args, {
      env: keyringEnv(gh.home, gw.clientEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    watch.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await sleep(idleS * 1000);
    const closed = new Promise((r) => watch.once('exit', r));
    process.kill(-(watch.pid as number), 'SIGTERM');
    await closed;
    const connected = out.includes('"state":"connected"');
    console.log(
      `live: idle ${idleS} s beside the gateway (menu closed, no deadline near): ${count() - before} question(s) reached the gateway` +
        ` (target 1, at start; the watcher ${connected ? 'saw the gateway connected' : 'did NOT connect'})`,
    );
  } finally {
    await gw.stop({ removeHome: true });
  }
}

async function simulated(): Promise<void> {
  const DAY = 86_400_000;
  const run = async (uiOpen: boolean, ms: number) => {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 9));
    let asked = 0;
    const files = snapshot({ gateway: 'openclaw', agents: [agent('main', [])] });
    const s = new LiveSchedule({
      clock,
      timers: clock,
      ask: async () => (asked++, liveView(clock.now(), { providers: [] })),
      current: () => ({ snapshot: files, settings: DEFAULT_SETTINGS }),
      onResult: () => undefined,
    });
    s.afterScan(true);
    s.setUiOpen(uiOpen);
    let left = ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const next = clock.nextTimerIn();
      if (next === null || next > left) break;
      clock.advance(next);
      left -= next;
    }
    s.stop();
    return asked;
  };
  console.log(
    `live: simulated: ${await run(false, 7 * DAY)} question(s) in 7 idle days with the menu closed; ${await run(true, 3_600_000)} in one hour with it open`,
  );
}

await simulated();
await realGateway();
