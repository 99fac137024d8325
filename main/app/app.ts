/**
 * The tray app: wires the engine service to the tray (tray.ts), notifications (notifier.ts),
 * the details window (window.ts) and what the menu and the window ask for (actions.ts, the IPC
 * contract in ipc.ts). Electron comes in as parameters (menubar's lesson), so tests construct
 * it with the fakes in test/support/fake-electron.ts; main/index.ts hands in the real objects.
 */
import { pathToFileURL } from 'node:url';
import type { Notice } from '../engine/notify/notices.js';
import { systemClock, type Clock } from '../engine/ports.js';
import type { WindowRoute } from '../../common/window-route.js';
import { Actions } from './actions.js';
import type { ElectronPorts, WindowPort } from './electron-ports.js';
import type { EngineService, HostNotice } from './engine-service.js';
import { registerBridge } from './ipc.js';
import type { LoginItem } from './login-item.js';
import { Notifier } from './notifier.js';
import type { TerminalLauncher } from './terminal.js';
import { TrayView } from './tray.js';
import { DetailsWindow } from './window.js';

export { WINDOW_SIZE } from './window.js';

export interface AppFiles {
  /** dist/renderer/index.html */
  rendererHtml: string;
  /** dist/preload/preload.cjs */
  preload: string;
  /** assets/tray (development) or <resources>/tray (packaged) */
  iconsDir: string;
}

export interface AppOptions {
  electron: ElectronPorts;
  engine: EngineService;
  platform: NodeJS.Platform;
  files: AppFiles;
  terminal: TerminalLauncher;
  loginItem: LoginItem;
  clock?: Clock;
  /** Time of day for "paused until 08:00". */
  formatTime?: (epochMs: number) => string;
}

/** electron-builder.yml's appId. */
export const APP_ID = 'dev.authbar.app';

export class AuthBarApp {
  private readonly e: ElectronPorts;
  private readonly clock: Clock;
  private readonly tray: TrayView;
  private readonly window: DetailsWindow;
  private readonly notifier: Notifier;
  private readonly actions: Actions;
  private readonly cleanups: Array<() => void> = [];
  private notificationsOn = true;
  private started = false;
  /** What is open now: the engine polls the live gateway while either is. */
  private readonly open = { menu: false, window: false };
  private quitState: 'running' | 'stopping' | 'stopped' = 'running';

  constructor(private readonly opts: AppOptions) {
    this.e = opts.electron;
    this.clock = opts.clock ?? systemClock;
    this.tray = new TrayView({
      electron: this.e,
      platform: opts.platform,
      iconsDir: opts.files.iconsDir,
      onClick: () => {
        this.clearFallback();
        void this.actions.resync();
      },
      onAction: (action) => void this.actions.run(action),
      formatTime:
        opts.formatTime ?? ((ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
      onMenuOpen: (open) => this.viewed('menu', open),
    });
    this.window = new DetailsWindow({
      electron: this.e,
      platform: opts.platform,
      rendererHtml: opts.files.rendererHtml,
      preload: opts.files.preload,
      trayBounds: () => this.tray.bounds(),
      onLoadError: (message) => this.fallback(message),
      onVisible: (visible) => this.viewed('window', visible),
    });
    this.notifier = new Notifier({
      electron: this.e,
      enabled: () => this.notificationsOn && !this.actions.paused(),
      fallback: (title) => this.fallback(title),
      open: (route) => this.showWindow(route),
    });
    this.actions = new Actions({
      engine: opts.engine,
      terminal: opts.terminal,
      loginItem: opts.loginItem,
      shell: this.e.shell,
      clock: this.clock,
      showWindow: (route) => this.showWindow(route),
      report: (error) => this.notify(commandError(error, this.clock.now())),
      render: () => this.render(),
      quit: () => this.e.app.quit(),
    });
  }

  /** False when another instance runs: that one is shown and this one quits. */
  async start(): Promise<boolean> {
    const { app } = this.e;
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return false;
    }
    app.on('second-instance', () => this.showWindow({ kind: 'overview' }));
    // A tray app lives on with no window open: without this listener Electron would quit.
    app.on('window-all-closed', () => undefined);
    app.on('before-quit', (event) => {
      if (this.quitState === 'stopped') return;
      event.preventDefault();
      if (this.quitState === 'stopping') return;
      this.quitState = 'stopping';
      void this.shutdown().finally(() => {
        this.quitState = 'stopped';
        app.quit();
      });
    });
    await app.whenReady();
    if (this.opts.platform === 'win32') app.setAppUserModelId(APP_ID);
    // Packaged builds hide the Dock icon through LSUIElement; a development run has no Info.plist.
    if (this.opts.platform === 'darwin' && !app.isPackaged) app.dock?.hide();

    this.actions.login = await this.opts.loginItem.get().catch(() => this.actions.login);
    this.tray.create();
    this.started = true;
    const engine = this.opts.engine;
    this.cleanups.push(
      registerBridge(this.e.ipcMain, pathToFileURL(this.opts.files.rendererHtml).href, {
        getSnapshot: () => {
          // The window asked: it is listening now, and gets the current snapshot as the answer.
          this.window.fetchedSnapshot();
          return engine.current().snapshot;
        },
        resync: () => this.actions.resync(),
        openSetupToken: () => this.opts.terminal.launch(),
        addToken: (req) => engine.addToken(req),
        revealStore: (agentId) => this.actions.openStore(agentId),
        getSettings: () => engine.getSettings(),
        getHosts: () => engine.current().hosts ?? [],
        renewOnHost: (host) => this.actions.renewOnHost(host),
        setSettings: async (patch) => {
          const result = await engine.setSettings(patch);
          if (result.ok && patch.notifications !== undefined) this.notificationsOn = patch.notifications;
          return result;
        },
      }),
      engine.subscribe(() => this.render()),
      engine.subscribeNotices((n) => this.notify(n)),
    );
    this.e.nativeTheme.on('updated', () => this.render());
    // Back from sleep: every ssh connection is likely dead; reconnect the hosts now, not at backoff.
    this.e.powerMonitor?.on('resume', () => engine.resumed?.());
    this.notificationsOn = (await engine.getSettings().catch(() => ({ notifications: true }))).notifications;
    this.render();
    await engine.start();
    // A pause chosen before a restart still holds (the policy persisted it): show it.
    const paused = engine.pausedUntil?.() ?? null;
    if (paused !== null && paused > this.clock.now()) this.actions.pausedUntil = paused;
    this.render();
    return true;
  }

  /** Re-sets the tray from the engine's current state and sends the window the snapshot. */
  render(): void {
    if (!this.started) return;
    const state = this.opts.engine.current();
    const { resyncing, login, pausedUntil } = this.actions;
    this.tray.render(state, { now: this.clock.now(), resyncing, loginItem: login, pausedUntil });
    if (state.snapshot) this.window.send(state.snapshot);
    if (state.hosts) this.window.sendHosts(state.hosts);
  }

  /** Shows the details window at a route, near the tray. */
  showWindow(route: WindowRoute): WindowPort {
    this.clearFallback();
    return this.window.show(route);
  }

  notify(notice: Notice | HostNotice): void {
    this.notifier.notify(notice);
  }

  /** The menu or the window opened or closed: tells the engine when "someone is looking" changes. */
  private viewed(what: 'menu' | 'window', open: boolean): void {
    const before = this.open.menu || this.open.window;
    this.open[what] = open;
    const now = this.open.menu || this.open.window;
    if (now !== before && this.started) this.opts.engine.setViewing(now);
  }

  private fallback(title: string): void {
    if (this.tray.setNote(title)) this.render();
  }

  private clearFallback(): void {
    if (this.tray.setNote(null)) this.render();
  }

  /** Stops the engine and lets go of everything; the quit continues after it. */
  private async shutdown(): Promise<void> {
    while (this.cleanups.length) this.cleanups.pop()?.();
    await this.opts.engine.stop().catch(() => undefined);
    this.notifier.closeAll();
    this.tray.destroy();
    this.started = false;
  }
}

/** A failed menu command, as a notice (there is no window to say it in). */
function commandError(error: string, at: number): Notice {
  return {
    key: 'command-error',
    subject: { agentId: null, profileId: null, provider: null },
    state: 'soon',
    title: 'AuthBar',
    body: error,
    action: 'none',
    at,
  };
}
