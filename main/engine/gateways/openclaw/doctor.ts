/** OpenClaw doctor findings over a read: nothing is fixed here, OpenClaw's commands are named. */
import { formatDuration } from '../../health.js';
import type { GatewayDoctorCheck, GatewayRead } from '../types.js';
import { type OpenClawPaths } from './paths.js';
import { PASTE_TOKEN_COMMAND, SYNC_NOTHING_WHY } from './policy.js';
import { legacyFilesIn } from './agents.js';
import { RETIRED_CLAUDE_CLI_PROFILE } from './policy.js';
import { shellQuote } from '../../../../common/shell.js';
import { noOpenClawReader } from './cli-fallback.js';
/** OpenClaw doctor findings over a read: nothing is fixed here, OpenClaw's commands are named. */
export function openClawDoctor(read: GatewayRead, paths: OpenClawPaths): GatewayDoctorCheck[] {
  const checks: GatewayDoctorCheck[] = [];
  checks.push({
    id: 'gateway',
    verdict: 'info',
    message: `Gateway: OpenClaw${read.gateway.version ? ` ${read.gateway.version}` : ''} at ${read.gateway.stateDir} (${read.gateway.detectedBy}); ${read.gateway.dataVia === 'none' ? 'profiles not read' : `profiles read via ${read.gateway.dataVia}`}.${read.gateway.note ? ` ${read.gateway.note}` : ''}`,
    fix: null,
  });
  if (read.configError)
    checks.push({ id: 'openclaw-config', verdict: 'fail', message: read.configError, fix: 'openclaw doctor' });
  // No node:sqlite and no `openclaw` to ask: AuthBar cannot read; OpenClaw's store is not at fault.
  if (read.agents.some((a) => a.errorCode === 'no-reader'))
    checks.push({
      id: 'openclaw-reader',
      verdict: 'fail',
      message: noOpenClawReader(),
      fix: 'run AuthBar on Node ≥ 22.13, or put `openclaw` on PATH (or set "gatewayCli" in AuthBar\'s settings)',
    });
  // With more than one agent OpenClaw refuses a paste-token without --agent.
  const agentFlag = (id: string) => (read.agents.length > 1 || id !== 'main' ? ` --agent ${shellQuote(id)}` : '');
  const seenLegacy = new Set<string>();
  for (const a of read.agents) {
    for (const file of [...legacyFilesIn(a.agentDir), ...legacyFilesIn(paths.sharedAgentDir)]) {
      if (seenLegacy.has(file)) continue;
      seenLegacy.add(file);
      checks.push({
        id: `legacy-file:${file}`,
        verdict: 'fail',
        message: `${file} is a legacy credential file: OpenClaw refuses to run while it is there ("requires legacy credential migration").`,
        fix: 'openclaw doctor --fix',
      });
    }
    if (a.storeStatus === 'error' && a.error && a.errorCode !== 'no-reader')
      checks.push({
        id: `store:${a.agentId}`,
        verdict: 'fail',
        message: `agent ${a.agentId}: ${a.error}`,
        fix: 'openclaw doctor --fix',
      });
    for (const p of a.profiles) {
      if (p.profileId === RETIRED_CLAUDE_CLI_PROFILE) {
        checks.push({
          id: `retired:${a.agentId}`,
          verdict: 'warn',
          message: `agent ${a.agentId}: ${RETIRED_CLAUDE_CLI_PROFILE} is retired — a copy of Claude Code's login that OpenClaw would refresh and rotate out from under Claude Code; the runtime refuses it.`,
          fix: 'openclaw doctor --fix',
        });
      } else if (p.source === 'claude-code' && !p.usable) {
        checks.push({
          id: `claude-cli-runtime:${a.agentId}`,
          verdict: 'fail',
          message: `agent ${a.agentId}: the config runs Anthropic models through the claude-cli runtime, but Claude Code is not logged in.`,
          fix: 'claude   (then /login)',
        });
      } else if (p.attention === 'now') {
        checks.push({
          id: `profile:${a.agentId}:${p.profileId}`,
          verdict: 'fail',
          message: `agent ${a.agentId}: ${p.profileId} ${p.reason}.`,
          fix:
            p.provider === 'anthropic'
              ? `claude setup-token, then ${PASTE_TOKEN_COMMAND}${agentFlag(a.agentId)}`
              : `openclaw models auth login --provider ${shellQuote(p.provider)}`,
        });
      } else if (p.attention === 'soon') {
        checks.push({
          id: `profile:${a.agentId}:${p.profileId}`,
          verdict: 'warn',
          message: `agent ${a.agentId}: ${p.profileId} ${p.reason}${p.remainingMs !== null && p.remainingMs > 0 ? ` (${formatDuration(p.remainingMs)} left)` : ''}.`,
          fix: null,
        });
      }
    }
    for (const provider of a.missingProviders) {
      if (provider === 'claude-cli') continue;
      checks.push({
        id: `route:${a.agentId}:${provider}`,
        verdict: 'fail',
        message: `agent ${a.agentId}: the config routes models to ${provider}, but no usable ${provider} credential is there (\`openclaw models status --check\` fails).`,
        fix:
          provider === 'anthropic'
            ? `claude setup-token, then ${PASTE_TOKEN_COMMAND}${agentFlag(a.agentId)}`
            : provider === 'openai'
              ? 'openclaw plugins enable codex, or openclaw models set <another provider/model>'
              : `openclaw models auth login --provider ${shellQuote(provider)}`,
      });
    }
  }
  if (read.check === 0 && checks.every((c) => c.verdict === 'info'))
    checks.push({
      id: 'openclaw-check',
      verdict: 'ok',
      message: 'Every model route OpenClaw would check has a usable credential.',
      fix: null,
    });
  checks.push({ id: 'sync', verdict: 'info', message: SYNC_NOTHING_WHY, fix: null });
  return checks;
}
