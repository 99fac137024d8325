import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { AuthBarError, isNodeError } from './errors.js';
import { readJsonFile, MiB, type FileKind } from './jsonfile.js';
import { AuthStore, describeIssues } from './schemas.js';
import { ensurePrivateDir, resolveRealPath, writeFileAtomic } from './atomic.js';

export const STORE_LABEL = 'Clawdbot auth store';
const STORE_REMEDY = 'fix it by hand, or run `authbar doctor --fix` to move it aside (kept, not deleted); AuthBar will not overwrite it';
/** Far above any real store (a few KiB); a bigger file is damage, not data. */
export const STORE_MAX_BYTES = 4 * MiB;
const STORE_FILE: FileKind = { label: STORE_LABEL, remedy: STORE_REMEDY, maxBytes: STORE_MAX_BYTES };

/** Same lock as Clawdbot's (proper-lockfile, `<file>.lock`, stale 30 s) so the two exclude each other. */
export const STORE_LOCK_OPTIONS = {
  stale: 30_000,
  retries: { retries: 10, factor: 2, minTimeout: 100, maxTimeout: 10_000, randomize: true },
  realpath: false,
} as const;

export type StoreRead =
  | { kind: 'missing'; path: string }
  | { kind: 'ok'; path: string; store: AuthStore; text: string; mtimeMs: number; mode: number }
  | { kind: 'error'; path: string; error: AuthBarError };

export async function readStore(path: string): Promise<StoreRead> {
  const read = await readJsonFile(path, STORE_FILE);
  if (read.kind !== 'ok') return read;
  const parsed = AuthStore.safeParse(read.value);
  if (!parsed.success) {
    return {
      kind: 'error',
      path,
      error: new AuthBarError('invalid', `The ${STORE_LABEL} ${path} does not have the expected shape (${describeIssues(parsed.error)}): ${STORE_REMEDY}.`, path),
    };
  }
  return { kind: 'ok', path, store: parsed.data, text: read.text, mtimeMs: read.mtimeMs, mode: read.mode };
}

/** How a store is written: the layout Clawdbot writes (two-space JSON, trailing newline). */
export function serializeStore(store: AuthStore): string {
  return JSON.stringify(store, null, 2) + '\n';
}

/**
 * The decision a caller makes inside the lock, from the store as it is now (undefined when
 * the file does not exist): the store to write, or null to leave the file alone.
 */
export type StoreUpdate<T> = (current: AuthStore | undefined) => { next: AuthStore | null; result: T };

export interface UpdateOutcome<T> {
  wrote: boolean;
  realPath: string;
  result: T;
  /** The store as it stands after the update (undefined: there is still no file). */
  store: AuthStore | undefined;
}

/**
 * Locked read-modify-write of one store. The lock sits on the real file (symlinks
 * resolved), so every route to the same file serialises; a file that does not parse is
 * never overwritten; the write is atomic and leaves any symlink in place.
 */
export async function updateStore<T>(path: string, update: StoreUpdate<T>): Promise<UpdateOutcome<T>> {
  const realPath = await resolveRealPath(path);
  const release = await acquireLock(realPath);
  try {
    const current = await readStore(realPath);
    if (current.kind === 'error') throw current.error;
    const before = current.kind === 'ok' ? current.store : undefined;
    const { next, result } = update(before);
    if (next === null) return { wrote: false, realPath, result, store: before };
    const text = serializeStore(next);
    if (current.kind === 'ok' && current.text === text) return { wrote: false, realPath, result, store: before };
    await writeFileAtomic(realPath, text, 0o600);
    return { wrote: true, realPath, result, store: next };
  } finally {
    await release();
  }
}

type Release = () => Promise<void>;

async function acquireLock(realPath: string): Promise<Release> {
  // proper-lockfile pulls in graceful-fs; load it only when a write is really due.
  const lockfile = (await import('proper-lockfile')).default;
  let compromised: Error | undefined;
  let release: Release;
  const options = {
    ...STORE_LOCK_OPTIONS,
    retries: { ...STORE_LOCK_OPTIONS.retries },
    // The default throws from a timer and kills the process; a long-running app must
    // survive it, so remember it and fail the write instead.
    onCompromised: (err: Error) => {
      compromised = err;
    },
  };
  try {
    try {
      // One quick try first (proper-lockfile retries every error, a missing dir included).
      release = await lockfile.lock(realPath, { ...options, retries: 0 });
    } catch (err) {
      if (!isNodeError(err) || (err.code !== 'ENOENT' && err.code !== 'ELOCKED')) throw err;
      // The lock directory sits beside the file: a first write into a new agent dir
      // creates that dir (0700) first. Checking up front would cost every write a call.
      if (err.code === 'ENOENT') await ensurePrivateDir(dirname(realPath));
      release = await lockfile.lock(realPath, options);
    }
  } catch (err) {
    const code = isNodeError(err) ? err.code : undefined;
    const why = code === 'ELOCKED' ? 'another program holds its lock' : `the lock could not be taken (${code ?? 'error'})`;
    throw new AuthBarError('lock-failed', `Could not update ${realPath}: ${why}; try again, or run \`authbar doctor\` if a stale ${realPath}.lock remains.`, realPath);
  }
  return async () => {
    try {
      await release();
    } catch {
      // Already released or compromised: nothing left to undo.
    }
    if (compromised) {
      throw new AuthBarError('lock-failed', `The lock on ${realPath} was lost during the update: run \`authbar sync\` again.`, realPath);
    }
  };
}

/** Stat of a path without following a final symlink; undefined when it does not exist. */
export async function lstatOrUndefined(path: string) {
  try {
    return await fsp.lstat(path);
  } catch (err) {
    if (isNodeError(err) && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Moves an unusable store aside as `<name>.corrupt-<timestamp>` under the store's lock, so
 * a fresh one can be written. Nothing is deleted: the user can still recover keys from it.
 */
export async function quarantineStore(path: string, now: number): Promise<string> {
  const realPath = await resolveRealPath(path);
  const release = await acquireLock(realPath);
  try {
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    const target = `${realPath}.corrupt-${stamp}`;
    await fsp.rename(realPath, target);
    return target;
  } catch (err) {
    if (err instanceof AuthBarError) throw err;
    throw new AuthBarError('write-failed', `Could not move ${realPath} aside (${isNodeError(err) ? err.code : 'error'}): move it by hand, then run \`authbar sync\`.`, realPath);
  } finally {
    await release();
  }
}
