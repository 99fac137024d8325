/**
 * Which gateway runs on this host (DESIGN §2b), from files and env variables only: cheap
 * enough for every `status --check`. Order: `AUTHBAR_GATEWAY`; then the evidence of each
 * gateway (its env variables, its files); a host with both says which was chosen and why.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../ports.js';
import { resolvePaths } from '../paths.js';
import type { GatewayKind } from '../../../common/snapshot.js';
import { findGatewayCli } from './cli-runner.js';
import { AGENT_DB_FILE, CONFIG_FILE, OPENCLAW_ENV_VARS, resolveOpenClawPaths } from './openclaw/paths.js';

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

/** OpenClaw's own files in a state dir: its config, its state db, or an agent db. */
function openClawEvidence(dir: string, configPath: string): string | null {
  if (existsSync(join(dir, 'state', 'openclaw.sqlite'))) return `${join(dir, 'state', 'openclaw.sqlite')} exists`;
  if (existsSync(configPath) && configPath.endsWith(CONFIG_FILE)) return `${configPath} exists`;
  if (existsSync(join(dir, CONFIG_FILE))) return `${join(dir, CONFIG_FILE)} exists`;
  try {
    for (const id of readdirSync(join(dir, 'agents'))) {
      const db = join(dir, 'agents', id, 'agent', AGENT_DB_FILE);
      if (existsSync(db)) return `${db} exists`;
    }
  } catch {
    // no agents dir
  }
  return null;
}

/** Clawdbot 2026.1's files in a real (not migrated) state dir. */
function clawdbotEvidence(dir: string): string | null {
  if (existsSync(join(dir, 'clawdbot.json'))) return `${join(dir, 'clawdbot.json')} exists`;
  if (existsSync(join(dir, 'agent', 'auth-profiles.json'))) return `${join(dir, 'agent', 'auth-profiles.json')} exists`;
  try {
    for (const id of readdirSync(join(dir, 'agents'))) {
      const store = join(dir, 'agents', id, 'agent', 'auth-profiles.json');
      if (existsSync(store)) return `${store} exists`;
    }
  } catch {
    // no agents dir
  }
  return null;
}

/** The version OpenClaw last wrote into its config: a regex, so detection needs no JSON5. */
export function openClawVersionFromConfig(configPath: string): string | null {
  try {
    const text = readFileSync(configPath, 'utf8');
    return /"?lastTouchedVersion"?\s*:\s*["']([^"']{1,40})["']/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Clawdbot or OpenClaw (main/engine/gateways/registry.ts asks any registered gateway first). */
export function detectGateway(env: Env, opts: DetectOptions = {}): DetectedGateway {
  return detectBuiltInGateway(env, opts);
}

/** Between the built-in pair: OpenClaw, Clawdbot's successor, ranks first on equal evidence. */
export function detectBuiltInGateway(env: Env, opts: DetectOptions = {}): DetectedGateway {
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
