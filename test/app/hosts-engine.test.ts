/**
 * The monitor-backed EngineService with remote hosts, against a scripted HostsWatch (the
 * interface in main/app/hosts-port.ts, as main/engine/hosts/hosts-watch.ts implements it):
 * the settings' hosts reach the watcher once per change, its reports land in the state, its
 * notices reach subscribers, Resync and wake-from-sleep reconnect every host, stop stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorEngineService, type MonitorPort, type NoticePolicy } from '../../main/app/monitor-engine-service.js';
import type { HostsWatchPort } from '../../main/app/hosts-port.js';
import type { HostsWatchEvent } from '../../main/engine/hosts/hosts-watch.js';
import { HostNotices } from '../../main/engine/hosts/host-notices.js';
import type { HostNotice, EngineState } from '../../main/app/engine-service.js';
import type { MonitorEvent } from '../../main/engine/monitor/monitor.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { Settings } from '../../main/engine/settings.js';
import type { HostEntry, HostReport } from '../../common/hosts.js';
import type { Snapshot } from '../../common/snapshot.js';
import { makeHome } from '../support/home.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
const scan = (hosts: HostEntry[], terminal: string | null = null): MonitorEvent => ({
  type: 'snapshot',
  at: NOW,
  trigger: 'files',
  paths: [],
  snapshot: calm,
  settings: Settings.parse({ hosts, terminal }),
  wrote: [],
});

class Monitor implements MonitorPort {
  listeners = new Set<(e: MonitorEvent) => void>();
  calls: string[] = [];
  constructor(private readonly hosts: HostEntry[]) {}
  subscribe(l: (e: MonitorEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  current(): Snapshot | null {
    return calm;
  }
  emit(e: MonitorEvent) {
    for (const l of this.listeners) l(e);
  }
  async start() {
    this.emit(scan(this.hosts));
    return calm;
  }
  async resync() {
    this.calls.push('resync');
    return calm;
  }
  async stop() {
    this.calls.push('stop');
  }
}

/** What HostsWatch does, scripted: records calls, reports what the test sets, emits its events. */
class ScriptedHostsWatch implements HostsWatchPort {
  calls: string[] = [];
  reports: HostReport[] = [];
  private readonly listeners = new Set<(e: HostsWatchEvent) => void>();
  start() {
    this.calls.push('start');
  }
  async stop() {
    this.calls.push('stop');
  }
  setHosts(hosts: readonly HostEntry[]) {
    this.calls.push(`setHosts:${hosts.map((h) => h.name).join(',')}`);
    this.reports = hosts.map((h) => hostReport({ name: h.name, ssh: h.ssh, state: 'connecting' }));
    for (const r of this.reports) this.emit({ type: 'report', host: r.name, report: r });
  }
  current() {
    return this.reports;
  }
  subscribe(cb: (e: HostsWatchEvent) => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  reconnectAll() {
    this.calls.push('reconnectAll');
  }
  emit(e: HostsWatchEvent) {
    for (const l of this.listeners) l(e);
  }
  listening() {
    return this.listeners.size;
  }
}

const quietPolicy: NoticePolicy<{ pausedUntil: number | null }> = {
  load: async () => ({ pausedUntil: null }),
  save: async () => undefined,
  observe: (prev) => ({ state: prev, notices: [], wakeAt: null }),
  tick: (prev) => ({ state: prev, notices: [], wakeAt: null }),
  pauseAll: (prev, until) => ({ ...prev, pausedUntil: until }),
  resumeAll: (prev) => ({ ...prev, pausedUntil: null }),
};

const vps: HostEntry = { name: 'vps', ssh: 'deploy@vps.example' };
const lab: HostEntry = { name: 'lab', ssh: 'lab', authbar: '/opt/authbar/bin/authbar' };

test('hosts engine: settings hosts reach the watcher once per change; reports land in the state', async () => {
  const home = makeHome();
  try {
    const monitor = new Monitor([vps]);
    const hosts = new ScriptedHostsWatch();
    const engine = new MonitorEngineService({
      monitor,
      policy: quietPolicy,
      settingsPath: home.path('.config/authbar/settings.json'),
      hosts,
    });
    const states: EngineState[] = [];
    engine.subscribe((s) => states.push(s));
    await engine.start();
    assert.deepEqual(hosts.calls, ['start', 'setHosts:vps']);
    assert.deepEqual(
      engine.current().hosts?.map((h) => [h.name, h.state]),
      [['vps', 'connecting']],
    );
    // An unrelated settings change does not reconnect the hosts.
    monitor.emit(scan([vps], 'xterm'));
    assert.deepEqual(hosts.calls, ['start', 'setHosts:vps']);
    // A host added, and one's ssh destination edited: the watcher gets the new list.
    monitor.emit(scan([vps, lab]));
    monitor.emit(scan([{ ...vps, ssh: 'deploy@vps2.example' }, lab]));
    assert.deepEqual(hosts.calls.slice(2), ['setHosts:vps,lab', 'setHosts:vps,lab']);
    // A host's report changes: subscribers get a state carrying it.
    hosts.reports = [hostReport({ name: 'vps', state: 'unreachable', since: NOW }), hostReport({ name: 'lab' })];
    const before = states.length;
    hosts.emit({ type: 'report', host: 'vps', report: hosts.reports[0] as HostReport });
    // A line or a problem alone changes no report: no new state.
    hosts.emit({ type: 'problem', host: 'vps', at: NOW, message: 'a bad line' });
    assert.equal(states.length, before + 1);
    assert.equal(states.at(-1)?.hosts?.[0]?.state, 'unreachable');
    assert.equal(states.at(-1)?.snapshot, calm, "this machine's snapshot stays");
    // Everything removed: an empty list, not a stale one.
    monitor.emit(scan([]));
    assert.equal(hosts.calls.at(-1), 'setHosts:');
    assert.deepEqual(engine.current().hosts, []);
    await engine.stop();
    assert.equal(hosts.calls.at(-1), 'stop');
    assert.equal(hosts.listening(), 0, 'unsubscribed from the watcher');
  } finally {
    home.cleanup();
  }
});

test('hosts engine: Resync and wake from sleep reconnect every host', async () => {
  const home = makeHome();
  try {
    const monitor = new Monitor([vps]);
    const hosts = new ScriptedHostsWatch();
    const engine = new MonitorEngineService({
      monitor,
      policy: quietPolicy,
      settingsPath: home.path('.config/authbar/settings.json'),
      hosts,
    });
    const notices: Array<Notice | HostNotice> = [];
    engine.subscribeNotices((n) => notices.push(n));
    await engine.start();
    assert.deepEqual(await engine.resync(), { ok: true, message: 'Resynced.' });
    assert.ok(hosts.calls.includes('reconnectAll') && monitor.calls.includes('resync'));
    hosts.calls.length = 0;
    engine.resumed();
    assert.deepEqual(hosts.calls, ['reconnectAll']);

    await engine.stop();
  } finally {
    home.cleanup();
  }
});

test('hosts engine: without a watcher the state carries no hosts (this machine only)', async () => {
  const home = makeHome();
  try {
    const engine = new MonitorEngineService({
      monitor: new Monitor([vps]),
      policy: quietPolicy,
      settingsPath: home.path('.config/authbar/settings.json'),
    });
    await engine.start();
    assert.deepEqual(engine.current(), { snapshot: calm, error: null });
    engine.resumed();
    await engine.stop();
  } finally {
    home.cleanup();
  }
});

test("hosts engine: the real HostNotices turns a host's snapshot into a notice naming it, once", async () => {
  const home = makeHome();
  try {
    const monitor = new Monitor([vps]);
    const hosts = new ScriptedHostsWatch();
    const settingsPath = home.path('.config/authbar/settings.json');
    const errors: string[] = [];
    const engine = new MonitorEngineService({
      monitor,
      policy: quietPolicy,
      settingsPath,
      hosts,
      now: () => NOW,
      hostNotices: ({ deliver, context }) =>
        new HostNotices({ settingsPath, clock: { now: () => NOW }, context, deliver, onError: (m) => errors.push(m) }),
    });
    const notices: Array<Notice | HostNotice> = [];
    engine.subscribeNotices((n) => notices.push(n));
    await engine.start();
    const expiring = snapshot({ agents: [agent('main', [setupToken('anthropic:default', NOW + 3 * DAY, 'soon')])] });
    const line = { type: 'snapshot' as const, at: NOW, trigger: 'files', paths: [], wrote: [], snapshot: expiring };
    hosts.emit({ type: 'line', host: 'vps', line });
    for (let i = 0; i < 50 && notices.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    hosts.emit({ type: 'line', host: 'vps', line: { ...line, at: NOW + 1 } });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(notices.length, 1, JSON.stringify(notices));
    const n = notices[0] as HostNotice;
    assert.equal(n.host, 'vps');
    assert.match(n.title, /^vps: /);
    await engine.stop();
    assert.deepEqual(errors, []);
  } finally {
    home.cleanup();
  }
});
