/** Discovery of the sinks: every Clawdbot agent's auth store on this host. */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { AuthBarError, isNodeError } from './errors.js';
import { DEFAULT_AGENT_ID, agentDirFor, storePathFor, type Paths } from './paths.js';

export interface AgentRef {
  agentId: string;
  agentDir: string;
  storePath: string;
  /** `agents/<id>/agent`, the legacy `<state>/agent`, `CLAWDBOT_AGENT_DIR`, or the default to create. */
  origin: 'agents' | 'legacy' | 'env' | 'default';
}

/**
 * Whether an agent dir is there. One that exists but cannot be reached (permission denied,
 * a symlink loop) counts as there: reading its store then reports the problem in a
 * sentence, instead of the whole command failing or the agent silently vanishing.
 */
async function isDir(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch (err) {
    if (isNodeError(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return false;
    return true;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every agent under `<state>/agents/*\/agent`, plus `CLAWDBOT_AGENT_DIR` (which stands in
 * for the default agent) and the legacy single store. The default agent `main` is always
 * there, even before its directory exists, as it is for Clawdbot. `only` narrows by agent id.
 */
export async function discoverAgents(paths: Paths, only?: readonly string[] | null): Promise<AgentRef[]> {
  const found = new Map<string, AgentRef>();
  const agentsRoot = join(paths.stateDir, 'agents');
  let entries: string[] = [];
  try {
    entries = (await fsp.readdir(agentsRoot)).sort();
  } catch (err) {
    if (!(isNodeError(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR'))) {
      const why = isNodeError(err) && (err.code === 'EACCES' || err.code === 'EPERM') ? 'permission denied' : isNodeError(err) && err.code === 'ELOOP' ? 'a symlink loop' : `error ${isNodeError(err) ? err.code : 'unknown'}`;
      throw new AuthBarError('unreadable', `The agents directory ${agentsRoot} cannot be listed (${why}): give your user read access to it (e.g. \`chmod 700 ${agentsRoot}\` as its owner), or point CLAWDBOT_STATE_DIR elsewhere.`, agentsRoot);
    }
  }
  const checks = await Promise.all(entries.map(async (id) => ({ id, ok: !id.startsWith('.') && (await isDir(agentDirFor(paths, id))) })));
  for (const { id, ok } of checks) {
    if (ok) found.set(id, { agentId: id, agentDir: agentDirFor(paths, id), storePath: storePathFor(agentDirFor(paths, id)), origin: 'agents' });
  }
  if (paths.agentDirOverride) {
    found.set(DEFAULT_AGENT_ID, { agentId: DEFAULT_AGENT_ID, agentDir: paths.agentDirOverride, storePath: storePathFor(paths.agentDirOverride), origin: 'env' });
  }
  const legacyStore = storePathFor(paths.legacyAgentDir);
  if (await exists(legacyStore)) {
    found.set('(legacy)', { agentId: '(legacy)', agentDir: paths.legacyAgentDir, storePath: legacyStore, origin: 'legacy' });
  }
  // The default agent always exists for Clawdbot (it creates the store on first load).
  if (!found.has(DEFAULT_AGENT_ID)) {
    const dir = agentDirFor(paths, DEFAULT_AGENT_ID);
    found.set(DEFAULT_AGENT_ID, { agentId: DEFAULT_AGENT_ID, agentDir: dir, storePath: storePathFor(dir), origin: 'default' });
  }
  let agents = [...found.values()];
  if (only && only.length > 0) agents = agents.filter((a) => only.includes(a.agentId));
  return agents;
}
