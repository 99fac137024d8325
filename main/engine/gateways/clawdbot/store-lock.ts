/** The lock every writer of a Clawdbot store takes (proper-lockfile on its real path, as Clawdbot does). */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { AuthBarError, isNodeError } from '../../errors.js';
import { ensurePrivateDir, isWriteDenied, resolveRealPath, writeDeniedError } from '../../fs/atomic.js';
import { shellQuote } from '../../../../common/shell.js';

/** Same lock as Clawdbot's (proper-lockfile, `<file>.lock`, stale 30 s) so the two exclude each other. */
export const STORE_LOCK_OPTIONS = {
  stale: 30_000,
  retries: { retries: 10, factor: 2, minTimeout: 100, maxTimeout: 10_000, randomize: true },
  realpath: false,
} as const;

/** How far ahead of this clock a lock's mtime may be before it cannot be a live holder's. */
const LOCK_FUTURE_SLACK_MS = 60_000;

/** A lock whose mtime lies in the future (a clock stepped back, a copied dir): it may still be held, so only a human removes it. */
export function lockFromTheFuture(mtimeMs: number, now: number): boolean {
  return mtimeMs > now + LOCK_FUTURE_SLACK_MS;
}

type Release = () => Promise<void>;

export async function acquireLock(realPath: string): Promise<Release> {
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
      else {
        // proper-lockfile only breaks a lock older than `stale`; one dated in the future
        // never ages, and waiting out every retry would only end in the same advice.
        const st = await lstatOrUndefined(`${realPath}.lock`).catch(() => undefined);
        if (st && lockFromTheFuture(st.mtimeMs, Date.now())) {
          throw new AuthBarError(
            'lock-failed',
            `Could not update ${realPath}: its lock ${realPath}.lock is dated ${new Date(st.mtimeMs).toISOString()}, in the future, so it may be stale after a clock change, or still held: check that no gateway is running, then remove it with \`rmdir ${shellQuote(`${realPath}.lock`)}\` and run the command again.`,
            realPath,
          );
        }
      }
      release = await lockfile.lock(realPath, options);
    }
  } catch (err) {
    if (err instanceof AuthBarError) throw err;
    if (isWriteDenied(err)) throw writeDeniedError(realPath, dirname(realPath), err);
    const code = isNodeError(err) ? err.code : undefined;
    const why =
      code === 'ELOCKED' ? 'another program holds its lock' : `the lock could not be taken (${code ?? 'error'})`;
    throw new AuthBarError(
      'lock-failed',
      `Could not update ${realPath}: ${why}; try again, or run \`authbar doctor\` if a stale ${realPath}.lock remains.`,
      realPath,
    );
  }
  return async () => {
    try {
      await release();
    } catch {
      // Already released or compromised: nothing left to undo.
    }
    if (compromised) {
      throw new AuthBarError(
        'lock-failed',
        `The lock on ${realPath} was lost during the update: run \`authbar sync\` again.`,
        realPath,
      );
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

/** Runs `fn` holding the store's lock (the lock on its real path, as every writer takes it). */
export async function withStoreLock<T>(path: string, fn: (realPath: string) => Promise<T>): Promise<T> {
  const realPath = await resolveRealPath(path);
  const release = await acquireLock(realPath);
  try {
    return await fn(realPath);
  } finally {
    await release();
  }
}
