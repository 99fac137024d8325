/**
 * `authbar doctor`: every check of the setup, one verdict each with the command that fixes
 * it. With `fix`, repairs what is safe: modes, stale locks, an out-of-step store, and a store
 * that does not parse (moved aside, never deleted, then written anew by a sync).
 */
import { promises as fsp } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { resolveRealPath } from '../fs/atomic.js';
import { collect, gatewayDoctorChecks, type Collected, type EngineDeps } from '../engine.js';
import { describeError } from '../errors.js';
import { formatDuration } from '../health.js';
import { isoTime } from '../time.js';
import { systemClock } from '../ports.js';
import {
  QUARANTINE_INFIX,
  lockFromTheFuture,
  lstatOrUndefined,
  quarantineRefusal,
  quarantineStore,
  readStore,
  STORE_LOCK_OPTIONS,
  withStoreLock,
} from '../gateways/clawdbot/store.js';
import { maskKnownSecrets } from '../secrets/scrub.js';
import { findTempFiles, removeAbandonedTempFiles } from '../gateways/clawdbot/tempfiles.js';
import { dirname } from 'node:path';
import { constants as fsc } from 'node:fs';
import type { AgentView, Snapshot } from '../../../common/snapshot.js';

export type Verdict = 'ok' | 'info' | 'warn' | 'fail' | 'fixed';

export interface DoctorCheck {
  id: string;
  verdict: Verdict;
  /** One sentence: what was checked and what was found. */
  message: string;
  /** The command that fixes it, when there is one. */
  fix: string | null;
}

export const SETUP_TOKEN_PATTERN = /^sk-ant-oat01-[A-Za-z0-9_-]{80,}$/;
/** Anything before this is a machine whose clock was never set. */
const CLOCK_FLOOR = Date.UTC(2025, 0, 1);

/**
 * Doctor works on real paths; what it returns has each exact copy of a secret value it read
 * masked (a key copied into a profile id or an agent dir name). The caller scrubs the rest.
 */
export async function runDoctorChecks(deps: EngineDeps, opts: { fix: boolean }): Promise<DoctorCheck[]> {
  const secrets = new Set<string>();
  const checks = await doctorChecks(deps, opts, secrets);
  return secrets.size === 0
    ? checks
    : checks.map((c) => ({
        ...c,
        id: maskKnownSecrets(c.id, secrets),
        message: maskKnownSecrets(c.message, secrets),
        fix: c.fix === null ? null : maskKnownSecrets(c.fix, secrets),
      }));
}

async function doctorChecks(deps: EngineDeps, opts: { fix: boolean }, secrets: Set<string>): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const clock = deps.clock ?? systemClock;
  let snapshot: Snapshot;
  let collected: Collected;
  try {
    collected = await collect(deps, { sync: 'skip', raw: true });
    snapshot = collected.snapshot;
    for (const v of collected.secrets ?? []) secrets.add(v);
  } catch (err) {
    return [{ id: 'settings', verdict: 'fail', message: describeError(err), fix: null }];
  }
  // Under OpenClaw nothing below applies (JSON stores, sync): its adapter checks, and never fixes.
  if (snapshot.gateway.kind === 'openclaw')
    return [
      clockCheck(clock.now()),
      await claudeCheckUnderOpenClaw(snapshot, deps),
      ...(await gatewayDoctorChecks(deps, snapshot, collected, opts)),
    ];

  const clockVerdict = clockCheck(clock.now());
  // The same sanity check status makes (file times, years off), when the floor alone passes.
  checks.push(
    clockVerdict.verdict === 'ok' && snapshot.clockProblem
      ? { id: 'clock', verdict: 'warn', message: snapshot.clockProblem, fix: 'sudo timedatectl set-ntp true' }
      : clockVerdict,
  );
  checks.push(await claudeCheck(snapshot, deps));
  for (const s of snapshot.sources) {
    if (s.id === 'claude-code') continue;
    if (s.status === 'ok')
      checks.push({
        id: `source:${s.id}`,
        verdict: 'ok',
        message: `${s.id}: ${s.path} holds a login (expires in ${formatDuration(s.remainingMs ?? 0)}${s.expirySource === 'mtime' ? ', guessed' : ''}).`,
        fix: null,
      });
    else if (s.status === 'absent' || s.status === 'logged-out')
      checks.push({
        id: `source:${s.id}`,
        verdict: 'info',
        message: `${s.id}: no login at ${s.path} (optional).`,
        fix: null,
      });
    else
      checks.push({
        id: `source:${s.id}`,
        verdict: 'warn',
        message: s.error ?? `${s.id}: ${s.path} is ${s.status}.`,
        fix: s.id === 'codex-cli' ? 'codex login' : 'qwen',
      });
  }
  if (snapshot.configError)
    checks.push({ id: 'clawdbot-config', verdict: 'warn', message: snapshot.configError, fix: null });
  for (const dir of snapshot.skippedAgentDirs ?? []) {
    checks.push({
      id: `agent-dir:${dir}`,
      verdict: 'warn',
      message: `${join(snapshot.stateDir, 'agents', dir)} is not an agent id Clawdbot uses (lowercase letters, digits, _ and -, up to 64), so AuthBar skips it.`,
      fix: 'rename it to a valid agent id, or move it out of the agents directory',
    });
  }
  for (const problem of snapshot.settingsProblems ?? [])
    checks.push({ id: 'settings:agents', verdict: 'warn', message: problem, fix: null });

  let needsSync = false;
  for (const agent of snapshot.agents) {
    try {
      const agentChecks = await storeChecks(agent, opts.fix, clock.now());
      checks.push(...agentChecks.checks);
      needsSync ||= agentChecks.needsSync;
    } catch (err) {
      // One agent's odd file system never stops the checks of the others.
      checks.push({
        id: `store:${agent.agentId}`,
        verdict: 'fail',
        message: `agent ${agent.agentId}: ${describeError(err)}`,
        fix: null,
      });
    }
  }
  if (opts.fix && needsSync) {
    const again = await collect(deps, { sync: 'apply', raw: true });
    for (const v of again.secrets ?? []) secrets.add(v);
    const after = again.snapshot;
    for (const a of after.agents) {
      if (a.sync.wrote)
        checks.push({
          id: `sync:${a.agentId}`,
          verdict: 'fixed',
          message: `agent ${a.agentId}: synced ${a.sync.changes.map((c) => c.profileId).join(', ')} into ${a.storePath}.`,
          fix: null,
        });
      // A permission problem is not fixed by running the same sync again: its sentence says what is.
      if (a.sync.error)
        checks.push({
          id: `sync:${a.agentId}`,
          verdict: 'fail',
          message: a.sync.error,
          fix: /permission|EACCES|EPERM|another user/.test(a.sync.error) ? null : 'authbar sync',
        });
    }
  }
  return checks;
}

/** Claude Code's login matters to OpenClaw only through the claude-cli runtime (its adapter checks that). */
async function claudeCheckUnderOpenClaw(snapshot: Snapshot, deps: EngineDeps): Promise<DoctorCheck> {
  const c = await claudeCheck(snapshot, deps);
  return c.verdict === 'fail'
    ? { ...c, verdict: 'info', message: `${c.message} (OpenClaw needs it only for the claude-cli runtime)` }
    : c;
}

function clockCheck(now: number): DoctorCheck {
  if (now < CLOCK_FLOOR)
    return {
      id: 'clock',
      verdict: 'fail',
      message: `The system clock reads ${isoTime(now)}, which cannot be right: every expiry would be misjudged.`,
      fix: 'sudo timedatectl set-ntp true',
    };
  return { id: 'clock', verdict: 'ok', message: `The system clock reads ${isoTime(now)}.`, fix: null };
}

async function onPath(name: string, env: EngineDeps['env']): Promise<string | null> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await fsp.access(candidate, 1 /* X_OK */);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

async function claudeCheck(snapshot: Snapshot, deps: EngineDeps): Promise<DoctorCheck> {
  const source = snapshot.sources.find((s) => s.id === 'claude-code');
  const binary = await onPath('claude', deps.env);
  const where = binary ? `Claude Code (${binary})` : 'Claude Code (not on PATH)';
  if (!source || source.status === 'absent') {
    return {
      id: 'claude-code',
      verdict: 'fail',
      message: `${where}: no login found at ${source?.path ?? 'its credentials file'}.`,
      fix: binary
        ? 'claude   # then /login, or: claude setup-token'
        : 'npm install -g @anthropic-ai/claude-code && claude',
    };
  }
  if (source.status !== 'ok')
    return {
      id: 'claude-code',
      verdict: 'fail',
      message: source.error ?? `${where}: ${source.path} is ${source.status}.`,
      fix: 'claude   # then /login',
    };
  const left = source.remainingMs ?? 0;
  const kind = source.type === 'oauth' ? 'refreshable OAuth login' : 'token without refresh';
  if (source.type === 'token' && left <= 0)
    return {
      id: 'claude-code',
      verdict: 'fail',
      message: `${where}: its ${kind} expired ${formatDuration(left)}.`,
      fix: 'claude   # then /login',
    };
  return {
    id: 'claude-code',
    verdict: 'ok',
    message: `${where}: logged in with a ${kind} (${source.masked}), access token ${left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)}, refreshed on next use`}.`,
    fix: null,
  };
}

interface AgentChecks {
  checks: DoctorCheck[];
  needsSync: boolean;
}

async function storeChecks(agent: AgentView, fix: boolean, now: number): Promise<AgentChecks> {
  const checks: DoctorCheck[] = [];
  const id = `store:${agent.agentId}`;
  const name = `agent ${agent.agentId}`;
  let needsSync = false;

  if (agent.origin === 'legacy') {
    if (agent.error) {
      // Unparsable, so `clawdbot doctor` cannot migrate it either; nothing reads it.
      checks.push({
        id,
        verdict: 'warn',
        message: `${name}: ${agent.storePath} is the legacy single store, which Clawdbot 2026.1 no longer reads, and it does not parse (${agent.error}).`,
        fix: `repair it, then clawdbot doctor   # migrates it; or, if it holds nothing you need: rm '${agent.storePath.replace(/'/g, "'\\''")}'`,
      });
    } else
      checks.push({
        id,
        verdict: 'warn',
        message: `${name}: ${agent.storePath} is the legacy single store, which Clawdbot 2026.1 no longer reads.`,
        fix: 'clawdbot doctor',
      });
    return { checks, needsSync };
  }
  // The lock first: taking it to clean temp files would otherwise clear a stale one unreported.
  checks.push(...(await lockCheck(agent, fix, now)));
  checks.push(...(await tempFileChecks(agent, fix)));
  checks.push(...(await movedAsideChecks(agent, fix)));
  if (agent.storeStatus === 'error') {
    if (fix) {
      try {
        const out = await quarantineStore(agent.storePath, agent.agentDir, now);
        if (out.kind === 'moved') {
          checks.push({
            id,
            verdict: 'fixed',
            message: `${name}: moved the unusable store aside to ${out.to} (mode 600); a fresh one is written by the sync.`,
            fix: null,
          });
          needsSync = true;
          // The agent dir's mode is fixed in the same run (modeChecks skips the now-absent store).
          checks.push(...(await modeChecks(agent, fix)).filter((c) => c.verdict !== 'ok'));
        } else if (out.kind === 'repaired') {
          checks.push({
            id,
            verdict: 'ok',
            message: `${name}: ${agent.storePath} was repaired meanwhile, so it was left in place.`,
            fix: null,
          });
        } else {
          checks.push({ id, verdict: 'fail', message: `${name}: ${out.message}`, fix: out.command });
        }
      } catch (err) {
        checks.push({ id, verdict: 'fail', message: describeError(err), fix: null });
      }
    } else {
      const refusal = await quarantineRefusal(agent.storePath, agent.agentDir).catch(() => null);
      // A store too big to read may be valid: --fix never moves it aside, so do not offer that.
      const again = await readStore(agent.storePath);
      const tooBig = again.kind === 'error' && again.error.code === 'too-large';
      checks.push({
        id,
        verdict: 'fail',
        message: agent.error ?? `${name}: the store cannot be used.`,
        fix: refusal ? refusal.command : tooBig ? null : 'authbar doctor --fix   # moves it aside, keeps it',
      });
    }
    return { checks, needsSync };
  }
  if (agent.storeStatus === 'missing') {
    if (agent.passive) checks.push({ id, verdict: 'info', message: `${name}: ${agent.passive}.`, fix: null });
    else if (agent.outOfStep.length > 0) {
      needsSync = fix;
      checks.push({
        id,
        verdict: 'warn',
        message: `${name}: no store at ${agent.storePath} yet.`,
        fix: fix ? null : 'authbar sync',
      });
    } else
      checks.push({
        id,
        verdict: 'info',
        message: `${name}: no store at ${agent.storePath} yet, and nothing to put in it.`,
        fix: null,
      });
    return { checks, needsSync };
  }

  checks.push(...(await modeChecks(agent, fix)));

  for (const h of agent.heldBack ?? []) {
    checks.push({
      id: `held:${agent.agentId}:${h.profileId}`,
      verdict: 'warn',
      message: `${name}: ${h.reason}.`,
      fix: null,
    });
  }
  if (agent.outOfStep.length > 0) {
    needsSync = fix;
    checks.push({
      id: `sync:${agent.agentId}`,
      verdict: 'warn',
      message: `${name}: out of step with its sources (${agent.outOfStep.map((c) => `${c.profileId}: ${c.reason}`).join('; ')}).`,
      fix: fix ? null : 'authbar sync',
    });
  } else {
    checks.push({
      id: `sync:${agent.agentId}`,
      verdict: 'ok',
      message: `${name}: in step with its sources.`,
      fix: null,
    });
  }

  for (const p of agent.profiles) {
    if (p.disabledUntil !== null && p.disabledUntil > now) {
      checks.push({
        id: `usage:${agent.agentId}:${p.profileId}`,
        verdict: 'fail',
        message: `${name}: ${p.profileId} is disabled${p.disabledReason ? ` (${p.disabledReason})` : ''} for another ${formatDuration(p.disabledUntil - now)}.`,
        fix: p.disabledReason === 'billing' ? "check the provider account's billing" : null,
      });
    } else if (p.cooldownUntil !== null && p.cooldownUntil > now) {
      checks.push({
        id: `usage:${agent.agentId}:${p.profileId}`,
        verdict: 'warn',
        message: `${name}: ${p.profileId} is in cooldown for another ${formatDuration(p.cooldownUntil - now)} after errors.`,
        fix: null,
      });
    }
  }
  checks.push(...(await profileShapeChecks(agent)));
  return { checks, needsSync };
}

/**
 * Modes of the store and the agent dir. `--fix` chmods only what is, by its own path, a
 * regular file or a directory inside the agent's own dir: it opens it with O_NOFOLLOW, checks
 * the open file is the one it looked at, and changes that. A symlink, a shared (sticky or
 * world-writable) directory or anything else is reported with the command to run, untouched.
 */
async function modeChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
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
        fix: `chmod ${want} ${real}   # if it is yours and private`,
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
        fix: `sudo chmod ${wantText} ${t.path}   # or run AuthBar as its owner`,
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
          fix: `chmod ${wantText} ${t.path}`,
        });
      continue;
    }
    out.push({
      id,
      verdict: 'warn',
      message: `${name}: the ${t.what} ${t.path} is mode ${octal}: other users can read it.`,
      fix: `chmod ${wantText} ${t.path}`,
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
async function chmodByLinkPath(
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

/**
 * Stores moved aside earlier (`auth-profiles.json.corrupt-<time>`): they hold whatever keys
 * the broken store had, so each is listed (its path in full: AuthBar made that name) with
 * its mode; one others can read is a warning, and `--fix` makes it 0600 by its own path.
 */
async function movedAsideChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
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
          fix: `chmod 600 ${path}`,
        });
      continue;
    }
    out.push({
      id,
      verdict: 'warn',
      message: `${what} (mode ${mode}: other users can read it); ${then}.`,
      fix: `chmod 600 ${path}`,
    });
  }
  return out;
}

/**
 * The store's lock directory (beside the real file). A lock older than Clawdbot's stale
 * limit is left by a crashed writer; `--fix` removes it if it is, by its own path, an empty
 * directory. One dated in the future may still be held: it is reported, never removed.
 */
async function lockCheck(agent: AgentView, fix: boolean, now: number): Promise<DoctorCheck[]> {
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
        fix: `rm ${lockDir}   # after checking what it is`,
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
        fix: `rmdir ${lockDir}   # only when no gateway is running`,
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
        fix: `rmdir ${lockDir}   # if no gateway is writing`,
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
          fix: `rmdir ${lockDir}`,
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
async function tempFileChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
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
      fix: t.odd ? `ls -la ${t.path}` : fix || !own ? `rm ${t.path}   # once no AuthBar runs` : 'authbar doctor --fix',
    });
  }
  return out;
}

/** Profiles Clawdbot would ignore or misread. Looks at the raw entries, names fields only. */
async function profileShapeChecks(agent: AgentView): Promise<DoctorCheck[]> {
  const read = await readStore(agent.storePath);
  if (read.kind !== 'ok') return [];
  const out: DoctorCheck[] = [];
  const name = `agent ${agent.agentId}`;
  for (const [profileId, raw] of Object.entries(read.store.profiles)) {
    const problems = profileProblems(profileId, raw);
    for (const problem of problems) {
      out.push({
        id: `profile:${agent.agentId}:${profileId}`,
        verdict: problem.verdict,
        message: `${name}: ${profileId} ${problem.text}.`,
        fix: problem.fix,
      });
    }
  }
  return out;
}

export interface ProfileProblem {
  verdict: 'warn' | 'fail';
  text: string;
  fix: string | null;
}

/** What is wrong with one stored profile entry, in words that never quote a value. */
export function profileProblems(profileId: string, raw: unknown): ProfileProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [{ verdict: 'warn', text: 'is not an object, so Clawdbot ignores it', fix: null }];
  const p = raw as Record<string, unknown>;
  const out: ProfileProblem[] = [];
  const type = p['type'];
  if (type !== 'oauth' && type !== 'token' && type !== 'api_key')
    out.push({
      verdict: 'warn',
      text: `has ${type === undefined ? 'no type' : 'an unknown type'} (api_key, token or oauth), so Clawdbot ignores it`,
      fix: null,
    });
  if (typeof p['provider'] !== 'string' || p['provider'] === '')
    out.push({ verdict: 'warn', text: 'has no provider, so Clawdbot ignores it', fix: null });
  const expectedProvider = profileId.split(':')[0];
  if (typeof p['provider'] === 'string' && expectedProvider && p['provider'] !== expectedProvider)
    out.push({
      verdict: 'warn',
      text: `says provider "${p['provider']}" but its id names "${expectedProvider}"`,
      fix: null,
    });
  const claudeNames = ['accessToken', 'refreshToken', 'expiresAt'].filter((k) => k in p);
  if (claudeNames.length > 0)
    out.push({
      verdict: 'fail',
      text: `uses Claude Code's field names (${claudeNames.join(', ')}) where Clawdbot reads access, refresh, expires`,
      fix: 'authbar sync   # after removing the entry, for anthropic:claude-cli',
    });
  if (type === 'oauth') {
    for (const k of ['access', 'refresh'])
      if (typeof p[k] !== 'string' || p[k] === '')
        out.push({ verdict: 'fail', text: `has no usable "${k}" string`, fix: null });
    if (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires']))
      out.push({
        verdict: 'warn',
        text: `has ${'expires' in p ? 'an "expires" that is not a number of epoch ms' : 'no "expires"'}, so its health cannot be judged`,
        fix: null,
      });
  }
  if (type === 'token') {
    const token = p['token'];
    if (typeof token !== 'string' || token === '')
      out.push({ verdict: 'fail', text: 'has no token', fix: 'claude setup-token' });
    else if (p['provider'] === 'anthropic' && token.startsWith('sk-ant-oat') && !SETUP_TOKEN_PATTERN.test(token)) {
      out.push({
        verdict: 'fail',
        text: `holds a setup token that is not a whole sk-ant-oat01- token of 80+ characters (${token.length} characters${/\s/.test(token) ? ', with whitespace' : ''}): it was probably cut when copied`,
        fix: 'claude setup-token   # copy the whole token',
      });
    }
    if ('expires' in p && (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires'])))
      out.push({ verdict: 'warn', text: 'has an "expires" that is not a number of epoch ms', fix: null });
  }
  if (type === 'api_key' && (typeof p['key'] !== 'string' || p['key'] === ''))
    out.push({ verdict: 'fail', text: 'has no key', fix: null });
  return out;
}
