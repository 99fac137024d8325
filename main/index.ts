/**
 * The Electron entry (bundled to dist/app/main.cjs, package.json `main`): builds the real
 * adapters and hands them to the app. Everything with behaviour lives in main/app/.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { electronPorts } from './app/adapters/electron.js';
import { AuthBarApp } from './app/app.js';
import { autostartPath, electronLoginItem, linuxLoginItem } from './app/login-item.js';
import { MonitorEngineService } from './app/monitor-engine-service.js';
import { setupTokenCommand, terminalLauncher } from './app/terminal.js';
import { makeAddToken } from './app/token-command.js';
import { authbarVersion } from './engine/version.js';
import { Monitor } from './engine/monitor/monitor.js';
import * as policy from './engine/notify/policy.js';
import { loadPolicyState, notifyStatePath, savePolicyState } from './engine/notify/state.js';
import { resolvePaths } from './engine/paths.js';
import { HostsWatch } from './engine/hosts/hosts-watch.js';
import { HostNotices } from './engine/hosts/host-notices.js';
import { remoteLiveAsk } from './engine/hosts/remote-live.js';
import { systemClock } from './engine/ports.js';

const electron = electronPorts();
const { app } = electron;
const platform = process.platform;
const root = app.getAppPath();
const env = process.env;

// The monitor (chokidar + deadlines) feeds the app; the notification policy decides which
// notices become notifications, and its state (what was said when, the pause) persists beside
// the settings file. Add token… validates, keeps the token in the OS keyring and lands it in
// the gateway through the same engine call as `authbar token add`.
const settingsPath = resolvePaths(env).settings;
const statePath = notifyStatePath(settingsPath);
const engine = new MonitorEngineService({
  monitor: new Monitor({ deps: { env, platform }, clientVersion: authbarVersion(), owner: 'app' }),
  policy: {
    ...policy,
    load: async () => (await loadPolicyState(statePath, Date.now())).state,
    save: (s) => savePolicyState(statePath, s),
  },
  settingsPath,
  // Remote hosts: one ssh watch per host from the settings (handed over at the first scan and
  // on each change), and the notices about them, kept per host beside the notify state.
  hosts: new HostsWatch({
    env,
    hosts: [],
    // A host without AuthBar: its OpenClaw gateway asked through a port forwarded over ssh.
    remoteLive: remoteLiveAsk({ platform, now: () => Date.now(), clientVersion: authbarVersion(), owner: 'app' }),
  }),
  hostNotices: ({ deliver, context }) =>
    new HostNotices({
      settingsPath,
      clock: systemClock,
      context,
      deliver,
      onError: (message) => console.error(`AuthBar: ${message}`),
    }),
  addToken: makeAddToken({ engine: { env, platform } }),
  landVaultTokens: async () => {
    const { syncVaultTokens } = await import('./engine/tokens/vault-sync.js');
    const result = await syncVaultTokens({ env, platform }, { dryRun: false });
    if (result.kind === 'state-error') return [`no vault token landed: ${result.error.message}`];
    return result.lines
      .filter((l) => l.error !== null || l.landings.some((x) => x.outcome === 'failed'))
      .map((l) => `${l.profileId} did not land${l.error ? `: ${l.error}` : '.'}`);
  },
});

const terminal = terminalLauncher({
  platform,
  // Electron runs the CLI as plain Node: the packaged app needs no separate node binary. The
  // packaged CLI is unpacked from the asar (electron-builder.yml), so it needs no asar support.
  command: setupTokenCommand({ execPath: process.execPath, appPath: root, isPackaged: app.isPackaged, platform }),
  // The settings of the latest scan (the monitor re-reads the file when it changes).
  terminal: () => engine.currentSettings()?.terminal ?? null,
});

const loginItem =
  platform === 'linux'
    ? // An AppImage runs from a new mount each time: start the AppImage file itself.
      linuxLoginItem(
        autostartPath(env, env['HOME'] ?? homedir()),
        env['APPIMAGE'] ? [env['APPIMAGE']] : app.isPackaged ? [process.execPath] : [process.execPath, root],
      )
    : electronLoginItem(app);

const authbar = new AuthBarApp({
  electron,
  engine,
  platform,
  files: {
    rendererHtml: join(root, 'dist', 'renderer', 'index.html'),
    preload: join(root, 'dist', 'preload', 'preload.cjs'),
    iconsDir: app.isPackaged ? join(process.resourcesPath, 'tray') : join(root, 'assets', 'tray'),
  },
  terminal,
  loginItem,
});

authbar.start().catch((err: unknown) => {
  console.error(`AuthBar could not start: ${err instanceof Error ? err.message : String(err)}`);
  app.quit();
});
