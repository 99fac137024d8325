/** OpenClaw's agents: `main`, the config's entries, each dir under `agents/`; legacy files that stop it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentView } from '../../../../common/snapshot.js';
import { expandUserPath } from '../../paths.js';
import { configuredAgents, type OpenClawConfig } from './config.js';
import { AGENT_DB_FILE, LEGACY_AGENT_FILES, type OpenClawPaths } from './paths.js';

export interface AgentLocation {
  agentId: string;
  agentDir: string;
  origin: AgentView['origin'];
}

/** Every agent: `main`, the config's `agents.entries`, and each dir under `agents/`. */
export function discoverOpenClawAgents(
  paths: OpenClawPaths,
  cfg: OpenClawConfig,
  only: readonly string[] | null | undefined,
): AgentLocation[] {
  const found = new Map<string, AgentLocation>();
  found.set('main', {
    agentId: 'main',
    agentDir: paths.sharedAgentDir,
    origin: paths.sharedAgentDir === join(paths.agentsDir, 'main', 'agent') ? 'agents' : 'env',
  });
  try {
    for (const id of readdirSync(paths.agentsDir).sort()) {
      if (id.startsWith('.') || found.has(id)) continue;
      const dir = join(paths.agentsDir, id, 'agent');
      try {
        if (statSync(dir).isDirectory()) found.set(id, { agentId: id, agentDir: dir, origin: 'agents' });
      } catch {
        // not an agent
      }
    }
  } catch {
    // no agents dir yet
  }
  for (const a of configuredAgents(cfg)) {
    // `~/…` is OpenClaw's home (OPENCLAW_HOME, else HOME), never AuthBar's working directory.
    if (a.agentDir)
      found.set(a.id, { agentId: a.id, agentDir: expandUserPath(a.agentDir, paths.home), origin: 'agents' });
    else if (!found.has(a.id))
      found.set(a.id, { agentId: a.id, agentDir: join(paths.agentsDir, a.id, 'agent'), origin: 'agents' });
  }
  let agents = [...found.values()];
  // A list asked for is taken as it is: an empty one means none, never "all".
  if (only) agents = agents.filter((a) => only.includes(a.agentId));
  return agents;
}

/** Ids asked for that name no agent of this host. */
export function unknownAgentIds(
  paths: OpenClawPaths,
  cfg: OpenClawConfig,
  only: readonly string[] | null | undefined,
): string[] {
  if (!only) return [];
  const all = new Set(discoverOpenClawAgents(paths, cfg, null).map((a) => a.agentId));
  return [...new Set(only)].filter((id) => !all.has(id));
}

export function legacyFilesIn(agentDir: string): string[] {
  return LEGACY_AGENT_FILES.map((f) => join(agentDir, f)).filter((p) => existsSync(p));
}

/** New agents appear under `agents/`; a legacy JSON file there stops OpenClaw, so it is watched too. */
export function watchLayoutOf(paths: OpenClawPaths) {
  return { agentsDirs: [paths.agentsDir], storeNames: [AGENT_DB_FILE, `${AGENT_DB_FILE}-wal`, ...LEGACY_AGENT_FILES] };
}
