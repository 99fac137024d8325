/**
 * Reading OpenClaw: its SQLite stores read-only, merged shared-over-agent, judged by its own
 * rules; the CLI fallback (`openclaw models status --json`) when this Node has no node:sqlite
 * or a schema is unknown. Writes nothing, ever.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentView, GatewayView } from '../../../../common/snapshot.js';
import type { DetectedGateway } from '../types.js';
import type { GatewayRead, GatewayReadContext } from '../types.js';
import { modelRoutes, readOpenClawConfig, type OpenClawConfig } from './config.js';
import { AGENT_DB_FILE, resolveOpenClawPaths, type OpenClawPaths } from './paths.js';
import { PASTE_TOKEN_COMMAND, SYNC_NOTHING_WHY } from './policy.js';
import { sqliteAvailable } from './sqlite-read.js';
import { addSecretValues } from '../../secrets/known.js';
import { mergeStores, readAgentDb, readSharedLocation, type AuthCells, type StoreRead } from './stores.js';
import { buildAgentView } from './views.js';
import { discoverOpenClawAgents, legacyFilesIn, unknownAgentIds, watchLayoutOf, type AgentLocation } from './agents.js';
export type ReadExtras = Pick<GatewayRead, 'unknownAgentIds' | 'skippedAgentDirs' | 'fileTimes'>;

/** What one agent's store read gave: cells to merge, or why not. */
interface AgentStoreRead {
  own: StoreRead;
  dbPath: string;
}

export async function readOpenClaw(
  detected: DetectedGateway,
  paths: OpenClawPaths,
  ctx: GatewayReadContext,
): Promise<GatewayRead> {
  const cfg = await readOpenClawConfig(paths.configPath);
  const agents = discoverOpenClawAgents(paths, cfg, ctx.agents);
  const extra: ReadExtras = {
    unknownAgentIds: unknownAgentIds(paths, cfg, ctx.agents),
    skippedAgentDirs: [],
    fileTimes: storeFileTimes(paths, agents),
  };
  const gatewayBase: Omit<GatewayView, 'dataVia' | 'note'> = {
    kind: 'openclaw',
    name: 'OpenClaw',
    label: detected.label,
    syncCopiesLogins: false,
    syncNote: SYNC_NOTHING_WHY,
    tokenCommand: PASTE_TOKEN_COMMAND,
    probesRoutes: true,
    version: detected.version,
    stateDir: paths.stateDir,
    configPath: paths.configPath,
    detectedBy: detected.detectedBy,
  };
  const watch = [
    paths.stateDb,
    `${paths.stateDb}-wal`,
    paths.configPath,
    paths.agentsDir,
    ...agents.flatMap((a) => [join(a.agentDir, AGENT_DB_FILE), `${join(a.agentDir, AGENT_DB_FILE)}-wal`]),
  ];
  const reasons: GatewayRead['reasons'] = [];
  if (cfg.error) reasons.push({ attention: 'now', text: cfg.error });
  // Where AuthBar cannot read the stores itself, OpenClaw's own status says what they hold.
  const fallback = (why: string) => viaCli(extra, detected, ctx, cfg, agents, { ...gatewayBase }, watch, why);

  if (!sqliteAvailable()) {
    return fallback(
      `This Node (${process.version}) has no node:sqlite (it needs Node ≥ 22.13), so the profiles came from \`openclaw models status --json\`.`,
    );
  }
  const shared = readSharedLocation(paths);
  if (shared.stateDb.kind === 'error' && shared.stateDb.schema) {
    return fallback(
      `${paths.stateDb} has a schema AuthBar does not know (${shared.stateDb.message}), so the profiles came from \`openclaw models status --json\`.`,
    );
  }
  let sharedCells: AuthCells | null = null;
  let sharedError: string | null = null;
  let sharedRead: StoreRead;
  if (shared.where.location === 'state-db') sharedRead = shared.stateDb;
  else sharedRead = readAgentDb(shared.where.path);
  if (shared.stateDb.kind === 'error') {
    // A damaged state db is not "no credential": where the shared store lives is unknown, and
    // pasting a token would have OpenClaw write into the damaged file.
    sharedRead = shared.stateDb;
    sharedError = `OpenClaw's state database ${shared.stateDb.path} cannot be read (${shared.stateDb.message}): it is damaged; restore it from a backup or run \`openclaw doctor --fix\` — do not paste a new token until it reads again.`;
  } else if (sharedRead.kind === 'error') {
    if (sharedRead.schema)
      return fallback(
        `${sharedRead.path} has a schema AuthBar does not know (${sharedRead.message}), so the profiles came from \`openclaw models status --json\`.`,
      );
    sharedError = `OpenClaw's shared auth store ${sharedRead.path} cannot be read (${sharedRead.message}): run \`openclaw doctor\`.`;
  } else if (sharedRead.kind === 'ok') {
    if (sharedRead.cells.unreadable)
      sharedError = `OpenClaw's shared auth store is unreadable: ${sharedRead.cells.unreadable}; OpenClaw refuses to run until \`openclaw doctor --fix\` repairs it.`;
    else sharedCells = sharedRead.cells;
  }

  const claudeCliReady = claudeCodeReady(ctx);
  const views: AgentView[] = [];
  const codes: Array<0 | 1 | 2> = [];
  const secrets = addSecretValues(cfg.raw, new Set<string>());
  for (const agent of agents) {
    const dbPath = join(agent.agentDir, AGENT_DB_FILE);
    const isShared = shared.where.location === 'agent-db' && shared.where.path === dbPath;
    const ownRead: AgentStoreRead = { own: isShared ? { kind: 'missing', path: dbPath } : readAgentDb(dbPath), dbPath };
    if (ownRead.own.kind === 'error' && ownRead.own.schema) {
      return fallback(
        `${dbPath} has a schema AuthBar does not know (${ownRead.own.message}), so the profiles came from \`openclaw models status --json\`.`,
      );
    }
    let error = sharedError;
    let ownCells: AuthCells | null = null;
    if (ownRead.own.kind === 'error')
      error ??= `Agent ${agent.agentId}'s auth store ${dbPath} cannot be read (${ownRead.own.message}): run \`openclaw doctor\`.`;
    else if (ownRead.own.kind === 'ok') {
      if (ownRead.own.cells.unreadable)
        error ??= `Agent ${agent.agentId}'s auth store is unreadable: ${ownRead.own.cells.unreadable}; OpenClaw refuses to run until \`openclaw doctor --fix\` repairs it.`;
      else ownCells = ownRead.own.cells;
    }
    const legacy = [...new Set([...legacyFilesIn(agent.agentDir), ...legacyFilesIn(paths.sharedAgentDir)])];
    const refuses =
      legacy.length > 0
        ? `OpenClaw refuses to run beside legacy credential file${legacy.length === 1 ? '' : 's'} ${legacy.join(', ')}: run \`openclaw doctor --fix\` to migrate ${legacy.length === 1 ? 'it' : 'them'}.`
        : error;
    const merged = mergeStores(sharedCells, ownCells);
    addSecretValues(merged.profiles, secrets);
    const storePath = ownRead.own.kind === 'ok' && ownCells?.store ? dbPath : sharedRead.path;
    const hasStore =
      (sharedCells?.store !== null && sharedCells?.store !== undefined) ||
      (ownCells?.store !== null && ownCells?.store !== undefined);
    const built = buildAgentView(agent, storePath, merged, hasStore, error, refuses, cfg, ctx, claudeCliReady);
    views.push(built.view);
    codes.push(cfg.error ? 1 : built.code);
  }
  return {
    gateway: { ...gatewayBase, dataVia: 'sqlite', note: detected.note },
    agents: views,
    check: codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0,
    configError: cfg.error,
    providersInUse: [...new Set(agents.flatMap((a) => modelRoutes(cfg, a.agentId).map((r) => r.provider)))].sort(),
    reasons,
    watch: [...new Set(watch)],
    watchLayout: watchLayoutOf(paths),
    ...extra,
    secrets: [...secrets],
  };
}

/** Claude Code's own login works: what the `claude-cli` runtime needs. */
export function claudeCodeReady(ctx: GatewayReadContext): boolean {
  const s = ctx.sources.find((x) => x.id === 'claude-code');
  if (!s || s.status !== 'ok' || !s.credential) return false;
  if (s.credential.type === 'oauth') return true; // Claude Code refreshes it itself
  return s.credential.expires === undefined || s.credential.expires > ctx.now;
}

/** The fallback: OpenClaw's own `models status --json --check`, once per agent. */
async function viaCli(
  extra: ReadExtras,
  detected: DetectedGateway,
  ctx: GatewayReadContext,
  cfg: OpenClawConfig,
  agents: AgentLocation[],
  base: Omit<GatewayView, 'dataVia' | 'note'>,
  watch: string[],
  why: string,
): Promise<GatewayRead> {
  const { readViaGatewayCli } = await import('./cli-fallback.js');
  const r = await readViaGatewayCli(
    detected,
    ctx,
    agents.map((a) => ({ ...a, dbPath: join(a.agentDir, AGENT_DB_FILE) })),
  );
  // With no way to read at all, nothing "came from" the CLI: the agents' error says why.
  const unread = r.agents.length > 0 && r.agents.every((a) => a.errorCode === 'no-reader');
  const note = [unread ? null : why, r.note, detected.note].filter((x): x is string => !!x).join(' ');
  return {
    gateway: { ...base, dataVia: unread ? 'none' : 'gateway-cli', note },
    agents: r.agents,
    check: cfg.error ? 1 : r.check,
    configError: cfg.error,
    providersInUse: [...new Set(agents.flatMap((a) => modelRoutes(cfg, a.agentId).map((x) => x.provider)))].sort(),
    reasons: r.reasons,
    watch: [...new Set(watch)],
    watchLayout: watchLayoutOf(resolveOpenClawPaths(ctx.env)),
    ...extra,
  };
}

/**
 * When OpenClaw last wrote its config, state database and agent databases (with their WALs):
 * this machine's clock wrote them, so a clock well before the newest has gone backwards.
 */
function storeFileTimes(paths: OpenClawPaths, agents: readonly AgentLocation[]): ReadExtras['fileTimes'] {
  const files = [paths.configPath, paths.stateDb, ...agents.map((a) => join(a.agentDir, AGENT_DB_FILE))];
  return [...new Set(files.flatMap((f) => [f, `${f}-wal`]))].flatMap((path) => {
    try {
      const st = statSync(path);
      return st.isFile() ? [{ path, mtimeMs: st.mtimeMs }] : [];
    } catch {
      return [];
    }
  });
}
