/**
 * The real OpenClaw 2026.9.6 for interoperability tests: where it is, the Node 24 it runs
 * on (which has node:sqlite), and how to build states with its own commands.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHBAR_BIN, assertNoSecrets, runProcess, type CliResult } from './home.js';
import { Limiter, peerPath } from './peers.js';
import { treeSnapshot, type Entry } from './tree.js';

export const OPENCLAW = peerPath('PEER_OPENCLAW', 'openclaw');
function node24Path(): string | undefined {
  const fromEnv = process.env['PEER_NODE24'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const guess = OPENCLAW ? join(OPENCLAW, '..', '..', 'openclaw', 'node_modules', 'node', 'bin', 'node') : undefined;
  return guess && existsSync(guess) ? guess : undefined;
}
export const NODE24 = node24Path();
export const SKIP_OPENCLAW =
  'OpenClaw or its Node 24 is not installed (set PEER_OPENCLAW and PEER_NODE24; run ../shared/peers/install openclaw)';

/** OpenClaw takes 2–3 s of CPU a call: at most three at once on a 2-core machine. */
/**
 * A hang guard per run, not a speed limit: on a loaded 2-core machine one OpenClaw call has
 * taken over 120 s.
 */
const RUN_TIMEOUT_MS = 300_000;
export const limiter = new Limiter(3);

export function ocEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    USER: 'tester',
    NO_COLOR: '1',
    TERM: 'dumb',
    AUTHBAR_KEYCHAIN: 'off',
    TMPDIR: tmpdir(),
    ...extra,
  };
}

export function openclaw(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  if (!OPENCLAW) throw new Error(SKIP_OPENCLAW);
  return limiter.run(() =>
    runProcess(OPENCLAW as string, args, env, { ...(stdin !== undefined ? { stdin } : {}), timeoutMs: RUN_TIMEOUT_MS }),
  );
}

export async function openclawOk(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  const r = await openclaw(args, env, stdin);
  if (r.code !== 0)
    throw new Error(`openclaw ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-400)}${r.stdout.slice(-400)}`);
  return r;
}

export interface OpenClawProfile {
  profileId: string;
  provider: string;
  type: string;
  status: string;
  expiresAt?: number;
}

/** `openclaw models status --json --check` (read-only, unlike the text mode). */
export async function openclawStatus(
  env: Record<string, string>,
  agentId?: string,
): Promise<{ code: number | null; profiles: OpenClawProfile[] | null; error: string | null }> {
  const r = await openclaw(['models', 'status', '--json', '--check', ...(agentId ? ['--agent', agentId] : [])], env);
  const i = r.stdout.indexOf('{');
  const json =
    i === -1
      ? null
      : (JSON.parse(r.stdout.slice(i)) as {
          auth?: { oauth?: { profiles?: OpenClawProfile[] } };
          error?: { message: string };
        });
  return { code: r.code, profiles: json?.auth?.oauth?.profiles ?? null, error: json?.error?.message ?? null };
}

/** Runs the built AuthBar under a given Node (Node 24 for the sqlite path). */
export function authbarOn(node: string, args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runProcess(node, [AUTHBAR_BIN, ...args], env, { timeoutMs: RUN_TIMEOUT_MS }).then((r) => {
    assertNoSecrets(`authbar ${args.join(' ')}`, r.stdout + r.stderr);
    return r;
  });
}

/** Writes one row of OpenClaw's shared state db the way OpenClaw does (its own Node's node:sqlite): for states it has no command for. */
export async function setStateRow(stateDb: string, key: string, valueJson: string): Promise<void> {
  if (!NODE24) throw new Error(SKIP_OPENCLAW);
  const script = `const {DatabaseSync}=require('node:sqlite');const db=new DatabaseSync(process.argv[1]);db.exec('PRAGMA busy_timeout=5000');db.prepare('INSERT INTO config_machine_state(state_key,value_json,updated_at_ms) VALUES(?,?,?) ON CONFLICT(state_key) DO UPDATE SET value_json=excluded.value_json, updated_at_ms=excluded.updated_at_ms').run(process.argv[2],require('fs').readFileSync(0,'utf8'),Date.now());db.close();`;
  const r = await runProcess(NODE24, ['-e', script, stateDb, key], {}, { stdin: valueJson });
  if (r.code !== 0) throw new Error(`could not write ${key} into ${stateDb}: ${r.stderr}`);
}

export function editJson(path: string, edit: (v: Record<string, unknown>) => void): void {
  const v = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(v);
  writeFileSync(path, JSON.stringify(v, null, 2) + '\n');
}

/** Every path under a dir, for "byte-identical": content, mode and file mtimes (see treeSnapshot). */
export function treeDigest(dir: string): Map<string, Entry> {
  return existsSync(dir) ? treeSnapshot(dir, { mtime: 'files' }) : new Map();
}

export function copyHome(home: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'authbar-oc-copy-'));
  cpSync(home, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

export function mkTemp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(d, { recursive: true });
  return d;
}
