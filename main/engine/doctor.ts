/**
 * `authbar doctor`: every check of the setup, one verdict each with the command that fixes
 * it. With `fix`, repairs what is safe: modes, stale locks, an out-of-step store, and a store
 * that does not parse (moved aside, never deleted, then written anew by a sync).
 */
import { promises as fsp } from 'node:fs';
import { delimiter, join } from 'node:path';
import { resolveRealPath } from './atomic.js';
import { collect, gatewayDoctorChecks, type Collected, type EngineDeps } from './engine.js';
import { describeError } from './errors.js';
import { formatDuration } from './health.js';
import { systemClock } from './ports.js';
import { readStore, STORE_LOCK_OPTIONS, quarantineStore } from './store.js';
import type { AgentView, Snapshot } from './snapshot.js';

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
const CLOCK_SKEW_MS = 5 * 60_000;

export async function runDoctorChecks(deps: EngineDeps, opts: { fix: boolean }): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const clock = deps.clock ?? systemClock;
  let snapshot: Snapshot;
  let collected: Collected;
  try {
    collected = await collect(deps, { sync: 'skip' });
    snapshot = collected.snapshot;
  } catch (err) {
    return [{ id: 'settings', verdict: 'fail', message: describeError(err), fix: null }];
  }
  // Under OpenClaw nothing below applies (JSON stores, sync): its adapter checks, and never fixes.
  if (snapshot.gateway.kind === 'openclaw') return [clockCheck(clock.now()), await claudeCheckUnderOpenClaw(snapshot, deps), ...(await gatewayDoctorChecks(deps, snapshot, collected, opts))];

  checks.push(clockCheck(clock.now()));
  checks.push(await claudeCheck(snapshot, deps));
  for (const s of snapshot.sources) {
    if (s.id === 'claude-code') continue;
    if (s.status === 'ok') checks.push({ id: `source:${s.id}`, verdict: 'ok', message: `${s.id}: ${s.path} holds a login (expires in ${formatDuration(s.remainingMs ?? 0)}${s.expirySource === 'mtime' ? ', guessed' : ''}).`, fix: null });
    else if (s.status === 'absent' || s.status === 'logged-out') checks.push({ id: `source:${s.id}`, verdict: 'info', message: `${s.id}: no login at ${s.path} (optional).`, fix: null });
    else checks.push({ id: `source:${s.id}`, verdict: 'warn', message: s.error ?? `${s.id}: ${s.path} is ${s.status}.`, fix: s.id === 'codex-cli' ? 'codex login' : 'qwen' });
  }
  if (snapshot.configError) checks.push({ id: 'clawdbot-config', verdict: 'warn', message: snapshot.configError, fix: null });

  let needsSync = false;
  for (const agent of snapshot.agents) {
    const agentChecks = await storeChecks(agent, opts.fix, clock.now());
    checks.push(...agentChecks.checks);
    needsSync ||= agentChecks.needsSync;
  }
  if (opts.fix && needsSync) {
    const after = (await collect(deps, { sync: 'apply' })).snapshot;
    for (const a of after.agents) {
      if (a.sync.wrote) checks.push({ id: `sync:${a.agentId}`, verdict: 'fixed', message: `agent ${a.agentId}: synced ${a.sync.changes.map((c) => c.profileId).join(', ')} into ${a.storePath}.`, fix: null });
      if (a.sync.error) checks.push({ id: `sync:${a.agentId}`, verdict: 'fail', message: a.sync.error, fix: 'authbar sync' });
    }
  }
  return checks;
}

/** Claude Code's login matters to OpenClaw only through the claude-cli runtime (its adapter checks that). */
async function claudeCheckUnderOpenClaw(snapshot: Snapshot, deps: EngineDeps): Promise<DoctorCheck> {
  const c = await claudeCheck(snapshot, deps);
  return c.verdict === 'fail' ? { ...c, verdict: 'info', message: `${c.message} (OpenClaw needs it only for the claude-cli runtime)` } : c;
}

function clockCheck(now: number): DoctorCheck {
  if (now < CLOCK_FLOOR) return { id: 'clock', verdict: 'fail', message: `The system clock reads ${new Date(now).toISOString()}, which cannot be right: every expiry would be misjudged.`, fix: 'sudo timedatectl set-ntp true' };
  return { id: 'clock', verdict: 'ok', message: `The system clock reads ${new Date(now).toISOString()}.`, fix: null };
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
    return { id: 'claude-code', verdict: 'fail', message: `${where}: no login found at ${source?.path ?? 'its credentials file'}.`, fix: binary ? 'claude   # then /login, or: claude setup-token' : 'npm install -g @anthropic-ai/claude-code && claude' };
  }
  if (source.status !== 'ok') return { id: 'claude-code', verdict: 'fail', message: source.error ?? `${where}: ${source.path} is ${source.status}.`, fix: 'claude   # then /login' };
  const left = source.remainingMs ?? 0;
  const kind = source.type === 'oauth' ? 'refreshable OAuth login' : 'token without refresh';
  if (source.type === 'token' && left <= 0) return { id: 'claude-code', verdict: 'fail', message: `${where}: its ${kind} expired ${formatDuration(left)}.`, fix: 'claude   # then /login' };
  return { id: 'claude-code', verdict: 'ok', message: `${where}: logged in with a ${kind} (${source.masked}), access token ${left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)}, refreshed on next use`}.`, fix: null };
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
    checks.push({ id, verdict: 'warn', message: `${name}: ${agent.storePath} is the legacy single store, which Clawdbot 2026.1 no longer reads.`, fix: 'clawdbot doctor' });
    return { checks, needsSync };
  }
  if (agent.storeStatus === 'error') {
    if (fix) {
      try {
        const moved = await quarantineStore(agent.storePath, now);
        checks.push({ id, verdict: 'fixed', message: `${name}: moved the unusable store aside to ${moved}; a fresh one is written by the sync.`, fix: null });
        needsSync = true;
      } catch (err) {
        checks.push({ id, verdict: 'fail', message: describeError(err), fix: null });
      }
    } else {
      checks.push({ id, verdict: 'fail', message: agent.error ?? `${name}: the store cannot be used.`, fix: 'authbar doctor --fix   # moves it aside, keeps it' });
    }
    return { checks, needsSync };
  }
  if (agent.storeStatus === 'missing') {
    if (agent.passive) checks.push({ id, verdict: 'info', message: `${name}: ${agent.passive}.`, fix: null });
    else if (agent.outOfStep.length > 0) {
      needsSync = fix;
      checks.push({ id, verdict: 'warn', message: `${name}: no store at ${agent.storePath} yet.`, fix: fix ? null : 'authbar sync' });
    } else checks.push({ id, verdict: 'info', message: `${name}: no store at ${agent.storePath} yet, and nothing to put in it.`, fix: null });
    return { checks, needsSync };
  }

  checks.push(...(await modeChecks(agent, fix)));
  checks.push(...(await lockCheck(agent, fix, now)));

  if (agent.outOfStep.length > 0) {
    needsSync = fix;
    checks.push({ id: `sync:${agent.agentId}`, verdict: 'warn', message: `${name}: out of step with its sources (${agent.outOfStep.map((c) => `${c.profileId}: ${c.reason}`).join('; ')}).`, fix: fix ? null : 'authbar sync' });
  } else {
    checks.push({ id: `sync:${agent.agentId}`, verdict: 'ok', message: `${name}: in step with its sources.`, fix: null });
  }

  for (const p of agent.profiles) {
    if (p.disabledUntil !== null && p.disabledUntil > now) {
      checks.push({ id: `usage:${agent.agentId}:${p.profileId}`, verdict: 'fail', message: `${name}: ${p.profileId} is disabled${p.disabledReason ? ` (${p.disabledReason})` : ''} for another ${formatDuration(p.disabledUntil - now)}.`, fix: p.disabledReason === 'billing' ? "check the provider account's billing" : null });
    } else if (p.cooldownUntil !== null && p.cooldownUntil > now) {
      checks.push({ id: `usage:${agent.agentId}:${p.profileId}`, verdict: 'warn', message: `${name}: ${p.profileId} is in cooldown for another ${formatDuration(p.cooldownUntil - now)} after errors.`, fix: null });
    }
  }
  checks.push(...(await profileShapeChecks(agent)));
  return { checks, needsSync };
}

async function modeChecks(agent: AgentView, fix: boolean): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const name = `agent ${agent.agentId}`;
  const real = await resolveRealPath(agent.storePath);
  const targets: Array<{ path: string; want: number; what: string }> = [
    { path: real, want: 0o600, what: 'store' },
    { path: agent.agentDir, want: 0o700, what: 'agent directory' },
  ];
  for (const t of targets) {
    let mode: number;
    try {
      mode = (await fsp.stat(t.path)).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    const octal = mode.toString(8);
    if (fix) {
      try {
        await fsp.chmod(t.path, t.want);
        out.push({ id: `mode:${agent.agentId}:${t.what}`, verdict: 'fixed', message: `${name}: the ${t.what} ${t.path} was mode ${octal}; now ${t.want.toString(8)}.`, fix: null });
        continue;
      } catch (err) {
        out.push({ id: `mode:${agent.agentId}:${t.what}`, verdict: 'fail', message: `${name}: could not chmod ${t.path}: ${describeError(err)}.`, fix: `chmod ${t.want.toString(8)} ${t.path}` });
        continue;
      }
    }
    out.push({ id: `mode:${agent.agentId}:${t.what}`, verdict: 'warn', message: `${name}: the ${t.what} ${t.path} is mode ${octal}: other users can read it.`, fix: `chmod ${t.want.toString(8)} ${t.path}` });
  }
  if (out.length === 0) out.push({ id: `mode:${agent.agentId}`, verdict: 'ok', message: `${name}: ${agent.storePath} is valid and private.`, fix: null });
  return out;
}

async function lockCheck(agent: AgentView, fix: boolean, now: number): Promise<DoctorCheck[]> {
  const lockDir = `${await resolveRealPath(agent.storePath)}.lock`;
  let st;
  try {
    st = await fsp.stat(lockDir);
  } catch {
    return [];
  }
  const age = now - st.mtimeMs;
  const name = `agent ${agent.agentId}`;
  if (age <= STORE_LOCK_OPTIONS.stale) return [{ id: `lock:${agent.agentId}`, verdict: 'info', message: `${name}: ${lockDir} is held right now (${Math.round(age / 1000)} s old).`, fix: null }];
  if (fix) {
    await fsp.rm(lockDir, { recursive: true, force: true });
    return [{ id: `lock:${agent.agentId}`, verdict: 'fixed', message: `${name}: removed the stale lock ${lockDir} (${formatDuration(age)} old).`, fix: null }];
  }
  return [{ id: `lock:${agent.agentId}`, verdict: 'warn', message: `${name}: ${lockDir} is a stale lock (${formatDuration(age)} old) left by a crashed writer.`, fix: 'authbar doctor --fix' }];
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
      out.push({ id: `profile:${agent.agentId}:${profileId}`, verdict: problem.verdict, message: `${name}: ${profileId} ${problem.text}.`, fix: problem.fix });
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
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [{ verdict: 'warn', text: 'is not an object, so Clawdbot ignores it', fix: null }];
  const p = raw as Record<string, unknown>;
  const out: ProfileProblem[] = [];
  const type = p['type'];
  if (type !== 'oauth' && type !== 'token' && type !== 'api_key') out.push({ verdict: 'warn', text: `has ${type === undefined ? 'no type' : 'an unknown type'} (api_key, token or oauth), so Clawdbot ignores it`, fix: null });
  if (typeof p['provider'] !== 'string' || p['provider'] === '') out.push({ verdict: 'warn', text: 'has no provider, so Clawdbot ignores it', fix: null });
  const expectedProvider = profileId.split(':')[0];
  if (typeof p['provider'] === 'string' && expectedProvider && p['provider'] !== expectedProvider) out.push({ verdict: 'warn', text: `says provider "${p['provider']}" but its id names "${expectedProvider}"`, fix: null });
  const claudeNames = ['accessToken', 'refreshToken', 'expiresAt'].filter((k) => k in p);
  if (claudeNames.length > 0) out.push({ verdict: 'fail', text: `uses Claude Code's field names (${claudeNames.join(', ')}) where Clawdbot reads access, refresh, expires`, fix: 'authbar sync   # after removing the entry, for anthropic:claude-cli' });
  if (type === 'oauth') {
    for (const k of ['access', 'refresh']) if (typeof p[k] !== 'string' || p[k] === '') out.push({ verdict: 'fail', text: `has no usable "${k}" string`, fix: null });
    if (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires'])) out.push({ verdict: 'warn', text: `has ${'expires' in p ? 'an "expires" that is not a number of epoch ms' : 'no "expires"'}, so its health cannot be judged`, fix: null });
  }
  if (type === 'token') {
    const token = p['token'];
    if (typeof token !== 'string' || token === '') out.push({ verdict: 'fail', text: 'has no token', fix: 'claude setup-token' });
    else if (p['provider'] === 'anthropic' && token.startsWith('sk-ant-oat') && !SETUP_TOKEN_PATTERN.test(token)) {
      out.push({ verdict: 'fail', text: `holds a setup token that is not a whole sk-ant-oat01- token of 80+ characters (${token.length} characters${/\s/.test(token) ? ', with whitespace' : ''}): it was probably cut when copied`, fix: 'claude setup-token   # copy the whole token' });
    }
    if ('expires' in p && (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires']))) out.push({ verdict: 'warn', text: 'has an "expires" that is not a number of epoch ms', fix: null });
  }
  if (type === 'api_key' && (typeof p['key'] !== 'string' || p['key'] === '')) out.push({ verdict: 'fail', text: 'has no key', fix: null });
  return out;
}
