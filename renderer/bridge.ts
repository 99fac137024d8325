/** The main process, reached only through the preload's `window.authbar` (common/ipc-contract.ts). */
import type { AuthBarBridge } from '../common/ipc-contract.js';
import type { Settings } from '../common/settings.js';
import type { Snapshot } from '../common/snapshot.js';
import type { HostReport } from '../common/hosts.js';

declare global {
  interface Window {
    authbar: AuthBarBridge;
  }
}

export const bridge = window.authbar;

/** What the window knows: the latest snapshot, the remote hosts' reports and the settings as loaded. */
export const state: { snapshot: Snapshot | null; hosts: HostReport[]; settings: Settings | null } = {
  snapshot: null,
  hosts: [],
  settings: null,
};
