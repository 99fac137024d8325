import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { AuthBarError } from '../../errors.js';
import { formatBytes, readJsonFile, MiB, type FileKind } from '../../fs/jsonfile.js';
import { AuthStore, describeIssues } from '../../schemas.js';
import { resolveRealPath, writeFileAtomic } from '../../fs/atomic.js';
import { parseLossless, stringifyLossless } from '../../fs/lossless-json.js';
import { removeAbandonedTempFiles } from './tempfiles.js';
import { refuseForeignLinkTarget, refuseMissingStateDir, refuseOpenClawTarget } from './store-target.js';
import { acquireLock, lstatOrUndefined } from './store-lock.js';

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

export type StoreRead =
  | { kind: 'missing'; path: string }
  | {
      kind: 'ok';
      path: string;
      store: AuthStore;
      text: string;
      mtimeMs: number;
      mode: number;
      /** Keys the text holds twice (read `lossless` only), each as the keys leading to it. */
      duplicateKeys?: string[][];
    }
  | { kind: 'error'; path: string; error: AuthBarError };

/**
 * Reads and validates a store. The value returned is the parsed file itself, not the
 * validator's copy (which would drop a `__proto__` key). `lossless` keeps numbers as written
 * (see lossless-json.ts): the write path uses it so that what AuthBar does not change
 * survives byte for byte.
 */
export async function readStore(path: string, opts: { lossless?: boolean } = {}): Promise<StoreRead> {
  const duplicateKeys: string[][] = [];
  const parse = opts.lossless
    ? (text: string) => parseLossless(text, { onDuplicateKey: (keys) => duplicateKeys.push([...keys]) })
    : JSON.parse;
  const read = await readJsonFile(path, STORE_FILE, parse);
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
  return {
    kind: 'ok',
    path,
    store: read.value as AuthStore,
    text: read.text,
    mtimeMs: read.mtimeMs,
    mode: read.mode,
    ...(duplicateKeys.length > 0 ? { duplicateKeys } : {}),
  };
}

/**
 * A store whose text holds a key twice (two "anthropic:default" entries in `profiles`) reads as
 * its last value, as the gateway reads it; rewritten, the first value (a credential) would be
 * gone without a word. So it is never rewritten: the user picks which one stays.
 */
function refuseDuplicateKeys(realPath: string, duplicateKeys: readonly string[][] | undefined): void {
  const problem = duplicateKeyProblem(duplicateKeys);
  if (problem === null) return;
  throw new AuthBarError(
    'write-failed',
    `Not rewriting ${realPath}: ${problem}; the file was left as it was: ${DUPLICATE_KEY_REMEDY}.`,
    realPath,
  );
}

export const DUPLICATE_KEY_REMEDY = 'remove the entry you do not want by hand, then run `authbar sync`';

/** "it has the key … twice in …": the words for a store's duplicated keys, or null when there are none. */
export function duplicateKeyProblem(duplicateKeys: readonly string[][] | undefined): string | null {
  const first = duplicateKeys?.[0];
  if (first === undefined) return null;
  const key = JSON.stringify(first[first.length - 1]);
  const where =
    first.length > 1
      ? `in ${first
          .slice(0, -1)
          .map((k) => JSON.stringify(k))
          .join(' → ')}`
      : 'at the top level';
  const more = (duplicateKeys?.length ?? 1) > 1 ? ` (and ${(duplicateKeys?.length ?? 1) - 1} more)` : '';
  return `it has the key ${key} twice ${where}${more}, and a rewrite would keep only the last value and lose the first`;
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
    if (current.kind === 'ok') refuseDuplicateKeys(realPath, current.duplicateKeys);
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

export { lockFromTheFuture, lstatOrUndefined, STORE_LOCK_OPTIONS, withStoreLock } from './store-lock.js';
export { QUARANTINE_INFIX, quarantineRefusal, quarantineStore, type QuarantineOutcome } from './store-quarantine.js';
