/**
 * The tray icon: its image, title, tooltip and menu, re-set from the engine's state on every
 * change (the menu is rebuilt and re-set each time: Linux trays show only what was set last).
 * A title or tooltip note can stand in for a notification that could not be shown.
 */
import { join } from 'node:path';
import type { ElectronPorts, MenuPort, MenuTemplateItem, TrayPort } from './electron-ports.js';
import type { EngineState } from './engine-service.js';
import type { LoginItemView } from './login-item.js';
import { menuModel, type MenuAction, type MenuItemModel } from './menu-model.js';
import { menuLabel, safeLabel } from './safe-label.js';
import { trayIcon, trayModel } from './tray-model.js';

export interface TrayOptions {
  electron: Pick<ElectronPorts, 'Tray' | 'Menu' | 'nativeTheme'>;
  platform: NodeJS.Platform;
  /** assets/tray (development) or <resources>/tray (packaged) */
  iconsDir: string;
  /** A click on the icon (not on Linux, whose trays send none). */
  onClick: () => void;
  onAction: (action: MenuAction) => void;
  /** Time of day for "paused until 08:00". */
  formatTime: (epochMs: number) => string;
  /** The menu opened (true) or closed (false). */
  onMenuOpen?: (open: boolean) => void;
}

/** What the menu needs besides the engine's state. */
export interface MenuContext {
  now: number;
  resyncing: boolean;
  loginItem: LoginItemView;
  pausedUntil: number | null;
}

export class TrayView {
  private tray: TrayPort | null = null;
  private menu: MenuPort | null = null;
  /** Set when a notification could not be shown: the title and tooltip say it instead. */
  private note: string | null = null;

  constructor(private readonly opts: TrayOptions) {}

  create(): void {
    const dark = this.opts.electron.nativeTheme.shouldUseDarkColors;
    const tray = new this.opts.electron.Tray(
      join(this.opts.iconsDir, trayIcon('unknown', { platform: this.opts.platform, dark }).file),
    );
    this.tray = tray;
    if (this.opts.platform === 'linux') return;
    // Linux trays (AppIndicator) show the context menu on click and send no click events.
    tray.on('click', () => {
      this.opts.onClick();
      if (this.menu) tray.popUpContextMenu(this.menu);
    });
    tray.on('right-click', () => {
      if (this.menu) tray.popUpContextMenu(this.menu);
    });
  }

  bounds() {
    return this.tray?.getBounds() ?? null;
  }

  /** Re-sets icon, title, tooltip and menu. */
  render(state: EngineState, ctx: MenuContext): void {
    const tray = this.tray;
    if (!tray) return;
    const { platform } = this.opts;
    const dark = this.opts.electron.nativeTheme.shouldUseDarkColors;
    const model = trayModel(state, { platform, dark, now: ctx.now });
    tray.setImage(join(this.opts.iconsDir, model.icon.file));
    if (platform === 'darwin') tray.setTitle(this.note ?? model.title);
    tray.setToolTip(this.note ? `${this.note} · ${model.tooltip}` : model.tooltip);
    const items = menuModel(state, { ...ctx, formatTime: this.opts.formatTime });
    const menu = this.opts.electron.Menu.buildFromTemplate(this.template(items));
    // Rebuilt on every render, so each menu reports its own opening and closing.
    const onOpen = this.opts.onMenuOpen;
    if (onOpen) {
      menu.on('menu-will-show', () => onOpen(true));
      menu.on('menu-will-close', () => onOpen(false));
    }
    this.menu = menu;
    if (platform === 'linux') tray.setContextMenu(this.menu);
  }

  /** Shows a short note in the title (macOS) and tooltip; true when it changed. */
  setNote(text: string | null): boolean {
    const note = text === null ? null : safeLabel(text, 40);
    if (note === this.note) return false;
    this.note = note;
    return true;
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  private template(items: readonly MenuItemModel[]): MenuTemplateItem[] {
    // On Windows and Linux `&` marks a mnemonic in a label; file-derived text must show it as is.
    const label = (text: string) => (this.opts.platform === 'darwin' ? text : menuLabel(text));
    return items.map((i): MenuTemplateItem => {
      if (i.type === 'separator') return { id: i.id, type: 'separator' };
      const base: MenuTemplateItem = { id: i.id, label: label(i.label), type: i.type, enabled: i.enabled };
      if (i.type === 'checkbox') base.checked = i.checked;
      if (i.submenu) base.submenu = this.template(i.submenu);
      const action = i.action;
      if (action && i.type !== 'submenu') base.click = () => this.opts.onAction(action);
      return base;
    });
  }
}
