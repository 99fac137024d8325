/**
 * The menu's pause holds for remote hosts as for this machine: the monitor-backed EngineService
 * with the real notification policy and the real HostNotices, fed by a scripted HostsWatch. What
 * a host says while paused is held (not dropped) and said once when the pause ends, by Resume
 * or by the clock; a pause kept from an earlier run holds for the hosts too. A host's notice
 * names the renewal that runs from here (`authbar setup-token --host vps`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorEngineService, type MonitorPort, type NoticePolicy } from '../../main/app/monitor-engine-service.js';
import type { HostsWatchPort } from '../../main/app/hosts-port.js';
import type { HostsWatchEvent } from '../../main/engine/hosts/hosts-watch.js';
import { HostNotices } from '../../main/engine/hosts/host-notices.js';
import type { HostNotice } from '../../main/app/engine-service.js';
import type { MonitorEvent } from '../../main/engine/monitor/monitor.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import * as policy from '../../main/engine/notify/policy.js';
import { Settings } from '../../main/engine/settings.js';
import type { HostReport } from '../../common/hosts.js';
import { makeHome } from '../support/home.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const HOUR = 3_600_000;
const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
const expiring = snapshot({ agents: [agent('main', [setupToken('anthropic:default', NOW + 3 * DAY, 'soon')])] });
const line = { type: 'snapshot' as const, at: NOW, trigger: 'files', paths: [], wrote: [], snapshot: expiring };
const down: HostReport = hostReport({ name: 'vps', state: 'unreachable', since: NOW - 10 * 60_000 });

const monitor: MonitorPort = {
  subscribe: (l: (e: MonitorEvent) => void) => {
    setImmediate(() =>
      l({
        type: 'snapshot',
        at: NOW,
        trigger: 'files',
        paths: [],
        snapshot: calm,
        settings: Settings.parse({}),
        wrote: [],
      }),
    );
    return () => undefined;
  },
  current: () => calm,
  start: async () => calm,
  resync: async () => calm,
  stop: async () => undefined,
};

class Watch implements HostsWatchPort {
  private readonly listeners = new Set<(e: HostsWatchEvent) => void>();
  start() {}
  async stop() {}
  setHosts() {}
  current() {
    return [];
  }
  subscribe(cb: (e: HostsWatchEvent) => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  reconnectAll() {}
  emit(e: HostsWatchEvent) {
    for (const l of this.listeners) l(e);
  }
}

/** The real policy, its state in memory (`pausedUntil` as a kept pause from an earlier run). */
function realPolicy(pausedUntil: number | null): NoticePolicy<policy.PolicyState> {
  return { ...policy, load: async () => ({ ...policy.emptyPolicyState(), pausedUntil }), save: async () => undefined };
}

const settle = () => new Promise((r) => setTimeout(r, 150));

async function withEngine(
  opts: { now: () => number; kept?: number },
  body: (e: { engine: MonitorEngineService<policy.PolicyState>; watch: Watch; notices: HostNotice[] }) => Promise<void>,
): Promise<void> {
  const home = makeHome();
  const settingsPath = home.path('.config/authbar/settings.json');
  const watch = new Watch();
  const errors: string[] = [];
  const engine = new MonitorEngineService({
    monitor,
    policy: realPolicy(opts.kept ?? null),
    settingsPath,
    hosts: watch,
    now: opts.now,
    hostNotices: ({ deliver, context }) =>
      new HostNotices({ settingsPath, clock: { now: opts.now }, context, deliver, onError: (m) => errors.push(m) }),
  });
  const notices: HostNotice[] = [];
  engine.subscribeNotices((n: Notice | HostNotice) => {
    if ('host' in n) notices.push(n);
  });
  try {
    await engine.start();
    await body({ engine, watch, notices });
    await engine.stop();
    assert.deepEqual(errors, []);
  } finally {
    home.cleanup();
  }
}

test("hosts pause: a host's notices while paused are held, then said once on Resume", async () => {
  await withEngine({ now: () => NOW }, async ({ engine, watch, notices }) => {
    await engine.pauseNotifications(NOW + HOUR);
    watch.emit({ type: 'line', host: 'vps', line });
    watch.emit({ type: 'report', host: 'vps', report: down });
    await settle();
    assert.equal(notices.length, 0, 'nothing said while paused');
    await engine.pauseNotifications(null);
    await settle();
    const titles = notices.map((n) => n.title).sort();
    assert.equal(titles.length, 2, JSON.stringify(notices));
    assert.match(titles[0] ?? '', /^vps: anthropic setup token expires in 3/);
    assert.match(titles[1] ?? '', /^vps: unreachable since /);
    const token = notices.find((n) => /setup token/.test(n.title));
    assert.match(token?.body ?? '', /^Run authbar setup-token --host vps --profile-id anthropic:default to renew it/);
    // Said once: more of the same after the pause says nothing again.
    watch.emit({ type: 'line', host: 'vps', line: { ...line, at: NOW + 1 } });
    watch.emit({ type: 'report', host: 'vps', report: { ...down } });
    await settle();
    assert.equal(notices.length, 2);
  });
});

test('hosts pause: a pause that ends by the clock releases what it held', async () => {
  let now = NOW;
  await withEngine({ now: () => now }, async ({ engine, watch, notices }) => {
    await engine.pauseNotifications(NOW + 200);
    watch.emit({ type: 'line', host: 'vps', line });
    await settle();
    assert.equal(notices.length, 0);
    now = NOW + 250;
    for (let i = 0; i < 50 && notices.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.title ?? '', /^vps: anthropic setup token expires/);
  });
});

test('hosts pause: a pause kept from an earlier run holds for a host first heard from after the start', async () => {
  await withEngine({ now: () => NOW, kept: NOW + HOUR }, async ({ engine, watch, notices }) => {
    watch.emit({ type: 'line', host: 'lab', line });
    await settle();
    assert.equal(notices.length, 0);
    await engine.pauseNotifications(null);
    await settle();
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.title ?? '', /^lab: /);
  });
});
