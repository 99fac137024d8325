/**
 * Clawdbot's doctor checks: its config, agent dirs it skips, and each agent's store (locks,
 * temp files, modes, moved-aside stores, profile shapes, sync state). With `fix`, repairs what
 * is safe — modes, stale locks, a store that does not parse (moved aside, never deleted) — and
 * then syncs once so a fresh store is written.
 */
import { join } from 'node:path';
import { describeError } from '../../errors.js';
import type { GatewayDoctorCheck, GatewayDoctorOptions, GatewayRead, GatewayReadContext } from '../types.js';
import { storeChecks } from './doctor-store.js';

export async function clawdbotDoctor(
  read: GatewayRead,
  ctx: GatewayReadContext,
  opts: GatewayDoctorOptions,
): Promise<GatewayDoctorCheck[]> {
  const checks: GatewayDoctorCheck[] = [];
  if (read.configError) checks.push({ id: 'clawdbot-config', verdict: 'warn', message: read.configError, fix: null });
  for (const dir of read.skippedAgentDirs) {
    checks.push({
      id: `agent-dir:${dir}`,
      verdict: 'warn',
      message: `${join(read.gateway.stateDir, 'agents', dir)} is not an agent id Clawdbot uses (lowercase letters, digits, _ and -, up to 64), so AuthBar skips it.`,
      fix: 'rename it to a valid agent id, or move it out of the agents directory',
    });
  }
  let needsSync = false;
  for (const agent of read.agents) {
    try {
      const agentChecks = await storeChecks(agent, opts.fix, ctx.now);
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
    for (const a of await opts.resync()) {
      if (a.sync.wrote)
        checks.push({
          id: `sync:${a.agentId}`,
          verdict: 'fixed',
          message: `agent ${a.agentId}: synced ${a.sync.changes.map((c) => c.profileId).join(', ')} into ${a.storePath}.`,
          fix: null,
        });
      // A refusal by owner or permission is not fixed by running the same sync again: its sentence says what is.
      if (a.sync.error)
        checks.push({
          id: `sync:${a.agentId}`,
          verdict: 'fail',
          message: a.sync.error,
          fix: a.sync.errorCode === 'not-permitted' ? null : 'authbar sync',
        });
    }
  }
  return checks;
}
