/**
 * The monitor's live schedule on a fake clock: when it asks the running gateway, over whole
 * simulated days. The rules themselves are poll-plan.ts's (test/engine/live-poll-plan.test.ts);
 * this is the timer wiring: one question at a time, nothing while idle, every minute only
 * while the menu or window is open, backoff while the gateway is down, the 60 s floor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveView, Snapshot } from '../../common/snapshot.js';
import { LiveSchedule } from '../../main/engine/monitor/live-schedule.js';
import { DEFAULT_SETTINGS } from '../../main/engine/settings.js';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayLive } from '../../main/engine/gateways/registry.js';
import { FakeClock } from '../support/fake-clock.js';
import { liveProblemView, liveView } from '../support/live-fixtures.js';
import { agent, profile, snapshot } from '../support/snapshots.js';

const START = Date.UTC(2026, 11, 6, 9);
const MIN = 60_000;
const HOUR = 60 * MIN;

const flush = () => new Promise<void>((r) => setImmediate(r));

function rig(opts: { files?: Snapshot; answer?: (n: number) => LiveView; liveGateway?: boolean } = {}) {
  const clock = new FakeClock(START);
  const files = opts.files ?? snapshot({ gateway: 'openclaw', agents: [agent('main', [])] });
  const asked: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const schedule = new LiveSchedule({
    clock,
    timers: clock,
    ask: async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      asked.push(clock.now() - START);
      await flush();
      inFlight--;
      const view = opts.answer ? opts.answer(asked.length) : liveView(clock.now(), { providers: [] });
      return { ...view, checkedAt: clock.now() };
    },
    current: () => ({ snapshot: files, settings: { ...DEFAULT_SETTINGS, liveGateway: opts.liveGateway ?? true } }),
    onResult: () => undefined,
  });
  /** Runs the fake clock forward by `ms`, letting each question finish before the next timer. */
  const run = async (ms: number) => {
    let left = ms;
    await flush();
    for (;;) {
      const next = clock.nextTimerIn();
      if (next === null || next > left) break;
      clock.advance(next);
      left -= next;
      await flush();
      await flush();
    }
    clock.advance(left);
    await flush();
  };
  return { clock, schedule, asked, run, maxInFlight: () => maxInFlight };
}

describe('the live schedule', () => {
  it('asks once at start, then nothing for a whole idle day', async () => {
    const r = rig();
    r.schedule.afterScan(true);
    await r.run(24 * HOUR);
    assert.deepEqual(r.asked, [0]);
    assert.equal(r.schedule.next, null, 'nothing planned while idle');
  });

  it('every minute while the menu or window is open, and no more once it closes', async () => {
    const r = rig();
    r.schedule.afterScan(true);
    await r.run(5 * MIN);
    r.schedule.setUiOpen(true);
    await r.run(5 * MIN + 1);
    const open = r.asked.length - 1;
    assert.ok(open >= 5 && open <= 6, `asked ${open} times in 5 open minutes: ${r.asked.join(', ')}`);
    for (let i = 2; i < r.asked.length; i++) assert.ok(r.asked[i]! - r.asked[i - 1]! >= MIN, 'never within 60 s');
    r.schedule.setUiOpen(false);
    const before = r.asked.length;
    await r.run(6 * HOUR);
    assert.equal(r.asked.length, before);
    assert.equal(r.maxInFlight(), 1);
  });

  it('backs off while the gateway is down: 1, 2, 4, 8 min, then every 15 min', async () => {
    const r = rig({ answer: () => liveProblemView(0, 'not-running') });
    r.schedule.afterScan(true);
    await r.run(60 * MIN);
    const gaps = r.asked.slice(1).map((t, i) => (t - r.asked[i]!) / MIN);
    assert.deepEqual(gaps.slice(0, 5), [1, 2, 4, 8, 15]);
  });

  it('a store change 10 s after a question waits for the 60 s floor', async () => {
    const r = rig();
    r.schedule.afterScan(true);
    await r.run(10_000);
    r.schedule.afterScan(true);
    await r.run(2 * MIN);
    assert.deepEqual(r.asked, [0, MIN]);
  });

  it("around a credential's expiry: 5 minutes before and at it (the day before is past)", async () => {
    const files = snapshot({
      gateway: 'openclaw',
      agents: [agent('main', [profile({ profileId: 'anthropic:manual', type: 'token', expiresAt: START + 3 * HOUR })])],
    });
    const r = rig({ files });
    r.schedule.afterScan(true);
    await r.run(4 * HOUR);
    assert.deepEqual(r.asked, [0, 3 * HOUR - 5 * MIN, 3 * HOUR]);
  });

  it('a deadline beyond a Node timer (a year away) is waited for in slices, never asked early', async () => {
    const files = snapshot({
      gateway: 'openclaw',
      agents: [
        agent('main', [profile({ profileId: 'anthropic:manual', type: 'token', expiresAt: START + 365 * 24 * HOUR })]),
      ],
    });
    const r = rig({ files });
    r.schedule.afterScan(true);
    await r.run(30 * 24 * HOUR);
    assert.deepEqual(r.asked, [0], 'nothing in the first 30 days');
    assert.ok(
      r.clock.armed.every((ms) => ms <= 2 ** 31 - 1),
      'no timer longer than Node allows',
    );
    await r.run(335 * 24 * HOUR);
    assert.deepEqual(
      r.asked.slice(1).map((t) => t / HOUR),
      [364 * 24, 365 * 24 - 5 / 60, 365 * 24],
    );
  });

  it('a gateway without a live method answers off once, and is not asked again; the setting off asks nothing', async () => {
    const r = rig({ answer: () => liveProblemView(0, 'off') });
    r.schedule.afterScan(true);
    r.schedule.setUiOpen(true);
    await r.run(HOUR);
    r.schedule.afterScan(true);
    await r.run(HOUR);
    assert.deepEqual(r.asked, [0]);
    const off = rig({ liveGateway: false });
    off.schedule.afterScan(true);
    off.schedule.setUiOpen(true);
    await off.run(HOUR);
    assert.deepEqual(off.asked, []);
  });

  it("the registry's probe: Clawdbot 2026.1 has no live method, and the setting turns it off without asking", async () => {
    const home = mkdtempSync(join(tmpdir(), 'authbar-live-'));
    mkdirSync(join(home, '.clawdbot'), { recursive: true });
    const ctx = {
      env: { HOME: home },
      platform: process.platform,
      settings: DEFAULT_SETTINGS,
      snapshot: snapshot({ gateway: 'clawdbot', agents: [agent('main', [])] }),
      now: () => START,
      clientVersion: 'test',
      owner: 'cli' as const,
    };
    const clawdbot = await gatewayLive()(ctx);
    assert.deepEqual([clawdbot.state, clawdbot.reasonCode], ['off', 'unsupported']);
    assert.match(clawdbot.message ?? '', /Clawdbot has no live status method/);
    const setting = await gatewayLive()({ ...ctx, settings: { ...DEFAULT_SETTINGS, liveGateway: false } });
    assert.deepEqual([setting.state, setting.reasonCode], ['off', 'setting']);
  });
});
