/**
 * Clawdbot 2026.1's adapter: JSON stores per agent, synced from the sources under
 * proper-lockfile. It wraps the existing modules (agents, store, sync, assess,
 * clawdbot-config) unchanged; only the wiring moved here from engine.ts.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { agentView, gatewayCheckCodeCode, combineCheckCodes, type PassiveCode } from './assess.js';
import { discoverAgentsDetailed, type AgentRef } from './agents.js';
import { resolveRealPath } from '../../fs/atomic.js';
import { readGatewayConfig } from './config.js';
import { describeError, errorCodeOf } from '../../errors.js';
import { AUTH_STORE_FILE, DEFAULT_AGENT_ID, resolvePaths } from '../../paths.js';
import type { AuthStore } from '../../schemas.js';
import type { AgentView } from '../../../../common/snapshot.js';
import type { SourceRead } from '../../sources/sources.js';
import { readStore, updateStore } from './store.js';
import { addSecretValues } from '../../secrets/known.js';
import { noStateDirReason } from './store-target.js';
import { decideSync } from './sync.js';
import type { DetectedGateway } from '../types.js';
import type { Env } from '../../ports.js';
import type { GatewayAdapter, GatewayRead, GatewayReadContext, HeldTokenQuery, SyncMode } from '../types.js';

const AGENT_CONCURRENCY = 64;

export function clawdbotAdapter(detected: DetectedGateway, env: Env): GatewayAdapter {
  void env; // Clawdbot's paths come with the read context (they are the generic Paths)
  return {
    kind: 'clawdbot',
    detected,
    read: (ctx) => readClawdbot(detected, ctx),
    agentIds: async (ctx) => (await discoverAgentsDetailed(ctx.paths, null)).agents.map((a) => a.agentId),
    landingDue: clawdbotLandingDue,
    landingTarget: { target: 'agents', label: 'every managed agent' },
    // Landing and the doctor are loaded when used: `status --check` pays for neither.
    landToken: async (deps, token, policy) =>
      (await import('./land.js')).landInClawdbot(resolvePaths(deps.env), deps, token, policy),
    // Clawdbot 2026.1 has no command that removes a profile: the instruction, in words.
    removeCommand: (profileId) => ({
      text: `delete "${profileId}" from "profiles" in each agent's ${detected.stateDir}/agents/<agent>/agent/auth-profiles.json (Clawdbot 2026.1 has no command for it)`,
      runnable: false,
    }),
    doctor: async (read, ctx, opts) => (await import('./doctor.js')).clawdbotDoctor(read, ctx, opts),
  };
}

/**
 * A vault token is due in every managed agent whose store lacks it or holds another copy;
 * the default agent without a store yet is due too (others get main's copy on first use).
 */
function clawdbotLandingDue(agents: readonly AgentView[], token: HeldTokenQuery): boolean {
  for (const agent of agents) {
    if (agent.origin === 'legacy') continue; // Clawdbot 2026.1 no longer reads it
    if (agent.storeStatus !== 'ok') {
      if (agent.storeStatus === 'missing' && agent.agentId === DEFAULT_AGENT_ID) return true;
      continue;
    }
    const held = agent.profiles.find((p) => p.profileId === token.profileId);
    if (held === undefined || held.type === 'oauth' || held.fingerprint !== token.fingerprint) return true;
    if (held.type === 'token' && held.expiresAt !== token.expiresAt) return true;
  }
  return false;
}

async function readClawdbot(detected: DetectedGateway, ctx: GatewayReadContext): Promise<GatewayRead> {
  const { paths, now } = ctx;
  const [config, discovery] = await Promise.all([
    readGatewayConfig(paths.clawdbotConfig),
    discoverAgentsDetailed(paths, ctx.agents),
  ]);
  const actx = {
    now,
    warnMs: ctx.warnMs,
    env: ctx.env,
    config,
    sources: ctx.sources,
    ...(ctx.refresh ? { refresh: ctx.refresh } : {}),
  };
  // AuthBar never creates the gateway's state dir: with none, no gateway lives here to read a store.
  const stateDirMissing = !(await isDir(paths.stateDir));
  const synced = await mapLimit(discovery.agents, AGENT_CONCURRENCY, (agent) =>
    syncAgent(agent, ctx.sources, ctx.sync, now, paths.stateDir, stateDirMissing),
  );
  const views = synced.map((input) => agentView(input, actx));
  return {
    gateway: {
      kind: 'clawdbot',
      name: 'Clawdbot',
      label: detected.label,
      syncCopiesLogins: true,
      syncNote: null,
      tokenCommand: null,
      version: detected.version,
      stateDir: paths.stateDir,
      configPath: paths.clawdbotConfig,
      detectedBy: detected.detectedBy,
      dataVia: 'json-files',
      note: detected.note,
    },
    agents: views,
    // A config Clawdbot refuses stops the gateway: every command exits 1.
    check: config.error ? 1 : combineCheckCodes(views.map((v) => gatewayCheckCodeCode(v, actx))),
    configError: config.error ?? null,
    providersInUse: config.providersInUse,
    reasons: config.error ? [{ attention: 'now', text: config.error }] : [],
    watch: [
      ...views.flatMap((v) => [v.storePath, ...(v.linkTarget ? [v.linkTarget] : [])]),
      join(paths.stateDir, 'agents'),
      paths.clawdbotConfig,
    ],
    watchLayout: { agentsDirs: [join(paths.stateDir, 'agents')], storeNames: [AUTH_STORE_FILE] },
    unknownAgentIds: discovery.unknownIds,
    skippedAgentDirs: discovery.invalidDirs,
    fileTimes: synced.flatMap((a) => (a.mtimeMs !== undefined ? [{ path: a.storePath, mtimeMs: a.mtimeMs }] : [])),
    // Before and after the sync: a value the sync replaced may still sit copied in another field.
    secrets: [
      ...synced.reduce(
        (set, a) => addSecretValues(a.store?.profiles, addSecretValues(a.readStore?.profiles, set)),
        new Set<string>(config.secrets ?? []),
      ),
    ],
  };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function syncAgent(
  agent: AgentRef,
  sources: readonly SourceRead[],
  mode: SyncMode,
  now: number,
  stateDir: string,
  stateDirMissing: boolean,
) {
  const linkTarget = await symlinkTarget(agent.storePath);
  const read = await readStore(agent.storePath);
  // When the store was last written, before any sync: for the clock's sanity check.
  const mtimeMs = read.kind === 'ok' ? read.mtimeMs : undefined;
  const base = {
    agentId: agent.agentId,
    agentDir: agent.agentDir,
    storePath: agent.storePath,
    linkTarget,
    origin: agent.origin,
    mtimeMs,
    readStore: read.kind === 'ok' ? read.store : undefined,
  };
  const why = passiveReason(agent, read.kind === 'missing', stateDir, stateDirMissing);
  const passive = why?.text ?? null;
  const passiveCode = why?.code ?? null;
  const idle = { mode: syncModeView(passive ? 'skip' : mode), wrote: false, changes: [], error: null, errorCode: null };
  if (read.kind === 'error') {
    return { ...base, store: undefined, storeError: read.error.message, passive, passiveCode, sync: idle };
  }
  let store: AuthStore | undefined = read.kind === 'ok' ? read.store : undefined;
  // No state dir yet: write nothing, but judge the store Clawdbot would make on its first run
  // (an empty one, into which it copies the sources' logins).
  if (passiveCode === 'no-state-dir') {
    return {
      ...base,
      store: decideSync(undefined, sources, now).next ?? undefined,
      storeError: null,
      passive,
      passiveCode,
      sync: idle,
    };
  }
  if (passive !== null) return { ...base, store, storeError: null, passive, passiveCode, sync: idle };
  const planned = decideSync(store, sources, now);
  if (mode !== 'apply' || planned.changes.length === 0) {
    return { ...base, store, storeError: null, passive, passiveCode, sync: { ...idle, changes: planned.changes } };
  }
  try {
    // Decide again inside the lock: the file may have changed since the unlocked read.
    const outcome = await updateStore(
      agent.storePath,
      (current) => {
        const d = decideSync(current, sources, now);
        return { next: d.next, result: d.changes };
      },
      // CLAWDBOT_AGENT_DIR names its dir directly; every other store lives in the state dir.
      agent.origin === 'env' ? {} : { stateDir },
    );
    store = outcome.store;
    return {
      ...base,
      store,
      storeError: null,
      passive,
      passiveCode,
      sync: { mode: 'applied' as const, wrote: outcome.wrote, changes: outcome.result, error: null, errorCode: null },
    };
  } catch (err) {
    return {
      ...base,
      store,
      storeError: null,
      passive,
      passiveCode,
      sync: {
        mode: 'applied' as const,
        wrote: false,
        changes: [],
        error: describeError(err),
        errorCode: errorCodeOf(err),
      },
    };
  }
}

/**
 * Stores AuthBar must not write. Clawdbot 2026.1 never reads the legacy store, and fills a
 * new agent's missing store with a copy of main's on first use: a store AuthBar created
 * there first would hold only the synced logins and cut the agent off main's other keys.
 */
function passiveReason(
  agent: AgentRef,
  missing: boolean,
  stateDir: string,
  stateDirMissing: boolean,
): { code: PassiveCode; text: string } | null {
  if (agent.origin === 'legacy')
    return { code: 'legacy', text: 'legacy store: Clawdbot 2026.1 no longer reads it; `clawdbot doctor` migrates it' };
  if (missing && stateDirMissing && agent.origin !== 'env')
    return { code: 'no-state-dir', text: noStateDirReason(stateDir) };
  if (missing && agent.origin === 'agents' && agent.agentId !== DEFAULT_AGENT_ID)
    return { code: 'awaiting-first-use', text: "no store yet: Clawdbot copies main's into it on first use" };
  return null;
}

function syncModeView(mode: SyncMode): AgentView['sync']['mode'] {
  return mode === 'apply' ? 'applied' : mode === 'dry-run' ? 'dry-run' : 'skipped';
}

async function symlinkTarget(path: string): Promise<string | null> {
  try {
    const st = await fsp.lstat(path);
    return st.isSymbolicLink() ? await resolveRealPath(path) : null;
  } catch {
    return null;
  }
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
