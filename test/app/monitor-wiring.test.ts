/**
 * The tray app's MonitorEngineService over the real Monitor and notification policy, wired as
 * main/index.ts's merge note says: type-checks the structural ports against the real modules,
 * and runs them on a temp HOME with real chokidar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { MonitorEngineService } from '../../main/app/monitor-engine-service.js';
import { Monitor } from '../../main/engine/monitor/monitor.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import * as policy from '../../main/engine/notify/policy.js';
import { loadPolicyState, notifyStatePath, savePolicyState } from '../../main/engine/notify/state.js';
import { resolvePaths } from '../../main/engine/paths.js';
import { claudeCredentials, makeHome, HOUR } from '../support/home.js';

test('MonitorEngineService over the real monitor: snapshots, notices, recovery, pause, stop', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const env = h.env;
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  const settingsPath = resolvePaths(env).settings;
  const statePath = notifyStatePath(settingsPath);
  const engine = new MonitorEngineService({
    monitor: new Monitor({ deps: { env, platform: 'linux' }, routeHealth: null }),
    policy: {
      ...policy,
      load: async () => (await loadPolicyState(statePath, Date.now())).state,
      save: (s) => savePolicyState(statePath, s),
    },
    settingsPath,
  });
  const notices: Notice[] = [];
  let waiting: ((n: Notice) => void) | null = null;
  engine.subscribeNotices((n) => {
    notices.push(n);
    waiting?.(n);
  });
  const nextNotice = () => new Promise<Notice>((resolve) => (waiting = resolve));

  const first = nextNotice();
  await engine.start();
  t.after(() => engine.stop());
  assert.equal(engine.current().snapshot?.overall.attention, 'now', 'no credential for the default model');
  assert.equal((await first).key, 'provider:main/anthropic:now');

  // Logging in to Claude Code fixes it: the file event reaches the app as a recovery notice.
  const recovered = nextNotice();
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  assert.equal((await recovered).key, 'provider:main/anthropic:recovered');
  assert.equal(engine.current().snapshot?.overall.attention, 'none');
  assert.ok((await engine.resync()).ok);

  await engine.pauseNotifications(Date.now() + HOUR);
  await engine.stop();
  assert.ok(existsSync(statePath), 'the policy state is saved');
  const saved = await loadPolicyState(statePath, Date.now());
  assert.ok(saved.state.pausedUntil !== null && saved.state.pausedUntil > Date.now());
  assert.ok(saved.state.lastNotified['provider:main/anthropic:now'] !== undefined);
});
