/**
 * The one place the main process talks to the window (fiddle's lesson): typed `handle`
 * wrappers over the bridge's channels, each checking who sent the message and what it holds
 * (GitHub Desktop's lesson: a sender check is one `!` away from letting every frame in), and
 * the sender of snapshots, which holds them back until the window is ready.
 */
import {
  describeRefusal,
  INVOKE,
  INVOKE_NAMES,
  HOSTS_EVENT,
  SNAPSHOT_EVENT,
  type InvokeArgs,
  type InvokeHandlers,
  type InvokeName,
} from '../../common/ipc-contract.js';
import type { Snapshot } from '../../common/snapshot.js';
import type { HostReport } from '../../common/hosts.js';
import type { IpcMainPort, InvokeEvent, WebContentsPort } from './electron-ports.js';

/** What the app implements: one handler per invoke channel of the contract. */
export type BridgeHandlers = InvokeHandlers;
export type { InvokeName };

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

/** Registers every invoke channel of the contract; returns a function that removes them. */
export function registerBridge(
  ipcMain: IpcMainPort,
  rendererUrl: string,
  handlers: BridgeHandlers,
  hooks: { onInvoke?: (name: InvokeName) => void } = {},
): () => void {
  for (const name of INVOKE_NAMES) register(ipcMain, rendererUrl, name, handlers, hooks);
  return () => INVOKE_NAMES.forEach((n) => ipcMain.removeHandler(INVOKE[n].channel));
}

/**
 * One channel: the sender frame must be the app's own page, then the arguments must parse,
 * and only then does the handler run, with the parsed (typed) arguments.
 */
function register<N extends InvokeName>(
  ipcMain: IpcMainPort,
  rendererUrl: string,
  name: N,
  handlers: BridgeHandlers,
  hooks: { onInvoke?: (name: InvokeName) => void },
): void {
  const schema = INVOKE[name].args;
  const handler: (...args: InvokeArgs<N>) => unknown = handlers[name];
  ipcMain.handle(INVOKE[name].channel, async (event: InvokeEvent, ...args: unknown[]) => {
    if (!isAppRenderer(event.senderFrame?.url, rendererUrl)) {
      throw new IpcRefused(`AuthBar refused ${name}: it did not come from AuthBar's own window.`);
    }
    const parsed = schema.safeParse(args);
    if (!parsed.success) throw new IpcRefused(`AuthBar refused ${name}: invalid ${describeRefusal(parsed.error)}.`);
    hooks.onInvoke?.(name);
    // The one cast: TypeScript cannot correlate INVOKE[N]'s parsed output with InvokeArgs<N>
    // (it widens both to unions over every channel), though they are the same type by definition.
    return handler(...(parsed.data as InvokeArgs<N>));
  });
}

/**
 * Sends snapshots to one window, holding the latest back until the window is ready: it has
 * finished loading or asked for the snapshot itself. Older held snapshots are superseded.
 */
export class SnapshotSender {
  private contents: WebContentsPort | null = null;
  private ready = false;
  private pending: Snapshot | null = null;
  private pendingHosts: HostReport[] | null = null;

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
    if (this.pendingHosts) {
      const hosts = this.pendingHosts;
      this.pendingHosts = null;
      this.sendHosts(hosts);
    }
  }

  /** The remote hosts' reports, held like snapshots until the window is ready. */
  sendHosts(hosts: HostReport[]): void {
    const c = this.contents;
    if (!c || c.isDestroyed()) return;
    if (!this.ready) {
      this.pendingHosts = hosts;
      return;
    }
    c.send(HOSTS_EVENT.channel, hosts);
  }

  send(snapshot: Snapshot): void {
    const c = this.contents;
    if (!c || c.isDestroyed()) return;
    if (!this.ready) {
      this.pending = snapshot;
      return;
    }
    c.send(SNAPSHOT_EVENT.channel, snapshot);
  }
}
