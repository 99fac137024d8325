/**
 * The bridge, exposed to the window as `window.authbar` (DESIGN §4) — exactly the methods of
 * AuthBarBridge and no raw ipcRenderer. Bundled to one CommonJS file (dist/preload/preload.cjs):
 * a sandboxed preload can require `electron` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type AuthBarBridge } from '../common/bridge.js';
import type { Snapshot } from '../common/snapshot.js';

const bridge: AuthBarBridge = {
  getSnapshot: () => ipcRenderer.invoke(CHANNELS.getSnapshot),
  onSnapshot(cb) {
    // Hand the page only the snapshot, never Electron's event (it carries `sender`).
    const listener = (_event: unknown, snapshot: Snapshot) => cb(snapshot);
    ipcRenderer.on(CHANNELS.snapshot, listener);
    return () => {
      ipcRenderer.removeListener(CHANNELS.snapshot, listener);
    };
  },
  resync: () => ipcRenderer.invoke(CHANNELS.resync),
  openSetupToken: () => ipcRenderer.invoke(CHANNELS.openSetupToken),
  addToken: (req) => ipcRenderer.invoke(CHANNELS.addToken, req),
  revealStore: (agentId) => ipcRenderer.invoke(CHANNELS.revealStore, agentId),
  getSettings: () => ipcRenderer.invoke(CHANNELS.getSettings),
  setSettings: (patch) => ipcRenderer.invoke(CHANNELS.setSettings, patch),
};

contextBridge.exposeInMainWorld('authbar', bridge);
