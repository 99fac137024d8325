/**
 * Launch at login. macOS and Windows: Electron's login item (on macOS 13+ the system may
 * want the user's approval: `status` says `requires-approval`). Linux: an XDG autostart entry,
 * `~/.config/autostart/authbar.desktop`.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, ensurePrivateDir } from '../engine/fs/atomic.js';
import { describeError } from '../engine/errors.js';
import type { AppPort } from './electron-ports.js';

export interface LoginItemView {
  supported: boolean;
  enabled: boolean;
  /** Something the user must do, e.g. approve it in System Settings. */
  note: string | null;
}

export interface LoginItem {
  get(): Promise<LoginItemView>;
  set(enabled: boolean): Promise<LoginItemView>;
}

export function electronLoginItem(app: Pick<AppPort, 'getLoginItemSettings' | 'setLoginItemSettings'>): LoginItem {
  const read = (): LoginItemView => {
    const s = app.getLoginItemSettings();
    const approval = s.status === 'requires-approval';
    return {
      supported: true,
      enabled: s.openAtLogin || approval,
      note: approval ? 'approve it in System Settings › General › Login Items' : null,
    };
  };
  return {
    get: async () => read(),
    async set(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled });
      return read();
    },
  };
}

/** Desktop Entry `Exec` quoting: quote every argument, escape `"`, `` ` ``, `$`, `\`; `%` doubles. */
export function desktopExecArg(arg: string): string {
  return `"${arg.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}

export function autostartEntry(argv: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=AuthBar',
    'Comment=Keeps your AI gateway credentials healthy',
    `Exec=${argv.map(desktopExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const config =
    env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  return join(config, 'autostart', 'authbar.desktop');
}

/** Linux: `argv` starts the app (the AppImage path when run from one: its mount moves). */
export function linuxLoginItem(path: string, argv: readonly string[]): LoginItem {
  const get = async (): Promise<LoginItemView> => {
    try {
      const text = await fsp.readFile(path, 'utf8');
      // A user who set Hidden=true or disabled it in their session settings turned it off.
      const off = /^Hidden\s*=\s*true\s*$/m.test(text) || /^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
      return { supported: true, enabled: !off, note: null };
    } catch {
      return { supported: true, enabled: false, note: null };
    }
  };
  return {
    get,
    async set(enabled) {
      try {
        if (enabled) {
          await ensurePrivateDir(join(path, '..'));
          await writeFileAtomic(path, autostartEntry(argv), 0o644);
        } else {
          await fsp.rm(path, { force: true });
        }
        return await get();
      } catch (err) {
        return { ...(await get()), note: `could not change ${path}: ${describeError(err)}` };
      }
    },
  };
}
