/**
 * The one place the main process talks to the window (fiddle's lesson): typed `handle`
 * wrappers over the bridge's channels, each checking who sent the message and what it holds
 * (GitHub Desktop's lesson: a sender check is one `!` away from letting every frame in), and
 * the sender of snapshots, which holds them back until the window is ready.
 */
import { CHANNELS, type AddTokenRequest, type CommandResult } from '../../common/bridge.js';
import type { Snapshot } from '../../common/snapshot.js';
import type { Settings } from '../engine/settings.js';
import type { IpcMainPort, InvokeEvent, WebContentsPort } from './electron-ports.js';
import { ARG_SCHEMAS, describeRefusal, type SettingsPatch } from '../../common/ipc-schemas.js';

export interface BridgeHandlers {
  getSnapshot(): Snapshot | null;
  resync(): Promise<CommandResult>;
  openSetupToken(): Promise<CommandResult>;
  addToken(req: AddTokenRequest): Promise<CommandResult>;
  revealStore(agentId: string): Promise<CommandResult>;
  getSettings(): Promise<Settings>;
  setSettings(patch: SettingsPatch): Promise<CommandResult>;
}

export type InvokeName = keyof typeof ARG_SCHEMAS;

/** Thrown back to the sender (Electron rejects its `invoke` with the message). */
export class IpcRefused extends Error {}

/**
 * True only for the app's own renderer page: a `file:` URL of exactly that file (any hash or
 * query). A null frame (navigated away, destroyed) is refused.
 */
export function isAppRenderer(frameUrl: string | null | undefined, rendererUrl: string): boolean {
  if (typeof frameUrl !== 'string') return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(frameUrl);
    want = new URL(rendererUrl);
  } catch {
    return false;
  }
  return (
    got.protocol === 'file:' && want.protocol === 'file:' && got.host === want.host && got.pathname === want.pathname
  );
}

/** Registers every invoke channel of the bridge; returns a function that removes them. */
export function registerBridge(
  ipcMain: IpcMainPort,
  rendererUrl: string,
  handlers: BridgeHandlers,
  hooks: { onInvoke?: (name: InvokeName) => void } = {},
): () => void {
  const names = Object.keys(ARG_SCHEMAS) as InvokeName[];
  for (const name of names) {
    ipcMain.handle(CHANNELS[name], async (event: InvokeEvent, ...args: unknown[]) => {
      if (!isAppRenderer(event.senderFrame?.url, rendererUrl)) {
        throw new IpcRefused(`AuthBar refused ${name}: it did not come from AuthBar's own window.`);
      }
      const parsed = ARG_SCHEMAS[name].safeParse(args);
      if (!parsed.success) throw new IpcRefused(`AuthBar refused ${name}: invalid ${describeRefusal(parsed.error)}.`);
      hooks.onInvoke?.(name);
      return dispatch(handlers, name, parsed.data);
    });
  }
  return () => names.forEach((n) => ipcMain.removeHandler(CHANNELS[n]));
}

function dispatch(h: BridgeHandlers, name: InvokeName, args: unknown): unknown {
  switch (name) {
    case 'getSnapshot':
      return h.getSnapshot();
    case 'resync':
      return h.resync();
    case 'openSetupToken':
      return h.openSetupToken();
    case 'getSettings':
      return h.getSettings();
    case 'addToken':
      return h.addToken((args as [AddTokenRequest])[0]);
    case 'revealStore':
      return h.revealStore((args as [string])[0]);
    case 'setSettings':
      return h.setSettings((args as [SettingsPatch])[0]);
  }
}

/**
 * Sends snapshots to one window, holding the latest back until the window is ready: it has
 * finished loading or asked for the snapshot itself. Older held snapshots are superseded.
 */
export class SnapshotSender {
  private contents: WebContentsPort | null = null;
  private ready = false;
  private pending: Snapshot | null = null;

  attach(contents: WebContentsPort): void {
    this.contents = contents;
    this.ready = false;
    contents.on('did-finish-load', () => this.markReady());
  }

  detach(): void {
    this.contents = null;
    this.ready = false;
  }

  /** `flush` false: the window is fetching the current snapshot itself, drop the held one. */
  markReady(flush = true): void {
    this.ready = true;
    if (!flush) this.pending = null;
    if (this.pending) {
      const s = this.pending;
      this.pending = null;
      this.send(s);
    }
  }

  send(snapshot: Snapshot): void {
    const c = this.contents;
    if (!c || c.isDestroyed()) return;
    if (!this.ready) {
      this.pending = snapshot;
      return;
    }
    c.send(CHANNELS.snapshot, snapshot);
  }
}
