/**
 * The app as main/index.ts wires it — AuthBarApp over MonitorEngineService over the real
 * Monitor (real chokidar on a temp HOME) and the real notification policy — on the Electron
 * fakes: a file changed on disk changes the tray; a policy notice becomes a native
 * notification; a pause from the menu reaches the policy, suppresses notices, and is still
 * in force after a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthBarApp } from '../../main/app/app.js';
import type { LoginItem } from '../../main/app/login-item.js';
import { MonitorEngineService } from '../../main/app/monitor-engine-service.js';
import { Monitor } from '../../main/engine/monitor/monitor.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import * as policy from '../../main/engine/notify/policy.js';
import { loadPolicyState, notifyStatePath, savePolicyState } from '../../main/engine/notify/state.js';
import { resolvePaths } from '../../main/engine/paths.js';
import { claudeCredentials, HOUR, makeHome, type TempHome } from '../support/home.js';
import { fakeElectron, FakeNotification, FakeTray, type FakeMenu } from '../support/fake-electron.js';
import { settle } from '../support/app-harness.js';

interface Running {
  app: AuthBarApp;
  engine: MonitorEngineService<policy.PolicyState>;
  electron: ReturnType<typeof fakeElectron>;
  notices: Notice[];
  iconsDir: string;
  tray(): FakeTray;
}

async function startApp(h: TempHome, dir: string): Promise<Running> {
  const env = h.env;
  const settingsPath = resolvePaths(env).settings;
  const statePath = notifyStatePath(settingsPath);
  // Exactly main/index.ts's wiring (the OpenClaw route check is off: this is a Clawdbot home).
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
  engine.subscribeNotices((n) => notices.push(n));
  const electron = fakeElectron({ platform: 'linux' });
  const rendererHtml = join(dir, 'dist', 'renderer', 'index.html');
  mkdirSync(join(dir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(rendererHtml, '<!doctype html><title>AuthBar</title>');
  const iconsDir = join(dir, 'icons');
  const loginItem: LoginItem = {
    get: async () => ({ supported: false, enabled: false, note: null }),
    set: async () => ({ supported: false, enabled: false, note: null }),
  };
  const app = new AuthBarApp({
    electron,
    engine,
    platform: 'linux',
    files: { rendererHtml, preload: join(dir, 'dist', 'preload', 'preload.cjs'), iconsDir },
    terminal: { launch: async () => ({ ok: true, message: 'Opened a terminal.' }) },
    loginItem,
    formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
  });
  assert.equal(await app.start(), true);
  return {
    app,
    engine,
    electron,
    notices,
    iconsDir,
    tray() {
      const t = FakeTray.instances.at(-1);
      assert.ok(t, 'a tray');
      return t;
    },
  };
}

const menu = (r: Running): FakeMenu => {
  const m = r.tray().contextMenu;
  assert.ok(m, 'Linux trays carry their context menu');
  return m;
};

async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await settle(20);
  }
}

async function quit(r: Running): Promise<void> {
  r.electron.app.quit();
  await until('the app to exit', () => r.electron.app.exited);
}

test('app over the real monitor: disk changes reach the tray, notices become notifications, pause holds them and persists', async (t) => {
  const h = makeHome();
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 }); // a Clawdbot host: the gateway made its state dir
  const dir = mkdtempSync(join(tmpdir(), 'authbar-app-monitor-'));
  t.after(() => {
    h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  // No Claude Code login: the default model's provider has no credential.
  const r = await startApp(h, dir);
  assert.equal(r.tray().image, join(r.iconsDir, 'tray-now.png'));
  assert.ok(
    menu(r)
      .labels()
      .some((l) => /no credential/.test(l)),
    `menu: ${menu(r).labels().join(' | ')}`,
  );
  await until('the first notification', () => FakeNotification.instances.length >= 1);
  assert.equal(r.notices[0]?.key, 'provider:main/anthropic:now');
  assert.equal(FakeNotification.instances[0]?.options.title, r.notices[0]?.title);
  await until('it to be shown', () => FakeNotification.instances[0]?.shown === true);

  // Logging in to Claude Code (a real file write; chokidar sees it): green tray, a recovery notice.
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  await until('the tray to turn calm', () => r.tray().image === join(r.iconsDir, 'tray-ok.png'));
  assert.ok(
    !menu(r)
      .labels()
      .some((l) => /no credential/.test(l)),
    'the menu no longer lists the missing credential',
  );
  await until('the recovery notification', () =>
    FakeNotification.instances.some(
      (n) => n.options.title === r.notices.find((x) => x.key === 'provider:main/anthropic:recovered')?.title,
    ),
  );

  // Pause for an hour from the menu: the policy holds the next notice, the menu says so.
  const shownBefore = FakeNotification.instances.length;
  const noticesBefore = r.notices.length;
  const pause = menu(r).getMenuItemById('pause:hour');
  assert.ok(pause, 'Pause notifications → For 1 hour');
  pause.click();
  await settle();
  assert.equal(r.engine.pausedUntil() !== null && r.engine.pausedUntil()! > Date.now(), true, 'the policy is paused');
  assert.match(menu(r).getMenuItemById('pause')?.label ?? '', /^Notifications paused until \d\d:\d\d$/);

  // The config now routes a model through OpenAI, which has no credential: the tray turns red
  // at once, but no notice is emitted nor shown.
  h.write('.clawdbot/clawdbot.json', JSON.stringify({ agents: { defaults: { model: { primary: 'openai/gpt-5' } } } }));
  await until('the tray to turn red', () => r.tray().image === join(r.iconsDir, 'tray-now.png'));
  await settle(500);
  assert.equal(r.notices.length, noticesBefore, 'the policy emitted nothing while paused');
  assert.equal(FakeNotification.instances.length, shownBefore, 'no notification while paused');

  await quit(r);
  const saved = await loadPolicyState(notifyStatePath(resolvePaths(h.env).settings), Date.now());
  assert.ok(saved.state.pausedUntil !== null && saved.state.pausedUntil > Date.now(), 'the pause is saved');

  // A restart: the pause still holds, and the menu shows it.
  const again = await startApp(h, dir);
  assert.match(menu(again).getMenuItemById('pause')?.label ?? '', /^Notifications paused until/);
  await settle(500);
  assert.equal(FakeNotification.instances.length, 0, 'still paused after a restart');
  // Resuming releases what is still wrong.
  const resume = menu(again).getMenuItemById('pause:resume');
  assert.ok(resume?.enabled, 'Resume is offered while paused');
  resume.click();
  await until('the held notice after resuming', () => FakeNotification.instances.length >= 1, 20_000);
  assert.equal(again.engine.pausedUntil(), null);
  await quit(again);
});
