/**
 * The app's engine with a remote host over a real OpenSSH server (test/support/sshd.ts) and the
 * real HostsWatch and HostNotices: the remote AuthBar's snapshot reaches the state, the icon is
 * the worst of both machines and the menu groups them; the host going down turns it
 * unreachable (never ok) with its last snapshot kept; waking from sleep reconnects at once; the
 * remote token's notice names the host.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorEngineService, type MonitorPort, type NoticePolicy } from '../../main/app/monitor-engine-service.js';
import type { EngineState, HostNotice } from '../../main/app/engine-service.js';
import { menuModel } from '../../main/app/menu-model.js';
import { trayState } from '../../main/app/tray-model.js';
import { HostsWatch } from '../../main/engine/hosts/hosts-watch.js';
import { HostNotices } from '../../main/engine/hosts/host-notices.js';
import type { MonitorEvent } from '../../main/engine/monitor/monitor.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { Settings } from '../../main/engine/settings.js';
import { HOUR, makeHome, secret, type TempHome } from '../support/home.js';
import { sshdMissing, startSshd, type Sshd } from '../support/sshd.js';
import { agent, NOW, profile, snapshot } from '../support/snapshots.js';

const skip = sshdMissing();
const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });

/** This machine: calm, with the settings naming the host. */
class LocalMonitor implements MonitorPort {
  private readonly listeners = new Set<(e: MonitorEvent) => void>();
  subscribe(l: (e: MonitorEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  current() {
    return calm;
  }
  async start() {
    const e: MonitorEvent = {
      type: 'snapshot',
      at: NOW,
      trigger: 'files',
      paths: [],
      snapshot: calm,
      settings: Settings.parse({ hosts: [{ name: 'vps', ssh: 'vps' }] }),
      wrote: [],
    };
    for (const l of this.listeners) l(e);
    return calm;
  }
  async resync() {
    return calm;
  }
  async stop() {}
}

const quietPolicy: NoticePolicy<{ pausedUntil: number | null }> = {
  load: async () => ({ pausedUntil: null }),
  save: async () => undefined,
  observe: (prev) => ({ state: prev, notices: [], wakeAt: null }),
  tick: (prev) => ({ state: prev, notices: [], wakeAt: null }),
  pauseAll: (prev, until) => ({ ...prev, pausedUntil: until }),
  resumeAll: (prev) => ({ ...prev, pausedUntil: null }),
};

let sshd: Sshd;
let local: TempHome;
before(async () => {
  if (skip) return;
  sshd = await startSshd();
  local = makeHome();
  // The host: a Clawdbot agent whose setup token ends in 12 hours (attention soon).
  sshd.remote.write(sshd.remote.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 12 * HOUR,
      },
    },
  });
});
after(async () => {
  if (skip) return;
  await sshd.close();
  local.cleanup();
});

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test(
  'app engine over a real sshd: host ok → down (unreachable, never ok) → back on wake',
  { skip: skip ?? false },
  async () => {
    const env = sshd.clientEnv(local.env);
    const settingsPath = local.path('.config/authbar/settings.json');
    // Backoff long enough that only the wake can bring the host back within the test.
    const watch = new HostsWatch({ env, hosts: [], timings: { backoffMs: [600_000] } });
    const engine = new MonitorEngineService({
      monitor: new LocalMonitor(),
      policy: quietPolicy,
      settingsPath,
      hosts: watch,
      hostNotices: ({ deliver, context }) =>
        new HostNotices({ settingsPath, clock: { now: () => Date.now() }, context, deliver, onError: () => undefined }),
    });
    const notices: Array<Notice | HostNotice> = [];
    engine.subscribeNotices((n) => notices.push(n));
    const host = () => engine.current().hosts?.[0];
    const ctx = {
      now: Date.now(),
      resyncing: false,
      loginItem: { supported: false, enabled: false, note: null },
      pausedUntil: null,
      formatTime: () => 'hh:mm',
    };
    try {
      await engine.start();
      assert.equal(host()?.name, 'vps');
      assert.notEqual(trayState(engine.current()), 'ok', 'not heard from yet: never ok');
      await until('the host to report ok', () => host()?.state === 'ok' && host()?.snapshot !== null);
      const state: EngineState = engine.current();
      assert.equal(trayState(state), 'soon', "this machine calm, the host's token soon");
      const labels = menuModel(state, { ...ctx, now: Date.now() }).map((i) => i.label);
      assert.ok(labels.includes('This machine'));
      assert.ok(
        labels.some((l) => /^⚠ vps — Clawdbot.* — attention soon$/.test(l)),
        labels.join('\n'),
      );
      assert.ok(labels.includes('Renew token on vps…'));
      await until('the host notice', () => notices.some((n) => 'host' in n));
      const n = notices.find((x) => 'host' in x) as HostNotice;
      assert.equal(n.host, 'vps');
      assert.match(n.title, /^vps: /);

      await sshd.stop();
      await until('the host to be unreachable', () => host()?.state === 'unreachable');
      assert.notEqual(host()?.snapshot, null, 'the last snapshot is kept');
      assert.equal(trayState(engine.current()), 'soon');
      const down = menuModel(engine.current(), { ...ctx, now: Date.now() }).map((i) => i.label);
      assert.ok(
        down.some((l) => /^⚠ vps — unreachable since hh:mm$/.test(l)),
        down.join('\n'),
      );

      await sshd.start();
      engine.resumed();
      await until('the host back after the wake', () => host()?.state === 'ok', 30_000);
    } finally {
      await engine.stop();
    }
  },
);
