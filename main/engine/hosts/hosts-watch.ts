/**
 * Every configured host, watched at once: one RemoteWatch (one ssh session, over one shared
 * connection) per host, whatever happens, so 20 hosts cost 20 sessions and no more. The tray
 * app and `authbar watch --all-hosts` subscribe; settings changes call `setHosts`, the app's
 * resume and Resync call `reconnectAll`.
 */
import { HostList, type HostEntry, type HostReport } from '../../../common/hosts.js';
import { systemClock, type Clock } from '../ports.js';
import { RemoteWatch } from './remote-watch.js';
import { sshControlDir } from './ssh-command.js';
import {
  DEFAULT_TIMINGS,
  type HostsWatchEvent,
  type HostsWatchListener,
  type HostsWatchOptions,
  type WatchTimings,
} from './watch-types.js';

export type { HostsWatchEvent, HostsWatchListener, HostsWatchOptions, RemoteLiveAsk } from './watch-types.js';

const sameEntry = (a: HostEntry, b: HostEntry) => a.ssh === b.ssh && (a.authbar ?? null) === (b.authbar ?? null);

export class HostsWatch {
  private readonly clock: Clock;
  private readonly timings: WatchTimings;
  private readonly listeners = new Set<HostsWatchListener>();
  private readonly watches = new Map<string, RemoteWatch>();
  private order: HostEntry[];
  private running = false;
  private controlDir: string | null = null;

  constructor(private readonly opts: HostsWatchOptions) {
    this.clock = opts.clock ?? systemClock;
    this.timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.order = HostList.parse(opts.hosts);
    for (const h of this.order) this.watches.set(h.name, this.make(h));
  }

  /** Starts every host's connection; the reports say `connecting` until each is heard from. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const w of this.watches.values()) w.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.watches.values()].map((w) => w.stop()));
  }

  /** The settings' hosts changed: new ones start, removed ones stop, changed ones reconnect. */
  setHosts(hosts: readonly HostEntry[]): void {
    const next = HostList.parse(hosts);
    const names = new Set(next.map((h) => h.name));
    for (const [name, w] of this.watches)
      if (!names.has(name)) {
        void w.stop();
        this.watches.delete(name);
        this.emit({ type: 'removed', host: name });
      }
    for (const h of next) {
      const old = this.watches.get(h.name);
      if (old && sameEntry(old.entry, h)) continue;
      if (old) void old.stop();
      const w = this.make(h);
      this.watches.set(h.name, w);
      if (this.running) w.start();
      this.emit({ type: 'report', host: h.name, report: w.report() });
    }
    this.order = next;
  }

  /** Each host's report, in the settings' order. */
  current(): HostReport[] {
    return this.order.flatMap((h) => {
      const w = this.watches.get(h.name);
      return w ? [w.report()] : [];
    });
  }

  subscribe(cb: HostsWatchListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Reconnect every host now (Resync, or the app saw the machine wake up). */
  reconnectAll(): void {
    for (const w of this.watches.values()) w.reconnectNow(true);
  }

  /** Reconnect one host now. */
  reconnect(name: string): void {
    this.watches.get(name)?.reconnectNow(true);
  }

  private make(entry: HostEntry): RemoteWatch {
    this.controlDir ??= sshControlDir(this.opts.env);
    return new RemoteWatch(entry, {
      env: this.opts.env,
      clock: this.clock,
      timings: this.timings,
      controlDir: this.controlDir,
      emit: (e) => this.emit(e),
      ...(this.opts.remoteLive ? { remoteLive: this.opts.remoteLive } : {}),
      ...(this.opts.ssh ? { ssh: this.opts.ssh } : {}),
    });
  }

  private emit(e: HostsWatchEvent): void {
    for (const cb of this.listeners) {
      try {
        cb(e);
      } catch {
        // A subscriber's failure is its own; the other subscribers still hear the event.
      }
    }
  }
}
