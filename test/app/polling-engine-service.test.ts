/**
 * The placeholder EngineService over today's collect(), on real files in a temp HOME:
 * snapshots on start and on resync, stale data kept with the error, settings written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { PollingEngineService } from '../../main/app/polling-engine-service.js';
import type { EngineState } from '../../main/app/engine-service.js';
import { DAY, HOUR, makeHome, secret } from '../helpers/home.js';

test('polling engine: a snapshot on start, a new one on resync after a file changes', async () => {
  const h = makeHome();
  try {
    h.write(h.agentStore(), { version: 1, profiles: { 'anthropic:setup': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() + 400 * DAY } } });
    const engine = new PollingEngineService({ env: h.env, platform: 'linux' });
    const seen: EngineState[] = [];
    engine.subscribe((s) => seen.push(s));
    await engine.start();
    assert.equal(engine.current().snapshot?.overall.attention, 'none');
    h.write(h.agentStore(), { version: 1, profiles: { 'anthropic:setup': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - HOUR } } });
    const result = await engine.resync();
    assert.deepEqual(result, { ok: true, message: 'Resynced.' });
    assert.equal(engine.current().snapshot?.overall.attention, 'now');
    assert.deepEqual(seen.map((s) => s.snapshot?.overall.attention), ['none', 'now']);
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('polling engine: a broken settings file is an error, and the last snapshot stays (with its age)', async () => {
  const h = makeHome();
  try {
    const engine = new PollingEngineService({ env: h.env, platform: 'linux' });
    await engine.start();
    const first = engine.current().snapshot;
    assert.ok(first);
    h.write('.config/authbar/settings.json', '{ not json');
    const result = await engine.resync();
    assert.equal(result.ok, false);
    assert.match(engine.current().error ?? '', /settings/);
    assert.equal(engine.current().snapshot, first, 'stale data shown, not hidden');
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('polling engine: setSettings merges the patch, validates, writes 0600, and re-collects', async () => {
  const h = makeHome();
  try {
    const engine = new PollingEngineService({ env: h.env, platform: 'linux' });
    await engine.start();
    assert.equal(engine.current().snapshot?.warnMs, 24 * HOUR);
    assert.equal((await engine.setSettings({ warnHours: 48 })).ok, true);
    assert.equal((await engine.setSettings({ notifications: false })).ok, true);
    const saved = h.readJson('.config/authbar/settings.json');
    assert.equal(saved.warnHours, 48, 'the first patch survives the second');
    assert.equal(saved.notifications, false);
    assert.equal(statSync(h.path('.config/authbar/settings.json')).mode & 0o777, 0o600);
    assert.equal(engine.current().snapshot?.warnMs, 48 * HOUR, 'the new warn window is in effect');
    assert.equal((await engine.getSettings()).warnHours, 48);
    await engine.stop();
  } finally {
    h.cleanup();
  }
});

test('polling engine: adding a token says in one sentence that the vault is not here yet', async () => {
  const engine = new PollingEngineService({ env: { HOME: '/nonexistent', AUTHBAR_KEYCHAIN: 'off' }, platform: 'linux' });
  const r = await engine.addToken({ provider: 'anthropic', token: secret('setup') });
  assert.equal(r.ok, false);
  assert.doesNotMatch(JSON.stringify(r), /sk-ant/);
});
