/** Doctor: files beside a Clawdbot store — moved-aside stores, the lock, temp files of interrupted writes. */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { chmodByLinkPath } from './doctor-modes.js';
import { resolveRealPath } from '../../fs/atomic.js';
import { describeError } from '../../errors.js';
import { formatDuration } from '../../health.js';
import { QUARANTINE_INFIX, lockFromTheFuture, lstatOrUndefined, STORE_LOCK_OPTIONS, withStoreLock } from './store.js';
import { findTempFiles, removeAbandonedTempFiles } from './tempfiles.js';
import type { AgentView } from '../../../../common/snapshot.js';
import type { GatewayDoctorCheck as DoctorCheck } from '../types.js';
import { shellQuote } from '../../../../common/shell.js';

/**
 * Stores moved aside earlier (`auth-profiles.json.corrupt-<time>`): they hold whatever keys
 * the broken store had, so each is listed (its path in full: AuthBar made that name) with
 * its mode; one others can read is a warning, and `--fix` makes it 0600 by its own path.
 */
export async function movedAsideChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
  const dirSt = await lstatOrUndefined(agent.agentDir).catch(() => undefined);
  if (!dirSt?.isDirectory()) return [];
  const prefix = `${basename(agent.storePath)}${QUARANTINE_INFIX}`;
  const names = (await fsp.readdir(agent.agentDir).catch(() => [] as string[]))
    .filter((n) => n.startsWith(prefix))
    .sort();
  const out: DoctorCheck[] = [];
  const name = `agent ${agent.agentId}`;
  for (const n of names) {
    const path = join(agent.agentDir, n);
    const st = await lstatOrUndefined(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    const id = `moved-aside:${agent.agentId}:${n}`;
    const mode = (st.mode & 0o7777).toString(8);
    const what = `${name}: ${path} is a store AuthBar moved aside`;
    const then = 'recover any keys you need from it, then delete it';
    if ((st.mode & 0o077) === 0) {
      out.push({ id, verdict: 'info', message: `${what} (mode ${mode}); ${then}.`, fix: null });
      continue;
    }
    if (fix) {
      const done = await chmodByLinkPath(path, 'file', st, st.mode & 0o700);
      if (done === true)
        out.push({
          id,
          verdict: 'fixed',
          message: `${what}; it was mode ${mode}, now ${(st.mode & 0o700).toString(8)}; ${then}.`,
          fix: null,
        });
      else
        out.push({
          id,
          verdict: 'fail',
          message: `${name}: could not chmod ${path}: ${done}.`,
          fix: `chmod 600 ${shellQuote(path)}`,
        });
      continue;
    }
    out.push({
      id,
      verdict: 'warn',
      message: `${what} (mode ${mode}: other users can read it); ${then}.`,
      fix: `chmod 600 ${shellQuote(path)}`,
    });
  }
  return out;
}

/**
 * The store's lock directory (beside the real file). A lock older than Clawdbot's stale
 * limit is left by a crashed writer; `--fix` removes it if it is, by its own path, an empty
 * directory. One dated in the future may still be held: it is reported, never removed.
 */
export async function lockCheck(agent: AgentView, fix: boolean, now: number): Promise<DoctorCheck[]> {
  const lockDir = `${await resolveRealPath(agent.storePath)}.lock`;
  const st = await lstatOrUndefined(lockDir).catch(() => undefined);
  if (!st) return [];
  const id = `lock:${agent.agentId}`;
  const name = `agent ${agent.agentId}`;
  if (!st.isDirectory()) {
    return [
      {
        id,
        verdict: 'warn',
        message: `${name}: ${lockDir} is not a lock directory (${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}), so neither AuthBar nor Clawdbot can lock the store; AuthBar does not remove it.`,
        fix: `rm ${shellQuote(lockDir)}   # after checking what it is`,
      },
    ];
  }
  const age = now - st.mtimeMs;
  const future = lockFromTheFuture(st.mtimeMs, now);
  if (!future && age <= STORE_LOCK_OPTIONS.stale)
    return [
      {
        id,
        verdict: 'info',
        message: `${name}: ${lockDir} is held right now (${Math.max(0, Math.round(age / 1000))} s old).`,
        fix: null,
      },
    ];
  if (future) {
    // Not proof of staleness: a live holder (Clawdbot refreshes its lock every 15 s) whose
    // mtime ran ahead of a clock that was then stepped back looks exactly like this, and
    // removing its lock would let a write race the holder and crash it (onCompromised throws).
    // Only a human can tell, so it is never removed here, not even with --fix.
    return [
      {
        id,
        verdict: 'warn',
        message: `${name}: ${lockDir} is dated ${new Date(st.mtimeMs).toISOString()}, in the future (a clock change?), so AuthBar cannot tell whether a gateway still holds it and does not remove it; check that no gateway or AuthBar is running, then remove it.`,
        fix: `rmdir ${shellQuote(lockDir)}   # only when no gateway is running`,
      },
    ];
  }
  const why = `${formatDuration(age)} old`;
  const own = await inOwnAgentDir(agent);
  if (fix && !own) {
    return [
      {
        id,
        verdict: 'warn',
        message: `${name}: ${lockDir} is a stale lock (${why}), but it lies outside the agent's own directory (the store or agent dir is a symlink), so AuthBar does not remove it.`,
        fix: `rmdir ${shellQuote(lockDir)}   # if no gateway is writing`,
      },
    ];
  }
  if (fix) {
    try {
      await fsp.rmdir(lockDir);
      return [{ id, verdict: 'fixed', message: `${name}: removed the stale lock ${lockDir} (${why}).`, fix: null }];
    } catch (err) {
      return [
        {
          id,
          verdict: 'fail',
          message: `${name}: could not remove the stale lock ${lockDir}: ${describeError(err)}.`,
          fix: `rmdir ${shellQuote(lockDir)}`,
        },
      ];
    }
  }
  return [
    {
      id,
      verdict: 'warn',
      message: `${name}: ${lockDir} is a stale lock (${why}) left by a crashed writer.`,
      fix: 'authbar doctor --fix',
    },
  ];
}

/** True when neither the agent dir nor the store is a symlink: fixes beside the store then stay inside the agent's own dir. */
async function inOwnAgentDir(agent: AgentView): Promise<boolean> {
  const dir = await lstatOrUndefined(agent.agentDir).catch(() => undefined);
  if (!dir?.isDirectory()) return false;
  const store = await lstatOrUndefined(agent.storePath).catch(() => undefined);
  return !store?.isSymbolicLink();
}

/** Temp files of writers killed mid-write: they hold full tokens. `--fix` removes the abandoned ones under the lock. */
export async function tempFileChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
  if (agent.origin === 'legacy') return [];
  const dir = dirname(await resolveRealPath(agent.storePath).catch(() => agent.storePath));
  const found = await findTempFiles(dir, { lockHeld: false });
  if (found.length === 0) return [];
  const id = `temp:${agent.agentId}`;
  const name = `agent ${agent.agentId}`;
  const out: DoctorCheck[] = [];
  let removed: string[] = [];
  const own = await inOwnAgentDir(agent);
  if (fix && own) {
    try {
      removed = await withStoreLock(agent.storePath, () => removeAbandonedTempFiles(dir, { lockHeld: true }));
    } catch (err) {
      out.push({ id, verdict: 'fail', message: describeError(err), fix: null });
    }
    if (removed.length > 0)
      out.push({
        id,
        verdict: 'fixed',
        message: `${name}: removed ${removed.length} temp file${removed.length === 1 ? '' : 's'} left in ${dir} by writers that died mid-write (they held tokens).`,
        fix: null,
      });
  }
  const left = found.filter((t) => !removed.includes(t.path));
  for (const t of left) {
    const why = t.odd
      ? 'is not a regular file, so AuthBar does not touch it'
      : t.abandoned
        ? `looks abandoned (${t.abandoned})`
        : `may belong to a writer still running (pid ${t.pid})`;
    out.push({
      id,
      verdict: 'warn',
      message: `${name}: ${t.path} is a temp file of an interrupted write that may hold tokens; it ${why}${own ? '' : " (outside the agent's own directory, so AuthBar does not remove it)"}.`,
      fix: t.odd
        ? `ls -la ${shellQuote(t.path)}`
        : fix || !own
          ? `rm ${shellQuote(t.path)}   # once no AuthBar runs`
          : 'authbar doctor --fix',
    });
  }
  return out;
}
