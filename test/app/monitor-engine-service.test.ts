/**
 * The monitor-backed EngineService, driven by a monitor that emits events as the watch
 * branch's Monitor documents them (docs/monitor.md) and a small policy with the same shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorEngineService, type MonitorPort, type NoticePolicy } from '../../main/app/monitor-engine-service.js';
import type { MonitorEvent } from '../../main/engine/monitor/monitor.js';
import type { EngineState } from '../../main/app/engine-service.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { Settings } from '../../main/engine/settings.js';
import type { Snapshot } from '../../common/snapshot.js';
import { makeHome } from '../support/home.js';
import { agent, HOUR, NOW, setupToken, snapshot } from '../support/snapshots.js';

/** A scan's event, as the engine's Monitor emits it. */
const scan = (snapshot: Snapshot): MonitorEvent => ({
  type: 'snapshot',
  at: NOW,
  trigger: 'files',
  paths: [],
  snapshot,
  settings: Settings.parse({}),
  wrote: [],
});

class ScriptedMonitor implements MonitorPort {
  listeners = new Set<(e: MonitorEvent) => void>();
  calls: string[] = [];
  snap: Snapshot | null = null;
  constructor(private readonly first: Snapshot) {}
  subscribe(l: (e: MonitorEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  current() {
    return this.snap;
  }
  emit(e: MonitorEvent) {
    if (e.type === 'snapshot') this.snap = e.snapshot;
    for (const l of this.listeners) l(e);
  }
  async start() {
    this.calls.push('start');
    this.emit(scan(this.first));
    return this.first;
  }
  async resync(opts: { interactive?: boolean } = {}) {
    this.calls.push(`resync:${opts.interactive === true}`);
    return this.snap;
  }
  async stop() {
    this.calls.push('stop');
    this.emit({ type: 'stopped', at: NOW });
  }
}

/** Notifies a profile entering a bad state once; holds everything while paused. */
type S = { seen: string[]; pausedUntil: number | null; held: Notice[] };
function policy(saved: S[]): NoticePolicy<S> {
  const step = (state: S, notices: Notice[], now: number) =>
    state.pausedUntil !== null && state.pausedUntil > now
      ? { state: { ...state, held: [...state.held, ...notices] }, notices: [], wakeAt: state.pausedUntil }
      : { state: { ...state, held: [] }, notices: [...state.held, ...notices], wakeAt: null };
  return {
    load: async () => ({ seen: [], pausedUntil: null, held: [] }),
    save: async (s) => void saved.push(s),
    observe(prev, snap, ctx) {
      const fresh: Notice[] = [];
      const seen = [...prev.seen];
      for (const a of snap.agents)
        for (const p of a.profiles) {
          const key = `profile:${a.agentId}/${p.profileId}:${p.attention}`;
          if (p.attention !== 'none' && !seen.includes(key)) {
            seen.push(key);
            fresh.push({
              key,
              subject: { agentId: a.agentId, profileId: p.profileId, provider: p.provider },
              state: p.attention,
              title: `${p.profileId} ${p.attention}`,
              body: 'Renew it.',
              action: 'setup-token',
              at: ctx.now,
            });
          }
        }
      return step({ ...prev, seen }, fresh, ctx.now);
    },
    tick: (prev, ctx) => step(prev, [], ctx.now),
    pauseAll: (prev, until) => ({ ...prev, pausedUntil: until }),
    resumeAll: (prev) => ({ ...prev, pausedUntil: null }),
  };
}

const calm = snapshot({ agents: [agent('main', [setupToken('anthropic:setup', NOW + 100 * 24 * HOUR, 'none')])] });
const soon = snapshot({ agents: [agent('main', [setupToken('anthropic:setup', NOW + 5 * HOUR, 'soon')])] });

test('monitor engine: snapshots and errors become states; policy notices reach subscribers; resync is interactive', async () => {
  const h = makeHome();
  try {
    const monitor = new ScriptedMonitor(calm);
    const saved: S[] = [];
    const t = { now: NOW };
    const engine = new MonitorEngineService({
      monitor,
      policy: policy(saved),
      settingsPath: h.path('.config/authbar/settings.json'),
      now: () => t.now,
    });
    const states: EngineState[] = [];
    const notices: Notice[] = [];
    engine.subscribe((s) => states.push(s));
    engine.subscribeNotices((n) => notices.push(n));
    await engine.start();
    assert.equal(engine.current().snapshot, calm);
    monitor.emit(scan(soon));
    assert.deepEqual(
      notices.map((n) => n.key),
      ['profile:main/anthropic:setup:soon'],
    );
    monitor.emit({ type: 'error', at: NOW, message: 'The store could not be read.' });
    assert.deepEqual(
      engine.current(),
      { snapshot: soon, error: 'The store could not be read.' },
      'stale data kept with the error',
    );
    assert.deepEqual(await engine.resync(), { ok: true, message: 'Resynced.' });
    assert.ok(monitor.calls.includes('resync:true'), 'a user click may prompt the Keychain');
    assert.ok(saved.length > 0, 'policy state saved');
    await engine.stop();
    assert.ok(monitor.calls.includes('stop'));
    assert.equal(states.length, 3);
  } finally {
    h.cleanup();
  }
});

test('monitor engine: a pause holds notices in the policy, resume releases them', async () => {
  const h = makeHome();
  try {
    const monitor = new ScriptedMonitor(calm);
    const t = { now: NOW };
    const engine = new MonitorEngineService({
      monitor,
      policy: policy([]),
      settingsPath: h.path('s.json'),
      now: () => t.now,
    });
    const notices: Notice[] = [];
    engine.subscribeNotices((n) => notices.push(n));
    await engine.start();
    await engine.pauseNotifications(NOW + HOUR);
    monitor.emit(scan(soon));
    assert.equal(notices.length, 0, 'held while paused');
    await engine.pauseNotifications(null);
    assert.deepEqual(
      notices.map((n) => n.key),
      ['profile:main/anthropic:setup:soon'],
      'released on resume',
    );
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('monitor engine: settings are written and the monitor asked to look again; tokens need a writer', async () => {
  const h = makeHome();
  try {
    const monitor = new ScriptedMonitor(calm);
    const engine = new MonitorEngineService({
      monitor,
      policy: policy([]),
      settingsPath: h.path('.config/authbar/settings.json'),
    });
    await engine.start();
    assert.equal((await engine.setSettings({ warnHours: 12 })).ok, true);
    assert.equal(h.readJson('.config/authbar/settings.json').warnHours, 12);
    assert.ok(monitor.calls.includes('resync:false'));
    assert.equal((await engine.addToken({ provider: 'anthropic', token: 'x'.repeat(90) })).ok, false);
    const withWriter = new MonitorEngineService({
      monitor,
      policy: policy([]),
      settingsPath: h.path('s.json'),
      addToken: async () => ({ ok: true, message: 'Stored.' }),
    });
    assert.deepEqual(await withWriter.addToken({ provider: 'anthropic', token: 'x'.repeat(90) }), {
      ok: true,
      message: 'Stored.',
    });
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('Resync lands the vault’s tokens first (what sync does), then re-reads; a token that did not land is said', async () => {
  const h = makeHome();
  try {
    const monitor = new ScriptedMonitor(calm);
    const order: string[] = [];
    let failures: string[] = [];
    const engine = new MonitorEngineService({
      monitor,
      policy: policy([]),
      settingsPath: h.path('s.json'),
      landVaultTokens: async () => {
        order.push(`land (monitor so far: ${monitor.calls.join(',')})`);
        return failures;
      },
    });
    await engine.start();
    assert.deepEqual(await engine.resync(), { ok: true, message: 'Resynced.' });
    assert.deepEqual(order, ['land (monitor so far: start)'], 'the tokens land before the re-read');
    assert.deepEqual(monitor.calls, ['start', 'resync:true']);
    failures = ['anthropic:setup-token did not land: openclaw is not on PATH.'];
    const r = await engine.resync();
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^Resynced, but anthropic:setup-token did not land: openclaw is not on PATH\.$/);
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('monitor engine: setViewing reaches the monitor’s setUiOpen, and is harmless on a monitor without it', async () => {
  const h = makeHome();
  try {
    const opened: boolean[] = [];
    const monitor = Object.assign(new ScriptedMonitor(calm), { setUiOpen: (open: boolean) => opened.push(open) });
    const engine = new MonitorEngineService({ monitor, policy: policy([]), settingsPath: h.path('s.json') });
    engine.setViewing(true);
    engine.setViewing(false);
    assert.deepEqual(opened, [true, false]);
    const bare = new MonitorEngineService({
      monitor: new ScriptedMonitor(calm),
      policy: policy([]),
      settingsPath: h.path('s.json'),
    });
    assert.doesNotThrow(() => bare.setViewing(true));
  } finally {
    h.cleanup();
  }
});
