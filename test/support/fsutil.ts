/**
 * Helpers for the safety tests: a way to run the real `authbar` as an unprivileged user, and
 * small file-system utilities.
 */
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHBAR_BIN, ROOT, assertNoSecrets, runProcess, type CliResult } from './home.js';
import { treeSnapshot } from './tree.js';

/** The compiled engine modules, for child scripts that act like another writer. */
export const ENGINE_STORE_JS = join(ROOT, 'dist', 'main', 'engine', 'gateways', 'clawdbot', 'store.js');

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

/** A file's sha256, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
