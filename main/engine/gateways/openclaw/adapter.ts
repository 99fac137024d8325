/**
 * OpenClaw's adapter: reads its SQLite stores read-only (or asks `openclaw models status
 * --json` when this Node has no `node:sqlite` or the schema is unknown), judges health by
 * OpenClaw's own rules, and writes nothing — ever. Loaded only on an OpenClaw host.
 */
import type { AgentView } from '../../../../common/snapshot.js';
import type { DetectedGateway } from '../types.js';
import type { GatewayAdapter, HeldTokenQuery } from '../types.js';
import { readOpenClawConfig } from './config.js';
import { resolveOpenClawPaths } from './paths.js';
import type { Env } from '../../ports.js';
import { PASTE_TOKEN_COMMAND, SYNC_NOTHING_WHY } from './policy.js';
import { landInOpenClaw, openClawRemoveCommand } from './land.js';
import { openclawStatusProbe } from './route-health.js';
import { readOpenClaw } from './read.js';
import { readLive } from './live/read-live.js';
import { discoverOpenClawAgents } from './agents.js';
import { openClawDoctor } from './doctor.js';
export { RETIRED_CLAUDE_CLI_PROFILE } from './policy.js';
export { PASTE_TOKEN_COMMAND, SYNC_NOTHING_WHY };

export function openClawAdapter(detected: DetectedGateway, env: Env): GatewayAdapter {
  const paths = resolveOpenClawPaths(env);
  return {
    kind: 'openclaw',
    detected,
    read: (ctx) => readOpenClaw(detected, paths, ctx),
    agentIds: async () =>
      discoverOpenClawAgents(paths, await readOpenClawConfig(paths.configPath), null).map((a) => a.agentId),
    landingDue: openClawLandingDue,
    landingTarget: { target: 'openclaw', label: 'OpenClaw' },
    landToken: async (deps, token, policy) => [await landInOpenClaw(deps, token, policy, 'OpenClaw')],
    removeCommand: (profileId) => ({ text: openClawRemoveCommand(profileId), runnable: true }),
    routeHealth: openclawStatusProbe(),
    live: (ctx) => readLive(ctx.snapshot, ctx),
    doctor: async (read) => openClawDoctor(read, paths),
  };
}

/** OpenClaw computes a pasted token's expiry from its own clock: a few seconds off AuthBar's. */
const EXPIRY_SLACK_MS = 10 * 60_000;

/**
 * Due when the default agent (where `paste-token` without `--agent` lands) lacks the token or
 * holds another copy. A read through the gateway CLI has no fingerprints: the masked tail decides.
 */
function openClawLandingDue(agents: readonly AgentView[], token: HeldTokenQuery): boolean {
  const main = agents.find((a) => a.agentId === 'main') ?? agents[0];
  const held = main?.profiles.find((p) => p.profileId === token.profileId && p.source === 'store');
  if (held === undefined) return true;
  const ours =
    held.fingerprint !== null
      ? held.fingerprint === token.fingerprint
      : held.masked !== null && held.masked.slice(-4) === token.masked.slice(-4);
  const sameExpiry =
    held.expiresAt === null
      ? token.expiresAt === null
      : token.expiresAt !== null && Math.abs(held.expiresAt - token.expiresAt) < EXPIRY_SLACK_MS;
  return !(ours && sameExpiry);
}
