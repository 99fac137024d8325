/**
 * The EngineService over the long-running monitor and the notification policy
 * (main/engine/monitor/, main/engine/notify/), typed by the engine's own types so tests can
 * script them; main/index.ts passes `new Monitor({ deps })`
 * and the policy functions with their state file.
 */
import type { Monitor, MonitorEvent } from '../engine/monitor/monitor.js';
import type { Notice } from '../engine/notify/notices.js';
import type { PolicyContext, PolicyState, PolicyStep } from '../engine/notify/policy.js';
import { readSettings, type Settings } from '../engine/settings.js';
import type { Snapshot } from '../../common/snapshot.js';
import { describeError } from '../engine/errors.js';
import type { AddTokenRequest, CommandResult } from '../../common/ipc-contract.js';
import type { EngineService, EngineState, HostNotice } from './engine-service.js';
import { sameHosts, type HostNoticesFactory, type HostNoticesPort, type HostsWatchPort } from './hosts-port.js';
import type { HostEntry } from '../../common/hosts.js';
import type { SettingsPatch } from '../../common/settings.js';
import { writeSettingsPatch } from '../engine/settings-write.js';

/** The monitor as the app uses it: the engine's Monitor, or a scripted one in tests. */
export type MonitorPort = Pick<Monitor, 'subscribe' | 'current' | 'start' | 'resync' | 'stop'> & {
  /** Someone looks at the menu or window: poll the live gateway meanwhile (absent: no live polling). */
  setUiOpen?(open: boolean): void;
};

/** A policy step whose state is `S` (the engine's PolicyState, or a test's own). */
export type PolicyStepOf<S> = Omit<PolicyStep, 'state'> & { state: S };

/** The pure policy (observe/tick/pauseAll/resumeAll, main/engine/notify/policy.ts) plus where its state is kept. */
export interface NoticePolicy<S extends Pick<PolicyState, 'pausedUntil'>> {
  load(): Promise<S>;
  save(state: S): Promise<void>;
  observe(prev: S, snapshot: Snapshot, ctx: PolicyContext): PolicyStepOf<S>;
  tick(prev: S, ctx: PolicyContext): PolicyStepOf<S>;
  pauseAll(prev: S, until: number): S;
  resumeAll(prev: S): S;
}

export interface MonitorEngineOptions<S extends Pick<PolicyState, 'pausedUntil'>> {
  monitor: MonitorPort;
  policy: NoticePolicy<S>;
  settingsPath: string;
  /** The vault's / gateway's token writer (tokens branch); absent: says it is not available. */
  addToken?: (req: AddTokenRequest) => Promise<CommandResult>;
  /**
   * Lands the vault's tokens the gateway lacks or holds an older copy of (what `authbar sync`
   * does; under OpenClaw, all a resync can write). Runs on the user's Resync only: it may
   * read the OS keyring. Returns a sentence per token that failed.
   */
  landVaultTokens?: () => Promise<string[]>;
  now?: () => number;
  /** The remote hosts' watcher (`HostsWatch`); absent: this machine only. */
  hosts?: HostsWatchPort;
  /** The per-host notices (`HostNotices`), fed the watcher's events. */
  hostNotices?: HostNoticesFactory;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_TIMER = 2 ** 31 - 1;

export class MonitorEngineService<S extends Pick<PolicyState, 'pausedUntil'>> implements EngineService {
  private state: EngineState = { snapshot: null, error: null };
  private settings: Settings | null = null;
  private policyState: S | null = null;
  private wake: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(s: EngineState) => void>();
  private readonly noticeListeners = new Set<(n: Notice | HostNotice) => void>();
  /** The host list last handed to the watcher (null: none yet). */
  private appliedHosts: HostEntry[] | null = null;
  private readonly hostOffs: Array<() => void> = [];
  private hostNotices: HostNoticesPort | null = null;
  private off: (() => void) | null = null;
  private readonly now: () => number;
  /** Saves run one after another, so an older state can never land after a newer one. */
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly opts: MonitorEngineOptions<S>) {
    this.now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.policyState = await this.opts.policy.load();
    this.off = this.opts.monitor.subscribe((e) => this.onEvent(e));
    const hosts = this.opts.hosts;
    if (hosts) {
      this.hostNotices =
        this.opts.hostNotices?.({
          deliver: (host, notice) => this.emit({ ...notice, host }),
          context: () => {
            const { now: _now, ...rest } = this.ctx();
            return rest;
          },
        }) ?? null;
      this.hostOffs.push(
        hosts.subscribe((e) => {
          this.hostNotices?.onEvent(e);
          if (e.type === 'report' || e.type === 'removed')
            this.publish({ snapshot: this.state.snapshot, error: this.state.error });
        }),
      );
      hosts.start();
    }
    await this.opts.monitor.start();
  }

  async stop(): Promise<void> {
    this.off?.();
    this.off = null;
    while (this.hostOffs.length) this.hostOffs.pop()?.();
    await this.opts.hosts?.stop();
    await this.hostNotices?.stop();
    this.hostNotices = null;
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    await this.opts.monitor.stop();
    if (this.policyState !== null) this.save(this.policyState);
    await this.saving;
    this.listeners.clear();
    this.noticeListeners.clear();
  }

  current(): EngineState {
    return this.state;
  }

  subscribe(cb: (s: EngineState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  subscribeNotices(cb: (n: Notice | HostNotice) => void): () => void {
    this.noticeListeners.add(cb);
    return () => this.noticeListeners.delete(cb);
  }

  async resync(): Promise<CommandResult> {
    // The user's Resync also retries every host now, whatever its backoff.
    this.opts.hosts?.reconnectAll();
    try {
      const failed = this.opts.landVaultTokens ? await this.opts.landVaultTokens() : [];
      const s = await this.opts.monitor.resync({ interactive: true });
      if (!s) return { ok: false, error: this.state.error ?? 'The resync failed.' };
      return failed.length > 0
        ? { ok: false, error: `Resynced, but ${failed.join(' ')}` }
        : { ok: true, message: 'Resynced.' };
    } catch (err) {
      return { ok: false, error: describeError(err) };
    }
  }

  addToken(req: AddTokenRequest): Promise<CommandResult> {
    return this.opts.addToken
      ? this.opts.addToken(req)
      : Promise.resolve({ ok: false, error: 'Adding a token needs AuthBar’s vault, which this build does not have.' });
  }

  /** The settings of the latest scan; null before the first. */
  currentSettings(): Settings | null {
    return this.settings;
  }

  async getSettings(): Promise<Settings> {
    return this.settings ?? (await readSettings(this.opts.settingsPath)).settings;
  }

  async setSettings(patch: SettingsPatch): Promise<CommandResult> {
    const result = await writeSettingsPatch(this.opts.settingsPath, patch);
    // The monitor watches the settings file too; a resync makes the change visible at once.
    if (result.ok) await this.opts.monitor.resync().catch(() => null);
    return result;
  }

  async pauseNotifications(until: number | null): Promise<void> {
    if (this.policyState === null) return;
    this.policyState =
      until === null
        ? this.opts.policy.resumeAll(this.policyState)
        : this.opts.policy.pauseAll(this.policyState, until);
    // Resuming may release held notices at once.
    this.apply(this.opts.policy.tick(this.policyState, this.ctx()));
  }

  setViewing(open: boolean): void {
    this.opts.monitor.setUiOpen?.(open);
  }

  resumed(): void {
    this.opts.hosts?.reconnectAll();
  }

  pausedUntil(): number | null {
    return this.policyState?.pausedUntil ?? null;
  }

  private ctx(): PolicyContext {
    const now = this.now();
    return {
      now,
      repeatMs: (this.settings?.notifyRepeatHours ?? 24) * HOUR,
      tokenReminderMs: (this.settings?.tokenReminderDays ?? 30) * DAY,
      // Times of day in notices ("resets 14:30") in the local zone.
      utcOffsetMinutes: -new Date(now).getTimezoneOffset(),
    };
  }

  private onEvent(e: MonitorEvent): void {
    if (e.type === 'snapshot') {
      this.settings = e.settings;
      this.applyHosts(e.settings.hosts);
      this.publish({ snapshot: e.snapshot, error: null });
      if (this.policyState !== null) this.apply(this.opts.policy.observe(this.policyState, e.snapshot, this.ctx()));
    } else if (e.type === 'error') {
      // Stale data stays, with the error beside it.
      this.publish({ snapshot: this.state.snapshot, error: e.message });
    }
  }

  private apply(step: PolicyStepOf<S>): void {
    this.policyState = step.state;
    for (const n of step.notices) this.emit(n);
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    if (step.wakeAt !== null) {
      this.wake = setTimeout(
        () => {
          this.wake = null;
          if (this.policyState !== null) this.apply(this.opts.policy.tick(this.policyState, this.ctx()));
        },
        Math.min(Math.max(0, step.wakeAt - this.now()), MAX_TIMER),
      );
      this.wake.unref();
    }
    this.save(step.state);
  }

  private emit(n: Notice | HostNotice): void {
    for (const cb of this.noticeListeners) cb(n);
  }

  /** Hands the watcher the settings' hosts when they changed (the first scan, or an edit). */
  private applyHosts(hosts: HostEntry[]): void {
    const watch = this.opts.hosts;
    if (!watch || (this.appliedHosts !== null && sameHosts(this.appliedHosts, hosts))) return;
    this.appliedHosts = [...hosts];
    watch.setHosts(this.appliedHosts);
  }

  private save(state: S): void {
    this.saving = this.saving.then(() => this.opts.policy.save(state)).catch(() => undefined);
  }

  private publish(state: EngineState): void {
    this.state = this.opts.hosts ? { ...state, hosts: this.opts.hosts.current() } : state;
    for (const cb of this.listeners) cb(this.state);
  }
}
