/**
 * An AuthBarApp on fake Electron objects, with a recording EngineService, terminal and login
 * item (the ports the app depends on), and a real renderer file in a temp dir so the fake
 * window's loadFile behaves as Electron's does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthBarApp } from '../../main/app/app.js';
import type { AddTokenRequest, CommandResult } from '../../common/ipc-contract.js';
import type { EngineService, EngineState, HostNotice } from '../../main/app/engine-service.js';
import type { HostReport } from '../../common/hosts.js';
import type { LoginItem, LoginItemView } from '../../main/app/login-item.js';
import type { TerminalLauncher } from '../../main/app/terminal.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { Settings, type Settings as SettingsT } from '../../main/engine/settings.js';
import type { Snapshot } from '../../common/snapshot.js';
import { fakeElectron, FakeTray, type FakeElectron, type InstanceLock } from './fake-electron.js';
import { NOW } from './snapshots.js';

export class RecordingEngine implements EngineService {
  calls: Array<[string, unknown?]> = [];
  state: EngineState = { snapshot: null, error: null };
  settings: SettingsT = Settings.parse({});
  private readonly listeners = new Set<(s: EngineState) => void>();
  private readonly noticeListeners = new Set<(n: Notice | HostNotice) => void>();
  constructor(private readonly first: Snapshot | null) {}

  async start(): Promise<void> {
    this.calls.push(['start']);
    if (this.first) this.push(this.first);
  }
  async stop(): Promise<void> {
    this.calls.push(['stop']);
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
    this.calls.push(['resync']);
    return { ok: true, message: 'Resynced.' };
  }
  async addToken(req: AddTokenRequest): Promise<CommandResult> {
    this.calls.push(['addToken', { ...req, token: `(${req.token.length} chars)` }]);
    return { ok: true, message: 'Stored.' };
  }
  async getSettings(): Promise<SettingsT> {
    return this.settings;
  }
  async setSettings(patch: Partial<SettingsT>): Promise<CommandResult> {
    this.calls.push(['setSettings', patch]);
    this.settings = { ...this.settings, ...patch };
    return { ok: true, message: 'Saved.' };
  }
  async pauseNotifications(until: number | null): Promise<void> {
    this.calls.push(['pauseNotifications', until]);
  }
  /** Every setViewing call, in order. */
  viewing: boolean[] = [];
  setViewing(open: boolean): void {
    this.viewing.push(open);
  }
  push(snapshot: Snapshot | null, error: string | null = null): void {
    this.state = { ...this.state, snapshot, error };
    for (const cb of this.listeners) cb(this.state);
  }
  /** The remote hosts' reports changed (as MonitorEngineService publishes them). */
  pushHosts(hosts: HostReport[]): void {
    this.state = { ...this.state, hosts };
    for (const cb of this.listeners) cb(this.state);
  }
  resumes = 0;
  resumed(): void {
    this.resumes++;
  }
  notice(n: Notice | HostNotice): void {
    for (const cb of this.noticeListeners) cb(n);
  }
}

export interface Harness {
  electron: FakeElectron;
  engine: RecordingEngine;
  app: AuthBarApp;
  dir: string;
  rendererHtml: string;
  rendererUrl: string;
  iconsDir: string;
  terminalLaunches: number;
  /** The host of each `Renew token on HOST…` launch, in order. */
  terminalHosts: string[];
  login: LoginItemView;
  clock: { t: number; now(): number };
  tray(): FakeTray;
  cleanup(): void;
}

export function harness(opts: {
  platform: NodeJS.Platform;
  first: Snapshot | null;
  lock?: InstanceLock;
  keepInstances?: boolean;
  terminalResult?: CommandResult;
}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-app-'));
  const rendererHtml = join(dir, 'dist', 'renderer', 'index.html');
  mkdirSync(join(dir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(rendererHtml, '<!doctype html><title>AuthBar</title>');
  const savedTrays = FakeTray.instances;
  const electron = fakeElectron({ platform: opts.platform, ...(opts.lock ? { lock: opts.lock } : {}) });
  if (opts.keepInstances) FakeTray.instances = savedTrays;
  const engine = new RecordingEngine(opts.first);
  const clock = {
    t: NOW,
    now() {
      return this.t;
    },
  };
  const h: Harness = {
    electron,
    engine,
    dir,
    rendererHtml,
    rendererUrl: pathToFileURL(rendererHtml).href,
    iconsDir: join(dir, 'icons'),
    terminalLaunches: 0,
    terminalHosts: [],
    login: { supported: true, enabled: false, note: null },
    clock,
    app: undefined as unknown as AuthBarApp,
    tray() {
      const t = FakeTray.instances.at(-1);
      if (!t) throw new Error('no tray');
      return t;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const terminal: TerminalLauncher = {
    launch: async (o) => {
      h.terminalLaunches++;
      if (o?.host !== undefined) h.terminalHosts.push(o.host);
      return opts.terminalResult ?? { ok: true, message: 'Opened a terminal.' };
    },
  };
  const loginItem: LoginItem = {
    get: async () => h.login,
    set: async (enabled) => (h.login = { ...h.login, enabled }),
  };
  h.app = new AuthBarApp({
    electron,
    engine,
    platform: opts.platform,
    files: { rendererHtml, preload: join(dir, 'dist', 'preload', 'preload.cjs'), iconsDir: h.iconsDir },
    terminal,
    loginItem,
    clock,
    formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
  });
  return h;
}

/** Lets pending work run: immediates (fake loads, notifications) and quick file system calls. */
export function settle(ms = 25): Promise<void> {
  return new Promise((resolve) => setTimeout(() => setImmediate(resolve), ms));
}
