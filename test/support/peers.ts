/**
 * The real peer programs (Clawdbot, Claude Code) for interoperability tests: where they are,
 * how to run them against a temp HOME, and how to read what they print.
 */
import { accessSync, constants, lstatSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runProcess, type CliResult } from './home.js';

export const INSTALL_HINT = 'run ../shared/peers/install all';

/** The real user's home (not a test's temp HOME): the peers are installed under it. */
function realHome(): string {
  try {
    return userInfo().homedir;
  } catch {
    return homedir();
  }
}

/** `$<envName>` when set, else `~/.cache/authbar-peers/bin/<bin>`; undefined when not executable. */
export function peerPath(envName: string, bin: string): string | undefined {
  const fromEnv = process.env[envName];
  const candidate =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? fromEnv.trim()
      : join(realHome(), '.cache', 'authbar-peers', 'bin', bin);
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** At most `max` tasks at once: each peer run takes seconds of CPU on a 2-core machine. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** What `clawdbot models status --json` prints, as far as these tests read it. */
export interface ClawdbotProfileStatus {
  profileId: string;
  provider: string;
  type: string;
  status: string;
  expiresAt?: number;
  source?: string;
}

export interface ClawdbotStatus {
  agentDir: string;
  auth: {
    storePath: string;
    missingProvidersInUse: string[];
    oauth: { warnAfterMs: number; profiles: ClawdbotProfileStatus[] };
  };
}

export interface ClawdbotRun extends CliResult {
  /** Lines printed before the JSON (Clawdbot logs a sync to stdout unless logging is quiet). */
  preamble: string[];
  json: ClawdbotStatus;
}

/**
 * The JSON document on Clawdbot's stdout. A sync logs a line such as
 * `[agents/auth-profiles] synced anthropic credentials from claude cli` before it, so
 * everything before the first line that opens an object is set aside.
 */
export function parseClawdbotStdout(stdout: string): { preamble: string[]; json: ClawdbotStatus } {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('{'));
  if (start === -1) throw new Error(`clawdbot printed no JSON:\n${stdout.slice(0, 2000)}`);
  const json = JSON.parse(lines.slice(start).join('\n')) as ClawdbotStatus;
  if (typeof json !== 'object' || json === null || !Array.isArray(json.auth?.oauth?.profiles)) {
    throw new Error(`clawdbot's JSON has no auth.oauth.profiles:\n${stdout.slice(0, 2000)}`);
  }
  return { preamble: lines.slice(0, start).filter((l) => l.trim() !== ''), json };
}

export async function runClawdbot(
  bin: string,
  limiter: Limiter,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ClawdbotRun> {
  const r = await limiter.run(() => runProcess(bin, args, env, { timeoutMs: 90_000 }));
  if (r.signal !== null)
    throw new Error(`clawdbot ${args.join(' ')} was killed by ${r.signal} (timeout?)\n${r.stderr}`);
  try {
    return { ...r, ...parseClawdbotStdout(r.stdout) };
  } catch (err) {
    throw new Error(
      `clawdbot ${args.join(' ')} exited ${r.code}: ${(err as Error).message}\nstderr: ${r.stderr.slice(0, 2000)}`,
      { cause: err },
    );
  }
}

/** A file as it stands: bytes, mtime and mode (following symlinks), and whether the path is a link. */
export interface FileState {
  exists: boolean;
  text: string | null;
  mtimeMs: number | null;
  mode: number | null;
  isSymlink: boolean;
}

export function fileState(path: string): FileState {
  let isSymlink: boolean;
  try {
    isSymlink = lstatSync(path).isSymbolicLink();
  } catch {
    return { exists: false, text: null, mtimeMs: null, mode: null, isSymlink: false };
  }
  try {
    const st = statSync(path);
    return { exists: true, text: readFileSync(path, 'utf8'), mtimeMs: st.mtimeMs, mode: st.mode & 0o777, isSymlink };
  } catch {
    return { exists: false, text: null, mtimeMs: null, mode: null, isSymlink };
  }
}

/** True when a program changed the file (created, rewrote or removed it). */
export function wasWritten(before: FileState, after: FileState): boolean {
  return before.exists !== after.exists || before.text !== after.text || before.mtimeMs !== after.mtimeMs;
}

/** How `clawdbot models status --check` over several agent dirs reads as one code (as AuthBar combines agents). */
export function combineCodes(codes: ReadonlyArray<number | null>): number {
  if (codes.includes(1)) return 1;
  if (codes.includes(2)) return 2;
  return codes.every((c) => c === 0) ? 0 : -1;
}
