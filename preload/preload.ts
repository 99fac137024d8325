/**
 * The bridge, exposed to the window as `window.authbar` (DESIGN §4): one method per invoke
 * channel of the IPC contract (common/ipc-contract.ts; the names from common/ipc-channels.ts,
 * which keeps zod out of this bundle) plus `onSnapshot` and `onHosts`, and no raw ipcRenderer. Bundled to
 * one CommonJS file (dist/preload/preload.cjs): a sandboxed preload can require `electron` and
 * nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { HOSTS_CHANNEL, INVOKE_CHANNELS, INVOKE_NAMES, SNAPSHOT_CHANNEL } from '../common/ipc-channels.js';
import type { AuthBarBridge } from '../common/ipc-contract.js';
import type { Snapshot } from '../common/snapshot.js';
import type { HostReport } from '../common/hosts.js';

const invokers = Object.fromEntries(
  INVOKE_NAMES.map((name) => [name, (...args: unknown[]) => ipcRenderer.invoke(INVOKE_CHANNELS[name], ...args)]),
) as Omit<AuthBarBridge, 'onSnapshot' | 'onHosts'>;

const bridge: AuthBarBridge = {
  ...invokers,
  onSnapshot(cb) {
    // Hand the page only the snapshot, never Electron's event (it carries `sender`).
    const listener = (_event: unknown, snapshot: Snapshot) => cb(snapshot);
    ipcRenderer.on(SNAPSHOT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(SNAPSHOT_CHANNEL, listener);
    };
  },
  onHosts(cb) {
    const listener = (_event: unknown, hosts: HostReport[]) => cb(hosts);
    ipcRenderer.on(HOSTS_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(HOSTS_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('authbar', bridge);
