/**
 * Opens a terminal that runs `authbar setup-token` (DESIGN §4 "Opening a terminal"): a pure
 * plan per platform — programs with argument arrays, never a shell string — and a small spawn
 * adapter that tries them in order, detached.
 * - macOS: a 0700 `.command` file in a private temp dir, opened with `open -a Terminal` (or
 *   iTerm, per settings.terminal): no Apple Events permission needed.
 * - Linux: settings.terminal, then x-terminal-emulator -e, gnome-terminal --, konsole -e, xterm -e.
 * - Windows: wt, then cmd /c start.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import type { CommandResult } from '../../common/ipc-contract.js';
import { hostNameProblem } from '../../common/hosts.js';

/** The command the terminal runs, e.g. Electron-as-node + the CLI + `setup-token`. */
export interface CliCommand {
  argv: readonly string[];
  /** Variables the command needs (ELECTRON_RUN_AS_NODE=1 when the program is Electron). */
  env: Readonly<Record<string, string>>;
}

/**
 * `authbar setup-token` as the app runs it: the app's own executable as Node
 * (ELECTRON_RUN_AS_NODE=1; a packaged app ships no separate node) and the bundled CLI by its
 * absolute path. Packaged, the CLI sits unpacked beside the archive (`<resources>/app.asar.unpacked/
 * bin/authbar.cjs`, electron-builder.yml asarUnpack: bin/**, dist/cli/**, the native modules),
 * so it runs as plain files; unpackaged (`electron .`), it is `<project>/bin/authbar.cjs`.
 */
export function setupTokenCommand(opts: {
  execPath: string;
  appPath: string;
  isPackaged: boolean;
  platform?: NodeJS.Platform;
}): CliCommand {
  const path = (opts.platform ?? process.platform) === 'win32' ? win32 : posix;
  const root = path.resolve(opts.isPackaged ? `${opts.appPath.replace(/[\\/]+$/, '')}.unpacked` : opts.appPath);
  return {
    argv: [path.resolve(opts.execPath), path.join(root, 'bin', 'authbar.cjs'), 'setup-token'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

export interface SpawnStep {
  command: string;
  args: string[];
  /** Extra environment for the child (Windows: where argv cannot carry variables). */
  env?: Record<string, string>;
}

export interface TerminalPlan {
  /** A script to write first (macOS), at `<private dir>/authbar-setup-token.command`. */
  script: { content: string; mode: number } | null;
  /** Alternatives tried in order until one starts; SCRIPT stands for the script's path. */
  steps: SpawnStep[];
}

export const SCRIPT = '\u0000script';

/** POSIX shell single-quoting: safe for any byte string but NUL. */
export function shQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `env A=1 prog args…`, so a Linux terminal's `-e` gets variables without a shell. */
function withEnv(cmd: CliCommand): string[] {
  const vars = Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`);
  return vars.length ? ['env', ...vars, ...cmd.argv] : [...cmd.argv];
}

export function macCommandFile(cmd: CliCommand): string {
  const vars = Object.entries(cmd.env)
    .map(([k, v]) => `${k}=${shQuote(v)} `)
    .join('');
  return [
    '#!/bin/sh',
    '# Written by AuthBar: runs `authbar setup-token`, then removes itself.',
    'rm -f -- "$0"',
    `${vars}${cmd.argv.map(shQuote).join(' ')}`,
    'status=$?',
    'echo',
    'echo "You can close this window."',
    'exit $status',
    '',
  ].join('\n');
}

export function terminalPlan(platform: NodeJS.Platform, cmd: CliCommand, terminal: string | null): TerminalPlan {
  if (platform === 'darwin') {
    const app =
      terminal && /^iterm/i.test(terminal) ? 'iTerm' : terminal && terminal.trim() ? terminal.trim() : 'Terminal';
    return {
      script: { content: macCommandFile(cmd), mode: 0o700 },
      steps: [{ command: 'open', args: ['-a', app, SCRIPT] }],
    };
  }
  if (platform === 'win32') {
    const env = { ...cmd.env };
    return {
      script: null,
      steps: [
        ...(terminal && terminal.trim() ? [{ command: terminal.trim(), args: [...cmd.argv], env }] : []),
        { command: 'wt.exe', args: ['--', ...cmd.argv], env },
        // `start` is a cmd built-in; its first quoted argument is the window title.
        { command: 'cmd.exe', args: ['/d', '/c', 'start', 'AuthBar setup-token', ...cmd.argv], env },
      ],
    };
  }
  const run = withEnv(cmd);
  return {
    script: null,
    steps: [
      ...(terminal && terminal.trim() ? [{ command: terminal.trim(), args: ['-e', ...run] }] : []),
      { command: 'x-terminal-emulator', args: ['-e', ...run] },
      { command: 'gnome-terminal', args: ['--', ...run] },
      { command: 'konsole', args: ['-e', ...run] },
      { command: 'xterm', args: ['-e', ...run] },
    ],
  };
}

export type SpawnFn = (
  command: string,
  args: string[],
  options: SpawnOptions,
) => {
  once(event: 'spawn', cb: () => void): unknown;
  once(event: 'error', cb: (err: Error) => void): unknown;
  unref(): void;
};

export interface TerminalLauncher {
  /** `host`: run `authbar setup-token --host NAME` (renew a remote host's token) instead. */
  launch(opts?: { host?: string }): Promise<CommandResult>;
}

/** The command with `--host NAME` added; the name must be a valid host name (it is an argv word). */
export function forHost(cmd: CliCommand, host: string): CliCommand {
  const problem = hostNameProblem(host);
  if (problem !== null) throw new Error(`Not a host name: ${problem}.`);
  return { argv: [...cmd.argv, '--host', host], env: cmd.env };
}

/** Writes the plan's script into a fresh private dir (mkdtemp, 0700), then tries each step. */
export function terminalLauncher(opts: {
  platform: NodeJS.Platform;
  command: CliCommand;
  terminal: () => string | null;
  spawn?: SpawnFn;
  tmp?: string;
}): TerminalLauncher {
  const spawn = opts.spawn ?? (nodeSpawn as unknown as SpawnFn);
  return {
    async launch(launchOpts = {}) {
      const host = launchOpts.host;
      let command = opts.command;
      try {
        if (host !== undefined) command = forHost(command, host);
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
      const what = host !== undefined ? `authbar setup-token --host ${host}` : 'authbar setup-token';
      const plan = terminalPlan(opts.platform, command, opts.terminal());
      let scriptPath: string | null = null;
      if (plan.script) {
        const dir = await fsp.mkdtemp(join(opts.tmp ?? tmpdir(), 'authbar-'));
        await fsp.chmod(dir, 0o700);
        scriptPath = join(dir, 'authbar-setup-token.command');
        await fsp.writeFile(scriptPath, plan.script.content, { mode: plan.script.mode, flag: 'wx' });
      }
      const tried: string[] = [];
      for (const step of plan.steps) {
        const args = step.args.map((a) => (a === SCRIPT ? (scriptPath as string) : a));
        const started = await startDetached(spawn, step.command, args, step.env);
        if (started === true) return { ok: true, message: `Opened a terminal running ${what} (${step.command}).` };
        tried.push(step.command);
      }
      return {
        ok: false,
        error: `Could not open a terminal (tried ${tried.join(', ')}): run \`${what}\` in one yourself, or set "terminal" in AuthBar's settings.`,
      };
    },
  };
}

function startDetached(
  spawn: SpawnFn,
  command: string,
  args: string[],
  env: Record<string, string> | undefined,
): Promise<true | Error> {
  return new Promise((resolve) => {
    let child: ReturnType<SpawnFn>;
    try {
      child = spawn(command, args, {
        detached: true,
        stdio: 'ignore',
        shell: false,
        windowsHide: false,
        ...(env ? { env: { ...process.env, ...env } } : {}),
      });
    } catch (err) {
      resolve(err as Error);
      return;
    }
    child.once('error', (err) => resolve(err));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
