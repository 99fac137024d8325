/**
 * A private, throwaway copy of the OpenClaw state that `openclaw models status --json` reads.
 *
 * DESIGN §2b says `--json` only reads; on 2026.9.6 it does not: it upserts a
 * `config_health_entries` row into `state/openclaw.sqlite` whenever openclaw.json's stat
 * changed, and leaves `-wal`/`-shm` files beside it. AuthBar never changes OpenClaw's files,
 * so every `openclaw` call that only reads runs against this copy (OPENCLAW_STATE_DIR,
 * OPENCLAW_CONFIG_PATH and, when set, OPENCLAW_AGENT_DIR pointed at it), and paths in its
 * output are mapped back to the originals. The copy's config has every agent's `agentDir`
 * (absolute, as `openclaw agents add` writes it) rewritten to the copy: left alone it would
 * point OpenClaw at the original agent databases. Files are copied only when regular (a FIFO
 * would hang the copy); signals and later runs remove what is left (private-copy-guard.ts).
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { expandUserPath } from '../../paths.js';
import type { Env } from '../../ports.js';
import { AGENT_DB_FILE, resolveOpenClawPaths } from './paths.js';
import { COPY_PREFIX, copyRegularFile, guardCopy, sweepStaleCopies } from './private-copy-guard.js';

export interface PrivateCopy {
  /** The environment the child gets on top of AuthBar's: OpenClaw's locations in the copy. */
  env: Record<string, string>;
  /** Replaces the copy's paths in OpenClaw's output with the original ones. */
  mapBack(text: string): string;
  /** Deletes the copy. */
  dispose(): void;
}

/** Larger top-level files in the state dir are not config OpenClaw needs for a status (logs, caches). */
const MAX_SIDE_FILE = 4 * 1024 * 1024;
/** A credential database this large is not one: refused rather than read into memory. */
const MAX_DB_FILE = 512 * 1024 * 1024;

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function statKey(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * Copies a SQLite database and its WAL (when there is one) as one consistent pair: retried
 * while a writer changes either during the copy. The -shm index is not copied; SQLite
 * rebuilds it from the WAL.
 */
function copyDatabase(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    const before = [statKey(from), statKey(`${from}-wal`)].join('|');
    copyRegularFile(from, to, MAX_DB_FILE);
    rmSync(`${to}-wal`, { force: true });
    copyRegularFile(`${from}-wal`, `${to}-wal`, MAX_DB_FILE);
    const after = [statKey(from), statKey(`${from}-wal`)].join('|');
    if (before === after) return;
    if (attempt >= 5) throw new Error(`${from} kept changing while it was copied`);
  }
}

/** The regular files directly in `from` (not the databases, copied apart; not big ones). */
function copySideFiles(from: string, to: string, skip: (name: string) => boolean): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    if (skip(name)) continue;
    const src = join(from, name);
    const st = lstatSync(src);
    if (!st.isFile() || st.size > MAX_SIDE_FILE) continue;
    copyRegularFile(src, join(to, name), MAX_SIDE_FILE);
  }
}

const isDb = (name: string) => /\.sqlite(-wal|-shm|-journal)?$/.test(name);

/**
 * Points every `agents.entries.<id>.agentDir` of the copied config at a copy of that dir
 * (`copyAgent` makes it). A config that does not parse is left as it is: OpenClaw then stops
 * at the config and opens no agent.
 */
async function rewriteAgentDirs(config: string, home: string, copyAgent: (dir: string) => string): Promise<void> {
  if (!existsSync(config)) return;
  const text = readFileSync(config, 'utf8');
  let cfg: unknown;
  try {
    cfg = JSON.parse(text);
  } catch {
    try {
      cfg = (await import('json5')).default.parse(text);
    } catch {
      return;
    }
  }
  const obj = (v: unknown): Record<string, unknown> | null =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const entries = obj(obj(obj(cfg)?.['agents'])?.['entries']);
  if (!entries) return;
  let changed = false;
  for (const entry of Object.values(entries)) {
    const e = obj(entry);
    const dir = e?.['agentDir'];
    if (!e || typeof dir !== 'string' || dir.trim() === '') continue;
    e['agentDir'] = copyAgent(expandUserPath(dir, home));
    changed = true;
  }
  if (changed) writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
}

/**
 * Makes the copy for one round of `openclaw` reads: the state dir's top-level files (config,
 * its fingerprint key), `state/openclaw.sqlite`, and each agent dir's files with its
 * `openclaw-agent.sqlite`, in the same layout; the config's agent dirs pointed at their
 * copies. Throws when a file cannot be copied: the caller must then not run openclaw at all
 * (never against the originals).
 */
export async function makePrivateCopy(env: Env, agentDirs: readonly string[]): Promise<PrivateCopy> {
  sweepStaleCopies();
  const p = resolveOpenClawPaths(env);
  const root = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
  const dispose = guardCopy(root);
  try {
    const state = join(root, 'state');
    const back: Array<[string, string]> = [[state, p.stateDir]];
    copySideFiles(p.stateDir, state, isDb);
    copyDatabase(p.stateDb, join(state, 'state', 'openclaw.sqlite'));
    let config = join(state, relative(p.stateDir, p.configPath));
    if (!inside(p.stateDir, p.configPath)) {
      config = join(root, 'config', basename(p.configPath));
      mkdirSync(dirname(config), { recursive: true, mode: 0o700 });
      copyRegularFile(p.configPath, config, MAX_SIDE_FILE);
      back.unshift([config, p.configPath]);
    } else if (!existsSync(config)) {
      mkdirSync(dirname(config), { recursive: true, mode: 0o700 });
      copyRegularFile(p.configPath, config, MAX_SIDE_FILE);
    }
    const childEnv: Record<string, string> = { OPENCLAW_STATE_DIR: state, OPENCLAW_CONFIG_PATH: config };
    const copies = new Map<string, string>();
    const copyAgent = (dir: string): string => {
      const known = copies.get(dir);
      if (known !== undefined) return known;
      const to = inside(p.stateDir, dir)
        ? join(state, relative(p.stateDir, dir))
        : join(root, 'agent-dirs', String(copies.size));
      copies.set(dir, to);
      if (!inside(p.stateDir, dir)) back.unshift([to, dir]);
      copySideFiles(dir, to, isDb);
      copyDatabase(join(dir, AGENT_DB_FILE), join(to, AGENT_DB_FILE));
      return to;
    };
    const sharedSet = (env['OPENCLAW_AGENT_DIR'] ?? '').trim() !== '';
    const sharedCopy = copyAgent(p.sharedAgentDir);
    if (sharedSet) childEnv['OPENCLAW_AGENT_DIR'] = sharedCopy;
    for (const dir of agentDirs) copyAgent(dir);
    await rewriteAgentDirs(config, p.home, copyAgent);
    // Longest copy path first, so a nested copy path is not cut by its parent's mapping.
    back.sort((a, b) => b[0].length - a[0].length);
    return {
      env: childEnv,
      mapBack: (text) => back.reduce((t, [from, to]) => t.split(from).join(to), text),
      dispose,
    };
  } catch (err) {
    dispose();
    throw err;
  }
}
