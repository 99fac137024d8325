/**
 * Notices per host: the notification policy (notify/policy.ts) run on each host's fresh
 * snapshots, plus the connection notice (host-connection-notice.ts). Each host's memory is
 * kept here, on this machine, in a file beside the notify state (`notify-state.<host>.json`),
 * so a reconnect or a restart never repeats a notice. Titles name the host ("vps: …"); every
 * string from the host is escaped before it goes into one.
 */
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { escapeControls } from '../../../common/escape.js';
import type { HostReport } from '../../../common/hosts.js';
import { describeError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic.js';
import { MiB, readJsonFile } from '../fs/jsonfile.js';
import type { Notice } from '../notify/notices.js';
import { emptyPolicyState, observe, PolicyState, tick, type PolicyContext, type PolicyStep } from '../notify/policy.js';
import type { Clock } from '../ports.js';
import { ConnectionMemory, connectionStep, emptyConnectionMemory } from './host-connection-notice.js';
import type { HostsWatchEvent } from './watch-types.js';

const HostMemory = z.object({ version: z.literal(1), policy: PolicyState, connection: ConnectionMemory });
type HostMemory = z.infer<typeof HostMemory>;

/** `notify-state.<host>.json` beside the settings (host names are safe file names: HOST_NAME). */
export function hostNoticeStatePath(settingsPath: string, host: string): string {
  return join(dirname(settingsPath), `notify-state.${host}.json`);
}

export interface HostNoticesOptions {
  settingsPath: string;
  clock: Clock;
  /** The policy's settings, read at each step (they may change while running). */
  context: () => Omit<PolicyContext, 'now'>;
  deliver: (host: string, notice: Notice) => void;
  onError: (message: string) => void;
  /** How long an outage lasts before it is notified (default 5 min; tests shorten it). */
  unreachableMs?: number;
}

interface HostSlot {
  memory: HostMemory | null;
  saved: string;
  /** Each host's steps run one at a time, in order, after its memory is loaded. */
  chain: Promise<void>;
  wake: NodeJS.Timeout | null;
  recheck: NodeJS.Timeout | null;
  last: HostReport | null;
}

/** A notice about a host: the host in its title and key, its strings escaped. */
export function forHost(host: string, n: Notice): Notice {
  const out: Notice = {
    ...n,
    key: `host:${host}/${n.key}`,
    title: escapeControls(n.title.startsWith(`${host}: `) ? n.title : `${host}: ${n.title}`),
    body: escapeControls(n.body),
  };
  if (n.items) out.items = n.items.map((i) => forHost(host, i));
  return out;
}

export class HostNotices {
  private readonly hosts = new Map<string, HostSlot>();
  private stopped = false;

  constructor(private readonly opts: HostNoticesOptions) {}

  /** Feed it a HostsWatch's events (`watch.subscribe((e) => notices.onEvent(e))`). */
  onEvent(e: HostsWatchEvent): void {
    if (this.stopped) return;
    if (e.type === 'line' && e.line.type === 'snapshot') {
      const snapshot = e.line.snapshot;
      this.step(e.host, (m, ctx) => this.policyStep(e.host, m, observe(m.policy, snapshot, ctx)));
    } else if (e.type === 'report') {
      const slot = this.slot(e.host);
      slot.last = e.report;
      this.step(e.host, (m, ctx) => this.connection(e.host, m, e.report, ctx));
    } else if (e.type === 'removed') {
      const slot = this.hosts.get(e.host);
      if (slot) this.clearTimers(slot);
      this.hosts.delete(e.host);
    }
  }

  /** Stops the timers and waits for every host's memory to be written. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.hosts.values()) this.clearTimers(slot);
    await Promise.all([...this.hosts.values()].map((s) => s.chain));
  }

  private clearTimers(slot: HostSlot): void {
    if (slot.wake) clearTimeout(slot.wake);
    if (slot.recheck) clearTimeout(slot.recheck);
    slot.wake = slot.recheck = null;
  }

  private slot(host: string): HostSlot {
    let slot = this.hosts.get(host);
    if (!slot) {
      slot = { memory: null, saved: '', chain: Promise.resolve(), wake: null, recheck: null, last: null };
      const s = slot;
      slot.chain = this.load(host).then((m) => {
        s.memory = m;
        s.saved = JSON.stringify(m);
      });
      this.hosts.set(host, slot);
    }
    return slot;
  }

  private step(host: string, fn: (m: HostMemory, ctx: PolicyContext) => void): void {
    const slot = this.slot(host);
    slot.chain = slot.chain
      .then(async () => {
        if (slot.memory === null || this.hosts.get(host) !== slot) return;
        fn(slot.memory, { ...this.opts.context(), now: this.opts.clock.now() });
        await this.save(host, slot);
      })
      .catch((err: unknown) => this.opts.onError(`notices for ${host}: ${describeError(err)}`));
  }

  private policyStep(host: string, m: HostMemory, step: PolicyStep): void {
    m.policy = step.state;
    for (const n of step.notices) this.opts.deliver(host, forHost(host, n));
    const slot = this.slot(host);
    if (slot.wake) clearTimeout(slot.wake);
    slot.wake = null;
    if (step.wakeAt !== null && !this.stopped) {
      const wait = Math.min(Math.max(0, step.wakeAt - this.opts.clock.now()), 2 ** 31 - 1);
      slot.wake = setTimeout(() => {
        slot.wake = null;
        this.step(host, (mm, ctx) => this.policyStep(host, mm, tick(mm.policy, ctx)));
      }, wait);
      slot.wake.unref();
    }
  }

  private connection(host: string, m: HostMemory, report: HostReport, ctx: PolicyContext): void {
    const step = connectionStep(m.connection, report, {
      ...ctx,
      ...(this.opts.unreachableMs !== undefined ? { unreachableMs: this.opts.unreachableMs } : {}),
    });
    m.connection = step.memory;
    if (step.notice) this.opts.deliver(host, forHost(host, step.notice));
    const slot = this.slot(host);
    if (slot.recheck) clearTimeout(slot.recheck);
    slot.recheck = null;
    if (step.recheckAt !== null && !this.stopped) {
      slot.recheck = setTimeout(
        () => {
          slot.recheck = null;
          const last = slot.last;
          if (last) this.step(host, (mm, c) => this.connection(host, mm, last, c));
        },
        Math.max(0, step.recheckAt - this.opts.clock.now()),
      );
      slot.recheck.unref();
    }
  }

  private async load(host: string): Promise<HostMemory> {
    const fresh = (): HostMemory => ({ version: 1, policy: emptyPolicyState(), connection: emptyConnectionMemory() });
    const path = hostNoticeStatePath(this.opts.settingsPath, host);
    try {
      const read = await readJsonFile(path, {
        label: `AuthBar notification state of ${host}`,
        remedy: 'it is started afresh',
        maxBytes: 4 * MiB,
      });
      if (read.kind !== 'ok') return fresh();
      const parsed = HostMemory.safeParse(read.value);
      if (parsed.success) return parsed.data;
      this.opts.onError(`The notification state ${path} does not have the expected shape: started afresh.`);
    } catch (err) {
      this.opts.onError(describeError(err));
    }
    return fresh();
  }

  private async save(host: string, slot: HostSlot): Promise<void> {
    const text = JSON.stringify(slot.memory);
    if (text === slot.saved) return;
    const path = hostNoticeStatePath(this.opts.settingsPath, host);
    await ensurePrivateDir(dirname(path));
    await writeFileAtomic(path, text + '\n', 0o600);
    slot.saved = text;
  }
}
