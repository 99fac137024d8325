/**
 * The engine's front door: read every source and sink, sync, and assess — one snapshot.
 * A library: no console output, no process.exit, no module-level state; every clock and
 * keychain use comes in through the options.
 */
import { overallAttention, overallReasons, sourceView } from './assess.js';
import { worst, type RefreshOutcome } from './health.js';
import { clawdbotAdapter } from './gateways/clawdbot/adapter.js';
import { detectGateway, type DetectedGateway } from './gateways/detect.js';
import type { GatewayAdapter, GatewayDoctorCheck, SyncMode } from './gateways/types.js';
import { SecurityCliKeychain } from './keychain.js';
import { resolvePaths, type Paths } from './paths.js';
import { noKeychain, systemClock, type Clock, type Env, type Keychain } from './ports.js';
import { readSettings, type Settings } from './settings.js';
import type { Snapshot } from './snapshot.js';
import { readAllSources } from './sources.js';

export interface EngineDeps {
  env: Env;
  clock?: Clock;
  keychain?: Keychain;
  platform?: NodeJS.Platform;
}

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

export async function collect(deps: EngineDeps, opts: CollectOptions): Promise<Collected> {
  const clock = deps.clock ?? systemClock;
  const platform = deps.platform ?? process.platform;
  const paths = resolvePaths(deps.env);
  const settings = opts.settings ?? (await readSettings(paths.settings)).settings;
  const keychain = deps.keychain ?? defaultKeychain(deps.env, platform);
  const warnMs = opts.warnMs ?? settings.warnHours * 3_600_000;
  const adapter = await adapterFor(detectGateway(deps.env, { gatewayCli: settings.gatewayCli }));

  const sources = await readAllSources({ paths, env: deps.env, platform, keychain, now: clock.now(), interactive: opts.interactive ?? false });
  const now = clock.now();
  const read = await adapter.read({ env: deps.env, now, warnMs, paths, settings, sources, sync: opts.sync, agents: opts.agents ?? settings.agents, ...(opts.refresh ? { refresh: opts.refresh } : {}) });
  const views = read.agents;
  const sourceViews = sources.map((s) => sourceView(s, now));
  const gatewayNow = read.reasons.filter((r) => r.attention === 'now').map((r) => r.text);
  const gatewaySoon = read.reasons.filter((r) => r.attention === 'soon').map((r) => r.text);
  const agentReasons = overallReasons(views, sourceViews);
  const snapshot: Snapshot = {
    schemaVersion: 1,
    generatedAt: now,
    gateway: read.gateway,
    warnMs,
    stateDir: read.gateway.stateDir,
    configPath: read.gateway.configPath,
    configError: read.configError,
    providersInUse: read.providersInUse,
    overall: {
      // A gateway-level finding (a config or file that stops the gateway) outranks the rest.
      attention: worst(overallAttention(views, sourceViews), ...read.reasons.map((r) => r.attention)),
      reasons: [...gatewayNow, ...agentReasons, ...gatewaySoon],
      // The detected gateway's own `models status --check` code (Clawdbot's or OpenClaw's).
      clawdbotCheck: read.check,
    },
    sources: sourceViews,
    agents: views,
    refresh: [...(opts.refresh?.entries() ?? [])].map(([profileId, r]) => ({ profileId, at: r.at, ok: r.ok, permanent: r.permanent, consecutiveFailures: r.consecutiveFailures, error: null })),
    monitor: null,
    vault: null,
  };
  const watch = [...sources.filter((s) => s.kind === 'file').map((s) => s.location), ...read.watch, paths.settings];
  return { snapshot, paths, settings, watch: [...new Set(watch)] };
}

/** The detected gateway's adapter; OpenClaw's is loaded only on an OpenClaw host. */
export async function adapterFor(detected: DetectedGateway): Promise<GatewayAdapter> {
  if (detected.kind === 'openclaw') return (await import('./gateways/openclaw/adapter.js')).openClawAdapter(detected);
  return clawdbotAdapter(detected);
}

/** The detected gateway's own doctor checks over a snapshot (OpenClaw: names its commands, fixes nothing). */
export async function gatewayDoctorChecks(deps: EngineDeps, snapshot: Snapshot, collected: Collected, opts: { fix: boolean }): Promise<GatewayDoctorCheck[]> {
  const adapter = await adapterFor(detectGateway(deps.env, { gatewayCli: collected.settings.gatewayCli }));
  const read = { gateway: snapshot.gateway, agents: snapshot.agents, check: snapshot.overall.clawdbotCheck, configError: snapshot.configError, providersInUse: snapshot.providersInUse, reasons: [], watch: collected.watch };
  const now = (deps.clock ?? systemClock).now();
  return adapter.doctor(read, { env: deps.env, now, warnMs: snapshot.warnMs, paths: collected.paths, settings: collected.settings, sources: [], sync: 'skip' }, opts);
}
