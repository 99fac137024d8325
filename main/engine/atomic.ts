import { promises as fsp, constants as fsc } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AuthBarError, isNodeError } from './errors.js';

/**
 * Follows a chain of symlinks at `path` to the file they finally name, even when that
 * file does not exist yet. Writers then replace the real file and leave every link in place.
 */
export async function resolveRealPath(path: string): Promise<string> {
  // The common case, an existing file, in one call; the walk below handles a missing one.
  try {
    return await fsp.realpath(path);
  } catch (err) {
    if (!(isNodeError(err) && err.code === 'ENOENT')) throw err;
  }
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await fsp.lstat(current);
    } catch (err) {
      if (isNodeError(err) && err.code === 'ENOENT') {
        // The file is absent; resolve its directory so the lock is shared with anyone
        // reaching the same directory by another route.
        try {
          return join(await fsp.realpath(dirname(current)), basename(current));
        } catch {
          return current;
        }
      }
      throw err;
    }
    if (!st.isSymbolicLink()) return fsp.realpath(current);
    const target = await fsp.readlink(current);
    current = resolve(dirname(current), target);
  }
  throw new AuthBarError('unreadable', `${path} is a chain of more than 40 symlinks: point it at a real file.`, path);
}

/** Creates a directory and its missing parents with mode 0700 (credentials live there). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * Replaces `realPath` with `content` so that a crash at any instant leaves either the old
 * file or the new one: write a temp file beside it, fsync it (so the rename can never expose
 * an empty file after a power cut), rename over. The directory is not fsynced: that would
 * only make the new name durable sooner, and a sync of 1,000 agents would pay for it 1,000 times.
 */
let tmpCounter = 0;

export async function writeFileAtomic(realPath: string, content: string, mode = 0o600): Promise<void> {
  const dir = dirname(realPath);
  // Unique per process and call; O_EXCL below refuses any collision anyway.
  const tmp = join(dir, `.${basename(realPath)}.${process.pid}.${(tmpCounter++).toString(16)}${Math.floor(Math.random() * 0xffffff).toString(16)}.tmp`);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, mode);
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // the umask may have narrowed or widened nothing, but be explicit
    // Run as root (sudo, a system cron), a rename would hand the user's file to root and
    // lock their gateway out of it: the new file keeps the old one's owner.
    if (process.getuid?.() === 0) {
      const old = await fsp.stat(realPath).catch(() => undefined);
      if (old && (old.uid !== 0 || old.gid !== 0)) await handle.chown(old.uid, old.gid);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, realPath);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    const code = isNodeError(err) ? err.code : 'error';
    throw new AuthBarError('write-failed', `Could not write ${realPath} (${code}): check that its directory is writable and the disk has space; the old file is unchanged.`, realPath);
  }
}
