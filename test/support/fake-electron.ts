/**
 * Hand-written fakes of the Electron objects the app uses (fiddle's lesson), faithful to
 * Electron 45's documented behaviour where the app relies on it:
 * - app: `requestSingleInstanceLock()` is false for a second instance, and the first one's app
 *   emits `second-instance`; `quit()` emits `before-quit` (cancellable), then `will-quit`, `quit`.
 * - Tray: `setImage` takes a path; every method throws once `destroy()`ed.
 * - Menu.buildFromTemplate: validates items as Electron does; a checkbox's click toggles
 *   `checked` before the click handler runs. A menu emits `menu-will-show` when popped up
 *   (Tray.popUpContextMenu) or `show()`n, and `menu-will-close` when the test `close()`s it.
 * - Notification: `show()` emits `show`, or `failed` (event, error) when the platform refuses.
 * - BrowserWindow/webContents: `show()` / `hide()` emit `show` / `hide` when the visibility
 *   changes; `loadFile` rejects for a missing file, else emits
 *   `did-finish-load`; `send` throws once destroyed; `will-navigate` is cancellable.
 * - ipcMain.handle: a second handler for a channel throws; arguments and answers pass through
 *   the structured clone algorithm, as over real IPC.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type {
  PowerMonitorPort,
  AppPort,
  Cancellable,
  ElectronPorts,
  InvokeEvent,
  IpcMainPort,
  LoginItemState,
  MenuTemplateItem,
  NativeThemePort,
  NotificationPort,
  PermissionSession,
  Point,
  Rectangle,
  ScreenPort,
  ShellPort,
  TrayPort,
  WebContentsPort,
  WindowOptions,
  WindowPort,
} from '../../main/app/electron-ports.js';
import { recordCrossing } from './ipc-log.js';

class CancellableEvent implements Cancellable {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

// ---- app ----------------------------------------------------------------------------------

/** Shared by the FakeApps of one test: who holds the single-instance lock. */
export class InstanceLock {
  holder: FakeApp | null = null;
}

export class FakeApp extends EventEmitter implements AppPort {
  isPackaged = false;
  readonly dock: { hide(): void; hidden: boolean } | undefined;
  readonly lock: InstanceLock;
  loginItem: LoginItemState = { openAtLogin: false, status: 'not-registered' };
  /** macOS 13+: registering needs the user's approval in System Settings. */
  loginNeedsApproval = false;
  quitCalls = 0;
  exited = false;
  private readonly appPath: string;

  constructor(opts: { platform: NodeJS.Platform; lock?: InstanceLock; appPath?: string }) {
    super();
    this.lock = opts.lock ?? new InstanceLock();
    this.appPath = opts.appPath ?? '/opt/authbar';
    this.dock =
      opts.platform === 'darwin'
        ? {
            hidden: false,
            hide() {
              this.hidden = true;
            },
          }
        : undefined;
  }

  requestSingleInstanceLock(): boolean {
    if (this.lock.holder === null || this.lock.holder.exited) {
      this.lock.holder = this;
      return true;
    }
    if (this.lock.holder === this) return true;
    // Electron notifies the primary instance.
    this.lock.holder.emit('second-instance', new CancellableEvent(), [], '/');
    return false;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  quit(): void {
    this.quitCalls++;
    if (this.exited) return;
    const event = new CancellableEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    const willQuit = new CancellableEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.exited = true;
    if (this.lock.holder === this) this.lock.holder = null;
    this.emit('quit');
  }

  getAppPath(): string {
    return this.appPath;
  }

  appUserModelId: string | null = null;
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }

  getLoginItemSettings(): LoginItemState {
    return { ...this.loginItem };
  }

  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = settings.openAtLogin
      ? { openAtLogin: !this.loginNeedsApproval, status: this.loginNeedsApproval ? 'requires-approval' : 'enabled' }
      : { openAtLogin: false, status: 'not-registered' };
  }
}

// ---- menu ---------------------------------------------------------------------------------

export class FakeMenuItem {
  readonly id: string | undefined;
  label: string;
  readonly type: string;
  enabled: boolean;
  checked: boolean;
  readonly submenu: FakeMenu | undefined;
  private readonly handler: (() => void) | undefined;

  constructor(t: MenuTemplateItem) {
    const type = t.type ?? (t.submenu ? 'submenu' : 'normal');
    if (t.label === undefined && type !== 'separator')
      throw new Error('Invalid template for MenuItem: must have at least one of label, role or type');
    if (type === 'submenu' && !t.submenu)
      throw new Error('Invalid template for MenuItem: must have submenu type with submenu');
    this.id = t.id;
    this.label = t.label ?? '';
    this.type = type;
    this.enabled = t.enabled ?? true;
    this.checked = t.checked ?? false;
    this.submenu = t.submenu ? FakeMenu.buildFromTemplate(t.submenu) : undefined;
    this.handler = t.click;
  }

  /** What a user's click does: nothing when disabled; a checkbox flips first. */
  click(): void {
    if (!this.enabled) return;
    if (this.type === 'checkbox') this.checked = !this.checked;
    this.handler?.();
  }
}

export class FakeMenu extends EventEmitter {
  /** Between `menu-will-show` and `menu-will-close`. */
  open = false;
  constructor(readonly items: FakeMenuItem[]) {
    super();
  }

  /** The menu opens (a popup, or the user clicks a tray whose context menu it is). */
  show(): void {
    this.open = true;
    this.emit('menu-will-show', {});
  }
  /** The user dismisses it or picks an item. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.emit('menu-will-close', {});
  }

  static buildFromTemplate(template: MenuTemplateItem[]): FakeMenu {
    if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
    return new FakeMenu(template.map((t) => new FakeMenuItem(t)));
  }

  getMenuItemById(id: string): FakeMenuItem | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }

  labels(): string[] {
    return this.items.filter((i) => i.type !== 'separator').map((i) => i.label);
  }
}

// ---- tray ---------------------------------------------------------------------------------

export class FakeTray extends EventEmitter implements TrayPort {
  static instances: FakeTray[] = [];
  image: string;
  title = '';
  toolTip = '';
  contextMenu: FakeMenu | null = null;
  popUps: FakeMenu[] = [];
  destroyed = false;
  bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };

  constructor(image: string) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }

  private alive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
  setImage(image: string): void {
    this.alive();
    if (typeof image !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    this.image = image;
  }
  setTitle(title: string): void {
    this.alive();
    this.title = title;
  }
  setToolTip(toolTip: string): void {
    this.alive();
    this.toolTip = toolTip;
  }
  setContextMenu(menu: object | null): void {
    this.alive();
    this.contextMenu = menu as FakeMenu | null;
  }
  popUpContextMenu(menu?: object): void {
    this.alive();
    const m = (menu as FakeMenu | undefined) ?? this.contextMenu;
    if (m) {
      this.popUps.push(m);
      // Electron emits it for a popup; the popup stays open until the test closes it.
      m.show();
    }
  }
  getBounds(): Rectangle {
    this.alive();
    return { ...this.bounds };
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The user clicks the icon (Electron passes the event, the bounds, the position). */
  userClick(button: 'click' | 'right-click' = 'click'): void {
    this.alive();
    this.emit(button, {}, this.bounds, { x: this.bounds.x, y: this.bounds.y });
  }
  /** The menu the user would see now. */
  visibleMenu(): FakeMenu {
    const m = this.contextMenu ?? this.popUps.at(-1);
    if (!m) throw new Error('no menu has been shown');
    return m;
  }
}

// ---- notification -------------------------------------------------------------------------

export class FakeNotification extends EventEmitter implements NotificationPort {
  static supported = true;
  /** When set, `show()` fails with this error (an unsigned macOS build). */
  static failWith: string | null = null;
  static instances: FakeNotification[] = [];
  shown = false;
  closed = false;

  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
    FakeNotification.instances.push(this);
  }
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    const fail = FakeNotification.failWith;
    setImmediate(() => {
      if (fail) this.emit('failed', new CancellableEvent(), fail);
      else {
        this.shown = true;
        this.emit('show', new CancellableEvent());
      }
    });
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', new CancellableEvent());
  }
  userClick(): void {
    this.emit('click', new CancellableEvent());
  }
  static reset(): void {
    FakeNotification.supported = true;
    FakeNotification.failWith = null;
    FakeNotification.instances = [];
  }
}

// ---- windows ------------------------------------------------------------------------------

class FakeSession implements PermissionSession {
  requestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  setPermissionRequestHandler(h: FakeSession['requestHandler']): void {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['checkHandler']): void {
    this.checkHandler = h;
  }
  /** A page asks for a permission: with no handler, Electron grants it. */
  request(permission: string): Promise<boolean> {
    const h = this.requestHandler;
    if (!h) return Promise.resolve(true);
    return new Promise((resolve) => h({}, permission, resolve));
  }
}

export class FakeWebContents extends EventEmitter implements WebContentsPort {
  readonly session = new FakeSession();
  sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;
  url = '';
  private openHandler: ((d: { url: string }) => { action: 'deny' | 'allow' }) | null = null;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    const cloned = structuredClone(args);
    recordCrossing('to-window', channel, cloned);
    this.sent.push({ channel, args: cloned });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** The page calls window.open: with no handler, Electron allows it. */
  windowOpen(url: string): 'deny' | 'allow' {
    return this.openHandler ? this.openHandler({ url }).action : 'allow';
  }
  /** The page navigates itself (a link, location.href): true when it went ahead. */
  navigate(url: string): boolean {
    const event = new CancellableEvent();
    this.emit('will-navigate', event, url, false, true);
    if (!event.defaultPrevented) this.url = url;
    return !event.defaultPrevented;
  }
  snapshotsSent(): unknown[] {
    return this.sent.filter((s) => s.channel === 'authbar:snapshot').map((s) => s.args[0]);
  }
}

export class FakeBrowserWindow extends EventEmitter implements WindowPort {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  destroyed = false;
  position: [number, number] = [0, 0];
  loads: string[] = [];

  constructor(readonly options: WindowOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(filePath: string, options?: { hash?: string }): Promise<void> {
    if (this.destroyed) return Promise.reject(new TypeError('Object has been destroyed'));
    const url = pathToFileURL(filePath).href + (options?.hash ? `#${options.hash}` : '');
    this.loads.push(url);
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (!existsSync(filePath)) {
          this.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', url);
          reject(new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`));
          return;
        }
        this.webContents.url = url;
        this.webContents.emit('did-finish-load');
        resolve();
      });
    });
  }
  // Electron emits `show` / `hide` when the visibility changes.
  show(): void {
    if (this.visible) return;
    this.visible = true;
    this.emit('show');
  }
  focus(): void {
    this.focused = true;
  }
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.emit('hide');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  getSize(): number[] {
    return [this.options.width, this.options.height];
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  /** The user closes the window. */
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }
}

// ---- ipc ----------------------------------------------------------------------------------

export class FakeIpcMain implements IpcMainPort {
  private readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  channels(): string[] {
    return [...this.handlers.keys()].sort();
  }
  /**
   * What `ipcRenderer.invoke` does from a frame at `senderUrl` (null: a destroyed frame):
   * arguments and answer are structured-cloned; a throwing handler rejects the invoke.
   */
  async invoke(senderUrl: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const cloned = structuredClone(args);
    recordCrossing('to-main', channel, cloned);
    try {
      const result = structuredClone(
        await h({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...cloned),
      );
      recordCrossing('to-window', channel, result);
      return result;
    } catch (err) {
      const message = `Error invoking remote method '${channel}': ${String(err)}`;
      recordCrossing('to-window', channel, message);
      throw new Error(message, { cause: err });
    }
  }
}

// ---- shell, theme, screen -----------------------------------------------------------------

export class FakeShell implements ShellPort {
  opened: string[] = [];
  async openPath(path: string): Promise<string> {
    if (!existsSync(path)) return `Failed to open path`;
    this.opened.push(path);
    return '';
  }
}

export class FakePowerMonitor extends EventEmitter implements PowerMonitorPort {
  /** The computer wakes from sleep. */
  wake(): void {
    this.emit('resume');
  }
}

export class FakeNativeTheme extends EventEmitter implements NativeThemePort {
  shouldUseDarkColors = false;
  /** The user switches the system appearance. */
  setDark(dark: boolean): void {
    this.shouldUseDarkColors = dark;
    this.emit('updated');
  }
}

export class FakeScreen implements ScreenPort {
  workArea: Rectangle = { x: 0, y: 25, width: 1440, height: 875 };
  cursor: Point = { x: 1200, y: 10 };
  getDisplayNearestPoint(_point: Point): { workArea: Rectangle } {
    return { workArea: { ...this.workArea } };
  }
  getCursorScreenPoint(): Point {
    return { ...this.cursor };
  }
}

export interface FakeElectron extends ElectronPorts {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  shell: FakeShell;
  nativeTheme: FakeNativeTheme;
  screen: FakeScreen;
  powerMonitor: FakePowerMonitor;
}

export function fakeElectron(opts: { platform: NodeJS.Platform; lock?: InstanceLock; appPath?: string }): FakeElectron {
  FakeTray.instances = [];
  FakeBrowserWindow.instances = [];
  FakeNotification.reset();
  return {
    app: new FakeApp(opts),
    Tray: FakeTray,
    Menu: FakeMenu,
    Notification: FakeNotification,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    shell: new FakeShell(),
    nativeTheme: new FakeNativeTheme(),
    screen: new FakeScreen(),
    powerMonitor: new FakePowerMonitor(),
  };
}
