/**
 * The one interface the rest of the engine sees of a gateway. Each gateway's adapter
 * (clawdbot/, openclaw/) is the only code that knows its files: where its stores are, how
 * to read them, its own `models status --check` rules, what AuthBar may write and how,
 * its doctor checks, and the paths a monitor should watch.
 */
import type { Attention, RefreshOutcome } from '../health.js';
import type { Paths } from '../paths.js';
import type { Env } from '../ports.js';
import type { Settings } from '../settings.js';
import type { AgentView, GatewayCheckView, GatewayView, LiveView, Snapshot } from '../../../common/snapshot.js';
import type { SourceRead } from '../sources/sources.js';
import type { GatewayKind } from '../../../common/snapshot.js';
import type { LandDeps, LandPolicy, Landing, TokenToLand } from '../tokens/land.js';

export type SyncMode = 'apply' | 'dry-run' | 'skip';

/** Everything an adapter needs to read a host; sources are read once, by the engine. */
export interface GatewayReadContext {
  env: Env;
  now: number;
  /** The user's warn window (attention only: each gateway's status uses its own fixed window). */
  warnMs: number;
  paths: Paths;
  settings: Settings;
  sources: readonly SourceRead[];
  sync: SyncMode;
  /** Agent ids to look at (`--agent`, settings); null/undefined: every agent. */
  agents?: readonly string[] | null;
  refresh?: ReadonlyMap<string, RefreshOutcome>;
}

/** A gateway's agent layout, for the watch plan: agents dirs, and the file names of a store in `<id>/agent/`. */
export interface WatchLayout {
  agentsDirs: string[];
  storeNames: string[];
}

/** What one read of the gateway gives the snapshot. */
export interface GatewayRead {
  gateway: GatewayView;
  /** One view per agent, in the snapshot's shapes (profiles, health, attention, sync). */
  agents: AgentView[];
  /** What the gateway's own `models status --check` exits with: the worst over the agents. */
  check: 0 | 1 | 2;
  /** The gateway's config could not be used (it then refuses to start). */
  configError: string | null;
  providersInUse: string[];
  /** Gateway-level findings beyond the agents' (e.g. a file that stops the gateway), worst first. */
  reasons: Array<{ attention: Exclude<Attention, 'none'>; text: string }>;
  /** Every path the read was built from (stores, databases and their -wal, config, agents dir). */
  watch: string[];
  /** Where new agents appear: the monitor also watches `<agentsDir>/<id>/agent/<store name>`. */
  watchLayout?: WatchLayout;
  /** Agent ids asked for (`ctx.agents`) that name no agent of this gateway. */
  unknownAgentIds: string[];
  /** Names under the agents dir that are not agent ids the gateway would use: skipped. */
  skippedAgentDirs: string[];
  /** When the files read were last written (before any sync): for the clock's sanity check. */
  fileTimes: Array<{ path: string; mtimeMs: number }>;
  /** The secret values read (store keys and tokens, config keys): every output masks each copy of them. */
  secrets?: string[];
}

/** A doctor finding (the same shape `authbar doctor` prints). */
export interface GatewayDoctorCheck {
  id: string;
  verdict: 'ok' | 'info' | 'warn' | 'fail' | 'fixed';
  message: string;
  fix: string | null;
}

/** What a vault sync knows of a token without its secret. */
export interface HeldTokenQuery {
  profileId: string;
  fingerprint: string;
  /** The masked form (`sk-ant-oat01-…Xy12`): its tail identifies a copy whose fingerprint is unknown. */
  masked: string;
  expiresAt: number | null;
}

/** A gateway's own route-health check's result, without its age (the monitor adds that when it emits). */
export type RouteHealth = Omit<GatewayCheckView, 'ageMs'>;

export interface RouteHealthContext {
  env: Env;
  settings: Settings;
  snapshot: Snapshot;
  now: () => number;
}

/** The hook the monitor calls (through a SingleFlight) when the snapshot's gateway `probesRoutes`. */
export type RouteHealthProbe = (ctx: RouteHealthContext) => Promise<RouteHealth>;

/** What asking the running gateway needs: the files' snapshot to compare with, and who asks. */
export interface LiveContext {
  env: Env;
  platform: NodeJS.Platform;
  settings: Settings;
  snapshot: Snapshot;
  now: () => number;
  /** AuthBar's version, as the gateway is told it. */
  clientVersion: string;
  /** Which program asks (`cli`, `app`): each keeps its own device identity in the keyring. */
  owner: 'cli' | 'app';
}

/** The running gateway's own view (OpenClaw: `models.authStatus` over its WebSocket). Never throws. */
export type LiveProbe = (ctx: LiveContext) => Promise<LiveView>;

export interface GatewayDoctorOptions {
  /** Repair what the adapter may write (OpenClaw: nothing). */
  fix: boolean;
  /** Runs one sync of this host (after repairs) and gives the agents as it left them. */
  resync: () => Promise<readonly AgentView[]>;
}

export interface GatewayAdapter {
  readonly kind: DetectedGateway['kind'];
  readonly detected: DetectedGateway;
  read(ctx: GatewayReadContext): Promise<GatewayRead>;
  /** Every agent id this gateway has, from discovery alone (no store is read). */
  agentIds(ctx: GatewayReadContext): Promise<string[]>;
  /**
   * Whether a read shows the gateway lacking this token or holding another copy: judged from
   * the read's profiles (fingerprint, expiry) alone, no secret and no gateway process.
   */
  landingDue(agents: readonly AgentView[], token: HeldTokenQuery): boolean;
  /** The landing target a dry run names (the managed agents, or the gateway's one store). */
  readonly landingTarget: { target: string; label: string };
  /** Lands a token: one Landing per target (agent, or the gateway's one store). May throw (no gateway CLI). */
  landToken(deps: LandDeps, token: TokenToLand, policy: LandPolicy): Promise<Landing[]>;
  /** How a user removes a profile from the gateway: a command to run, or an instruction. */
  removeCommand(profileId: string): { text: string; runnable: boolean };
  /**
   * The gateway's own doctor checks over a read. With `fix`, an adapter repairs only what
   * it may write (OpenClaw: nothing — its checks print OpenClaw's own commands instead).
   */
  /** The gateway's own route-health check, when it has one (OpenClaw: `openclaw models status --json`). */
  readonly routeHealth?: RouteHealthProbe;
  /** Asks the running gateway for its live view, when it has a way to (OpenClaw). */
  readonly live?: LiveProbe;
  doctor(read: GatewayRead, ctx: GatewayReadContext, opts: GatewayDoctorOptions): Promise<GatewayDoctorCheck[]>;
}

/** The gateway found on a host: which kind, where its state lives, and how it was told. */
export interface DetectedGateway {
  kind: GatewayKind;
  /** Display name with the version when known (`OpenClaw 2026.9.6`, `Clawdbot`). */
  label: string;
  stateDir: string;
  configPath: string;
  /** One sentence: how it was detected. */
  detectedBy: string;
  /** Set when both gateways were found: which one was not chosen and why. */
  note: string | null;
  /** The gateway's version when knowable from its files (OpenClaw: the config's `meta.lastTouchedVersion`). */
  version: string | null;
}

export interface DetectOptions {
  /** The settings' `gatewayCli`: a host with no state yet counts as OpenClaw's when only `openclaw` is installed. */
  gatewayCli?: string | null;
}
