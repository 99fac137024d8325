/**
 * The contract between the details window and the main process: the IPC channels and the
 * `window.authbar` bridge (DESIGN §4). Types and names only, so main, preload and renderer
 * all compile against one list. Nothing secret crosses it: snapshots carry masked secrets.
 */
import type { Snapshot } from './snapshot.js';
import type { Settings } from '../main/engine/settings.js';

export const CHANNELS = {
  getSnapshot: 'authbar:get-snapshot',
  snapshot: 'authbar:snapshot',
  resync: 'authbar:resync',
  openSetupToken: 'authbar:open-setup-token',
  addToken: 'authbar:add-token',
  revealStore: 'authbar:reveal-store',
  getSettings: 'authbar:get-settings',
  setSettings: 'authbar:set-settings',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** What `addToken` takes: the secret goes main-ward only and is never sent back. */
export interface AddTokenRequest {
  provider: string;
  token: string;
  profileId?: string;
  expiresInDays?: number;
}

/** Every command answers with ok or one sentence saying what went wrong (never a secret). */
export type CommandResult = { ok: true; message: string } | { ok: false; error: string };

export interface AuthBarBridge {
  getSnapshot(): Promise<Snapshot | null>;
  onSnapshot(cb: (snapshot: Snapshot) => void): () => void;
  resync(): Promise<CommandResult>;
  openSetupToken(): Promise<CommandResult>;
  addToken(req: AddTokenRequest): Promise<CommandResult>;
  revealStore(agentId: string): Promise<CommandResult>;
  getSettings(): Promise<Settings>;
  setSettings(patch: Partial<Settings>): Promise<CommandResult>;
}
