/** Doctor: modes of a Clawdbot agent's store and directory, fixed only by their own paths. */
import { promises as fsp, constants as fsc } from 'node:fs';
import { resolveRealPath } from '../../fs/atomic.js';
import { describeError } from '../../errors.js';
import { lstatOrUndefined } from './store.js';
import type { AgentView } from '../../../../common/snapshot.js';
import type { GatewayDoctorCheck as DoctorCheck } from '../types.js';
import { shellQuote } from '../../../../common/shell.js';

/**
 * Modes of the store and the agent dir. `--fix` chmods only what is, by its own path, a
 * regular file or a directory inside the agent's own dir: it opens it with O_NOFOLLOW, checks
 * the open file is the one it looked at, and changes that. A symlink, a shared (sticky or
 * world-writable) directory or anything else is reported with the command to run, untouched.
 */
export async function modeChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const name = `agent ${agent.agentId}`;
  const dirSt = await lstatOrUndefined(agent.agentDir).catch(() => undefined);
  const targets: Array<{ path: string; want: number; what: 'store' | 'agent directory' }> = [
    { path: agent.storePath, want: 0o600, what: 'store' },
    { path: agent.agentDir, want: 0o700, what: 'agent directory' },
  ];
  for (const t of targets) {
    const id = `mode:${agent.agentId}:${t.what}`;
    const want = t.want.toString(8);
    const st = await lstatOrUndefined(t.path).catch(() => undefined);
    if (!st) continue;
    if (st.isSymbolicLink()) {
      const target = await fsp.stat(t.path).catch(() => undefined);
      if (!target || (target.mode & 0o077) === 0) continue;
      const real = await resolveRealPath(t.path).catch(() => t.path);
      out.push({
        id,
        verdict: 'warn',
        message: `${name}: the ${t.what} ${t.path} is a symlink to ${real}, which is mode ${(target.mode & 0o7777).toString(8)}; AuthBar does not change modes through a link.`,
        fix: `chmod ${want} ${shellQuote(real)}   # if it is yours and private`,
      });
      continue;
    }
    const isRight = t.what === 'store' ? st.isFile() && dirSt?.isDirectory() === true : st.isDirectory();
    if (!isRight) continue; // a store of the wrong type is reported by the store check
    const mode = st.mode & 0o7777;
    if ((mode & 0o077) === 0) continue;
    const octal = mode.toString(8);
    // Only others' bits go: a store made read-only on purpose (0444) becomes 0400, not writable.
    const narrowed = mode & 0o700;
    const wantText = narrowed.toString(8);
    if (t.what === 'agent directory' && (mode & 0o1002) !== 0) {
      out.push({
        id,
        verdict: 'warn',
        message: `${name}: the agent directory ${t.path} is a shared directory (mode ${octal}); AuthBar does not change its mode: keep the agent's credentials in a private directory.`,
        fix: `mkdir -m 700 <private dir> && point CLAWDBOT_AGENT_DIR or the agent there`,
      });
      continue;
    }
    // Only the owner (or root) can chmod: for anyone else the fix is the owner's to make.
    const me = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    if (me !== 0 && st.uid !== me) {
      out.push({
        id,
        verdict: 'warn',
        message: `${name}: the ${t.what} ${t.path} is mode ${octal} (other users can read it) and belongs to another user (uid ${st.uid}), so only that user or root can change it.`,
        fix: `sudo chmod ${wantText} ${shellQuote(t.path)}   # or run AuthBar as its owner`,
      });
      continue;
    }
    if (fix) {
      const done = await chmodByLinkPath(t.path, t.what === 'store' ? 'file' : 'dir', st, narrowed);
      if (done === true)
        out.push({
          id,
          verdict: 'fixed',
          message: `${name}: the ${t.what} ${t.path} was mode ${octal}; now ${wantText}.`,
          fix: null,
        });
      else
        out.push({
          id,
          verdict: 'fail',
          message: `${name}: could not chmod ${t.path}: ${done.replace(/[.\s]+$/, '')}.`,
          fix: `chmod ${wantText} ${shellQuote(t.path)}`,
        });
      continue;
    }
    out.push({
      id,
      verdict: 'warn',
      message: `${name}: the ${t.what} ${t.path} is mode ${octal}: other users can read it.`,
      fix: `chmod ${wantText} ${shellQuote(t.path)}`,
    });
  }
  if (out.length === 0)
    out.push({
      id: `mode:${agent.agentId}`,
      verdict: 'ok',
      message: `${name}: ${agent.storePath} is valid and private.`,
      fix: null,
    });
  return out;
}

/** chmod of the file `path` names itself (never a link's target), if it is still the one looked at. */
export async function chmodByLinkPath(
  path: string,
  kind: 'file' | 'dir',
  seen: { ino: number; dev: number },
  mode: number,
): Promise<true | string> {
  const flags = fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK | (kind === 'dir' ? fsc.O_DIRECTORY : 0);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, flags);
    const st = await handle.stat();
    if (st.ino !== seen.ino || st.dev !== seen.dev || (kind === 'file' ? !st.isFile() : !st.isDirectory()))
      return 'it changed while AuthBar looked at it';
    await handle.chmod(mode);
    return true;
  } catch (err) {
    return describeError(err);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
