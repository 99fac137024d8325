import { promises as fsp, constants as fsc } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AuthBarError, isNodeError } from '../errors.js';
import { shellQuote } from '../../../common/shell.js';

/**
 * Follows a chain of symlinks at `path` to the file they finally name, even when that
 * file does not exist yet. Writers then replace the real file and leave every link in place.
 */
export async function resolveRealPath(path: string): Promise<string> {
  try {
    return await resolveRealPathRaw(path);
  } catch (err) {
    if (err instanceof AuthBarError || !isNodeError(err)) throw err;
    const why =
      err.code === 'ELOOP'
        ? 'it is a symlink loop'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied on the way to it'
          : err.code === 'ENOTDIR'
            ? 'part of its path is a file, not a directory'
            : `error ${err.code}`;
    throw new AuthBarError(
      'unreadable',
      `${path} cannot be resolved (${why}): fix the path or its permissions, then run the command again.`,
      path,
    );
  }
}

async function resolveRealPathRaw(path: string): Promise<string> {
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

/** The uid of this process, or undefined where there is none (Windows). */
export function currentUid(): number | undefined {
  return process.geteuid?.() ?? process.getuid?.();
}

const WRITE_ERRNO_WORDS: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'part of its path is a file, not a directory',
};

/** True for errors that mean "this directory cannot be written", not "try again later". */
export function isWriteDenied(err: unknown): err is NodeJS.ErrnoException {
  return isNodeError(err) && err.code !== undefined && err.code in WRITE_ERRNO_WORDS;
}

/** One sentence for a directory AuthBar could not write into, with what to do. */
export function writeDeniedError(target: string, dir: string, err: NodeJS.ErrnoException): AuthBarError {
  const why = WRITE_ERRNO_WORDS[err.code ?? ''] ?? `error ${err.code ?? 'unknown'}`;
  const what =
    err.code === 'ENOSPC' || err.code === 'EDQUOT'
      ? 'free some space'
      : err.code === 'EROFS'
        ? `remount it read-write or point AuthBar at a writable state dir`
        : `make ${dir} writable by ${uidLabel(currentUid())} (or run AuthBar as its owner)`;
  return new AuthBarError(
    'write-failed',
    `Could not write ${target}: ${dir} cannot be written (${why}); ${what}, then run \`authbar sync\` again; nothing was changed.`,
    target,
    { denied: err.code === 'EACCES' || err.code === 'EPERM' },
  );
}

/** A user's name for messages: from /etc/passwd when it is there, else `uid N`. */
export function uidLabel(uid: number | undefined): string {
  if (uid === undefined) return 'your user';
  try {
    // Only on error paths, so a synchronous read of a small file is fine.
    const { readFileSync } = process.getBuiltinModule('node:fs');
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id === String(uid) && /^[A-Za-z0-9._-]+$/.test(name)) return `${name} (uid ${uid})`;
    }
  } catch {
    // no passwd file: the number will do
  }
  return `uid ${uid}`;
}

/**
 * Creates `dir` and its missing parents, each 0700 (credentials live there). Run as root, each
 * new directory takes the owner of the one it is created in, so the user's gateway can still
 * use it. Never creates the target of a dangling symlink: that is reported instead.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let cur = resolve(dir);
  for (;;) {
    try {
      const st = await fsp.stat(cur);
      if (!st.isDirectory())
        throw new AuthBarError(
          'write-failed',
          `Could not create ${dir}: ${cur} is a file, not a directory; move it aside or point AuthBar elsewhere.`,
          dir,
        );
      break;
    } catch (err) {
      if (err instanceof AuthBarError) throw err;
      if (!isNodeError(err) || (err.code !== 'ENOENT' && err.code !== 'ENOTDIR')) {
        if (isWriteDenied(err)) throw writeDeniedError(dir, cur, err);
        throw err;
      }
      const link = await fsp.lstat(cur).catch(() => undefined);
      if (link?.isSymbolicLink()) {
        const target = await fsp.readlink(cur).catch(() => '?');
        throw new AuthBarError(
          'write-failed',
          `Could not create ${dir}: ${cur} is a symlink to ${resolve(dirname(cur), target)}, which does not exist; AuthBar does not create a link's target: create it yourself or remove the link.`,
          dir,
        );
      }
      missing.push(cur);
      const up = dirname(cur);
      if (up === cur) break;
      cur = up;
    }
  }
  const root = currentUid() === 0;
  for (const d of missing.reverse()) {
    try {
      await fsp.mkdir(d, { mode: 0o700 });
    } catch (err) {
      if (isNodeError(err) && err.code === 'EEXIST' && (await fsp.stat(d)).isDirectory()) continue;
      if (isWriteDenied(err)) throw writeDeniedError(dir, dirname(d), err);
      throw err;
    }
    if (root) {
      const parent = await fsp.stat(dirname(d));
      if (parent.uid !== 0 || parent.gid !== 0) await fsp.lchown(d, parent.uid, parent.gid);
    }
  }
}

/**
 * Whether AuthBar may replace the file at `realPath` by rename. A rename hands the file to
 * whoever runs AuthBar: a file owned by another user (when not root) or made read-only on
 * purpose is left alone, with a sentence that names the owner and what to run.
 */
export function replaceRefusal(realPath: string, st: { uid: number; mode: number }): AuthBarError | undefined {
  const me = currentUid();
  if (me !== undefined && me !== 0 && st.uid !== me) {
    return new AuthBarError(
      'write-failed',
      `Not replacing ${realPath}: it belongs to ${uidLabel(st.uid)}, not to ${uidLabel(me)}, and a rewrite would take it from its owner; run AuthBar as that user (e.g. \`sudo -u '#${st.uid}' authbar sync\`).`,
      realPath,
    );
  }
  if ((st.mode & 0o200) === 0) {
    return new AuthBarError(
      'write-failed',
      `Not replacing ${realPath}: it is read-only (mode ${(st.mode & 0o777).toString(8)}), which looks deliberate; if AuthBar should keep it up to date, run \`chmod u+w ${shellQuote(realPath)}\`.`,
      realPath,
    );
  }
  return undefined;
}

/**
 * Replaces `realPath` with `content` so that a crash at any instant leaves either the old
 * file or the new one: write a temp file beside it, fsync it (so the rename can never expose
 * an empty file after a power cut), rename over. The directory is not fsynced: that would
 * only make the new name durable sooner, and a sync of 1,000 agents would pay for it 1,000 times.
 */
let tmpCounter = 0;

/** The temp-file name writeFileAtomic uses; the pid in it tells a cleaner whether its writer is alive. */
export const TEMP_FILE_PATTERN = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

export async function writeFileAtomic(realPath: string, content: string, mode = 0o600): Promise<void> {
  const dir = dirname(realPath);
  const old = await fsp.lstat(realPath).catch(() => undefined);
  if (old) {
    const refusal = replaceRefusal(realPath, old);
    if (refusal) throw refusal;
  }
  // Run as root (sudo, a system cron), a rename would hand the user's file to root and lock
  // their gateway out of it: the new file keeps the old one's owner, a new file its dir's.
  let owner: { uid: number; gid: number } | undefined;
  if (currentUid() === 0) {
    const from = old ?? (await fsp.stat(dir).catch(() => undefined));
    if (from && (from.uid !== 0 || from.gid !== 0)) owner = { uid: from.uid, gid: from.gid };
  }
  // Unique per process and call; O_EXCL below refuses any collision anyway.
  const tmp = join(
    dir,
    `.${basename(realPath)}.${process.pid}.${(tmpCounter++).toString(16)}${Math.floor(Math.random() * 0xffffff).toString(16)}.tmp`,
  );
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, mode);
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // the umask may have narrowed or widened nothing, but be explicit
    if (owner) await handle.chown(owner.uid, owner.gid);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, realPath);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    if (isWriteDenied(err)) throw writeDeniedError(realPath, dir, err);
    const code = isNodeError(err) ? err.code : 'error';
    throw new AuthBarError(
      'write-failed',
      `Could not write ${realPath} (${code}): check that its directory is writable and the disk has space; the old file is unchanged.`,
      realPath,
    );
  }
}
