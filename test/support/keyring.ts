/**
 * A real Secret Service for tests: a private D-Bus session (`dbus-run-session`) with
 * gnome-keyring unlocked by a password on stdin, its keyring files in the test's own
 * XDG_DATA_HOME. A new session over the same XDG_DATA_HOME is a restart of the keyring.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, type CliResult } from './home.js';

/** Why a keyring session cannot run here, or null when it can. */
export function keyringUnavailable(): string | null {
  // Elsewhere the OS keychain is the user's real one: tests never touch it.
  if (process.platform !== 'linux')
    return 'the test keyring (gnome-keyring in a private D-Bus session) runs on Linux only';
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed (apt-get install gnome-keyring dbus dbus-x11)`;
  }
  return null;
}

/** The environment for a keyring session: the keyring lives under `<home>/.local/share`. */
export function keyringEnv(home: string, env: Record<string, string>): Record<string, string> {
  const data = join(home, '.local', 'share');
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const out: Record<string, string> = { ...env, XDG_DATA_HOME: data };
  delete out['AUTHBAR_KEYCHAIN'];
  delete out['DBUS_SESSION_BUS_ADDRESS'];
  return out;
}

const SESSION_SCRIPT =
  'echo keyring-test-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"';

/** Runs `cmd args` inside a fresh D-Bus session with an unlocked gnome-keyring. */
export function runInKeyringSession(
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
  opts: { stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return runProcess('dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT, 'sh', cmd, ...args], env, {
    timeoutMs: 60_000,
    ...opts,
  }).then((r) => ({
    ...r,
    // dbus-daemon logs activation lines on stderr: not ours.
    stderr: r.stderr
      .split('\n')
      .filter((l) => !l.startsWith('dbus-daemon['))
      .join('\n'),
  }));
}

/** The argv that runs `cmd args` inside such a session (for a pty or another runner). */
export function keyringSessionArgv(cmd: string, args: readonly string[]): [string, string[]] {
  return ['dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT, 'sh', cmd, ...args]];
}
