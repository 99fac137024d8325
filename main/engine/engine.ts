/**
 * The engine's front door: read every source and sink, sync, and assess — one snapshot.
 * A library: no console output, no process.exit, no module-level state; every clock and
 * keychain use comes in through the options.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { agentView, clawdbotCheckCode, combineCheckCodes, overallAttention, overallReasons, sourceView } from './assess.js';
import { discoverAgents, type AgentRef } from './agents.js';
import { resolveRealPath } from './atomic.js';
import { readGatewayConfig } from './clawdbot-config.js';
import { AuthBarError, describeError } from './errors.js';
import type { RefreshOutcome } from './health.js';
import { SecurityCliKeychain } from './keychain.js';
import { DEFAULT_AGENT_ID, resolvePaths, type Paths } from './paths.js';
import { noKeychain, systemClock, type Clock, type Env, type Keychain } from './ports.js';
import type { AuthStore } from './schemas.js';
import { readSettings, type Settings } from './settings.js';
import type { AgentView, Snapshot } from './snapshot.js';
import { readAllSources, type SourceRead } from './sources.js';
import { readStore, updateStore } from './store.js';
import { decideSync } from './sync.js';
import { assessTokens } from './token-age.js';
import { statePath } from './token-state.js';

export interface EngineDeps {
  env: Env;
  clock?: Clock;
  keychain?: Keychain;
  platform?: NodeJS.Platform;
}

export type SyncMode = 'apply' | 'dry-run' | 'skip';

export interface CollectOptions {
  sync: SyncMode;
  /** Agent ids to look at; overrides the settings' list. */
  agents?: readonly string[] | null;
  warnMs?: number;
  /** True only when a user's click asked for this run (it may then cause a Keychain prompt). */
  interactive?: boolean;
  refresh?: ReadonlyMap<string, RefreshOutcome>;
  settings?: Settings;
  /** Record first sightings of setup tokens in AuthBar's state file (default true). */
  recordFirstSeen?: boolean;
}

/** The keychain to read Claude Code's item from: `security` on macOS, nothing elsewhere or when off. */
export function defaultKeychain(env: Env, platform: NodeJS.Platform): Keychain {
  if ((env['AUTHBAR_KEYCHAIN'] ?? '').toLowerCase() === 'off') return noKeychain;
  return platform === 'darwin' ? new SecurityCliKeychain() : noKeychain;
}

export interface Collected {
  snapshot: Snapshot;
  paths: Paths;
  settings: Settings;
  /**
   * Every file and directory the snapshot was built from (sources, stores, configs, the
   * agents dir, AuthBar's settings): what the monitor watches. Paths may not exist yet.
   */
  watch: string[];
}

const AGENT_CONCURRENCY = 64;

export async function collect(deps: EngineDeps, opts: CollectOptions): Promise<Collected> {
  const clock = deps.clock ?? systemClock;
  const platform = deps.platform ?? process.platform;
  const paths = resolvePaths(deps.env);
  const settings = opts.settings ?? (await readSettings(paths.settings)).settings;
  const keychain = deps.keychain ?? defaultKeychain(deps.env, platform);
  const warnMs = opts.warnMs ?? settings.warnHours * 3_600_000;

  const [sources, config, agents] = await Promise.all([
    readAllSources({ paths, env: deps.env, platform, keychain, now: clock.now(), interactive: opts.interactive ?? false }),
    readGatewayConfig(paths.clawdbotConfig),
    discoverAgents(paths, opts.agents ?? settings.agents),
  ]);
  const now = clock.now();
  const ctx = { now, warnMs, env: deps.env, config, sources, ...(opts.refresh ? { refresh: opts.refresh } : {}) };

  const assessed = await mapLimit(agents, AGENT_CONCURRENCY, async (agent) => agentView(await syncAgent(agent, sources, opts.sync, now), ctx));
  // Setup-token ages and the vault view, from AuthBar's own state file (any gateway).
  const tokens = await assessTokens(assessed, deps.env, settings, now, { record: opts.recordFirstSeen ?? true });
  const views = tokens.agents;
  const sourceViews = sources.map((s) => sourceView(s, now));
  const snapshot: Snapshot = {
    schemaVersion: 1,
    generatedAt: now,
    // Detection of OpenClaw lands with the gateway adapters; until then every host is Clawdbot's.
    gateway: { kind: 'clawdbot', version: null, stateDir: paths.stateDir, configPath: paths.clawdbotConfig, detectedBy: 'the only gateway this version supports', dataVia: 'json-files', note: null },
    warnMs,
    stateDir: paths.stateDir,
    configPath: paths.clawdbotConfig,
    configError: config.error ?? null,
    providersInUse: config.providersInUse,
    overall: {
      // A config Clawdbot refuses stops the gateway: that outranks everything else.
      attention: config.error ? 'now' : overallAttention(views, sourceViews),
      reasons: [...(config.error ? [config.error] : []), ...overallReasons(views, sourceViews), ...(tokens.stateError ? [tokens.stateError] : [])],
      clawdbotCheck: config.error ? 1 : combineCheckCodes(views.map((v) => clawdbotCheckCode(v, ctx))),
    },
    sources: sourceViews,
    agents: views,
    refresh: [...(opts.refresh?.entries() ?? [])].map(([profileId, r]) => ({ profileId, at: r.at, ok: r.ok, permanent: r.permanent, consecutiveFailures: r.consecutiveFailures, error: null })),
    monitor: null,
    vault: tokens.vault,
  };
  const watch = [
    ...sources.filter((s) => s.kind === 'file').map((s) => s.location),
    ...views.flatMap((v) => [v.storePath, ...(v.linkTarget ? [v.linkTarget] : [])]),
    join(paths.stateDir, 'agents'),
    paths.clawdbotConfig,
    paths.settings,
    statePath(deps.env),
  ];
  return { snapshot, paths, settings, watch: [...new Set(watch)] };
}

async function syncAgent(agent: AgentRef, sources: readonly SourceRead[], mode: SyncMode, now: number) {
  const linkTarget = await symlinkTarget(agent.storePath);
  const base = { agentId: agent.agentId, agentDir: agent.agentDir, storePath: agent.storePath, linkTarget, origin: agent.origin };
  const read = await readStore(agent.storePath);
  const passive = passiveReason(agent, read.kind === 'missing');
  const idle = { mode: syncModeView(passive ? 'skip' : mode), wrote: false, changes: [], error: null, errorCode: null };
  if (read.kind === 'error') {
    return { ...base, store: undefined, storeError: read.error.message, passive, sync: idle };
  }
  let store: AuthStore | undefined = read.kind === 'ok' ? read.store : undefined;
  if (passive !== null) return { ...base, store, storeError: null, passive, sync: idle };
  const planned = decideSync(store, sources, now);
  if (mode !== 'apply' || planned.changes.length === 0) {
    return { ...base, store, storeError: null, passive, sync: { ...idle, changes: planned.changes } };
  }
  try {
    // Decide again inside the lock: the file may have changed since the unlocked read.
    const outcome = await updateStore(agent.storePath, (current) => {
      const d = decideSync(current, sources, now);
      return { next: d.next, result: d.changes };
    });
    store = outcome.store;
    return { ...base, store, storeError: null, passive, sync: { mode: 'applied' as const, wrote: outcome.wrote, changes: outcome.result, error: null, errorCode: null } };
  } catch (err) {
    return { ...base, store, storeError: null, passive, sync: { mode: 'applied' as const, wrote: false, changes: [], error: describeError(err), errorCode: err instanceof AuthBarError ? err.code : 'unexpected' } };
  }
}

/**
 * Stores AuthBar must not write. Clawdbot 2026.1 never reads the legacy store, and fills a
 * new agent's missing store with a copy of main's on first use: a store AuthBar created
 * there first would hold only the synced logins and cut the agent off main's other keys.
 */
function passiveReason(agent: AgentRef, missing: boolean): string | null {
  if (agent.origin === 'legacy') return 'legacy store: Clawdbot 2026.1 no longer reads it; `clawdbot doctor` migrates it';
  if (missing && agent.origin === 'agents' && agent.agentId !== DEFAULT_AGENT_ID) return "no store yet: Clawdbot copies main's into it on first use";
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

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
