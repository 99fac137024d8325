/** Discovery of the sinks: every Clawdbot agent's auth store on this host. */
import { existsSync, promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AuthBarError, isNodeError } from '../../errors.js';
import { readJsonFile, MiB } from '../../fs/jsonfile.js';
import { DEFAULT_AGENT_ID, agentDirFor, expandUserPath, storePathFor, type Paths } from '../../paths.js';
import { shellQuote } from '../../../../common/shell.js';

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
 * Clawdbot's rule for an agent id (normalizeAgentId in 2026.1): it lowercases the id and
 * reads `agents/<id>/agent`, so only a dir named `[a-z0-9][a-z0-9_-]{0,63}` is one it uses.
 */
export const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface Discovery {
  agents: AgentRef[];
  /** Names under `<state>/agents` that are not agent ids Clawdbot would use: skipped. */
  invalidDirs: string[];
  /** Ids asked for (`only`) that name no agent found. */
  unknownIds: string[];
}

/**
 * Every agent under `<state>/agents/*\/agent`, plus `CLAWDBOT_AGENT_DIR` (which stands in
 * for the default agent) and the legacy single store. The default agent `main` is always
 * there, even before its directory exists, as it is for Clawdbot. `only` narrows by agent id.
 */
export async function discoverAgents(paths: Paths, only?: readonly string[] | null): Promise<AgentRef[]> {
  return (await discoverAgentsDetailed(paths, only)).agents;
}

export async function discoverAgentsDetailed(paths: Paths, only?: readonly string[] | null): Promise<Discovery> {
  const found = new Map<string, AgentRef>();
  const agentsRoot = join(paths.stateDir, 'agents');
  let entries: string[] = [];
  try {
    entries = (await fsp.readdir(agentsRoot)).sort();
  } catch (err) {
    if (!(isNodeError(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR'))) {
      const why =
        isNodeError(err) && (err.code === 'EACCES' || err.code === 'EPERM')
          ? 'permission denied'
          : isNodeError(err) && err.code === 'ELOOP'
            ? 'a symlink loop'
            : `error ${isNodeError(err) ? err.code : 'unknown'}`;
      throw new AuthBarError(
        'unreadable',
        `The agents directory ${agentsRoot} cannot be listed (${why}): give your user read access to it (e.g. \`chmod 700 ${shellQuote(agentsRoot)}\` as its owner), or point CLAWDBOT_STATE_DIR elsewhere.`,
        agentsRoot,
      );
    }
  }
  const invalidDirs = entries.filter((id) => !id.startsWith('.') && !AGENT_ID_PATTERN.test(id));
  const candidates = entries.filter((id) => AGENT_ID_PATTERN.test(id));
  const checks = await Promise.all(candidates.map(async (id) => ({ id, ok: await isDir(agentDirFor(paths, id)) })));
  for (const { id, ok } of checks) {
    if (ok)
      found.set(id, {
        agentId: id,
        agentDir: agentDirFor(paths, id),
        storePath: storePathFor(agentDirFor(paths, id)),
        origin: 'agents',
      });
  }
  // Agents the config lists (`clawdbot agents add` writes them there) exist before their first
  // run makes a store: shown as agents with no store yet, never invisible.
  for (const c of await configuredAgents(paths)) {
    if (!found.has(c.agentId)) found.set(c.agentId, { ...c, storePath: storePathFor(c.agentDir), origin: 'agents' });
  }
  if (paths.agentDirOverride) {
    found.set(DEFAULT_AGENT_ID, {
      agentId: DEFAULT_AGENT_ID,
      agentDir: paths.agentDirOverride,
      storePath: storePathFor(paths.agentDirOverride),
      origin: 'env',
    });
  }
  const legacyStore = storePathFor(paths.legacyAgentDir);
  if (await exists(legacyStore)) {
    found.set('(legacy)', {
      agentId: '(legacy)',
      agentDir: paths.legacyAgentDir,
      storePath: legacyStore,
      origin: 'legacy',
    });
  }
  // The default agent always exists for Clawdbot (it creates the store on first load).
  if (!found.has(DEFAULT_AGENT_ID)) {
    const dir = agentDirFor(paths, DEFAULT_AGENT_ID);
    found.set(DEFAULT_AGENT_ID, {
      agentId: DEFAULT_AGENT_ID,
      agentDir: dir,
      storePath: storePathFor(dir),
      origin: 'default',
    });
  }
  let agents = [...found.values()];
  let unknownIds: string[] = [];
  if (only) {
    const wanted = new Set(only);
    unknownIds = [...wanted].filter((id) => !found.has(id));
    agents = agents.filter((a) => wanted.has(a.agentId));
  }
  return { agents, invalidDirs, unknownIds };
}

/**
 * `agents.list[]` of `clawdbot.json` (JSON5): `{ id, agentDir? }`. Clawdbot lowercases the id;
 * an `agentDir` is used as written (`~` is the home), else `<state>/agents/<id>/agent`. A config
 * that cannot be read names no agents here: the config's own check reports it.
 */
async function configuredAgents(paths: Paths): Promise<Array<{ agentId: string; agentDir: string }>> {
  if (!existsSync(paths.clawdbotConfig)) return [];
  const JSON5 = (await import('json5')).default;
  const read = await readJsonFile(
    paths.clawdbotConfig,
    { label: 'Clawdbot config', remedy: 'fix it', maxBytes: 4 * MiB },
    (text) => JSON5.parse(text.replace(/[\u2028\u2029]/g, ' ')) as unknown,
  ).catch(() => null);
  if (read?.kind !== 'ok') return [];
  const list = (read.value as { agents?: { list?: unknown } } | null)?.agents?.list;
  if (!Array.isArray(list)) return [];
  const out: Array<{ agentId: string; agentDir: string }> = [];
  for (const entry of list as unknown[]) {
    const e = entry as { id?: unknown; agentDir?: unknown } | null;
    if (typeof e?.id !== 'string') continue;
    const id = e.id.trim().toLowerCase();
    if (!AGENT_ID_PATTERN.test(id)) continue;
    // A relative dir would be resolved against whatever directory AuthBar runs in: not used.
    const raw = typeof e.agentDir === 'string' ? e.agentDir.trim() : '';
    const dir = raw === '~' || raw.startsWith('~/') || isAbsolute(raw) ? expandUserPath(raw, paths.home) : null;
    out.push({ agentId: id, agentDir: dir ?? agentDirFor(paths, id) });
  }
  return out;
}
