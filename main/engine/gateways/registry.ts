/**
 * The gateways AuthBar knows, and which one runs on this host: the only place that switches on
 * a gateway's kind. Clawdbot's adapter is loaded with the engine; OpenClaw's (SQLite, its CLI,
 * its RPC) only on an OpenClaw host, so the CLI's cold start does not pay for it.
 */
import type { Env } from '../ports.js';
import { clawdbotAdapter } from './clawdbot/adapter.js';
import { lstatSync, realpathSync } from 'node:fs';
import { resolvePaths } from '../paths.js';
import { findGatewayCli } from './cli-runner.js';
import { clawdbotEvidence } from './clawdbot/detect.js';
import { openClawEvidence, openClawVersionFromConfig } from './openclaw/detect.js';
import { OPENCLAW_ENV_VARS, resolveOpenClawPaths } from './openclaw/paths.js';
import type { DetectedGateway, DetectOptions, GatewayAdapter, LiveProbe, RouteHealthProbe } from './types.js';
import type { LiveView } from '../../../common/snapshot.js';
import type * as RemoteCli from './openclaw/remote-cli.js';
import type * as RemoteLive from './openclaw/live/remote-live.js';

export type { DetectedGateway, DetectOptions };

/** One gateway in the registry. */
export interface GatewayEntry {
  readonly kind: string;
  /**
   * This gateway's evidence on the host (its env variables, its files), cheap enough for every
   * `status --check`; null when there is none. The built-in pair ranks its own evidence.
   */
  detect(env: Env, opts: DetectOptions): DetectedGateway | null;
  /** The adapter, loaded on demand. */
  load(detected: DetectedGateway, env: Env): Promise<GatewayAdapter>;
}

const builtIn: Record<string, GatewayEntry['load']> = {
  clawdbot: async (detected, env) => clawdbotAdapter(detected, env),
  openclaw: async (detected, env) => (await import('./openclaw/adapter.js')).openClawAdapter(detected, env),
};

/** Gateways registered beside the built-in ones (a test's, or a future one's). */
const extra: GatewayEntry[] = [];

/** Adds a gateway: `AUTHBAR_GATEWAY=<kind>` or its evidence selects it. Returns the undo. */
export function registerGateway(entry: GatewayEntry): () => void {
  extra.push(entry);
  return () => {
    const i = extra.indexOf(entry);
    if (i !== -1) extra.splice(i, 1);
  };
}

/** Every gateway kind `AUTHBAR_GATEWAY` may name. */
export function gatewayKinds(): string[] {
  return [...Object.keys(builtIn), ...extra.map((e) => e.kind)];
}

/** Which gateway runs on this host, from files and env variables only. */
export function detectGateway(env: Env, opts: DetectOptions = {}): DetectedGateway {
  const forced = (env['AUTHBAR_GATEWAY'] ?? '').trim().toLowerCase();
  for (const entry of extra) {
    if (forced !== '' && forced !== entry.kind) continue;
    const found = entry.detect(env, opts);
    if (found) return found;
  }
  return detectBuiltInGateway(env, opts);
}

/** The adapter of a detected gateway. */
export async function adapterFor(detected: DetectedGateway, env: Env): Promise<GatewayAdapter> {
  const entry = extra.find((e) => e.kind === detected.kind);
  if (entry) return entry.load(detected, env);
  const load = Object.hasOwn(builtIn, detected.kind) ? builtIn[detected.kind] : undefined;
  if (!load) throw new Error(`no gateway adapter for "${detected.kind}"`);
  return load(detected, env);
}

/** Why AuthBar, run by this very Node, could not read the host's gateway at all (no node:sqlite, no `openclaw`); null when it can. */
export async function gatewayUnreadableHere(env: Env, gatewayCli: string | null): Promise<string | null> {
  if (detectGateway(env, { gatewayCli }).kind !== 'openclaw') return null;
  return (await import('./openclaw/cli-fallback.js')).openClawUnreadableHere(env, gatewayCli);
}

/** The monitor's default route-health probe: the detected gateway's own, loaded when first asked. */
export function gatewayRouteHealth(): RouteHealthProbe {
  return async (ctx) => {
    const detected = detectGateway(ctx.env, { gatewayCli: ctx.settings.gatewayCli });
    const probe = (await adapterFor(detected, ctx.env)).routeHealth;
    if (probe) return probe(ctx);
    return {
      at: ctx.now(),
      exitCode: null,
      missingProviders: [],
      issues: [],
      error: `${detected.label} has no route-health check.`,
    };
  };
}

function liveOff(reasonCode: 'setting' | 'unsupported', message: string, fix: string | null): LiveView {
  return { state: 'off', reasonCode, message, fix, checkedAt: null, gateway: null, providers: [], disagreements: [] };
}

/**
 * The running gateway's live view, for `status` and the monitor: `off` when the settings turn
 * it off or the gateway has no way to be asked (Clawdbot 2026.1), else the adapter's own probe.
 */
export function gatewayLive(): LiveProbe {
  return async (ctx) => {
    if (!ctx.settings.liveGateway)
      return liveOff(
        'setting',
        'Asking the running gateway is turned off (setting liveGateway: false).',
        'set "liveGateway": true in the AuthBar settings to see its live status and usage',
      );
    const detected = detectGateway(ctx.env, { gatewayCli: ctx.settings.gatewayCli });
    const probe = (await adapterFor(detected, ctx.env)).live;
    if (probe) return probe(ctx);
    return liveOff(
      'unsupported',
      `${detected.label} has no live status method: AuthBar judges from its files alone.`,
      null,
    );
  };
}

// ---------------------------------------------------------------------------------------
// Between the built-in pair: the ranking of their evidence.

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Between the built-in pair: OpenClaw, Clawdbot's successor, ranks first on equal evidence. */
function detectBuiltInGateway(env: Env, opts: DetectOptions = {}): DetectedGateway {
  const paths = resolvePaths(env);
  const oc = resolveOpenClawPaths(env);
  const asClawdbot = (detectedBy: string, note: string | null = null): DetectedGateway => ({
    kind: 'clawdbot',
    label: 'Clawdbot',
    stateDir: paths.stateDir,
    configPath: paths.clawdbotConfig,
    detectedBy,
    note,
    version: null,
  });
  const asOpenClaw = (detectedBy: string, note: string | null = null): DetectedGateway => {
    const version = openClawVersionFromConfig(oc.configPath);
    return {
      kind: 'openclaw',
      label: version ? `OpenClaw ${version}` : 'OpenClaw',
      stateDir: oc.stateDir,
      configPath: oc.configPath,
      detectedBy,
      note,
      version,
    };
  };

  const forced = (env['AUTHBAR_GATEWAY'] ?? '').trim().toLowerCase();
  if (forced === 'openclaw') return asOpenClaw('AUTHBAR_GATEWAY=openclaw');
  if (forced === 'clawdbot') return asClawdbot('AUTHBAR_GATEWAY=clawdbot');

  const ocEnv = OPENCLAW_ENV_VARS.filter((name) => (env[name] ?? '').trim() !== '');
  const cbEnv = (['CLAWDBOT_STATE_DIR', 'CLAWDBOT_AGENT_DIR', 'CLAWDBOT_CONFIG_PATH'] as const).filter(
    (name) => (env[name] ?? '').trim() !== '',
  );

  // A Clawdbot state dir that is (or links into) OpenClaw's is OpenClaw's: `openclaw doctor --fix`
  // leaves `~/.clawdbot → ~/.openclaw` behind, and writing through that link stops the gateway.
  const cbReal = realpathOrNull(paths.stateDir);
  const ocReal = realpathOrNull(oc.stateDir);
  const migrated = cbReal !== null && ocReal !== null && cbReal === ocReal && isSymlink(paths.stateDir);
  const ocFiles = openClawEvidence(oc.stateDir, oc.configPath);
  const cbSharesOc = cbReal !== null && cbReal === ocReal;
  const cbFiles = cbSharesOc ? null : clawdbotEvidence(paths.stateDir);
  // Clawdbot files inside the dir OpenClaw itself uses (an unmigrated ~/.clawdbot) with no OpenClaw file yet.
  const cbFilesInOcDir = cbSharesOc && !ocFiles ? clawdbotEvidence(paths.stateDir) : null;

  const ocWhy =
    ocEnv.length > 0
      ? `${ocEnv.join(', ')} ${ocEnv.length === 1 ? 'is' : 'are'} set`
      : migrated
        ? `${paths.stateDir} is a link to ${oc.stateDir} (migrated by \`openclaw doctor --fix\`)`
        : ocFiles;
  const cbWhy =
    cbEnv.length > 0 ? `${cbEnv.join(', ')} ${cbEnv.length === 1 ? 'is' : 'are'} set` : (cbFiles ?? cbFilesInOcDir);

  if (ocWhy && cbWhy) {
    // Explicit env variables outrank files; between equals, OpenClaw (the successor) wins:
    // AuthBar never writes under OpenClaw, so the wrong guess costs nothing.
    if (cbEnv.length > 0 && ocEnv.length === 0 && !migrated) {
      return asClawdbot(
        cbWhy,
        `OpenClaw was found too (${ocWhy}); ${cbWhy.split(' ')[0]} chose Clawdbot. Set AUTHBAR_GATEWAY=openclaw to manage OpenClaw instead.`,
      );
    }
    // A Clawdbot dir that resolves to OpenClaw's own is no Clawdbot to switch to: AuthBar
    // refuses to write a Clawdbot store there (store-target.ts), so never suggest it.
    if (cbSharesOc)
      return asOpenClaw(
        ocWhy,
        `Clawdbot was found too (${cbWhy}), but ${paths.stateDir} is OpenClaw's state dir ${oc.stateDir}, so OpenClaw manages it; AuthBar never writes a Clawdbot store there.`,
      );
    return asOpenClaw(
      ocWhy,
      `Clawdbot was found too (${cbWhy}); OpenClaw, its successor, was chosen${ocEnv.length > 0 ? ` because ${ocWhy}` : ''}. Set AUTHBAR_GATEWAY=clawdbot to manage Clawdbot instead.`,
    );
  }
  if (ocWhy) return asOpenClaw(ocWhy);
  if (cbWhy) return asClawdbot(cbWhy);
  // Neither has state yet: the installed CLI decides. Creating ~/.clawdbot on an OpenClaw
  // host would make OpenClaw adopt it as its state dir and refuse the JSON store inside.
  const openclawCli = findGatewayCli('openclaw', env, opts.gatewayCli ?? null);
  const clawdbotCli = findGatewayCli('clawdbot', env, null);
  if (openclawCli && !clawdbotCli) return asOpenClaw(`no gateway state yet, and ${openclawCli} is installed`);
  return asClawdbot('no gateway state yet: Clawdbot, the default');
}

/** A remote host with OpenClaw and no AuthBar: what AuthBar asks its `openclaw` over ssh (loaded when needed). */
export function openClawRemoteCli(): Promise<typeof RemoteCli> {
  return import('./openclaw/remote-cli.js');
}

/** That host's live view, asked through a port forwarded over ssh (loaded when needed). */
export function openClawRemoteLive(): Promise<typeof RemoteLive> {
  return import('./openclaw/live/remote-live.js');
}
