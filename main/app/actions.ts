/**
 * What the menu items and the window's buttons do, and the little state they change: a resync
 * running, the notification pause, the login item. Each action re-renders what it changed.
 */
import { promises as fsp } from 'node:fs';
import type { Clock } from '../engine/ports.js';
import type { CommandResult } from '../../common/ipc-contract.js';
import { isAgentId } from '../../common/rules.js';
import { hostNameProblem } from '../../common/hosts.js';
import type { WindowRoute } from '../../common/window-route.js';
import type { ShellPort } from './electron-ports.js';
import type { EngineService } from './engine-service.js';
import type { LoginItem, LoginItemView } from './login-item.js';
import { tomorrowMorning, type MenuAction } from './menu-model.js';
import { safeLabel } from './safe-label.js';
import type { TerminalLauncher } from './terminal.js';

const HOUR = 3_600_000;

export interface ActionsOptions {
  engine: EngineService;
  terminal: TerminalLauncher;
  loginItem: LoginItem;
  shell: ShellPort;
  clock: Clock;
  showWindow: (route: WindowRoute) => void;
  /** A failed command from the menu has no window to show it in: the app notifies it. */
  report: (error: string) => void;
  render: () => void;
  quit: () => void;
}

export class Actions {
  resyncing = false;
  pausedUntil: number | null = null;
  login: LoginItemView = { supported: false, enabled: false, note: null };

  constructor(private readonly opts: ActionsOptions) {}

  async run(action: MenuAction): Promise<CommandResult | null> {
    const o = this.opts;
    switch (action.kind) {
      case 'resync':
        return this.resync();
      case 'setup-token':
        return this.reported(await o.terminal.launch());
      case 'setup-token-host':
        return this.reported(await this.renewOnHost(action.host));
      case 'add-token':
        o.showWindow({ kind: 'add-token' });
        return null;
      case 'show-details':
        o.showWindow({ kind: 'overview' });
        return null;
      case 'show-profile':
        o.showWindow({ kind: 'profile', agentId: action.agentId, profileId: action.profileId });
        return null;
      case 'open-store':
        return this.reported(await this.openStore(action.agentId));
      case 'toggle-login-item':
        this.login = await o.loginItem.set(!this.login.enabled);
        o.render();
        return null;
      case 'pause':
        this.pausedUntil = action.until === 'hour' ? o.clock.now() + HOUR : tomorrowMorning(o.clock.now());
        o.render();
        await o.engine.pauseNotifications(this.pausedUntil);
        return null;
      case 'resume':
        this.pausedUntil = null;
        o.render();
        await o.engine.pauseNotifications(null);
        return null;
      case 'quit':
        o.quit();
        return null;
    }
  }

  /** True while a pause chosen from the menu (or kept from an earlier run) holds. */
  paused(): boolean {
    return this.pausedUntil !== null && this.pausedUntil > this.opts.clock.now();
  }

  async resync(): Promise<CommandResult> {
    if (this.resyncing) return { ok: true, message: 'A resync is already running.' };
    this.resyncing = true;
    this.opts.render();
    try {
      return await this.opts.engine.resync();
    } finally {
      this.resyncing = false;
      this.opts.render();
    }
  }

  /**
   * Opens an agent's auth store folder in the file manager. Only a directory the snapshot
   * names: `shell.openPath` on a file would open (or run) it with its default application.
   */
  async openStore(agentId: string): Promise<CommandResult> {
    if (!isAgentId(agentId)) return { ok: false, error: 'That is not an agent id.' };
    const agent = this.opts.engine.current().snapshot?.agents.find((a) => a.agentId === agentId);
    if (!agent)
      return { ok: false, error: `AuthBar does not know an agent ${safeLabel(agentId, 64)}: resync and try again.` };
    const dir = agent.agentDir;
    const st = await fsp.stat(dir).catch(() => null);
    if (!st?.isDirectory()) return { ok: false, error: `The folder ${safeLabel(dir, 200)} does not exist yet.` };
    const error = await this.opts.shell.openPath(dir);
    return error
      ? { ok: false, error: `Could not open ${safeLabel(dir, 200)}: ${safeLabel(error, 100)}` }
      : { ok: true, message: `Opened ${dir}.` };
  }

  /**
   * Opens a terminal running `authbar setup-token --host NAME`, for a host the settings name
   * (the engine's report list comes from them): the name becomes an argv word, so it must
   * match HOST_NAME and be configured; nothing a host sent is used.
   */
  async renewOnHost(host: string): Promise<CommandResult> {
    const known = (this.opts.engine.current().hosts ?? []).some((h) => h.name === host);
    if (hostNameProblem(host) !== null || !known)
      return { ok: false, error: `AuthBar has no host named ${safeLabel(host, 40)}: add it with authbar hosts add.` };
    return this.opts.terminal.launch({ host });
  }

  private reported(result: CommandResult): CommandResult {
    if (!result.ok) this.opts.report(result.error);
    return result;
  }
}
