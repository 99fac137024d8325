/**
 * The tray app: wires the engine service to the tray, its menu, notifications and the details
 * window. Electron comes in as parameters (menubar's lesson), so tests construct it with the
 * fakes under test/app/fakes; main/index.ts hands in the real objects.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Notice } from '../engine/notify/notices.js';
import { systemClock, type Clock } from '../engine/ports.js';
import type { AddTokenRequest, CommandResult } from '../../common/ipc-contract.js';
import type {
  ElectronPorts,
  MenuPort,
  MenuTemplateItem,
  NotificationPort,
  TrayPort,
  WindowPort,
} from './electron-ports.js';
import type { EngineService } from './engine-service.js';
import { registerBridge, SnapshotSender } from './ipc.js';
import { AGENT_ID } from '../../common/rules.js';
import type { LoginItem, LoginItemView } from './login-item.js';
import { menuModel, tomorrowMorning, type MenuAction, type MenuItemModel } from './menu-model.js';
import { safeLabel } from './safe-label.js';
import type { TerminalLauncher } from './terminal.js';
import { trayIcon, trayModel } from './tray-model.js';
import { windowPosition } from './window-position.js';
import { routeHash, type WindowRoute } from '../../common/window-route.js';

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
export const WINDOW_SIZE = { width: 440, height: 600 };
const HOUR = 3_600_000;

export class AuthBarApp {
  private readonly e: ElectronPorts;
  private readonly clock: Clock;
  private readonly rendererUrl: string;
  private tray: TrayPort | null = null;
  private menu: MenuPort | null = null;
  private window: WindowPort | null = null;
  private readonly sender = new SnapshotSender();
  private readonly cleanups: Array<() => void> = [];
  private readonly live = new Set<NotificationPort>();
  private resyncing = false;
  private login: LoginItemView = { supported: false, enabled: false, note: null };
  private pausedUntil: number | null = null;
  private notificationsOn = true;
  /** Set when a notification could not be shown: the tray title says it instead. */
  private fallbackTitle: string | null = null;
  private quitState: 'running' | 'stopping' | 'stopped' = 'running';

  constructor(private readonly opts: AppOptions) {
    this.e = opts.electron;
    this.clock = opts.clock ?? systemClock;
    this.rendererUrl = pathToFileURL(opts.files.rendererHtml).href;
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

    this.login = await this.opts.loginItem.get().catch(() => this.login);
    const tray = new this.e.Tray(this.iconPath('unknown'));
    this.tray = tray;
    if (this.opts.platform !== 'linux') {
      // Linux trays (AppIndicator) show the context menu on click and send no click events.
      tray.on('click', () => {
        this.clearFallback();
        void this.resync();
        if (this.menu) tray.popUpContextMenu(this.menu);
      });
      tray.on('right-click', () => {
        if (this.menu) tray.popUpContextMenu(this.menu);
      });
    }

    this.cleanups.push(
      registerBridge(this.e.ipcMain, this.rendererUrl, {
        getSnapshot: () => {
          // The window asked: it is listening now, and gets the current snapshot as the answer.
          this.sender.markReady(false);
          return this.opts.engine.current().snapshot;
        },
        resync: () => this.resync(),
        openSetupToken: () => this.opts.terminal.launch(),
        addToken: (req: AddTokenRequest) => this.opts.engine.addToken(req),
        revealStore: (agentId: string) => this.openStore(agentId),
        getSettings: () => this.opts.engine.getSettings(),
        setSettings: async (patch) => {
          const result = await this.opts.engine.setSettings(patch);
          if (result.ok && patch.notifications !== undefined) this.notificationsOn = patch.notifications;
          return result;
        },
      }),
      this.opts.engine.subscribe(() => this.render()),
      this.opts.engine.subscribeNotices((n) => this.notify(n)),
    );
    this.e.nativeTheme.on('updated', () => this.render());
    this.notificationsOn = (await this.opts.engine.getSettings().catch(() => ({ notifications: true }))).notifications;
    this.render();
    await this.opts.engine.start();
    // A pause chosen before a restart still holds (the policy persisted it): show it.
    const paused = this.opts.engine.pausedUntil?.() ?? null;
    if (paused !== null && paused > this.clock.now()) this.pausedUntil = paused;
    this.render();
    return true;
  }

  /** Re-sets icon, title, tooltip and menu from the engine's current state. */
  render(): void {
    const tray = this.tray;
    if (!tray) return;
    const state = this.opts.engine.current();
    const now = this.clock.now();
    const model = trayModel(state, { platform: this.opts.platform, dark: this.e.nativeTheme.shouldUseDarkColors, now });
    tray.setImage(join(this.opts.files.iconsDir, model.icon.file));
    if (this.opts.platform === 'darwin') tray.setTitle(this.fallbackTitle ?? model.title);
    tray.setToolTip(this.fallbackTitle ? `${this.fallbackTitle} · ${model.tooltip}` : model.tooltip);
    const items = menuModel(state, {
      now,
      resyncing: this.resyncing,
      loginItem: this.login,
      pausedUntil: this.pausedUntil,
      formatTime:
        this.opts.formatTime ?? ((ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    });
    this.menu = this.e.Menu.buildFromTemplate(this.template(items));
    if (this.opts.platform === 'linux') tray.setContextMenu(this.menu);
    if (state.snapshot) this.sender.send(state.snapshot);
  }

  private template(items: readonly MenuItemModel[]): MenuTemplateItem[] {
    // On Windows and Linux `&` marks a mnemonic in a label; file-derived text must show it as is.
    const label = (text: string) => (this.opts.platform === 'darwin' ? text : text.replace(/&/g, '&&'));
    return items.map((i): MenuTemplateItem => {
      if (i.type === 'separator') return { id: i.id, type: 'separator' };
      const base: MenuTemplateItem = { id: i.id, label: label(i.label), type: i.type, enabled: i.enabled };
      if (i.type === 'checkbox') base.checked = i.checked;
      if (i.submenu) base.submenu = this.template(i.submenu);
      const action = i.action;
      if (action && i.type !== 'submenu') base.click = () => void this.runAction(action);
      return base;
    });
  }

  /** What each menu item does. */
  async runAction(action: MenuAction): Promise<CommandResult | null> {
    switch (action.kind) {
      case 'resync':
        return this.resync();
      case 'setup-token':
        return this.report(await this.opts.terminal.launch());
      case 'add-token':
        this.showWindow({ kind: 'add-token' });
        return null;
      case 'show-details':
        this.showWindow({ kind: 'overview' });
        return null;
      case 'show-profile':
        this.showWindow({ kind: 'profile', agentId: action.agentId, profileId: action.profileId });
        return null;
      case 'open-store':
        return this.report(await this.openStore(action.agentId));
      case 'toggle-login-item':
        this.login = await this.opts.loginItem.set(!this.login.enabled);
        this.render();
        return null;
      case 'pause':
        this.pausedUntil = action.until === 'hour' ? this.clock.now() + HOUR : tomorrowMorning(this.clock.now());
        this.render();
        await this.opts.engine.pauseNotifications(this.pausedUntil);
        return null;
      case 'resume':
        this.pausedUntil = null;
        this.render();
        await this.opts.engine.pauseNotifications(null);
        return null;
      case 'quit':
        this.e.app.quit();
        return null;
    }
  }

  private async resync(): Promise<CommandResult> {
    if (this.resyncing) return { ok: true, message: 'A resync is already running.' };
    this.resyncing = true;
    this.render();
    try {
      return await this.opts.engine.resync();
    } finally {
      this.resyncing = false;
      this.render();
    }
  }

  /**
   * Opens an agent's auth store folder in the file manager. Only a directory the snapshot
   * names: `shell.openPath` on a file would open (or run) it with its default application.
   */
  async openStore(agentId: string): Promise<CommandResult> {
    if (!AGENT_ID.test(agentId)) return { ok: false, error: 'That is not an agent id.' };
    const agent = this.opts.engine.current().snapshot?.agents.find((a) => a.agentId === agentId);
    if (!agent)
      return { ok: false, error: `AuthBar does not know an agent ${safeLabel(agentId, 64)}: resync and try again.` };
    const dir = agent.agentDir;
    const st = await fsp.stat(dir).catch(() => null);
    if (!st?.isDirectory()) return { ok: false, error: `The folder ${safeLabel(dir, 200)} does not exist yet.` };
    const error = await this.e.shell.openPath(dir);
    return error
      ? { ok: false, error: `Could not open ${safeLabel(dir, 200)}: ${safeLabel(error, 100)}` }
      : { ok: true, message: `Opened ${dir}.` };
  }

  /** Shows the details window (creating it when needed) at a route, near the tray. */
  showWindow(route: WindowRoute): WindowPort {
    this.clearFallback();
    const hash = routeHash(route);
    let win = this.window;
    if (!win || win.isDestroyed()) {
      win = this.createWindow();
      this.load(win, hash);
    } else if (hash) {
      this.load(win, hash);
    }
    this.place(win);
    win.show();
    win.focus();
    return win;
  }

  /** A renderer that fails to load (a broken build) must not crash the tray: say so in the tooltip. */
  private load(win: WindowPort, hash: string): void {
    win.loadFile(this.opts.files.rendererHtml, hash ? { hash } : {}).catch((err: unknown) => {
      if (win.isDestroyed()) return;
      this.fallback(`Details window failed to load: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private createWindow(): WindowPort {
    const win = new this.e.BrowserWindow({
      ...WINDOW_SIZE,
      show: false,
      resizable: true,
      fullscreenable: false,
      skipTaskbar: this.opts.platform === 'darwin',
      title: 'AuthBar',
      webPreferences: {
        preload: this.opts.files.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
      },
    });
    const wc = win.webContents;
    // The window shows one local page: it never navigates, opens windows or asks for permissions.
    wc.on('will-navigate', (event) => event.preventDefault());
    wc.on('will-redirect', (event) => event.preventDefault());
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    wc.session.setPermissionCheckHandler(() => false);
    this.sender.attach(wc);
    win.on('closed', () => {
      if (this.window === win) this.window = null;
      this.sender.detach();
    });
    this.window = win;
    return win;
  }

  private place(win: WindowPort): void {
    const bounds = this.tray?.getBounds() ?? null;
    const anchor = bounds && bounds.width > 0 ? { x: bounds.x, y: bounds.y } : this.e.screen.getCursorScreenPoint();
    const { workArea } = this.e.screen.getDisplayNearestPoint(anchor);
    const [width = WINDOW_SIZE.width, height = WINDOW_SIZE.height] = win.getSize();
    const { x, y } = windowPosition(bounds, { width, height }, workArea);
    win.setPosition(x, y);
  }

  /** Shows a notice natively; when that is impossible or fails, the tray title carries it. */
  notify(notice: Notice): void {
    if (!this.notificationsOn) return;
    if (this.pausedUntil !== null && this.pausedUntil > this.clock.now()) return;
    if (!this.e.Notification.isSupported()) {
      this.fallback(notice.title);
      return;
    }
    const n = new this.e.Notification({ title: safeLabel(notice.title, 80), body: safeLabel(notice.body, 200) });
    this.live.add(n); // a notification garbage-collected before its click loses the click
    const { agentId, profileId } = notice.subject;
    n.on('click', () => {
      this.live.delete(n);
      this.showWindow(agentId && profileId ? { kind: 'profile', agentId, profileId } : { kind: 'overview' });
    });
    n.on('failed', () => {
      this.live.delete(n);
      this.fallback(notice.title);
    });
    n.on('close', () => this.live.delete(n));
    n.show();
  }

  private fallback(title: string): void {
    this.fallbackTitle = safeLabel(title, 40);
    this.render();
  }

  private clearFallback(): void {
    if (this.fallbackTitle === null) return;
    this.fallbackTitle = null;
    this.render();
  }

  /** A failed command from the menu has no window to show it in: notify (or title) it. */
  private report(result: CommandResult): CommandResult {
    if (!result.ok)
      this.notify({
        key: 'command-error',
        subject: { agentId: null, profileId: null, provider: null },
        state: 'soon',
        title: 'AuthBar',
        body: result.error,
        action: 'none',
        at: this.clock.now(),
      });
    return result;
  }

  private iconPath(state: 'unknown'): string {
    return join(
      this.opts.files.iconsDir,
      trayIcon(state, { platform: this.opts.platform, dark: this.e.nativeTheme.shouldUseDarkColors }).file,
    );
  }

  /** Stops the engine and lets go of everything; the quit continues after it. */
  private async shutdown(): Promise<void> {
    while (this.cleanups.length) this.cleanups.pop()?.();
    await this.opts.engine.stop().catch(() => undefined);
    for (const n of this.live) n.close();
    this.live.clear();
    this.tray?.destroy();
    this.tray = null;
  }
}
