/**
 * Helpers for the safety tests: a fingerprint of every file under a directory (to prove that
 * nothing was written), and a way to run the real `authbar` as an unprivileged user.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import assert from 'node:assert/strict';
import { AUTHBAR_BIN, ROOT, assertNoSecrets, runProcess, type CliResult } from './home.js';

/** The compiled engine modules, for child scripts that act like another writer. */
export const ENGINE_STORE_JS = join(ROOT, 'dist', 'main', 'engine', 'gateways', 'clawdbot', 'store.js');

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeMs: number;
  sha256?: string;
  link?: string;
}

/** Every path under `root` (not following symlinks) with its type, mode, size, mtime and content hash. */
export function treeSnapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const rel = relative(root, p);
      const base = { mode: st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs };
      if (st.isSymbolicLink()) out.set(rel, { type: 'symlink', ...base, link: readlinkSync(p) });
      else if (st.isDirectory()) {
        out.set(rel, { type: 'dir', ...base });
        // A directory we may not list (mode 000 as non-root) still counts by its own entry.
        try {
          walk(p);
        } catch {
          /* unreadable directory: its entry above is the fingerprint */
        }
      } else if (st.isFile()) {
        let sha256: string;
        try {
          sha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
        } catch {
          sha256 = 'unreadable';
        }
        out.set(rel, { type: 'file', ...base, sha256 });
      } else out.set(rel, { type: 'other', ...base });
    }
  };
  walk(root);
  return out;
}

/** Asserts two tree snapshots are identical: no file created, removed, rewritten, touched or re-moded. */
export function assertTreeUnchanged(before: Map<string, Entry>, after: Map<string, Entry>, what: string): void {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  assert.deepEqual(added, [], `${what}: files appeared: ${added.join(', ')}`);
  assert.deepEqual(removed, [], `${what}: files disappeared: ${removed.join(', ')}`);
  for (const [k, b] of before) {
    const a = after.get(k);
    assert.deepEqual(a, b, `${what}: ${k} changed`);
  }
}

/** True when this process may switch to another user (root on POSIX). */
export function canDropPrivileges(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && typeof process.setuid === 'function';
}

export const NOBODY = 65534;

/** Gives every path under `root` (and `root`) to `nobody`, so an unprivileged authbar can use it. */
export function chownTree(root: string, uid = NOBODY, gid = NOBODY): void {
  chownSync(root, uid, gid);
  for (const [rel, e] of treeSnapshot(root)) {
    if (e.type !== 'symlink') chownSync(join(root, rel), uid, gid);
  }
}

let worldReadableBin: string | undefined;

/**
 * A copy of the built CLI (bin/authbar.cjs and its bundle) in a world-readable temp dir:
 * the checkout may sit in a private 0700 home that `nobody` cannot enter. Made once per
 * test process; the bundle needs nothing from node_modules for status, sync and doctor.
 */
export function authbarBinForNobody(): string {
  if (worldReadableBin) return worldReadableBin;
  const dir = mkdtempSync(join(tmpdir(), 'authbar-build-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'bin'), { mode: 0o755 });
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true, mode: 0o755 });
  chmodSync(join(dir, 'dist'), 0o755);
  copyFileSync(AUTHBAR_BIN, join(dir, 'bin', 'authbar.cjs'));
  copyFileSync(join(ROOT, 'dist', 'cli', 'authbar.cjs'), join(dir, 'dist', 'cli', 'authbar.cjs'));
  for (const f of ['bin/authbar.cjs', 'dist/cli/authbar.cjs']) chmodSync(join(dir, f), 0o644);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  worldReadableBin = join(dir, 'bin', 'authbar.cjs');
  return worldReadableBin;
}

/**
 * Runs the real `authbar` as `nobody` (root reads every file whatever its mode, so a
 * permission test as root would prove nothing). The wrapper lives outside HOME, and so
 * does the copy of the build it runs (see authbarBinForNobody).
 */
export async function runAuthbarAsNobody(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const bin = authbarBinForNobody();
  const dir = mkdtempSync(join(tmpdir(), 'authbar-nobody-'));
  chmodSync(dir, 0o755);
  const wrapper = join(dir, 'as-nobody.mjs');
  writeFileSync(
    wrapper,
    `process.setgroups([${NOBODY}]); process.setgid(${NOBODY}); process.setuid(${NOBODY});\n` +
      `await import(${JSON.stringify(bin)});\n`,
    { mode: 0o644 },
  );
  chownSync(wrapper, NOBODY, NOBODY);
  const r = await runProcess(process.execPath, [wrapper, ...args], env, { cwd: dir }).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  assertNoSecrets(`authbar ${args.join(' ')} (as nobody)`, r.stdout + r.stderr);
  return r;
}

/** Every string anywhere inside a parsed JSON value. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
