/**
 * Delivering notices from `authbar watch`: the desktop (notify-send, an argument array) where
 * a session exists, and the user's own command (`--notify-cmd`), which gets the event JSON in
 * the environment variable AUTHBAR_EVENT — never interpolated into the command line.
 */
import { spawn } from 'node:child_process';
import type { Notice } from '../engine/notify/notices.js';
import type { Env } from '../engine/ports.js';
import { findOnPath } from './which.js';

export interface Delivery {
  name: string;
  deliver(notice: Notice, eventJson: string): Promise<void>;
}

/** True where a desktop session can show notifications. */
export function hasDesktopSession(env: Env): boolean {
  return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY'] || env['DBUS_SESSION_BUS_ADDRESS']);
}

/** Runs a program with an argument array; resolves when it exits 0, rejects with one sentence otherwise. */
function runQuiet(cmd: string, args: readonly string[], env: Env, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    const child = spawn(cmd, [...args], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], shell: false });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 2000) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${what} could not be started (${(err as NodeJS.ErrnoException).code ?? err.message}).`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const first = stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
        reject(
          new Error(
            `${what} ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}${first ? `: ${first}` : ''}.`,
          ),
        );
      }
    });
  });
}

/** Said once, on stderr, when a desktop session has no notify-send: notices would vanish without a word. */
export const NOTIFY_SEND_MISSING =
  'authbar: notify-send is not installed, so notices are not shown on the desktop (they are still printed here): install it (Debian and Ubuntu: apt install libnotify-bin; Fedora: dnf install libnotify), or use --notify-cmd CMD, or --no-notify to silence this.\n';

/** Whether a desktop session exists without notify-send: the case to warn about. */
export function notifySendMissing(env: Env): boolean {
  return hasDesktopSession(env) && findOnPath('notify-send', env) === null;
}

/** notify-send, when there is a desktop session and it is installed; null otherwise. */
export function notifySendDelivery(env: Env): Delivery | null {
  if (!hasDesktopSession(env)) return null;
  const bin = findOnPath('notify-send', env);
  if (bin === null) return null;
  return {
    name: 'notify-send',
    deliver: (notice) => runQuiet(bin, notifySendArgs(notice), env, 'notify-send', 10_000),
  };
}

/** The argument array for notify-send: `--` so a title starting with `-` stays a title. */
export function notifySendArgs(notice: Notice): string[] {
  const urgency = notice.state === 'now' ? 'critical' : notice.state === 'recovered' ? 'low' : 'normal';
  return ['--app-name=AuthBar', `--urgency=${urgency}`, '--', notice.title, notice.body];
}

/** The user's command, run by /bin/sh (they wrote it); the event only in AUTHBAR_EVENT. */
export function notifyCmdDelivery(cmd: string, env: Env): Delivery {
  return {
    name: '--notify-cmd',
    deliver: (_notice, eventJson) =>
      runQuiet('/bin/sh', ['-c', cmd], { ...env, AUTHBAR_EVENT: eventJson }, 'The --notify-cmd command', 30_000),
  };
}
