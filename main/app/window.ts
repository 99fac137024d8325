/**
 * The details window: one BrowserWindow, created on demand, locked down (no navigation, no
 * new windows, no permissions), placed near the tray and opened at a route; the snapshots it
 * is sent are held back until it is ready (ipc.ts SnapshotSender).
 */
import type { ElectronPorts, Rectangle, WindowPort } from './electron-ports.js';
import { SnapshotSender } from './ipc.js';
import { windowPosition } from './window-position.js';
import type { Snapshot } from '../../common/snapshot.js';
import type { HostReport } from '../../common/hosts.js';
import { routeHash, type WindowRoute } from '../../common/window-route.js';

export const WINDOW_SIZE = { width: 440, height: 600 };

export interface DetailsWindowOptions {
  electron: Pick<ElectronPorts, 'BrowserWindow' | 'screen'>;
  platform: NodeJS.Platform;
  /** dist/renderer/index.html */
  rendererHtml: string;
  /** dist/preload/preload.cjs */
  preload: string;
  /** Where the tray icon is (null or zero-sized when unknown): the window opens beside it. */
  trayBounds: () => Rectangle | null;
  /** The page failed to load (a broken build): the tray says so instead of crashing. */
  onLoadError: (message: string) => void;
  /** The window became visible (true) or hidden or closed (false). */
  onVisible?: (visible: boolean) => void;
}

export class DetailsWindow {
  private window: WindowPort | null = null;
  private readonly sender = new SnapshotSender();

  constructor(private readonly opts: DetailsWindowOptions) {}

  /** Shows the window (creating it when needed) at a route, near the tray. */
  show(route: WindowRoute): WindowPort {
    const hash = routeHash(route);
    let win = this.window;
    if (!win || win.isDestroyed()) {
      win = this.create();
      this.load(win, hash);
    } else if (hash) {
      this.load(win, hash);
    }
    this.place(win);
    win.show();
    win.focus();
    return win;
  }

  /** Sends a snapshot to the open window, or holds it until the window is ready. */
  send(snapshot: Snapshot): void {
    this.sender.send(snapshot);
  }

  /** Sends the remote hosts' reports to the open window, or holds them until it is ready. */
  sendHosts(hosts: HostReport[]): void {
    this.sender.sendHosts(hosts);
  }

  /** The window asked for the current snapshot itself: it is listening, and needs no held copy. */
  fetchedSnapshot(): void {
    this.sender.markReady(false);
  }

  private load(win: WindowPort, hash: string): void {
    win.loadFile(this.opts.rendererHtml, hash ? { hash } : {}).catch((err: unknown) => {
      if (win.isDestroyed()) return;
      this.opts.onLoadError(`Details window failed to load: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private create(): WindowPort {
    const win = new this.opts.electron.BrowserWindow({
      ...WINDOW_SIZE,
      show: false,
      resizable: true,
      fullscreenable: false,
      skipTaskbar: this.opts.platform === 'darwin',
      title: 'AuthBar',
      webPreferences: {
        preload: this.opts.preload,
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
    win.on('show', () => this.opts.onVisible?.(true));
    win.on('hide', () => this.opts.onVisible?.(false));
    win.on('closed', () => {
      if (this.window === win) this.window = null;
      this.sender.detach();
      this.opts.onVisible?.(false);
    });
    this.window = win;
    return win;
  }

  private place(win: WindowPort): void {
    const { screen } = this.opts.electron;
    const bounds = this.opts.trayBounds();
    const anchor = bounds && bounds.width > 0 ? { x: bounds.x, y: bounds.y } : screen.getCursorScreenPoint();
    const { workArea } = screen.getDisplayNearestPoint(anchor);
    const [width = WINDOW_SIZE.width, height = WINDOW_SIZE.height] = win.getSize();
    const { x, y } = windowPosition(bounds, { width, height }, workArea);
    win.setPosition(x, y);
  }
}
