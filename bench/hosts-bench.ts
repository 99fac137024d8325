/**
 * `npm run bench` (fourth part) or `node dist/bench/hosts-bench.js`: 20 remote hosts watched
 * from one HostsWatch, over a real OpenSSH server (test/support/sshd.ts) running the real
 * `authbar watch` of this checkout on the other side.
 *
 * How the 20 hosts are made: sshd listening on BENCH_HOSTS (20) loopback ports
 * (more sshd processes on the harness's keys and config, with a `Port` line per host), one ssh alias
 * per port. ssh's ControlPath hashes host and port, so each host gets a connection (and an ssh
 * master) of its own, as 20 real machines would. The remote side is one temp HOME shared by
 * the 20 sessions: one change there reaches all 20 hosts' watches.
 *   1. RSS on this side: this Node process (the HostsWatch) plus every local ssh process.
 *   2. CPU while idle for BENCH_IDLE_S (60) seconds: the same processes, from /proc.
 *   3. change → report: an atomic replace of the remote's Claude credentials until each host's
 *      report carries the new expiry; median and p95 over BENCH_CHANGES (10) × 20 hosts.
 * The remote `authbar watch` processes run on this machine too (they share its cores) but are
 * not counted in 1–2: on real hosts they are the hosts' own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostEntry } from '../common/hosts.js';
import { HostsWatch } from '../main/engine/hosts/hosts-watch.js';
import { claudeCredentials, HOUR, makeHome } from '../test/support/home.js';
import { freePort, sshdMissing, startSshd } from '../test/support/sshd.js';

const HOSTS = Number(process.env['BENCH_HOSTS'] ?? 20);
const IDLE_S = Number(process.env['BENCH_IDLE_S'] ?? 60);
const CHANGES = Number(process.env['BENCH_CHANGES'] ?? 10);
const CLK_TCK = 100; // Linux USER_HZ
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

function procStat(pid: number): { cpuTicks: number; rssKiB: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { cpuTicks, rssKiB };
  } catch {
    return null;
  }
}

/**
 * This process and every local ssh process of the bench: the sessions by their `-F`, the
 * masters (daemonized, their title rewritten to `ssh: <control path> [mux]`) by their socket's dir.
 */
function localPids(sshConfig: string, benchDir: string): { node: number; ssh: number[] } {
  const ssh: number[] = [];
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const session = argv[0]?.endsWith('ssh') === true && argv.includes(sshConfig);
      if (session || argv[0]?.startsWith(`ssh: ${benchDir}`) === true) ssh.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return { node: process.pid, ssh };
}

function totals(pids: { node: number; ssh: number[] }): { cpuTicks: number; nodeKiB: number; sshKiB: number } {
  const n = procStat(pids.node);
  let cpuTicks = n?.cpuTicks ?? 0;
  let sshKiB = 0;
  for (const p of pids.ssh) {
    const s = procStat(p);
    if (!s) continue;
    cpuTicks += s.cpuTicks;
    sshKiB += s.rssKiB;
  }
  return { cpuTicks, nodeKiB: n?.rssKiB ?? 0, sshKiB };
}

async function main(): Promise<void> {
  const missing = sshdMissing();
  if (missing) {
    console.log(`hosts bench skipped: ${missing}`);
    return;
  }
  const sshd = await startSshd();
  const local = makeHome('authbar-hosts-bench-');
  const extra: ChildProcess[] = [];
  try {
    mkdirSync(sshd.remote.state, { recursive: true, mode: 0o700 });
    let expiry = Date.now() + 30 * HOUR;
    const writeCreds = () => {
      expiry += 60_000;
      const path = sshd.remote.path('.claude', '.credentials.json');
      mkdirSync(sshd.remote.path('.claude'), { recursive: true, mode: 0o700 });
      writeFileSync(`${path}.tmp`, JSON.stringify(claudeCredentials({ expiresAt: expiry })), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
      return expiry;
    };
    writeCreds();

    // More sshd processes on the same keys and config, listening on one port per host (sshd
    // takes at most 16 listen sockets, so 10 ports each).
    const ports: number[] = [];
    for (let i = 0; i < HOSTS; i++) ports.push(await freePort());
    const base = readFileSync(join(sshd.dir, 'sshd_config'), 'utf8');
    for (let i = 0; i < ports.length; i += 10) {
      const file = join(sshd.dir, `bench_sshd_config_${i}`);
      const config = base
        .replace(
          /^Port \d+$/m,
          ports
            .slice(i, i + 10)
            .map((p) => `Port ${p}`)
            .join('\n'),
        )
        .replace(/^PidFile .*$/m, `PidFile ${join(sshd.dir, `bench-sshd-${i}.pid`)}`);
      writeFileSync(file, config);
      extra.push(spawn('/usr/sbin/sshd', ['-D', '-e', '-f', file], { stdio: 'ignore' }));
    }
    await sleep(500);
    if (extra.some((c) => c.exitCode !== null)) throw new Error('an extra sshd did not start');
    const key = readFileSync(join(sshd.dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const hosts: HostEntry[] = [];
    ports.forEach((port, i) => {
      const name = `h${String(i + 1).padStart(2, '0')}`;
      sshd.addAlias(name, port);
      appendFileSync(join(sshd.dir, 'known_hosts'), `[127.0.0.1]:${port} ${key}\n`);
      hosts.push({ name, ssh: name });
    });

    const env = sshd.clientEnv(local.env);
    const watch = new HostsWatch({ env, hosts });
    const t0 = Date.now();
    watch.start();
    while (watch.current().some((r) => r.state !== 'ok')) {
      if (Date.now() - t0 > 180_000)
        throw new Error(
          `not all hosts came up: ${watch
            .current()
            .map((r) => `${r.name}=${r.state}`)
            .join(' ')}`,
        );
      await sleep(100);
    }
    console.log(`hosts bench: ${HOSTS} hosts ok after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(5_000); // let the remote watches settle after their first scans

    const sshConfig = join(sshd.dir, 'ssh_config');
    const pids = localPids(sshConfig, sshd.dir);
    const before = totals(pids);
    console.log(
      `  RSS: node ${(before.nodeKiB / 1024).toFixed(1)} MB + ${pids.ssh.length} ssh processes ${(before.sshKiB / 1024).toFixed(1)} MB = ${((before.nodeKiB + before.sshKiB) / 1024).toFixed(1)} MB`,
    );
    await sleep(IDLE_S * 1000);
    const after = totals(pids);
    const cpuMs = ((after.cpuTicks - before.cpuTicks) * 1000) / CLK_TCK;
    console.log(
      `  idle ${IDLE_S} s: CPU ${cpuMs.toFixed(0)} ms (${((cpuMs / (IDLE_S * 1000)) * 100).toFixed(2)} % of a core), node + ssh`,
    );

    const samples: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const written = Date.now();
      const want = writeCreds();
      const pending = new Set(hosts.map((h) => h.name));
      const off = watch.subscribe((e) => {
        if (e.type !== 'report' || !pending.has(e.host)) return;
        if (JSON.stringify(e.report.snapshot?.sources ?? []).includes(String(want))) {
          pending.delete(e.host);
          samples.push(Date.now() - written);
        }
      });
      const deadline = Date.now() + 30_000;
      while (pending.size > 0 && Date.now() < deadline) await sleep(20);
      off();
      if (pending.size > 0) console.log(`  change ${c + 1}: ${pending.size} hosts never reported it`);
      await sleep(1_000);
    }
    console.log(
      `  change on the host → report: median ${quantile(samples, 0.5)} ms, p95 ${quantile(samples, 0.95)} ms (${samples.length} samples, ${CHANGES} changes × ${HOSTS} hosts)`,
    );
    await watch.stop();
  } finally {
    for (const c of extra) c.kill('SIGKILL');
    await sshd.close();
    local.cleanup();
  }
}

await main();
