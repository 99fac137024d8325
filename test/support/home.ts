/**
 * Test fixtures: a real temporary HOME with real files, credentials that look like the real
 * ones, and a way to run the real `authbar` executable against it.
 */
import {
  mkdtempSync,
  mkdirSync,
  writeFileSync,
  rmSync,
  readFileSync,
  existsSync,
  chmodSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const AUTHBAR_BIN = join(ROOT, 'bin', 'authbar.cjs');

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Every secret a fixture made; `assertNoSecrets` checks command output against all of them. */
export const issuedSecrets = new Set<string>();

function alnum(n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += chars[(bytes[i] as number) % chars.length];
  return out;
}

/** A fresh secret of a given kind, registered for the output audit. */
export function secret(kind: 'access' | 'refresh' | 'setup' | 'api' | 'codex-refresh' | 'qwen'): string {
  const body = alnum(kind === 'setup' ? 95 : 64);
  const value =
    kind === 'access'
      ? `sk-ant-oat01-${body}`
      : kind === 'refresh'
        ? `sk-ant-ort01-${body}`
        : kind === 'setup'
          ? `sk-ant-oat01-${body}`
          : kind === 'api'
            ? `sk-ant-api03-${body}`
            : kind === 'qwen'
              ? `qwen-${body}`
              : `rt_${body}`;
  issuedSecrets.add(value);
  return value;
}

/** A JWT-shaped Codex access token whose `exp` is `expMs`; its signature part is random. */
export function codexJwt(expMs: number): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ exp: Math.floor(expMs / 1000), sub: 'user-1' })}.${alnum(43)}`;
  issuedSecrets.add(token);
  return token;
}

export interface TempHome {
  home: string;
  state: string;
  env: Record<string, string>;
  path(...parts: string[]): string;
  write(rel: string, content: string | object, mode?: number): string;
  read(rel: string): string;
  // Tests read stores of known shape and index into them freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readJson(rel: string): any;
  exists(rel: string): boolean;
  agentStore(agentId?: string): string;
  cleanup(): void;
}

/** A temporary HOME whose environment names nothing outside it. */
export function makeHome(prefix = 'authbar-test-'): TempHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const state = join(home, '.clawdbot');
  const env: Record<string, string> = {
    HOME: home,
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    USER: 'tester',
    NO_COLOR: '1',
    TERM: 'dumb',
    AUTHBAR_KEYCHAIN: 'off',
    TMPDIR: tmpdir(),
  };
  const path = (...parts: string[]) => join(home, ...parts);
  return {
    home,
    state,
    env,
    path,
    write(rel, content, mode = 0o600) {
      const p = path(rel);
      mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n', { mode });
      chmodSync(p, mode);
      return p;
    },
    read: (rel) => readFileSync(path(rel), 'utf8'),
    readJson: (rel) => JSON.parse(readFileSync(path(rel), 'utf8')),
    exists: (rel) => existsSync(path(rel)),
    agentStore: (agentId = 'main') => join('.clawdbot', 'agents', agentId, 'agent', 'auth-profiles.json'),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** Claude Code's credentials file content. `refresh: null` makes a token-only login. */
export function claudeCredentials(opts: {
  expiresAt: number;
  access?: string;
  refresh?: string | null;
  extra?: object;
}) {
  const oauth: Record<string, unknown> = {
    accessToken: opts.access ?? secret('access'),
    expiresAt: opts.expiresAt,
    scopes: ['user:inference', 'user:profile'],
    subscriptionType: 'max',
  };
  if (opts.refresh !== null) oauth['refreshToken'] = opts.refresh ?? secret('refresh');
  return { claudeAiOauth: oauth, ...(opts.extra ?? {}) };
}

/** A Claude Code login valid for `validForMs` (8 h by default): the usual source of a sync. */
export function withLogin(h: TempHome, validForMs = 8 * HOUR): void {
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + validForMs }));
}

/** Writes a file the way the real programs do (temp file, then rename), so a watcher sees one event. */
export function atomicWrite(path: string, content: object | string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `authbar` executable. Every run's output is checked: no secret any fixture
 * issued may appear in stdout or stderr, whatever the test itself asserts.
 */
export function runAuthbar(
  args: readonly string[],
  env: Record<string, string>,
  opts: { stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return runProcess(process.execPath, [AUTHBAR_BIN, ...args], env, opts).then((r) => {
    assertNoSecrets(`authbar ${args.join(' ')}`, r.stdout + r.stderr);
    return r;
  });
}

export function runProcess(
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
  opts: { stdin?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { env, cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

export function assertNoSecrets(what: string, output: string): void {
  for (const s of issuedSecrets) {
    // Any 16-character run of a secret counts: a partial leak is still a leak.
    for (let i = 0; i + 16 <= s.length; i += 8) {
      const piece = s.slice(i, i + 16);
      if (output.includes(piece)) throw new Error(`${what} printed part of a secret (${piece.slice(0, 4)}…)`);
    }
  }
}
