/**
 * Where a Clawdbot store write may land. Checked before every write of a store (sync, token
 * landing, doctor's move-aside), so that no route — an env variable, a migration symlink, a
 * link an admin set up — puts credentials where they do not belong:
 *   - never inside an OpenClaw state dir, nor into an OpenClaw agent dir kept elsewhere (one
 *     holding `openclaw-agent.sqlite`, e.g. a leftover CLAWDBOT_AGENT_DIR): OpenClaw refuses
 *     to run beside a legacy JSON store, and would migrate, then rotate, a copied refresh token;
 *   - never into a gateway state dir AuthBar would have to create (no gateway lives there);
 *   - through a symlink, never into a file or directory another user owns, nor into a shared
 *     (sticky or world-writable) directory: run as root, that hands the tokens to that user.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AuthBarError, isNodeError } from '../../errors.js';
import { uidLabel } from '../../fs/atomic.js';

/** OpenClaw's own files in a state dir (the markers detection uses too). */
const OPENCLAW_MARKERS = ['openclaw.json', join('state', 'openclaw.sqlite')];
/** OpenClaw's files in an agent dir, which may live anywhere (`agents add --agent-dir`). */
const OPENCLAW_AGENT_MARKERS = ['openclaw-agent.sqlite', 'openclaw-agent.sqlite-wal'];

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of `path`, or of its nearest existing ancestor (with the rest appended). */
async function realOrNearest(path: string): Promise<string> {
  let cur = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await fsp.realpath(cur), ...rest.reverse());
    } catch (err) {
      if (!isNodeError(err) || (err.code !== 'ENOENT' && err.code !== 'ENOTDIR')) return path;
      const up = dirname(cur);
      if (up === cur) return path;
      rest.push(basename(cur));
      cur = up;
    }
  }
}

/**
 * The OpenClaw state dir `realPath` lies in (itself or an ancestor holds openclaw.json or
 * state/openclaw.sqlite), with the marker found; null when none does.
 */
export async function openClawStateDirOf(realPath: string): Promise<{ dir: string; marker: string } | null> {
  let cur = dirname(await realOrNearest(realPath));
  for (;;) {
    for (const m of OPENCLAW_MARKERS) {
      if (await exists(join(cur, m))) return { dir: cur, marker: join(cur, m) };
    }
    const up = dirname(cur);
    if (up === cur) return null;
    cur = up;
  }
}

/** Refuses a store write whose real target lies inside an OpenClaw state dir or an OpenClaw agent dir. */
export async function refuseOpenClawTarget(path: string, realPath: string): Promise<void> {
  const via = realPath === path ? '' : ` (reached through ${path})`;
  const dir = dirname(await realOrNearest(realPath));
  for (const m of OPENCLAW_AGENT_MARKERS) {
    if (!(await exists(join(dir, m)))) continue;
    throw new AuthBarError(
      'write-failed',
      `Not writing ${realPath}${via}: ${dir} is an OpenClaw agent dir (${join(dir, m)} exists), and OpenClaw refuses to run beside a Clawdbot store. A CLAWDBOT_AGENT_DIR left over from Clawdbot points there: unset CLAWDBOT_AGENT_DIR (OpenClaw takes tokens only through \`openclaw models auth paste-token\`), or point it at a Clawdbot agent dir.`,
      realPath,
    );
  }
  const oc = await openClawStateDirOf(realPath);
  if (!oc) return;
  throw new AuthBarError(
    'write-failed',
    `Not writing ${realPath}${via}: ${oc.dir} is OpenClaw's state dir (${oc.marker} exists), and OpenClaw refuses to run beside a Clawdbot store; unset AUTHBAR_GATEWAY (AuthBar then manages OpenClaw, which takes tokens only through \`openclaw models auth paste-token\`), or point CLAWDBOT_STATE_DIR at a real Clawdbot state dir.`,
    realPath,
  );
}

/** The sentence for a store whose gateway state dir does not exist: AuthBar never creates it. */
export function noStateDirReason(stateDir: string): string {
  return `no Clawdbot state dir at ${stateDir}: nothing to sync (Clawdbot creates it when it first runs; AuthBar never does)`;
}

/** Refuses a write that would have to create the gateway's state dir `stateDir`. */
export async function refuseMissingStateDir(stateDir: string, path: string): Promise<void> {
  if (await isDir(stateDir)) return;
  throw new AuthBarError('write-failed', `Not writing ${path}: ${noStateDirReason(stateDir)}.`, path);
}

/**
 * A store reached through a symlink (the store or its agent dir is a link): the real file
 * and its directory must belong to whoever owns the agent dir the link sits in, and the
 * directory must not be shared (sticky or world-writable, like /tmp). A dangling store link
 * is refused too: the README promises 73, and creating a file wherever a link points is how
 * a planted link steals tokens.
 */
export async function refuseForeignLinkTarget(path: string, realPath: string): Promise<void> {
  if (realPath === path) return;
  const link = await fsp.lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink() && !(await exists(realPath))) {
    throw new AuthBarError(
      'write-failed',
      `The Clawdbot auth store ${path} is a symlink to ${realPath}, which does not exist: AuthBar does not create a link's target; restore the target or remove the link, then run \`authbar sync\`.`,
      path,
    );
  }
  // The owner that counts: the agent dir the store link sits in (or, when the agent dir is
  // itself a link, the directory that link sits in).
  let home = dirname(path);
  const homeSt = await fsp.lstat(home).catch(() => undefined);
  if (homeSt?.isSymbolicLink()) home = dirname(home);
  const owner = (await fsp.lstat(home).catch(() => undefined))?.uid;
  if (owner === undefined) return;
  const realDir = dirname(realPath);
  const dirSt = await fsp.stat(realDir).catch(() => undefined);
  const fileSt = await fsp.stat(realPath).catch(() => undefined);
  const refuse = (why: string, denied: boolean) =>
    new AuthBarError(
      'write-failed',
      `Not writing ${realPath} (the target of ${path}): ${why}, so the credentials would be readable by someone else; keep the store in the agent's own directory (replace the link with the file), then run \`authbar sync\`.`,
      path,
      { denied },
    );
  if (dirSt && (dirSt.mode & 0o1002) !== 0)
    throw refuse(`${realDir} is a shared directory (mode ${(dirSt.mode & 0o7777).toString(8)})`, false);
  if (dirSt && dirSt.uid !== owner)
    throw refuse(`${realDir} belongs to ${uidLabel(dirSt.uid)}, not to ${uidLabel(owner)} who owns ${home}`, false);
  if (fileSt && fileSt.uid !== owner)
    throw refuse(`it belongs to ${uidLabel(fileSt.uid)}, not to ${uidLabel(owner)} who owns ${home}`, false);
}
