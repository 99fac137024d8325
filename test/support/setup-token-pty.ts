/**
 * `authbar setup-token` driven like a user would: a HOME with the fake `claude` (which
 * behaves like the real one) first on PATH, and a real pseudo-terminal to run it in.
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, makeHome, type TempHome } from './home.js';
import { keyringEnv } from './keyring.js';

interface Pty {
  onData(cb: (d: string) => void): void;
  onExit(cb: (e: { exitCode: number }) => void): void;
  write(d: string): void;
  kill(): void;
}
const pty = createRequire(import.meta.url)('@lydell/node-pty') as {
  spawn(file: string, args: string[], opts: object): Pty;
};

export const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude.cjs');

/**
 * A Clawdbot HOME (its state dir exists: the gateway creates it, AuthBar never does) with the
 * fake `claude` first on PATH, a keyring session's environment, and the token the fake will
 * print in a file in `outside`, a temp dir beside HOME. Both are removed after the test.
 */
export function fakeClaudeHome(
  t: { after(fn: () => void): void },
  token: string,
  extraEnv: Record<string, string> = {},
): { h: TempHome; env: Record<string, string>; outside: string } {
  const h = makeHome();
  const outside = mkdtempSync(join(tmpdir(), 'authbar-claude-'));
  t.after(() => {
    h.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });
  mkdirSync(h.state, { mode: 0o700 });
  const bin = h.path('bin');
  mkdirSync(bin);
  symlinkSync(FAKE_CLAUDE, join(bin, 'claude'));
  const tokenFile = join(outside, 'token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const env = {
    ...keyringEnv(h.home, h.env),
    PATH: `${bin}:${h.env['PATH']}`,
    TERM: 'xterm-256color',
    FAKE_CLAUDE_TOKEN_FILE: tokenFile,
    ...extraEnv,
  };
  return { h, env, outside };
}

/**
 * Runs `argv` in a pty of 80 columns and types `answer` (a code + Enter, or Ctrl-C) at
 * claude's prompt, like a person: a moment later, in two bursts.
 */
export function driveInPty(
  argv: [string, string[]],
  env: Record<string, string>,
  answer: string,
  cwd: string = ROOT,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const p = pty.spawn(argv[0], argv[1], { name: 'xterm-256color', cols: 80, rows: 30, cwd, env });
    let output = '';
    let answered = false;
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error(`setup-token did not finish; output:\n${output.slice(-2000)}`));
      // A hang guard only: landing under OpenClaw runs its CLI a few times, slow on a loaded machine.
    }, 180_000);
    p.onData((d) => {
      output += d;
      if (!answered && output.includes('if') && output.includes('prompted')) {
        answered = true;
        setTimeout(() => {
          p.write(answer.slice(0, 3));
          setTimeout(() => p.write(answer.slice(3)), 50);
        }, 200);
      }
    });
    p.onExit(({ exitCode }) => {
      clearTimeout(timer);
      setTimeout(() => resolve({ code: exitCode, output }), 50);
    });
  });
}
