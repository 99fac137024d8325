/**
 * Runs one command on a host over the system's `ssh` and collects what it prints: bounded
 * output, a deadline, and input on stdin (how a token reaches the host: never on a command
 * line, never in a file). The process is spawned without a shell; the remote words are quoted
 * for the remote one (ssh-command.ts).
 */
import { spawn } from 'node:child_process';
import type { Env } from '../ports.js';
import { sshArgv, type SshOptions } from './ssh-command.js';
import type { SshTarget } from './ssh-target.js';

/** More than this from a host is not an answer AuthBar waits for. */
export const MAX_REMOTE_OUTPUT = 8 * 1024 * 1024;

export interface SshRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Set when the deadline passed and the run was stopped. */
  timedOutAfterS?: number;
  /** True when the output went past MAX_REMOTE_OUTPUT (it was cut there). */
  truncated: boolean;
}

export interface SshExecOptions extends SshOptions {
  env: Env;
  timeoutMs: number;
  /** Written to the remote command's stdin, then closed; absent: stdin is closed at once. */
  input?: string;
  /** The `ssh` program (default: `ssh` found on PATH, as git and rsync do). */
  ssh?: string;
}

export function sshExec(target: SshTarget, words: readonly string[], opts: SshExecOptions): Promise<SshRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  const child = spawn(opts.ssh ?? 'ssh', sshArgv(target, opts, words), {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stdout = '';
  let stderr = '';
  let truncated = false;
  const take = (current: string, chunk: Buffer): string => {
    if (current.length >= MAX_REMOTE_OUTPUT) {
      truncated = true;
      return current;
    }
    return current + chunk.toString('utf8');
  };
  child.stdout.on('data', (c: Buffer) => (stdout = take(stdout, c)));
  child.stderr.on('data', (c: Buffer) => (stderr = take(stderr, c)));
  child.stdin.on('error', () => {}); // the host may close before reading: its exit says why
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    }, opts.timeoutMs);
    let done = false;
    const finish = (code: number | null, signal: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        truncated,
        ...(timedOut ? { timedOutAfterS: Math.round(opts.timeoutMs / 1000) } : {}),
      });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      stderr +=
        err.code === 'ENOENT' ? '\nssh: the ssh program (OpenSSH) is not installed or not on PATH' : `\n${err.message}`;
      finish(255, null);
    });
    // `close` comes once the pipes are drained. A ControlPersist master that kept one open would
    // hold it back for minutes, so once the process has exited, `close` gets a second at most.
    child.on('close', (code, signal) => finish(code, signal));
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 1_000).unref());
  });
}
