/**
 * How one connection of a host's watch ended, as a state with one sentence and its fix; the
 * version handshake's verdict; and ending a host's shared connection (after a sleep).
 */
import { spawn } from 'node:child_process';
import { WATCH_PROTOCOL, type HostState } from '../../../common/hosts.js';
import { authbarVersion } from '../version.js';
import { sshExitArgv } from './ssh-command.js';
import { classifySshFailure } from './ssh-failure.js';
import { interactiveSshCommand, type SshTarget } from './ssh-target.js';
import type { HelloLine } from './watch-lines.js';

export interface HelloProblem {
  message: string;
  fix: string;
}

/** The words run on the host: stdin stays open, so the remote watch ends with the connection. */
export function remoteWatchWords(program: string): string[] {
  return [program, 'watch', '--json', '--no-notify', '--stop-on-stdin-close'];
}

/** Why a hello is not one this side can follow (null: it can), and which side to update. */
export function helloProblem(host: string, hello: HelloLine | null): HelloProblem | null {
  const ours = `this AuthBar (${authbarVersion()}) speaks watch protocol ${WATCH_PROTOCOL}`;
  if (hello === null)
    return {
      message: `${host} runs an AuthBar too old to say which watch protocol it speaks; ${ours}`,
      fix: `update AuthBar on ${host} to ${authbarVersion()} or newer`,
    };
  if (hello.protocol === WATCH_PROTOCOL) return null;
  const theirs = `${host}'s AuthBar (${hello.authbar}) speaks watch protocol ${hello.protocol}`;
  return hello.protocol > WATCH_PROTOCOL
    ? { message: `${theirs}; ${ours}`, fix: `update AuthBar on this machine to ${hello.authbar} or newer` }
    : { message: `${theirs}; ${ours}`, fix: `update AuthBar on ${host} to ${authbarVersion()} or newer` };
}

export interface ConnectionEnd {
  name: string;
  target: SshTarget;
  program: string;
  /** The hello's verdict when the host's AuthBar cannot be followed. */
  refused: HelloProblem | null;
  /** ssh itself could not be started. */
  spawnError: string | null;
  /** Set when no hello came within the handshake deadline. */
  timedOutAfterMs: number | null;
  helloSeen: boolean;
  code: number | null;
  signal: string | null;
  stderr: string;
}

export function connectionOutcome(end: ConnectionEnd): { state: HostState; message: string; fix: string | null } {
  const { name, target } = end;
  const reach = interactiveSshCommand(target);
  if (end.refused) return { state: 'incompatible', ...end.refused };
  if (end.spawnError !== null)
    return {
      state: 'unreachable',
      message: `${name} cannot be reached: ${end.spawnError}`,
      fix: 'install OpenSSH (the ssh client)',
    };
  if (end.timedOutAfterMs !== null)
    return {
      state: 'unreachable',
      message: `${name} did not answer within ${Math.round(end.timedOutAfterMs / 1000)} s`,
      fix: `${reach} (to see whether it answers)`,
    };
  // EX_USAGE before any hello: an AuthBar that does not know this watch's options.
  if (!end.helloSeen && end.code === 64 && !/not found|No such file/.test(end.stderr))
    return { state: 'incompatible', ...(helloProblem(name, null) as HelloProblem) };
  const f = classifySshFailure(target, name, { code: end.code, signal: end.signal }, end.stderr, end.program);
  // Once its AuthBar said hello, a drop is the connection's, whatever the shell printed.
  if (end.helloSeen && f.state === 'no-authbar')
    return { state: 'unreachable', message: `the connection to ${name} ended`, fix: reach };
  return f;
}

/** `ssh -O exit`: ends the host's shared connection, so the next ssh dials afresh (at most 5 s). */
export function dropSharedConnection(
  target: SshTarget,
  controlDir: string,
  env: Record<string, string>,
  ssh = 'ssh',
): Promise<void> {
  return new Promise((resolve) => {
    const p = spawn(ssh, sshExitArgv(target, { controlDir }), { env, stdio: 'ignore' });
    const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    p.on('error', done);
    p.on('exit', done);
  });
}
