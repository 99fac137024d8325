/**
 * OpenClaw's adapter: reads its SQLite stores read-only (or asks `openclaw models status
 * --json` when this Node has no `node:sqlite` or the schema is unknown), judges health by
 * OpenClaw's own rules, and writes nothing — ever. Loaded only on an OpenClaw host.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, maskSecret } from '../../secrets/mask.js';
import {
  credentialHealth,
  formatDuration,
  profileAttention,
  worst,
  type Attention,
  type ReasonCode,
} from '../../health.js';
import { StoredProfile, usageOf, type AuthStore } from '../../schemas.js';
import type { AgentView, GatewayView, ProfileView } from '../../../../common/snapshot.js';
import type { DetectedGateway } from '../detect.js';
import type { GatewayAdapter, GatewayDoctorCheck, GatewayRead, GatewayReadContext, HeldTokenQuery } from '../types.js';
import {
  configuredAgents,
  modelRoutes,
  providersWithConfigKeys,
  readOpenClawConfig,
  type OpenClawConfig,
} from './config.js';
import {
  checkCode,
  isRefreshFence,
  judgeRoute,
  storeHealth,
  type OpenClawProfileHealth,
  type RouteVerdict,
} from './health.js';
import { AGENT_DB_FILE, LEGACY_AGENT_FILES, resolveOpenClawPaths, type OpenClawPaths } from './paths.js';
import type { Env } from '../../ports.js';
import { PASTE_TOKEN_COMMAND, SYNC_NOTHING_WHY } from './policy.js';
import { sqliteAvailable } from './sqlite-read.js';
import { landInOpenClaw, openClawRemoveCommand } from './land.js';
import { openclawStatusProbe } from './route-health.js';
import { addSecretValues } from '../../secrets/known.js';
import {
  mergeStores,
  readAgentDb,
  readSharedLocation,
  type AuthCells,
  type MergedStore,
  type StoreRead,
} from './stores.js';

export const RETIRED_CLAUDE_CLI_PROFILE = 'anthropic:claude-cli';
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

/** New agents appear under `agents/`; a legacy JSON file there stops OpenClaw, so it is watched too. */
function watchLayoutOf(paths: OpenClawPaths) {
  return { agentsDirs: [paths.agentsDir], storeNames: [AGENT_DB_FILE, `${AGENT_DB_FILE}-wal`, ...LEGACY_AGENT_FILES] };
}

interface AgentLocation {
  agentId: string;
  agentDir: string;
  origin: AgentView['origin'];
}

/** Every agent: `main`, the config's `agents.entries`, and each dir under `agents/`. */
function discoverOpenClawAgents(
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
    if (a.agentDir) found.set(a.id, { agentId: a.id, agentDir: a.agentDir, origin: 'agents' });
    else if (!found.has(a.id))
      found.set(a.id, { agentId: a.id, agentDir: join(paths.agentsDir, a.id, 'agent'), origin: 'agents' });
  }
  let agents = [...found.values()];
  // A list asked for is taken as it is: an empty one means none, never "all".
  if (only) agents = agents.filter((a) => only.includes(a.agentId));
  return agents;
}

/** Ids asked for that name no agent of this host. */
function unknownAgentIds(
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

type ReadExtras = Pick<GatewayRead, 'unknownAgentIds' | 'skippedAgentDirs' | 'fileTimes'>;

/** What one agent's store read gave: cells to merge, or why not. */
interface AgentStoreRead {
  own: StoreRead;
  dbPath: string;
}

async function readOpenClaw(
  detected: DetectedGateway,
  paths: OpenClawPaths,
  ctx: GatewayReadContext,
): Promise<GatewayRead> {
  const cfg = await readOpenClawConfig(paths.configPath);
  const agents = discoverOpenClawAgents(paths, cfg, ctx.agents);
  const extra: ReadExtras = {
    unknownAgentIds: unknownAgentIds(paths, cfg, ctx.agents),
    skippedAgentDirs: [],
    fileTimes: [],
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

  if (!sqliteAvailable()) {
    return viaCli(
      extra,
      detected,
      ctx,
      cfg,
      agents,
      { ...gatewayBase },
      watch,
      `This Node (${process.version}) has no node:sqlite (it needs Node ≥ 22.13), so the profiles came from \`openclaw models status --json\`.`,
    );
  }
  const shared = readSharedLocation(paths);
  if (shared.stateDb.kind === 'error' && shared.stateDb.schema) {
    return viaCli(
      extra,
      detected,
      ctx,
      cfg,
      agents,
      { ...gatewayBase },
      watch,
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
      return viaCli(
        extra,
        detected,
        ctx,
        cfg,
        agents,
        { ...gatewayBase },
        watch,
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
      return viaCli(
        extra,
        detected,
        ctx,
        cfg,
        agents,
        { ...gatewayBase },
        watch,
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
function claudeCodeReady(ctx: GatewayReadContext): boolean {
  const s = ctx.sources.find((x) => x.id === 'claude-code');
  if (!s || s.status !== 'ok' || !s.credential) return false;
  if (s.credential.type === 'oauth') return true; // Claude Code refreshes it itself
  return s.credential.expires === undefined || s.credential.expires > ctx.now;
}

function secretOf(raw: Record<string, unknown>): string | undefined {
  const v = raw['type'] === 'api_key' ? raw['key'] : raw['type'] === 'token' ? raw['token'] : raw['access'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function buildAgentView(
  agent: AgentLocation,
  storePath: string,
  merged: MergedStore,
  hasStore: boolean,
  error: string | null,
  refuses: string | null,
  cfg: OpenClawConfig,
  ctx: GatewayReadContext,
  claudeCliReady: boolean,
): { view: AgentView; code: 0 | 1 | 2; verdicts: RouteVerdict[] } {
  const now = ctx.now;
  const health = storeHealth(merged, now);
  const routes = modelRoutes(cfg, agent.agentId);
  const verdicts = routes.map((r) =>
    judgeRoute(
      {
        cfg,
        agentId: agent.agentId,
        store: merged,
        profiles: health,
        env: ctx.env,
        providersWithConfigKeys: providersWithConfigKeys(cfg),
        refuses,
      },
      r,
      now,
    ),
  );
  const code = checkCode(verdicts, refuses);
  const asStore = merged as unknown as AuthStore;
  const ignoredEntries = Object.keys(merged.profiles).filter((id) => !health.some((h) => h.profileId === id));
  const profiles: ProfileView[] = health.map((h) =>
    profileView(h, merged.profiles[h.profileId] as Record<string, unknown>, asStore, ctx),
  );
  const claudeRuntime = verdicts.find((v) => v.runtime === 'claude-cli');
  if (claudeRuntime) profiles.push(claudeRuntimeView(ctx, claudeCliReady));
  // Degraded, not an outage, when another profile of the same provider still works.
  for (const p of profiles) {
    if (p.attention === 'now' && profiles.some((o) => o !== p && o.provider === p.provider && o.usable)) {
      p.attention = 'soon';
      p.reason = `${p.reason} (another ${p.provider} profile still works)`;
    }
  }
  // An unreadable store says nothing about which credentials are missing: its error is the finding.
  const missingProviders =
    error !== null
      ? []
      : [
          ...new Set(
            verdicts.filter((v) => v.health === 'missing' || v.health === 'unavailable').map((v) => v.route.provider),
          ),
        ];
  let attention: Attention = worst(...profiles.map((p) => p.attention));
  if (missingProviders.length > 0 || error !== null || refuses !== null) attention = 'now';
  return {
    code,
    verdicts,
    view: {
      agentId: agent.agentId,
      agentDir: agent.agentDir,
      storePath,
      linkTarget: null,
      origin: agent.origin,
      storeStatus: error !== null ? 'error' : hasStore ? 'ok' : 'missing',
      passive: null,
      error: error ?? (refuses !== null && refuses !== error ? refuses : null),
      attention,
      profiles,
      missingProviders,
      outOfStep: [],
      ignoredEntries,
      sync: { mode: 'skipped', wrote: false, changes: [], error: null, errorCode: null },
    },
  };
}

function profileView(
  h: OpenClawProfileHealth,
  raw: Record<string, unknown>,
  store: AuthStore,
  ctx: GatewayReadContext,
): ProfileView {
  const parsed = StoredProfile.safeParse(raw);
  const usage = usageOf(store, h.profileId);
  let attention: Attention = 'none';
  let reason = h.status === 'static' ? 'does not expire' : 'valid';
  let reasonCode: ReasonCode = h.status === 'static' ? 'static' : 'valid';
  let usable = h.eligible;
  if (parsed.success) {
    const verdict = profileAttention(
      parsed.data,
      credentialHealth(parsed.data, ctx.now, ctx.warnMs),
      usage,
      ctx.now,
      ctx.refresh?.get(h.profileId),
    );
    attention = verdict.attention;
    reason = verdict.reason;
    reasonCode = verdict.code;
  }
  if (isRefreshFence(raw)) {
    attention = 'now';
    reason =
      'OpenClaw could not refresh it (refresh fence): log in again with `openclaw models auth login --provider ' +
      h.provider +
      '`';
    reasonCode = 'gateway';
    usable = false;
  } else if (h.profileId === RETIRED_CLAUDE_CLI_PROFILE) {
    attention = worst(attention, 'soon');
    reason = "retired: OpenClaw no longer uses a copy of Claude Code's login; `openclaw doctor --fix` removes it";
    reasonCode = 'gateway';
    usable = false;
  } else if (!h.eligible && attention === 'none') {
    attention = 'now';
    reason = h.reasonCode ?? h.status;
    reasonCode = 'gateway';
  }
  const secret = secretOf(raw);
  return {
    profileId: h.profileId,
    provider: h.provider,
    type: h.type,
    status: h.status,
    attention,
    reason,
    reasonCode,
    expiresAt: h.expiresAt,
    remainingMs: h.remainingMs,
    source: 'store',
    refreshable:
      h.type === 'oauth' && typeof raw['refresh'] === 'string' && raw['refresh'] !== '' && !isRefreshFence(raw),
    usable,
    masked: secret && !isRefreshFence(raw) ? maskSecret(secret) : null,
    fingerprint: secret && !isRefreshFence(raw) ? fingerprint(secret) : null,
    email: typeof raw['email'] === 'string' ? raw['email'] : null,
    cooldownUntil: usage?.cooldownUntil ?? null,
    disabledUntil: usage?.disabledUntil ?? null,
    disabledReason: usage?.disabledReason ?? null,
    inStepWithSource: null,
    token: null,
  };
}

/** The claude-cli runtime's health is Claude Code's own login's (never copied into OpenClaw). */
function claudeRuntimeView(ctx: GatewayReadContext, ready: boolean): ProfileView {
  const s = ctx.sources.find((x) => x.id === 'claude-code');
  const cred = s?.credential;
  const expiresAt = cred?.expires ?? null;
  const remainingMs = expiresAt === null ? null : expiresAt - ctx.now;
  const secret = cred ? (cred.type === 'oauth' ? cred.access : cred.token) : undefined;
  return {
    profileId: 'claude-cli',
    provider: 'anthropic',
    type: cred?.type ?? 'oauth',
    status: !cred
      ? 'missing'
      : remainingMs !== null && remainingMs <= 0
        ? 'expired'
        : remainingMs !== null && remainingMs <= 24 * 3_600_000
          ? 'expiring'
          : 'ok',
    attention: ready ? 'none' : 'now',
    reason: ready
      ? "the claude-cli runtime uses Claude Code's own login"
      : `the claude-cli runtime needs Claude Code logged in (${s?.status ?? 'absent'}): run \`claude\` and log in`,
    expiresAt,
    remainingMs,
    source: 'claude-code',
    refreshable: cred?.type === 'oauth',
    usable: ready,
    masked: secret ? maskSecret(secret) : null,
    fingerprint: secret ? fingerprint(secret) : null,
    email: null,
    cooldownUntil: null,
    disabledUntil: null,
    disabledReason: null,
    inStepWithSource: null,
    token: null,
  };
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
  const note = [why, r.note, detected.note].filter((x): x is string => !!x).join(' ');
  return {
    gateway: { ...base, dataVia: 'gateway-cli', note },
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

/** OpenClaw doctor findings over a read: nothing is fixed here, OpenClaw's commands are named. */
export function openClawDoctor(read: GatewayRead, paths: OpenClawPaths): GatewayDoctorCheck[] {
  const checks: GatewayDoctorCheck[] = [];
  checks.push({
    id: 'gateway',
    verdict: 'info',
    message: `Gateway: OpenClaw${read.gateway.version ? ` ${read.gateway.version}` : ''} at ${read.gateway.stateDir} (${read.gateway.detectedBy}); profiles read via ${read.gateway.dataVia}.${read.gateway.note ? ` ${read.gateway.note}` : ''}`,
    fix: null,
  });
  if (read.configError)
    checks.push({ id: 'openclaw-config', verdict: 'fail', message: read.configError, fix: 'openclaw doctor' });
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
    if (a.storeStatus === 'error' && a.error)
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
              ? `claude setup-token, then ${PASTE_TOKEN_COMMAND}${a.agentId === 'main' ? '' : ` --agent ${a.agentId}`}`
              : `openclaw models auth login --provider ${p.provider}`,
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
            ? `claude setup-token, then ${PASTE_TOKEN_COMMAND}`
            : provider === 'openai'
              ? 'openclaw plugins enable codex, or openclaw models set <another provider/model>'
              : `openclaw models auth login --provider ${provider}`,
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
