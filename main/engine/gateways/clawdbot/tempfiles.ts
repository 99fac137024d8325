/**
 * Temp files that writers killed mid-write leave beside a store (`.auth-profiles.json.<pid>.<n>.tmp`).
 * They hold full tokens, so the provably abandoned ones are removed: the writer whose pid is in
 * the name is gone, or the file is older than any write could take and the store's lock is
 * held by the caller (so no writer of ours is between open and rename). Only regular files,
 * by their own path: a symlink with such a name is never followed, only reported.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { TEMP_FILE_PATTERN } from '../../fs/atomic.js';
import { AUTH_STORE_FILE } from '../../paths.js';

/** Far beyond any real write (milliseconds); a temp file this old is debris. */
export const TEMP_MAX_AGE_MS = 60 * 60_000;

export interface TempFile {
  path: string;
  pid: number;
  ageMs: number;
  /** Why it may go, or null when it may belong to a live writer. */
  abandoned: string | null;
  /** Not a regular file (a symlink, a directory…): never touched. */
  odd: boolean;
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every store temp file in `dir`, judged. */
export async function findTempFiles(dir: string, opts: { lockHeld: boolean; now?: number }): Promise<TempFile[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const now = opts.now ?? Date.now();
  const out: TempFile[] = [];
  for (const name of names) {
    const m = TEMP_FILE_PATTERN.exec(name);
    if (!m || m[1] !== AUTH_STORE_FILE) continue;
    const path = join(dir, name);
    const st = await fsp.lstat(path).catch(() => undefined);
    if (!st) continue;
    const pid = Number(m[2]);
    const ageMs = now - st.mtimeMs;
    const odd = !st.isFile();
    let abandoned: string | null = null;
    if (!odd) {
      if (!pidAlive(pid)) abandoned = `its writer (pid ${pid}) is gone`;
      else if (opts.lockHeld && pid !== process.pid && ageMs > TEMP_MAX_AGE_MS)
        abandoned = 'it is over an hour old and no writer holds the lock';
    }
    out.push({ path, pid, ageMs, abandoned, odd });
  }
  return out;
}

/** Removes the abandoned temp files in `dir`; returns the paths removed. Failures are left for doctor. */
export async function removeAbandonedTempFiles(dir: string, opts: { lockHeld: boolean }): Promise<string[]> {
  const removed: string[] = [];
  for (const t of await findTempFiles(dir, opts)) {
    if (t.abandoned === null || t.odd) continue;
    try {
      // unlink removes the name itself; even a file swapped for a symlink since is not followed.
      await fsp.unlink(t.path);
      removed.push(t.path);
    } catch {
      // gone already, or not ours to remove: doctor reports what is left
    }
  }
  return removed;
}
