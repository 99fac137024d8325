/**
 * A real OpenSSH server for the remote-host tests (DESIGN §6): Debian's /usr/sbin/sshd on a
 * free loopback port, host and user keys generated into a temp dir, its own sshd_config there
 * (no system file touched), and a `ForceCommand` that gives every session the remote side's
 * own HOME and PATH. On the local side, an `ssh` wrapper first on PATH adds `-F <temp
 * ssh_config>` (OpenSSH reads ~/.ssh from the passwd entry, not $HOME), where the alias `vps`
 * (or any added with `addAlias`) reaches the server with the test's key and known_hosts.
 * sshd runs each session through the user's login shell, so a slow ~/.bashrc (bash reads it
 * under sshd) adds its time to every session: on these machines about a second.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../common/shell.js';
import { AUTHBAR_BIN, makeHome, type TempHome } from './home.js';
import { peerPath } from './peers.js';

const SSHD = '/usr/sbin/sshd';

/** Why the SSH tests cannot run here (a skip message), or null. */
export function sshdMissing(): string | null {
  for (const bin of [SSHD, '/usr/bin/ssh', '/usr/bin/ssh-keygen'])
    if (!existsSync(bin)) return `${bin} is not installed (apt-get install openssh-server openssh-client)`;
  return null;
}

export interface SshdOptions {
  /** Put the checkout's `authbar` on the remote PATH (default true). */
  authbar?: boolean;
  /** Which Node runs `authbar` there: the system's (20) or the peers' Node 24 (default 'system'). */
  node?: 'system' | 'node24';
  /** Put the real `openclaw` / `clawdbot` on the remote PATH. */
  peers?: readonly ('openclaw' | 'clawdbot')[];
  /** More variables for every remote session. */
  remoteEnv?: Record<string, string>;
}

export interface Sshd {
  port: number;
  /** The ssh alias that reaches this server ("vps"). */
  alias: string;
  /** The temp dir holding keys, configs and both sides' bins. */
  dir: string;
  /** The remote side's HOME (a TempHome: write its stores with the usual helpers). */
  remote: TempHome;
  /** The remote PATH's first dir: holds `authbar` (unless off) and the peers asked for. */
  remoteBin: string;
  /** `base` (a local test home's env) with the ssh wrapper first on PATH and a private runtime dir. */
  clientEnv(base: Record<string, string>): Record<string, string>;
  /** Another alias to this server (or to `port`, e.g. a silent listener). */
  addAlias(name: string, port?: number): void;
  /** Kills the server and every session: the host is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same keys. */
  start(): Promise<void>;
  /** Kills the live sessions only (a dropped connection); the server keeps listening. */
  killSessions(): void;
  /** A new host key (restarts the server): the client's known_hosts no longer matches. */
  rotateHostKey(): Promise<void>;
  /** Empties the client's known_hosts: the host key is unknown. */
  forgetHostKey(): void;
  /** Trusts the server's current host key again. */
  trustHostKey(): void;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A TCP listener that accepts and never says a word: a host that hangs. */
export async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

function keygen(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'authbar-test', '-f', path]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
}

/** Every descendant of `pid` (children first found via /proc/<n>/stat). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function killAll(pids: number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function nodeFor(which: 'system' | 'node24'): string {
  if (which === 'system') return process.execPath;
  const n24 = process.env['PEER_NODE24'];
  if (!n24) throw new Error('PEER_NODE24 is not set: run ../shared/peers/install all');
  return n24;
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-sshd-'));
  chmodSync(dir, 0o755);
  const p = (...parts: string[]) => join(dir, ...parts);
  for (const sub of ['remote-bin', 'client-bin', 'run']) mkdirSync(p(sub), { recursive: true, mode: 0o700 });
  keygen(p('host_key'));
  keygen(p('id_user'));
  writeFileSync(p('authorized_keys'), readFileSync(p('id_user.pub')), { mode: 0o600 });
  const remote = makeHome('authbar-remote-');
  const remoteBin = p('remote-bin');
  const node = nodeFor(opts.node ?? 'system');
  writeFileSync(p('remote-bin', 'node'), `#!/bin/sh\nexec ${shellQuote(node)} "$@"\n`, { mode: 0o755 });
  if (opts.authbar !== false)
    writeFileSync(p('remote-bin', 'authbar'), `#!/bin/sh\nexec ${shellQuote(node)} ${shellQuote(AUTHBAR_BIN)} "$@"\n`, {
      mode: 0o755,
    });
  for (const peer of opts.peers ?? []) {
    const bin = peerPath(peer === 'openclaw' ? 'PEER_OPENCLAW' : 'PEER_CLAWDBOT', peer);
    if (!bin) throw new Error(`the ${peer} peer is not installed: run ../shared/peers/install all`);
    writeFileSync(p('remote-bin', peer), `#!/bin/sh\nexec ${shellQuote(bin)} "$@"\n`, { mode: 0o755 });
  }
  // The remote session's environment: the remote TempHome's, its own PATH, and the extras.
  const remoteEnv: Record<string, string> = {
    ...remote.env,
    PATH: `${remoteBin}:/usr/local/bin:/usr/bin:/bin`,
    ...(opts.remoteEnv ?? {}),
  };
  const exports = Object.entries(remoteEnv)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
    .join('\n');
  writeFileSync(p('session.sh'), `#!/bin/sh\n${exports}\ncd "$HOME"\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`, {
    mode: 0o755,
  });
  const port = await freePort();
  writeFileSync(
    p('sshd_config'),
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${p('host_key')}`,
      `PidFile ${p('sshd.pid')}`,
      `AuthorizedKeysFile ${p('authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'AllowTcpForwarding yes',
      'MaxSessions 64',
      'MaxStartups 100:30:200',
      `ForceCommand ${p('session.sh')}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const aliases: string[] = [];
  const writeClientConfig = () =>
    writeFileSync(
      p('ssh_config'),
      [
        ...aliases,
        'Host *',
        `  IdentityFile ${p('id_user')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${p('known_hosts')}`,
        '  GlobalKnownHostsFile /dev/null',
        '  User root',
        '',
      ].join('\n'),
    );
  const addAlias = (name: string, aliasPort = port) => {
    aliases.push(`Host ${name}`, '  HostName 127.0.0.1', `  Port ${aliasPort}`);
    writeClientConfig();
  };
  addAlias('vps');
  const trustHostKey = () => {
    const key = readFileSync(p('host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(p('known_hosts'), `[127.0.0.1]:${port} ${key}\n`, { mode: 0o600 });
  };
  trustHostKey();
  writeFileSync(p('client-bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${shellQuote(p('ssh_config'))} "$@"\n`, {
    mode: 0o755,
  });

  // sshd running as root needs its privilege-separation dir (Debian's service creates it).
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });

  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', p('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child = proc;
    // Listening once a connection is accepted.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`sshd exited: ${err}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc?.pid) return;
    const all = [...descendants(proc.pid), proc.pid];
    killAll(all);
    if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
  };
  const killSessions = () => {
    if (child?.pid) killAll(descendants(child.pid));
  };
  await start();

  return {
    port,
    alias: 'vps',
    dir,
    remote,
    remoteBin,
    clientEnv: (base) => ({
      ...base,
      PATH: `${p('client-bin')}:${base['PATH'] ?? process.env['PATH'] ?? '/usr/bin:/bin'}`,
      // AuthBar's control sockets go here (short path, private to the test).
      XDG_RUNTIME_DIR: p('run'),
    }),
    addAlias,
    stop,
    start,
    killSessions,
    async rotateHostKey() {
      await stop();
      keygen(p('host_key'));
      await start();
    },
    forgetHostKey: () => writeFileSync(p('known_hosts'), '', { mode: 0o600 }),
    trustHostKey,
    async close() {
      await stop();
      // Local ssh masters die with their connection; sweep any left in the runtime dir.
      const socks = existsSync(p('run', 'authbar-ssh'))
        ? readdirSync(p('run', 'authbar-ssh'), { withFileTypes: true })
        : [];
      for (const sock of socks.filter((e) => !e.isDirectory()))
        spawnSync('/usr/bin/ssh', ['-o', `ControlPath=${p('run', 'authbar-ssh', sock.name)}`, '-O', 'exit', 'x'], {
          stdio: 'ignore',
          timeout: 5_000,
        });
      remote.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
