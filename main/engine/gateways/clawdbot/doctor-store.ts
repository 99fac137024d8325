/** Doctor: one Clawdbot agent's store — legacy, locks, temp files, a store that does not parse, sync state, usage. */
import { describeError } from '../../errors.js';
import { formatDuration } from '../../health.js';
import { DUPLICATE_KEY_REMEDY, duplicateKeyProblem, quarantineRefusal, quarantineStore, readStore } from './store.js';
import type { AgentView } from '../../../../common/snapshot.js';
import type { GatewayDoctorCheck as DoctorCheck } from '../types.js';
import { modeChecks } from './doctor-modes.js';
import { lockCheck, movedAsideChecks, tempFileChecks } from './doctor-files.js';
import { profileShapeChecks } from './doctor-shapes.js';
import { shellQuote } from '../../../../common/shell.js';

export interface AgentChecks {
  checks: DoctorCheck[];
  needsSync: boolean;
}

export async function storeChecks(agent: AgentView, fix: boolean, now: number): Promise<AgentChecks> {
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
        fix: `repair it, then clawdbot doctor   # migrates it; or, if it holds nothing you need: rm ${shellQuote(agent.storePath)}`,
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

  const lossless = await readStore(agent.storePath, { lossless: true });
  const duplicated = lossless.kind === 'ok' ? duplicateKeyProblem(lossless.duplicateKeys) : null;
  // "valid and private" would contradict the warning: such a store is private, not sound.
  const modes = await modeChecks(agent, fix);
  checks.push(...(duplicated === null ? modes : modes.filter((c) => c.verdict !== 'ok')));
  if (duplicated !== null)
    checks.push({
      id: `duplicate:${agent.agentId}`,
      verdict: 'warn',
      message: `${name}: ${agent.storePath}: ${duplicated}; Clawdbot reads the last value, and AuthBar will not rewrite the store until it is fixed.`,
      fix: DUPLICATE_KEY_REMEDY,
    });

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
