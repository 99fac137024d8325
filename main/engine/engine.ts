/**
 * The engine's front door: read every source and sink, sync, and assess — one snapshot.
 * A library: no console output, no process.exit, no module-level state; every clock and
 * keychain use comes in through the options.
 */
import { join } from 'node:path';
import { overallAttention, overallReasons } from './overall.js';
import { sourceView } from './sources/view.js';
import { clockProblem, newestOf } from './clock-sanity.js';
import { AuthBarError } from './errors.js';
import { worst, type RefreshOutcome } from './health.js';
import type { GatewayDoctorCheck, GatewayDoctorOptions, SyncMode, WatchLayout } from './gateways/types.js';
import { defaultKeychain, hostOf, resolveHost, type EngineDeps, type Host } from './host.js';
import { checkDirVariables, type Paths } from './paths.js';
import type { Settings } from './settings.js';
import type { Snapshot } from '../../common/snapshot.js';
import { scrubDeep, type KnownSecrets } from './secrets/scrub.js';
import { addSecretValues } from './secrets/known.js';
import { readAllSources } from './sources/sources.js';
import { assessTokens } from './tokens/age.js';
import { statePath } from './tokens/state.js';

export type { EngineDeps, Host };
export { defaultKeychain, resolveHost };

export type { SyncMode };

export interface CollectOptions {
  sync: SyncMode;
  /** Agent ids to look at; overrides the settings' list. */
  agents?: readonly string[] | null;
  warnMs?: number;
  /** True only when a user's click asked for this run (it may then cause a Keychain prompt). */
  interactive?: boolean;
  refresh?: ReadonlyMap<string, RefreshOutcome>;
  settings?: Settings;
  /**
   * Unscrubbed paths and text, for `doctor`'s repairs only (they act on real paths); every
   * other caller gets the snapshot with anything credential-like masked.
   */
  raw?: boolean;
  /** Record first sightings of setup tokens in AuthBar's state file (default true). */
  recordFirstSeen?: boolean;
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
  /** The gateway's agent layout, for the monitor's watch plan (new agents). */
  watchLayout?: WatchLayout;
  /**
   * The secret values read (store keys and tokens, source logins, config keys): outputs
   * built from anything but the snapshot (doctor, watch's paths) mask each copy of them.
   * Optional only so test doubles of `collect` need not give it.
   */
  secrets?: KnownSecrets;
}

export async function collect(deps: EngineDeps | Host, opts: CollectOptions): Promise<Collected> {
  const host = await hostOf(deps);
  const { clock, platform, paths, keychain, adapter } = host;
  const badVariable = await checkDirVariables(host.env, paths);
  if (badVariable) throw new AuthBarError('config', badVariable);
  if (!opts.settings && host.settingsRead.kind === 'error') throw host.settingsRead.error;
  const settings = opts.settings ?? host.settings;
  const warnMs = opts.warnMs ?? settings.warnHours * 3_600_000;

  const explicit = opts.agents !== undefined && opts.agents !== null;
  const wanted = explicit ? opts.agents : settings.agents;
  // Ids asked for on the command line: nothing is done for an empty list, never "all".
  if (explicit && (wanted?.length ?? 0) === 0) throw new AuthBarError('usage', 'no agent id given');
  const sources = await readAllSources({
    paths,
    env: host.env,
    platform,
    keychain,
    now: clock.now(),
    interactive: opts.interactive ?? false,
  });
  const now = clock.now();
  const ctx = {
    env: host.env,
    now,
    warnMs,
    paths,
    settings,
    sources,
    sync: opts.sync,
    agents: wanted,
    ...(opts.refresh ? { refresh: opts.refresh } : {}),
  };
  // Ids asked for are checked against the gateway's agents before anything is read or synced.
  if (explicit) {
    const ids = await adapter.agentIds(ctx);
    const unknown = [...new Set(wanted ?? [])].filter((id) => !ids.includes(id));
    if (unknown.length > 0)
      throw new AuthBarError(
        'usage',
        `no agent named ${unknown.join(', ')} under ${join(host.gateway.stateDir, 'agents')}; known agents: ${ids.join(', ')}`,
      );
  }
  const final = await adapter.read(ctx);
  // Setup-token ages and the vault view, from AuthBar's own state file (any gateway).
  const tokens = await assessTokens(final.agents, host.env, settings, now, { record: opts.recordFirstSeen ?? true });
  const views = tokens.agents;
  const sourceViews = sources.map((s) => sourceView(s, now));
  // The settings name agents that do not exist: say so, as loudly as a broken store.
  const settingsProblems: string[] = [];
  if (!explicit && settings.agents !== null) {
    if (settings.agents.length === 0)
      settingsProblems.push(
        `The AuthBar settings file ${paths.settings} lists no agents ("agents": []), so nothing is checked: list agent ids, or set it to null to manage every agent`,
      );
    for (const id of final.unknownAgentIds)
      settingsProblems.push(
        `The AuthBar settings file ${paths.settings} names agent ${JSON.stringify(id)}, which does not exist under ${join(final.gateway.stateDir, 'agents')}: fix the "agents" list`,
      );
  }
  const clock_ = clockProblem(
    now,
    newestOf([
      ...sources.map((s) => (s.mtimeMs !== undefined ? { path: s.location, mtimeMs: s.mtimeMs } : null)),
      ...final.fileTimes,
    ]),
  );
  const gatewayNow = [...final.reasons.filter((r) => r.attention === 'now').map((r) => r.text), ...settingsProblems];
  const gatewaySoon = [
    ...final.reasons.filter((r) => r.attention === 'soon').map((r) => r.text),
    ...(clock_ ? [clock_] : []),
  ];
  const agentReasons = overallReasons(views, sourceViews);
  const snapshot: Snapshot = {
    schemaVersion: 1,
    generatedAt: now,
    gateway: final.gateway,
    warnMs,
    stateDir: final.gateway.stateDir,
    configPath: final.gateway.configPath,
    configError: final.configError,
    providersInUse: final.providersInUse,
    overall: {
      // A gateway-level finding (a config or file that stops the gateway, settings naming
      // agents that do not exist) outranks the rest; a clock that cannot be right is at least `soon`.
      attention: worst(
        overallAttention(views, sourceViews),
        ...final.reasons.map((r) => r.attention),
        ...(settingsProblems.length > 0 ? (['now'] as const) : []),
        ...(clock_ ? (['soon'] as const) : []),
      ),
      reasons: [...gatewayNow, ...agentReasons, ...gatewaySoon, ...(tokens.stateError ? [tokens.stateError] : [])],
      // The detected gateway's own `models status --check` code (Clawdbot's or OpenClaw's).
      gatewayCheckCode: final.check,
    },
    sources: sourceViews,
    agents: views,
    refresh: [...(opts.refresh?.entries() ?? [])].map(([profileId, r]) => ({
      profileId,
      at: r.at,
      ok: r.ok,
      permanent: r.permanent,
      consecutiveFailures: r.consecutiveFailures,
      error: null,
    })),
    monitor: null,
    vault: tokens.vault,
    clockProblem: clock_,
    unknownAgents: explicit ? [] : final.unknownAgentIds,
    settingsProblems,
    skippedAgentDirs: final.skippedAgentDirs,
  };
  const watch = [
    ...sources.filter((s) => s.kind === 'file').map((s) => s.location),
    ...final.watch,
    paths.settings,
    statePath(host.env),
  ];
  // Everything shown anywhere (--json, IPC, the window) comes from this snapshot: mask
  // anything credential-like that files put into names, paths and messages.
  // Besides anything credential-like, each exact copy of a secret value AuthBar read.
  const secrets = new Set<string>(final.secrets ?? []);
  for (const s of sources) addSecretValues(s.credential, secrets);
  return {
    snapshot: opts.raw ? snapshot : scrubDeep(snapshot, secrets),
    paths,
    settings,
    watch: [...new Set(watch)],
    ...(final.watchLayout ? { watchLayout: final.watchLayout } : {}),
    secrets,
  };
}

/** The detected gateway's own doctor checks over a snapshot (OpenClaw: names its commands, fixes nothing). */
export async function gatewayDoctorChecks(
  deps: EngineDeps | Host,
  snapshot: Snapshot,
  collected: Collected,
  opts: GatewayDoctorOptions,
): Promise<GatewayDoctorCheck[]> {
  const host = await hostOf(deps);
  const adapter = host.adapter;
  const read = {
    gateway: snapshot.gateway,
    agents: snapshot.agents,
    check: snapshot.overall.gatewayCheckCode,
    configError: snapshot.configError,
    providersInUse: snapshot.providersInUse,
    reasons: [],
    watch: collected.watch,
    unknownAgentIds: [],
    skippedAgentDirs: snapshot.skippedAgentDirs ?? [],
    fileTimes: [],
  };
  const now = host.clock.now();
  return adapter.doctor(
    read,
    {
      env: host.env,
      now,
      warnMs: snapshot.warnMs,
      paths: collected.paths,
      settings: collected.settings,
      sources: [],
      sync: 'skip',
    },
    opts,
  );
}
