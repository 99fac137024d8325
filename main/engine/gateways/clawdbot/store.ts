import { constants as fsc, promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { AuthBarError, isNodeError } from '../../errors.js';
import { formatBytes, readJsonFile, MiB, type FileKind } from '../../fs/jsonfile.js';
import { AuthStore, describeIssues } from '../../schemas.js';
import {
  ensurePrivateDir,
  isWriteDenied,
  resolveRealPath,
  writeDeniedError,
  writeFileAtomic,
} from '../../fs/atomic.js';
import { parseLossless, stringifyLossless } from '../../fs/lossless-json.js';
import { removeAbandonedTempFiles } from './tempfiles.js';
import { refuseForeignLinkTarget, refuseMissingStateDir, refuseOpenClawTarget } from './store-target.js';

export const STORE_LABEL = 'Clawdbot auth store';
const STORE_REMEDY =
  'fix it by hand, or run `authbar doctor --fix` to move it aside (kept, not deleted); AuthBar will not overwrite it';
/**
 * Far above any real store (a few KiB, a few MiB for thousands of keys); a bigger file is
 * damage, not data. AuthBar never writes a store bigger than this (updateStore refuses), so
 * a store it wrote is always one it can read back.
 */
export const STORE_MAX_BYTES = 64 * MiB;
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

/**
 * Reads and validates a store. The value returned is the parsed file itself, not the
 * validator's copy (which would drop a `__proto__` key). `lossless` keeps numbers as written
 * (see lossless-json.ts): the write path uses it so that what AuthBar does not change
 * survives byte for byte.
 */
export async function readStore(path: string, opts: { lossless?: boolean } = {}): Promise<StoreRead> {
  const read = await readJsonFile(path, STORE_FILE, opts.lossless ? parseLossless : JSON.parse);
  if (read.kind !== 'ok') return read;
  const parsed = AuthStore.safeParse(read.value);
  if (!parsed.success) {
    return {
      kind: 'error',
      path,
      error: new AuthBarError(
        'invalid',
        `The ${STORE_LABEL} ${path} does not have the expected shape (${describeIssues(parsed.error)}): ${STORE_REMEDY}.`,
        path,
      ),
    };
  }
  return { kind: 'ok', path, store: read.value as AuthStore, text: read.text, mtimeMs: read.mtimeMs, mode: read.mode };
}

/**
 * How a store is written: the layout Clawdbot writes (two-space JSON, trailing newline),
 * with every number AuthBar did not produce printed exactly as it was read.
 */
export function serializeStore(store: AuthStore): string {
  return stringifyLossless(store, 2) + '\n';
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
export async function updateStore<T>(
  path: string,
  update: StoreUpdate<T>,
  opts: { stateDir?: string } = {},
): Promise<UpdateOutcome<T>> {
  const realPath = await resolveRealPath(path);
  await refuseDanglingLink(path, realPath);
  // Before the lock: taking it creates `<real>.lock` (and a missing agent dir) at the target.
  await refuseWrongTarget(path, realPath, opts.stateDir);
  const release = await acquireLock(realPath);
  try {
    const current = await readStore(realPath, { lossless: true });
    if (current.kind === 'error') throw current.error;
    // Under the lock, temp files of writers that died mid-write (full tokens) can go.
    await removeAbandonedTempFiles(dirname(realPath), { lockHeld: true });
    const before = current.kind === 'ok' ? current.store : undefined;
    const { next, result } = update(before);
    if (next === null) return { wrote: false, realPath, result, store: before };
    const text = serializeStore(next);
    if (current.kind === 'ok' && current.text === text) return { wrote: false, realPath, result, store: before };
    const size = Buffer.byteLength(text, 'utf8');
    if (size > STORE_MAX_BYTES) {
      throw new AuthBarError(
        'write-failed',
        `Not writing ${realPath}: the updated store would be ${formatBytes(size)}, more than the ${formatBytes(STORE_MAX_BYTES)} AuthBar reads back; the file was left as it was: remove profiles that are no longer used, then run \`authbar sync\`.`,
        realPath,
      );
    }
    await writeFileAtomic(realPath, text, 0o600);
    return { wrote: true, realPath, result, store: next };
  } finally {
    await release();
  }
}

/**
 * Where the write would land, checked before anything is created there (store-target.ts):
 * not in an OpenClaw state dir, not through a link into another user's or a shared dir, and
 * (when `stateDir` is given: the store belongs to a gateway state dir) not into a state dir
 * that does not exist, since only the gateway creates it.
 */
async function refuseWrongTarget(path: string, realPath: string, stateDir: string | undefined): Promise<void> {
  if (stateDir !== undefined) await refuseMissingStateDir(stateDir, path);
  await refuseOpenClawTarget(path, realPath);
  await refuseForeignLinkTarget(path, realPath);
}

/**
 * A store reached through a symlink whose target's directory does not exist: writing would
 * mean creating a directory somewhere the user never chose. Report it instead.
 */
async function refuseDanglingLink(path: string, realPath: string): Promise<void> {
  if (realPath === path) return;
  const link = await lstatOrUndefined(path).catch(() => undefined);
  if (!link?.isSymbolicLink()) return;
  const dir = await fsp.stat(dirname(realPath)).catch(() => undefined);
  if (dir?.isDirectory()) return;
  throw new AuthBarError(
    'write-failed',
    `The ${STORE_LABEL} ${path} is a symlink to ${realPath}, whose directory does not exist: AuthBar will not create it; restore the target or remove the link, then run \`authbar sync\`.`,
    path,
  );
}

/** How far ahead of this clock a lock's mtime may be before it cannot be a live holder's. */
const LOCK_FUTURE_SLACK_MS = 60_000;

/** A lock whose mtime lies in the future (a clock stepped back, a copied dir): it may still be held, so only a human removes it. */
export function lockFromTheFuture(mtimeMs: number, now: number): boolean {
  return mtimeMs > now + LOCK_FUTURE_SLACK_MS;
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
      else {
        // proper-lockfile only breaks a lock older than `stale`; one dated in the future
        // never ages, and waiting out every retry would only end in the same advice.
        const st = await lstatOrUndefined(`${realPath}.lock`).catch(() => undefined);
        if (st && lockFromTheFuture(st.mtimeMs, Date.now())) {
          throw new AuthBarError(
            'lock-failed',
            `Could not update ${realPath}: its lock ${realPath}.lock is dated ${new Date(st.mtimeMs).toISOString()}, in the future, so it may be stale after a clock change, or still held: check that no gateway is running, then remove it with \`rmdir ${realPath}.lock\` and run the command again.`,
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

/**
 * Only a store that does not parse (or is not a store's shape) is moved aside. One that is
 * too big may be perfectly valid: replacing it would drop every key in it.
 */
const QUARANTINABLE = new Set(['unparsable', 'invalid']);

/** What `quarantineStore` did. */
export type QuarantineOutcome =
  { kind: 'moved'; to: string } | { kind: 'repaired' } | { kind: 'refused'; message: string; command: string | null };

/**
 * Why `path` cannot be moved aside by AuthBar (a symlink, FIFO, device or directory where the
 * store belongs, or an agent dir that is itself a link), with the command a human should
 * run; null when it is a regular file in a real agent dir.
 */
export async function quarantineRefusal(
  path: string,
  agentDir: string,
): Promise<{ message: string; command: string | null } | null> {
  const dirSt = await lstatOrUndefined(agentDir).catch(() => undefined);
  if (!dirSt?.isDirectory()) {
    const what = dirSt?.isSymbolicLink()
      ? `a symlink to ${await fsp.readlink(agentDir).catch(() => '?')}`
      : 'not a directory';
    return {
      message: `the agent dir ${agentDir} is ${what}, so AuthBar moves nothing inside it; check where it points and fix the store there by hand.`,
      command: `ls -la ${agentDir}/`,
    };
  }
  const st = await lstatOrUndefined(path).catch(() => undefined);
  if (!st || st.isFile()) return null;
  const what = st.isSymbolicLink()
    ? `a symlink to ${await fsp.readlink(path).catch(() => '?')}`
    : st.isDirectory()
      ? 'a directory'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device file'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  const command = st.isSymbolicLink()
    ? `rm ${path}   # removes the link only; then restore a store file`
    : `mv ${path} ${path}.moved-aside   # after checking what it is`;
  return { message: `${path} is ${what}, not the store file it should be, so AuthBar leaves it alone.`, command };
}

/** The prefix of a store moved aside by `quarantineStore` (`auth-profiles.json.corrupt-<time>`). */
export const QUARANTINE_INFIX = '.corrupt-';

/**
 * chmod 600 of the file AuthBar just renamed, by a descriptor opened without following a
 * link, and only if it is still that file (same inode): nothing else's mode is changed.
 * Best effort: a failure leaves the file as it was, and doctor reports its mode.
 */
async function makePrivate(path: string, ino: number, dev: number): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK);
    const st = await handle.stat();
    if (st.isFile() && st.ino === ino && st.dev === dev) await handle.chmod(0o600);
  } catch {
    // left as it was; doctor lists the file with its mode
  } finally {
    await handle?.close().catch(() => undefined);
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

/**
 * Moves an unusable store aside as `<name>.corrupt-<timestamp>`, so a fresh one can be
 * written. Only a regular file, by its own path inside a real (not symlinked) agent dir: a
 * symlink, FIFO, device or directory standing in for the store is reported with the command
 * a human should run, and left alone. The verdict "unusable" is taken again under the lock:
 * a store repaired since the caller looked (by the gateway or the user) stays where it is.
 * Nothing is deleted: the user can still recover keys from the moved file.
 */
export async function quarantineStore(path: string, agentDir: string, now: number): Promise<QuarantineOutcome> {
  const refusal = await quarantineRefusal(path, agentDir);
  if (refusal) return { kind: 'refused', ...refusal };
  const st = await lstatOrUndefined(path);
  if (!st) return { kind: 'repaired' };
  // The lock lives on the real path, as every writer resolves it.
  const realPath = await resolveRealPath(path);
  const release = await acquireLock(realPath);
  try {
    const again = await readStore(path);
    if (again.kind !== 'error') return { kind: 'repaired' };
    // Only a file that does not parse is moved; one that cannot be read wants its mode fixed.
    if (!QUARANTINABLE.has(again.error.code)) return { kind: 'refused', message: again.error.message, command: null };
    const now2 = await lstatOrUndefined(path);
    if (!now2?.isFile() || now2.ino !== st.ino || now2.dev !== st.dev)
      return {
        kind: 'refused',
        message: `${path} changed while AuthBar looked at it; nothing was moved.`,
        command: 'authbar doctor',
      };
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    const target = `${path}.corrupt-${stamp}`;
    // rename never follows a link: if the name was swapped for one meanwhile, the link moves, not its target.
    await fsp.rename(path, target);
    // The moved file still holds every key the store had: private, whatever mode it had.
    await makePrivate(target, st.ino, st.dev);
    return { kind: 'moved', to: target };
  } catch (err) {
    if (err instanceof AuthBarError) throw err;
    throw new AuthBarError(
      'write-failed',
      `Could not move ${path} aside (${isNodeError(err) ? err.code : 'error'}): move it by hand, then run \`authbar sync\`.`,
      path,
    );
  } finally {
    await release();
  }
}
