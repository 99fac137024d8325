/**
 * The overall verdict over every agent and source a snapshot holds, whatever the gateway:
 * the worst attention, and the sentences that say why, worst first.
 */
import type { AgentView, SourceView } from '../../common/snapshot.js';
import { worst, type Attention } from './health.js';
import { sourceLabel } from './sources/registry.js';

/** Sentences for the overall verdict, worst first. */
export function overallReasons(agents: readonly AgentView[], sources: readonly SourceView[]): string[] {
  const now: string[] = [];
  const soon: string[] = [];
  for (const a of agents) {
    const where = `agent ${a.agentId}`;
    if (a.passive !== null && a.passiveCode !== 'no-state-dir') {
      if (a.error)
        soon.push(
          `${where}: ${a.storePath} does not parse; Clawdbot 2026.1 does not read it (\`authbar doctor\` says how to migrate or remove it)`,
        );
      continue;
    }
    // No reader: the gateway's own reason says so once; the stores themselves may be fine.
    if (a.error && a.errorCode !== 'no-reader') now.push(`${where}: its auth store cannot be used`);
    for (const provider of a.missingProviders) now.push(`${where}: no usable ${provider} credential`);
    for (const p of a.profiles) {
      if (p.attention === 'now') now.push(`${where}: ${p.profileId} ${p.reason}`);
      else if (p.attention === 'soon') soon.push(`${where}: ${p.profileId} ${p.reason}`);
    }
    for (const c of a.outOfStep) {
      soon.push(
        `${where}: ${c.profileId} is out of step with ${sourceLabel(c.source)} (${c.reason}); run \`authbar sync\``,
      );
    }
    for (const h of a.heldBack ?? []) soon.push(`${where}: ${h.reason}`);
  }
  for (const s of sources) {
    if (s.attention === 'soon')
      soon.push(
        `${sourceLabel(s.id)}: ${s.status === 'unavailable' ? 'Keychain not readable' : `${s.path} is ${s.status}`}`,
      );
  }
  return [...now, ...soon];
}

export function overallAttention(agents: readonly AgentView[], sources: readonly SourceView[]): Attention {
  return worst(...agents.map((a) => a.attention), ...sources.map((s) => s.attention));
}
