/**
 * The app's port onto the engine: snapshots as they change, notices from the notification
 * policy, and the commands the menu and the window send back. The app depends only on this
 * interface; the real implementation is the chokidar monitor (`main/engine/monitor.ts`) plus
 * the notify policy, wired in at merge.
 */
import type { AddTokenRequest, CommandResult } from '../../common/ipc-contract.js';
import type { Notice } from '../engine/notify/notices.js';
import type { Snapshot } from '../../common/snapshot.js';
import type { Settings } from '../engine/settings.js';
import type { SettingsPatch } from '../../common/settings.js';
import type { HostReport } from '../../common/hosts.js';

/**
 * What the app knows: a snapshot, nothing yet (starting), or why it could not make one; plus
 * each remote host's report (absent or empty when no host is configured).
 */
export type EngineState = { snapshot: Snapshot | null; error: string | null; hosts?: HostReport[] };

/** A notice about a remote host (its title already names it; the notifier makes sure). */
export type HostNotice = Notice & { host: string };

export interface EngineService {
  /** Starts watching; resolves once the first snapshot (or error) is in. */
  start(): Promise<void>;
  /** Stops every watcher and timer; the app quits after this resolves. */
  stop(): Promise<void>;
  current(): EngineState;
  /** Called on every new state; returns the unsubscribe. */
  subscribe(cb: (state: EngineState) => void): () => void;
  /** Called for each notice the policy emits (already deduplicated by it); a host's carries `host`. */
  subscribeNotices(cb: (notice: Notice | HostNotice) => void): () => void;
  /** A user asked: re-read everything now (may prompt the Keychain: it is a click). */
  resync(): Promise<CommandResult>;
  addToken(req: AddTokenRequest): Promise<CommandResult>;
  getSettings(): Promise<Settings>;
  setSettings(patch: SettingsPatch): Promise<CommandResult>;
  /**
   * The menu's "Pause notifications" (null resumes). The policy holds notices back until the
   * pause ends, then notifies what is still wrong; the app also drops any that arrive paused.
   */
  pauseNotifications(until: number | null): Promise<void>;
  /** A pause still in force from an earlier run (the policy keeps it on disk), so the menu can say so. */
  pausedUntil?(): number | null;
  /**
   * The tray menu or the details window is open (true) or both are closed (false). While
   * someone looks, the engine asks the running gateway every 60 s; otherwise only on changes
   * and deadlines. Called on every change of either; repeated values are harmless.
   */
  setViewing(open: boolean): void;
  /** The computer woke from sleep: every remote host is reconnected at once. */
  resumed?(): void;
}
