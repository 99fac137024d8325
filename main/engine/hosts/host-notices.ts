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
import { hostRenewText } from '../../../common/host-renew.js';
import type { HostReport } from '../../../common/hosts.js';
import type { Snapshot } from '../../../common/snapshot.js';
import { describeError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic.js';
import { MiB, readJsonFile } from '../fs/jsonfile.js';
import type { Notice } from '../notify/notices.js';
import {
  emptyPolicyState,
  observe,
  pauseAll,
  PolicyState,
  resumeAll,
  tick,
  type PolicyContext,
  type PolicyStep,
} from '../notify/policy.js';
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

/**
 * A notice about a host: the host in its title and key, its strings escaped. `fromSnapshot`: it
 * was made from the host's snapshot, so its commands are worded for this machine (`Run authbar
 * setup-token --host vps to renew it`, common/host-renew.ts); a connection notice's are already.
 */
export function forHost(host: string, n: Notice, fromSnapshot = false): Notice {
  const out: Notice = {
    ...n,
    key: `host:${host}/${n.key}`,
    title: escapeControls(n.title.startsWith(`${host}: `) ? n.title : `${host}: ${n.title}`),
    body: escapeControls(fromSnapshot ? hostRenewText(n.body, host) : n.body),
  };
  if (n.items) out.items = n.items.map((i) => forHost(host, i, fromSnapshot));
  return out;
}

/**
 * The host's snapshot with each token's renew command replaced by the one run from here: a
 * command the host sent is its text, never one a notice tells the user to run.
 */
export function renewedFromHere(snapshot: Snapshot, host: string): Snapshot {
  const renewCommand = `authbar setup-token --host ${host}`;
  return {
    ...snapshot,
    agents: snapshot.agents.map((a) => ({
      ...a,
      profiles: a.profiles.map((p) => (p.token ? { ...p, token: { ...p.token, renewCommand } } : p)),
    })),
  };
}

export class HostNotices {
  private readonly hosts = new Map<string, HostSlot>();
  private stopped = false;
  /** The app's pause (from the menu, or kept from an earlier run): every host follows it. */
  private pausedUntil: number | null = null;

  constructor(private readonly opts: HostNoticesOptions) {}

  /** Feed it a HostsWatch's events (`watch.subscribe((e) => notices.onEvent(e))`). */
  onEvent(e: HostsWatchEvent): void {
    if (this.stopped) return;
    if (e.type === 'line' && e.line.type === 'snapshot') {
      const snapshot = renewedFromHere(e.line.snapshot, e.host);
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

  /**
   * Pauses every host's notices until `until`, as this machine's are: the policy holds what
   * happens meanwhile and says it when the pause ends (by itself, or `resumeAll`); a connection
   * notice waits too. Hosts heard from later start paused.
   */
  pauseAll(until: number): void {
    this.pausedUntil = until;
    for (const host of this.hosts.keys())
      this.step(host, (m, ctx) => this.policyStep(host, m, tick((m.policy = pauseAll(m.policy, until)), ctx)));
  }

  /** Ends the pause now: what was held goes out, once, by the policy's usual rules. */
  resumeAll(): void {
    this.pausedUntil = null;
    for (const [host, slot] of this.hosts)
      this.step(host, (m, ctx) => {
        this.policyStep(host, m, tick((m.policy = resumeAll(m.policy)), ctx));
        if (slot.last) this.connection(host, m, slot.last, ctx);
      });
  }

  private paused(now: number): boolean {
    return this.pausedUntil !== null && this.pausedUntil > now;
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
        // The app's pause is the one that holds, whatever this host's file remembered.
        m.policy = this.pausedUntil !== null ? pauseAll(m.policy, this.pausedUntil) : resumeAll(m.policy);
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
    for (const n of step.notices) this.opts.deliver(host, forHost(host, n, true));
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
    const slot = this.slot(host);
    if (this.paused(ctx.now)) {
      // Held, not dropped: looked at again when the pause ends (resumeAll, or this timer).
      this.recheckAt(host, slot, this.pausedUntil);
      return;
    }
    const step = connectionStep(m.connection, report, {
      ...ctx,
      ...(this.opts.unreachableMs !== undefined ? { unreachableMs: this.opts.unreachableMs } : {}),
    });
    m.connection = step.memory;
    if (step.notice) this.opts.deliver(host, forHost(host, step.notice));
    this.recheckAt(host, slot, step.recheckAt);
  }

  /** Looks at the host's connection again at `at` (null: never) with its latest report. */
  private recheckAt(host: string, slot: HostSlot, at: number | null): void {
    if (slot.recheck) clearTimeout(slot.recheck);
    slot.recheck = null;
    if (at === null || this.stopped) return;
    slot.recheck = setTimeout(
      () => {
        slot.recheck = null;
        const last = slot.last;
        if (last) this.step(host, (mm, c) => this.connection(host, mm, last, c));
      },
      Math.min(Math.max(0, at - this.opts.clock.now()), 2 ** 31 - 1),
    );
    slot.recheck.unref();
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
