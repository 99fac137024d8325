/**
 * The argv AuthBar gives the system's `ssh` (OpenSSH): the user's own config, agent, keys and
 * known_hosts, plus the options that make it safe to run from a tray with nobody watching:
 * - BatchMode=yes: never a password or passphrase prompt nobody would see;
 * - StrictHostKeyChecking=yes: never accept a new or changed host key on its own;
 * - one multiplexed connection per host (ControlMaster in AuthBar's own runtime dir), so a
 *   status, a renew or a forward reuses the watch's connection;
 * - timeouts, so a host that hangs is found out (ConnectTimeout, ServerAlive*).
 * Options given with -o come first and win over the user's config.
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../../common/shell.js';
import type { Env } from '../ports.js';
import type { SshTarget } from './ssh-target.js';

export const CONNECT_TIMEOUT_S = 10;
/** A silent connection is declared dead after 3 × 15 s without an answer to ssh's keepalive. */
export const SERVER_ALIVE_S = 15;
export const SERVER_ALIVE_COUNT = 3;
/** How long the shared connection outlives its last user. */
export const CONTROL_PERSIST_S = 120;

export interface SshOptions {
  /** Where the control sockets live (sshControlDir). */
  controlDir: string;
  /** False only for a command the user started in a terminal (it may then ask for a passphrase). */
  batch?: boolean;
  /** Local port forwards to add: `-L local:127.0.0.1:remote`. */
  forwards?: readonly { localPort: number; remotePort: number }[];
  /**
   * False for a session that lives as long as the connection should (a host's watch): it is the
   * master itself, so a host costs one ssh process, not a master beside it.
   */
  persist?: boolean;
  /** Extra options before the destination (e.g. `-O check`). */
  extra?: readonly string[];
}

/**
 * AuthBar's own directory for ssh control sockets, created 0700. A socket path must stay under
 * ~104 bytes, so a long home falls back to a per-user directory under /tmp.
 */
export function sshControlDir(env: Env): string {
  const home = env['HOME'] && env['HOME'] !== '' ? env['HOME'] : homedir();
  const runtime = env['XDG_RUNTIME_DIR'];
  const candidates = [
    ...(runtime && runtime.startsWith('/') ? [join(runtime, 'authbar-ssh')] : []),
    join(home, '.cache', 'authbar', 'ssh'),
    join('/tmp', `authbar-ssh-${process.getuid?.() ?? 'user'}`),
  ];
  // %C expands to 40 hex characters; leave room for ssh's own temporary suffix.
  const dir = candidates.find((d) => d.length <= 50) ?? (candidates[candidates.length - 1] as string);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0)
    throw new Error(`${dir} is not a private directory of this user: remove it, and AuthBar makes it again`);
  return dir;
}

/** ssh's options (everything before the destination). */
export function sshOptions(target: SshTarget, opts: SshOptions): string[] {
  const args = [
    '-o',
    `BatchMode=${opts.batch === false ? 'no' : 'yes'}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${join(opts.controlDir, '%C')}`,
    '-o',
    `ControlPersist=${opts.persist === false ? 'no' : CONTROL_PERSIST_S}`,
    '-o',
    `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    '-o',
    `ServerAliveInterval=${SERVER_ALIVE_S}`,
    '-o',
    `ServerAliveCountMax=${SERVER_ALIVE_COUNT}`,
    // A forward that cannot be set up is an error, not a warning that leaves the port dead.
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'LogLevel=ERROR',
  ];
  if (target.port !== null) args.push('-p', String(target.port));
  for (const f of opts.forwards ?? []) args.push('-L', `127.0.0.1:${f.localPort}:127.0.0.1:${f.remotePort}`);
  args.push(...(opts.extra ?? []));
  return args;
}

/** The whole argv for running `words` on the host (each word quoted for the remote shell). */
export function sshArgv(target: SshTarget, opts: SshOptions, words: readonly string[]): string[] {
  return [...sshOptions(target, opts), '--', target.destination, words.map(shellQuote).join(' ')];
}

/** The argv that asks the shared connection to stop (`ssh -O exit`). */
export function sshExitArgv(target: SshTarget, opts: SshOptions): string[] {
  return [...sshOptions(target, { ...opts, extra: ['-O', 'exit'] }), '--', target.destination];
}
