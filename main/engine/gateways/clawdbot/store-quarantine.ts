/** A store that does not parse is never overwritten: only `doctor --fix` moves it aside, under its lock. */
import { constants as fsc, promises as fsp } from 'node:fs';
import { AuthBarError, isNodeError } from '../../errors.js';
import { resolveRealPath } from '../../fs/atomic.js';
import { readStore } from './store.js';
import { acquireLock, lstatOrUndefined } from './store-lock.js';
import { shellQuote } from '../../../../common/shell.js';

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
      command: `ls -la ${shellQuote(`${agentDir}/`)}`,
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
    ? `rm ${shellQuote(path)}   # removes the link only; then restore a store file`
    : `mv ${shellQuote(path)} ${shellQuote(`${path}.moved-aside`)}   # after checking what it is`;
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
