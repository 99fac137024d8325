/**
 * The slices of Electron's API the app uses, as structural interfaces. The app is written
 * against these; adapters/electron.ts hands in the real objects (the compiler checks there that
 * Electron's own types satisfy them) and tests hand in the fakes under test/app/fakes.
 * Only `import type` here: nothing outside adapters/ loads electron.
 */

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rectangle extends Point, Size {}

/** What Electron passes to an event listener that may cancel the default. */
export interface Cancellable {
  preventDefault(): void;
}

// ---- app ----------------------------------------------------------------------------------

export interface LoginItemState {
  openAtLogin: boolean;
  /** macOS 13+: `requires-approval` means the user must allow it in System Settings. */
  status?: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found';
}

export interface AppPort {
  readonly isPackaged: boolean;
  readonly dock: { hide(): void } | undefined;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  getAppPath(): string;
  getLoginItemSettings(): LoginItemState;
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
  /** Windows: notifications show only for an app with an AppUserModelID. */
  setAppUserModelId(id: string): void;
  on(event: 'second-instance', listener: () => void): this;
  on(event: 'before-quit', listener: (event: Cancellable) => void): this;
  on(event: 'window-all-closed', listener: () => void): this;
}

// ---- tray and menu ------------------------------------------------------------------------

/**
 * A built menu: the app hands it back to the tray, and listens for it opening and closing
 * (someone is looking: the engine polls the live gateway meanwhile).
 */
export interface MenuPort {
  on(event: 'menu-will-show', listener: () => void): this;
  on(event: 'menu-will-close', listener: () => void): this;
}

export interface MenuTemplateItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

export interface MenuStatic {
  buildFromTemplate(template: MenuTemplateItem[]): MenuPort;
}

export interface TrayPort {
  setImage(image: string): void;
  setTitle(title: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuPort | null): void;
  popUpContextMenu(menu?: MenuPort): void;
  getBounds(): Rectangle;
  destroy(): void;
  on(event: 'click' | 'right-click', listener: () => void): this;
}
export type TrayConstructor = new (image: string) => TrayPort;

// ---- notifications ------------------------------------------------------------------------

export interface NotificationPort {
  show(): void;
  close(): void;
  on(event: 'click' | 'show' | 'close', listener: () => void): this;
  on(event: 'failed', listener: (event: unknown, error: string) => void): this;
}
export interface NotificationConstructor {
  new (options: { title: string; body: string; silent?: boolean }): NotificationPort;
  isSupported(): boolean;
}

// ---- windows ------------------------------------------------------------------------------

export interface PermissionSession {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

export interface WebContentsPort {
  readonly session: PermissionSession;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'did-finish-load', listener: () => void): this;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Cancellable, url: string) => void): this;
}

export interface WindowOptions {
  width: number;
  height: number;
  show: boolean;
  resizable: boolean;
  fullscreenable: boolean;
  skipTaskbar: boolean;
  title: string;
  webPreferences: {
    preload: string;
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    nodeIntegrationInSubFrames: boolean;
    webviewTag: boolean;
    webSecurity: boolean;
    allowRunningInsecureContent: boolean;
  };
}

export interface WindowPort {
  readonly webContents: WebContentsPort;
  loadFile(filePath: string, options?: { hash?: string }): Promise<void>;
  show(): void;
  focus(): void;
  hide(): void;
  isDestroyed(): boolean;
  isVisible(): boolean;
  getSize(): number[];
  setPosition(x: number, y: number): void;
  on(event: 'closed', listener: () => void): this;
  on(event: 'show', listener: () => void): this;
  on(event: 'hide', listener: () => void): this;
}
export type WindowConstructor = new (options: WindowOptions) => WindowPort;

// ---- ipc, shell, theme, screen ----------------------------------------------------------

export interface InvokeEvent {
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainPort {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface ShellPort {
  /** Resolves to '' on success, else an error message (Electron's contract). */
  openPath(path: string): Promise<string>;
}

export interface NativeThemePort {
  readonly shouldUseDarkColors: boolean;
  on(event: 'updated', listener: () => void): this;
}

export interface ScreenPort {
  getDisplayNearestPoint(point: Point): { workArea: Rectangle };
  getCursorScreenPoint(): Point;
}

/** Sleep and wake: the app reconnects remote hosts on `resume`. */
export interface PowerMonitorPort {
  on(event: 'resume', listener: () => void): this;
}

/** Everything the app takes from Electron, passed in (menubar's lesson) rather than imported. */
export interface ElectronPorts {
  app: AppPort;
  Tray: TrayConstructor;
  Menu: MenuStatic;
  Notification: NotificationConstructor;
  BrowserWindow: WindowConstructor;
  ipcMain: IpcMainPort;
  shell: ShellPort;
  nativeTheme: NativeThemePort;
  screen: ScreenPort;
  /** Absent in tests that do not sleep. */
  powerMonitor?: PowerMonitorPort;
}
