/**
 * The host a command runs on, resolved once per run (one CLI command, one monitor scan) and
 * passed down: environment, platform, clock, keychain, every path, AuthBar's settings, and the
 * detected gateway with its adapter. Two parts of one run can then never disagree about which
 * gateway this is or where its files are.
 */
import type { AuthBarError } from './errors.js';
import { adapterFor, detectGateway } from './gateways/registry.js';
import type { DetectedGateway } from './gateways/types.js';
import type { GatewayAdapter } from './gateways/types.js';
import { resolvePaths, type Paths } from './paths.js';
import { noKeychain, systemClock, type Clock, type Env, type Keychain } from './ports.js';
import { DEFAULT_SETTINGS, readSettings, type Settings, type SettingsRead } from './settings.js';
import { SecurityCliKeychain } from './sources/keychain.js';

/** What a caller hands the engine; everything else is resolved from it. */
export interface EngineDeps {
  env: Env;
  clock?: Clock;
  keychain?: Keychain;
  platform?: NodeJS.Platform;
}

export interface Host {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  readonly clock: Clock;
  readonly keychain: Keychain;
  readonly paths: Paths;
  /** The settings in force: the file's, else the defaults (also when the file is broken: see `settingsRead`). */
  readonly settings: Settings;
  /** The settings file as read (unknown keys, whether it exists), or why it could not be used. */
  readonly settingsRead: { kind: 'ok'; read: SettingsRead } | { kind: 'error'; error: AuthBarError };
  readonly gateway: DetectedGateway;
  readonly adapter: GatewayAdapter;
  /** Marks a resolved host (a plain EngineDeps has none). */
  readonly resolved: true;
}

/** The keychain to read Claude Code's item from: `security` on macOS, nothing elsewhere or when off. */
export function defaultKeychain(env: Env, platform: NodeJS.Platform): Keychain {
  if ((env['AUTHBAR_KEYCHAIN'] ?? '').toLowerCase() === 'off') return noKeychain;
  return platform === 'darwin' ? new SecurityCliKeychain() : noKeychain;
}

export interface ResolveOptions {
  /** Settings the caller already holds (e.g. the monitor's last good read); skips the file. */
  settings?: Settings;
}

export async function resolveHost(deps: EngineDeps, opts: ResolveOptions = {}): Promise<Host> {
  const platform = deps.platform ?? process.platform;
  const paths = resolvePaths(deps.env);
  let settingsRead: Host['settingsRead'];
  if (opts.settings) {
    settingsRead = {
      kind: 'ok',
      read: { settings: opts.settings, path: paths.settings, exists: true, unknownKeys: [] },
    };
  } else {
    try {
      settingsRead = { kind: 'ok', read: await readSettings(paths.settings) };
    } catch (err) {
      settingsRead = { kind: 'error', error: err as AuthBarError };
    }
  }
  const settings = settingsRead.kind === 'ok' ? settingsRead.read.settings : DEFAULT_SETTINGS;
  const gateway = detectGateway(deps.env, { gatewayCli: settings.gatewayCli });
  return {
    env: deps.env,
    platform,
    clock: deps.clock ?? systemClock,
    keychain: deps.keychain ?? defaultKeychain(deps.env, platform),
    paths,
    settings,
    settingsRead,
    gateway,
    adapter: await adapterFor(gateway, deps.env),
    resolved: true,
  };
}

/** The host of this run: the one already resolved, or resolved now from plain deps. */
export async function hostOf(deps: EngineDeps | Host): Promise<Host> {
  return 'resolved' in deps && deps.resolved === true ? deps : resolveHost(deps);
}
