/**
 * `authbar doctor`: every check of the setup, one verdict each with the command that fixes
 * it. With `fix`, repairs what is safe: modes, stale locks, an out-of-step store, and a store
 * that does not parse (moved aside, never deleted, then written anew by a sync).
 */
import { sourceById } from '../sources/registry.js';
import { promises as fsp } from 'node:fs';
import { delimiter, join } from 'node:path';
import { collect, gatewayDoctorChecks, type Collected, type EngineDeps } from '../engine.js';
import { gatewayLive } from '../gateways/registry.js';
import { authbarVersion } from '../version.js';
import type { LiveView } from '../../../common/snapshot.js';
import { describeError } from '../errors.js';
import { formatDuration } from '../health.js';
import { isoTime } from '../time.js';
import { systemClock } from '../ports.js';
import { maskKnownSecrets } from '../secrets/scrub.js';
import type { Snapshot } from '../../../common/snapshot.js';

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
  // Under a gateway AuthBar copies no login into (OpenClaw), the sources matter only as its
  // adapter says (the claude-cli runtime); under Clawdbot each source is checked here.
  const copies = snapshot.gateway.syncCopiesLogins === true;
  const clockVerdict = clockCheck(clock.now());
  // The same sanity check status makes (file times, years off), when the floor alone passes.
  checks.push(
    copies && clockVerdict.verdict === 'ok' && snapshot.clockProblem
      ? { id: 'clock', verdict: 'warn', message: snapshot.clockProblem, fix: 'sudo timedatectl set-ntp true' }
      : clockVerdict,
  );
  checks.push(copies ? await claudeCheck(snapshot, deps) : await claudeCheckUnderGateway(snapshot, deps));
  if (copies) {
    checks.push(...sourceChecks(snapshot));
    for (const problem of snapshot.settingsProblems ?? [])
      checks.push({ id: 'settings:agents', verdict: 'warn', message: problem, fix: null });
  }
  const resync = async () => {
    const again = await collect(deps, { sync: 'apply', raw: true });
    for (const v of again.secrets ?? []) secrets.add(v);
    return again.snapshot.agents;
  };
  checks.push(...(await gatewayDoctorChecks(deps, snapshot, collected, { fix: opts.fix, resync })));
  checks.push(...liveChecks(await askLive(deps, collected)));
  return checks;
}

/** Each source other than Claude Code (checked on its own): a login, none (optional), or broken. */
function sourceChecks(snapshot: Snapshot): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
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
        fix: sourceById(s.id)?.fix ?? null,
      });
  }
  return checks;
}

/** Claude Code's login matters to a gateway that copies none only as its adapter says (OpenClaw: the claude-cli runtime). */
async function claudeCheckUnderGateway(snapshot: Snapshot, deps: EngineDeps): Promise<DoctorCheck> {
  const c = await claudeCheck(snapshot, deps);
  const name = snapshot.gateway.name ?? snapshot.gateway.kind;
  return c.verdict === 'fail'
    ? { ...c, verdict: 'info', message: `${c.message} (${name} needs it only for the claude-cli runtime)` }
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

function askLive(deps: EngineDeps, collected: Collected): Promise<LiveView> {
  return gatewayLive()({
    env: deps.env,
    platform: deps.platform ?? process.platform,
    settings: collected.settings,
    snapshot: collected.snapshot,
    now: () => (deps.clock ?? systemClock).now(),
    clientVersion: authbarVersion(),
    owner: 'cli',
  });
}

/** What the running gateway says (OpenClaw): that it answers, or why not, and where it disagrees with the files. */
function liveChecks(live: LiveView): DoctorCheck[] {
  if (live.state === 'off')
    return live.reasonCode === 'setting'
      ? [{ id: 'live', verdict: 'info', message: live.message ?? 'off', fix: live.fix }]
      : [];
  // A stopped gateway (or a Node without WebSocket) is information; a refusal is AuthBar's set-up to fix.
  if (live.state !== 'connected') {
    const info = live.state === 'not-running' || live.reasonCode === 'no-websocket';
    return [{ id: 'live', verdict: info ? 'info' : 'warn', message: live.message ?? live.state, fix: live.fix }];
  }
  const where = `${live.gateway?.version ? `OpenClaw ${live.gateway.version}` : 'The gateway'} at ${live.gateway?.url ?? '?'}`;
  return [
    { id: 'live', verdict: 'ok', message: `${where} answers AuthBar (read-only).`, fix: null },
    ...live.disagreements.map((d) => ({
      id: `live:${d.profileId}`,
      verdict: 'warn' as const,
      message: d.text,
      fix: d.fix,
    })),
  ];
}
