/**
 * `authbar setup-token`: runs the real `claude setup-token` in the user's own terminal under
 * a pseudo-terminal, so the user sees and answers its prompts as usual, while AuthBar reads
 * the same output, finds the token (no copying by hand, no line wrapping) and continues as
 * `authbar token add --expires-in 365d`. The output is held in memory only: no transcript.
 */
import { AuthBarError } from '../../engine/errors.js';
import type { EngineDeps } from '../../engine/engine.js';
import type { Env } from '../../engine/ports.js';
import { systemClock } from '../../engine/ports.js';
import { loadNative } from '../../engine/native-module.js';
import { openVault } from '../../engine/tokens/vault.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { findOnPath } from '../which.js';
import { addToken, expiresInOption, providerOption } from './token.js';

/** Wide enough that Claude Code never wraps the token (it is about 110 characters). */
export const PTY_COLUMNS = 1000;
/** Output kept to search for the token; Claude Code prints a few KiB. */
const MAX_CAPTURE = 4 * 1024 * 1024;

interface PtyLike {
  onData(cb: (d: string) => void): { dispose(): void };
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(d: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

/** Runs `claude setup-token` in a pty wired to this terminal; resolves with its exit and output. */
async function runClaudeInPty(claude: string, env: Env): Promise<{ exitCode: number; output: string }> {
  const { spawn } = loadNative<{ spawn: (file: string, args: string[], opts: object) => PtyLike }>('@lydell/node-pty');
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const stdin = process.stdin;
  const stdout = process.stdout;
  const child = spawn(claude, ['setup-token'], {
    name: env['TERM'] && env['TERM'] !== 'dumb' ? env['TERM'] : 'xterm-256color',
    cols: PTY_COLUMNS,
    rows: stdout.rows || 24,
    cwd: process.cwd(),
    env: childEnv,
  });
  let output = '';
  return new Promise((resolve) => {
    const onInput = (d: Buffer) => child.write(d.toString('utf8'));
    const onResize = () => child.resize(PTY_COLUMNS, stdout.rows || 24);
    const onSignal = () => child.kill('SIGTERM');
    child.onData((d) => {
      stdout.write(d);
      if (output.length < MAX_CAPTURE) output += d;
    });
    stdin.setRawMode(true);
    stdin.on('data', onInput);
    stdin.resume();
    stdout.on('resize', onResize);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    child.onExit(({ exitCode }) => {
      stdin.removeListener('data', onInput);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.removeListener('resize', onResize);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGHUP', onSignal);
      resolve({ exitCode, output });
    });
  });
}

export const setupTokenCommand = defineCommand({
  name: 'setup-token',
  summary: 'run `claude setup-token`, capture the token, then as token add',
  usage: `usage: authbar setup-token [--host NAME] [--profile-id ID] [--expires-in 365d] [--no-vault]

Run \`claude setup-token\` in this terminal, pick up the token it prints (no copying by hand),
then keep and land it as \`authbar token add\` does. Needs an interactive terminal.
With --host NAME (see \`authbar hosts list\`) the token goes to that host over ssh, on the
connection's stdin, to \`authbar token add\` there (or to OpenClaw's paste-token where the
host has no AuthBar); then the host's status is read back to say whether it took.

  --profile-id ID    the gateway profile to land it in (default anthropic:setup-token)
  --expires-in 365d  how long it lasts (d, h or m; at most 3650d; default: a year)
  --provider anthropic  whose token it is (the default)
  --no-vault         land it only: AuthBar keeps no copy
  --host NAME        renew the gateway on that host instead of this machine's`,
  options: {
    host: { type: 'string' },
    provider: { type: 'string' },
    'profile-id': { type: 'string' },
    'expires-in': { type: 'string' },
    'no-vault': { type: 'boolean' },
  },
  run: ({ values }, io, deps) => runSetupToken(values, io, deps),
});

export type SetupTokenValues = {
  host?: string;
  provider?: string;
  'profile-id'?: string;
  'expires-in'?: string;
  'no-vault'?: boolean;
};

/**
 * Checks the terminal and `claude`, runs it, and returns the token it printed, or the exit code
 * to end with (the reason already said). `before` runs once claude is found, before minting:
 * a token minted and then not stored would be wasted.
 */
export async function mintSetupToken(
  io: CliIO,
  deps: EngineDeps,
  rerun: string,
  before: () => Promise<number | null>,
): Promise<{ token: string; mintedAt: number } | number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    io.stderr(
      'authbar: setup-token needs an interactive terminal (claude setup-token asks you to sign in in a browser and paste a code); in a terminal run it again, or run `claude setup-token` yourself and pipe the token to `authbar token add --provider anthropic --expires-in 365d`.\n',
    );
    return EXIT.usage;
  }
  const claude = findOnPath('claude', deps.env);
  if (claude === null) {
    io.stderr(
      `authbar: \`claude\` (Claude Code) is not on PATH: install it (npm install -g @anthropic-ai/claude-code), then run \`${rerun}\` again.\n`,
    );
    return EXIT.noProgram;
  }
  const stop = await before();
  if (stop !== null) return stop;
  io.stderr(`authbar: running \`claude setup-token\`; AuthBar picks up the token it prints.\n`);
  const { exitCode, output } = await runClaudeInPty(claude, deps.env);
  const mintedAt = (deps.clock ?? systemClock).now();
  const { findSetupToken } = await import('../../engine/tokens/capture.js');
  const token = findSetupToken(output, PTY_COLUMNS);
  if (exitCode !== 0 || token === null) {
    io.stderr(
      `\nauthbar: nothing stored: ${exitCode !== 0 ? `claude setup-token ended with exit code ${exitCode}` : 'claude setup-token printed no setup token'}; run \`${rerun}\` again when ready.\n`,
    );
    return EXIT.cancelled;
  }
  io.stdout('\n');
  return { token, mintedAt };
}

async function runSetupToken(values: SetupTokenValues, io: CliIO, deps: EngineDeps): Promise<number> {
  const provider = await providerOption(values.provider, false);
  const expiresInMs = await expiresInOption(values['expires-in']);
  if (values.host !== undefined) {
    const { runSetupTokenOnHost } = await import('./setup-token-host.js');
    return runSetupTokenOnHost(values.host, { ...values, provider, expiresInMs }, io, deps);
  }
  const noVault = values['no-vault'] === true;
  const minted = await mintSetupToken(io, deps, 'authbar setup-token', async () => {
    if (!noVault) {
      const check = await (await openVault(deps.env, deps.platform ?? process.platform)).check();
      if (!check.ok) throw new AuthBarError('keyring-unavailable', check.reason);
    }
    return null;
  });
  if (typeof minted === 'number') return minted;
  const { token, mintedAt } = minted;
  return addToken(
    { secret: token, provider, profileId: values['profile-id'], expiresInMs, mintedAt, noVault },
    io,
    deps,
  );
}
