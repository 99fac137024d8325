/**
 * The app wired to faithful fakes of Electron: snapshot changes reach icon, title, tooltip and
 * menu; each menu action reaches the engine service (or the window, terminal, shell, login
 * item); notifications open the window at their profile and fall back to the tray title when
 * they fail; a second instance shows the first; the window is locked down; quitting stops
 * the engine.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from '../../common/ipc-contract.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { secret } from '../support/home.js';
import { FakeBrowserWindow, FakeNotification, InstanceLock, type FakeMenu } from '../support/fake-electron.js';
import { harness, settle, type Harness } from '../support/app-harness.js';
import { assertNothingSecretCrossed } from '../support/ipc-log.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const base = mkdtempSync(join(tmpdir(), 'authbar-agents-'));
const mainDir = join(base, 'agents', 'main', 'agent');
mkdirSync(mainDir, { recursive: true });
const fileDir = join(base, 'agents', 'work', 'agent');
mkdirSync(join(base, 'agents', 'work'), { recursive: true });
writeFileSync(fileDir, '#!/bin/sh\necho I would run\n', { mode: 0o755 }); // a file where a dir belongs

const calm = snapshot({
  agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })], { agentDir: mainDir })],
});
const soon = snapshot({
  agents: [
    agent(
      'main',
      [profile({ profileId: 'anthropic:claude-cli' }), setupToken('anthropic:setup', NOW + 5 * DAY + HOUR, 'soon')],
      { agentDir: mainDir },
    ),
  ],
});
const twoAgents = snapshot({
  agents: [
    agent('main', [profile({ profileId: 'anthropic:claude-cli' })], { agentDir: mainDir }),
    agent('work', [], { agentDir: fileDir }),
  ],
});

const notice = (over: Partial<Notice> = {}): Notice => ({
  key: 'profile:main/anthropic:setup:soon',
  subject: { agentId: 'main', profileId: 'anthropic:setup', provider: 'anthropic' },
  state: 'soon',
  title: 'anthropic setup token expires in 5 days',
  body: 'Run authbar setup-token to renew it.',
  action: 'setup-token',
  at: NOW,
  ...over,
});

async function started(
  platform: NodeJS.Platform,
  first = calm,
  extra: Parameters<typeof harness>[0] extends infer T ? Partial<T> : never = {},
): Promise<Harness> {
  const h = harness({ platform, first, ...extra });
  assert.equal(await h.app.start(), true);
  return h;
}

const menu = (h: Harness): FakeMenu => {
  const t = h.tray();
  if (t.contextMenu) return t.contextMenu;
  t.userClick('right-click');
  return t.visibleMenu();
};
const click = async (h: Harness, id: string) => {
  const item = menu(h).getMenuItemById(id);
  assert.ok(item, `menu item ${id}`);
  item.click();
  // Room for the action's awaits on a machine crowded by other test files.
  await settle(100);
};

test('app, macOS: starts calm with the template icon, no title, a tooltip; hides the Dock icon when unpackaged', async () => {
  const h = await started('darwin');
  const t = h.tray();
  assert.equal(t.image, join(h.iconsDir, 'trayTemplate.png'));
  assert.equal(t.title, '');
  assert.equal(t.toolTip, 'Clawdbot · 1 profile ok');
  assert.equal(h.electron.app.dock?.hidden, true);
  assert.deepEqual(h.engine.calls[0], ['start']);
  h.cleanup();
});

test('app, macOS packaged: leaves the Dock to LSUIElement', async () => {
  const h = harness({ platform: 'darwin', first: calm });
  h.electron.app.isPackaged = true;
  await h.app.start();
  assert.equal(h.electron.app.dock?.hidden, false);
  h.cleanup();
});

test('app: a snapshot change changes icon, title, tooltip and menu; a theme change picks the other variant', async () => {
  const h = await started('darwin');
  const before = menu(h).labels();
  h.engine.push(soon);
  const t = h.tray();
  assert.equal(t.image, join(h.iconsDir, 'tray-soon-light.png'));
  assert.equal(t.title, '5d');
  assert.match(t.toolTip, /setup token: 5 days left/);
  const after = menu(h).labels();
  assert.notDeepEqual(after, before);
  assert.ok(after.includes('⚠ anthropic:setup — expires in 5 d — run claude setup-token'), after.join('\n'));
  h.electron.nativeTheme.setDark(true);
  assert.equal(t.image, join(h.iconsDir, 'tray-soon-dark.png'));
  h.engine.push(calm);
  assert.equal(t.image, join(h.iconsDir, 'trayTemplate.png'));
  assert.equal(t.title, '');
  h.cleanup();
});

test('app, Linux: the menu is the tray context menu (a click shows it); coloured icons', async () => {
  const h = await started('linux', soon);
  const t = h.tray();
  assert.ok(t.contextMenu, 'context menu set');
  assert.equal(t.image, join(h.iconsDir, 'tray-soon.png'));
  assert.equal(t.listenerCount('click'), 0, 'Linux trays send no clicks; nothing listens');
  h.engine.push(calm);
  assert.equal(t.image, join(h.iconsDir, 'tray-ok.png'));
  assert.notEqual(t.contextMenu?.getMenuItemById('headline')?.label, undefined);
  h.cleanup();
});

for (const platform of ['darwin', 'win32'] as const) {
  test(`app, ${platform}: a click on the icon resyncs and shows the menu`, async () => {
    const h = await started(platform);
    assert.equal(
      h.electron.app.appUserModelId,
      platform === 'win32' ? 'dev.authbar.app' : null,
      'Windows notifications need the AppUserModelID',
    );
    h.tray().userClick('click');
    await settle();
    assert.ok(h.engine.calls.some(([c]) => c === 'resync'));
    assert.equal(h.tray().popUps.length, 1);
    assert.equal(h.tray().contextMenu, null, 'no context menu: it would swallow the click');
    h.cleanup();
  });
}

test('app: each menu action reaches the engine service, terminal, window, shell or login item', async () => {
  const h = await started('darwin', twoAgents);
  await click(h, 'resync');
  assert.deepEqual(h.engine.calls.filter(([c]) => c === 'resync').length, 1);

  await click(h, 'setup-token');
  assert.equal(h.terminalLaunches, 1);

  await click(h, 'open-store:main');
  assert.deepEqual(h.electron.shell.opened, [mainDir]);
  await click(h, 'open-store:work');
  assert.deepEqual(h.electron.shell.opened, [mainDir], 'a file is never handed to shell.openPath');

  await click(h, 'launch-at-login');
  assert.equal(h.login.enabled, true);
  assert.equal(menu(h).getMenuItemById('launch-at-login')?.checked, true);
  await click(h, 'launch-at-login');
  assert.equal(h.login.enabled, false);

  await click(h, 'show-details');
  assert.equal(FakeBrowserWindow.instances.length, 1);
  const win = FakeBrowserWindow.instances[0]!;
  assert.equal(win.visible, true);
  assert.equal(win.loads.at(-1), h.rendererUrl);

  await click(h, 'profile:main/anthropic:claude-cli');
  assert.equal(win.loads.at(-1), `${h.rendererUrl}#profile=main%2Fanthropic%3Aclaude-cli`);
  assert.equal(FakeBrowserWindow.instances.length, 1, 'the same window, at the profile');

  await click(h, 'add-token');
  assert.equal(win.loads.at(-1), `${h.rendererUrl}#add-token`);
  // The paste box sends the token through the bridge: it reaches the engine's addToken.
  const token = secret('setup');
  const result = await h.electron.ipcMain.invoke(win.webContents.url, CHANNELS.addToken, {
    provider: 'anthropic',
    token,
    expiresInDays: 365,
  });
  assert.deepEqual(result, { ok: true, message: 'Stored.' });
  assert.deepEqual(h.engine.calls.at(-1), [
    'addToken',
    { provider: 'anthropic', token: `(${token.length} chars)`, expiresInDays: 365 },
  ]);

  await click(h, 'quit');
  assert.ok(
    h.engine.calls.some(([c]) => c === 'stop'),
    'the engine was stopped',
  );
  assert.equal(h.electron.app.exited, true);
  assert.equal(h.tray().destroyed, true);
  h.cleanup();
});

test('app: pause notifications for an hour, until tomorrow, and resume', async () => {
  const h = await started('darwin');
  await click(h, 'pause:hour');
  h.engine.notice(notice());
  await settle();
  assert.equal(FakeNotification.instances.length, 0, 'paused');
  assert.match(menu(h).getMenuItemById('pause')?.label ?? '', /^Notifications paused until 07:00$/);
  h.clock.t += HOUR + 1;
  h.engine.notice(notice());
  assert.equal(FakeNotification.instances.length, 1, 'the hour is over');
  await click(h, 'pause:tomorrow');
  h.clock.t += 12 * HOUR;
  h.engine.notice(notice());
  assert.equal(FakeNotification.instances.length, 1, 'still paused until tomorrow morning');
  await click(h, 'pause:resume');
  h.engine.notice(notice());
  assert.equal(FakeNotification.instances.length, 2);
  const pauses = h.engine.calls.filter(([c]) => c === 'pauseNotifications').map(([, u]) => u);
  assert.equal(pauses.length, 3, 'each pause and the resume reach the engine (its policy holds notices back)');
  assert.equal(pauses[0], NOW + HOUR);
  assert.equal(pauses[2], null);
  h.cleanup();
});

test('app: notifications off in the settings silence the stream', async () => {
  const h = harness({ platform: 'darwin', first: calm });
  h.engine.settings = { ...h.engine.settings, notifications: false };
  await h.app.start();
  h.engine.notice(notice());
  assert.equal(FakeNotification.instances.length, 0);
  h.cleanup();
});

test('app: a notification click opens the window at its profile', async () => {
  const h = await started('darwin', soon);
  h.engine.notice(notice());
  await settle();
  const n = FakeNotification.instances[0]!;
  assert.equal(n.shown, true);
  assert.equal(n.options.title, 'anthropic setup token expires in 5 days');
  assert.equal(FakeBrowserWindow.instances.length, 0, 'no window until clicked');
  n.userClick();
  await settle();
  const win = FakeBrowserWindow.instances[0]!;
  assert.equal(win.visible, true);
  assert.equal(win.focused, true);
  assert.equal(win.loads.at(-1), `${h.rendererUrl}#profile=main%2Fanthropic%3Asetup`);
  h.cleanup();
});

test('app: a failed notification (unsigned macOS build) falls back to the tray title until the user looks', async () => {
  const h = await started('darwin', soon);
  FakeNotification.failWith = 'Notifications are not allowed for this application';
  h.engine.notice(notice());
  await settle();
  const t = h.tray();
  assert.equal(t.title, 'anthropic setup token expires in 5 days');
  assert.match(t.toolTip, /^anthropic setup token expires in 5 days · Clawdbot/);
  h.engine.push(soon);
  assert.equal(t.title, 'anthropic setup token expires in 5 days', 'a new snapshot does not hide it');
  t.userClick('click');
  await settle();
  assert.equal(t.title, '5d', 'seen: back to the short title');
  h.cleanup();
});

test('app: without notification support the title carries the notice (Linux tooltip)', async () => {
  const h = harness({ platform: 'linux', first: soon });
  await h.app.start();
  FakeNotification.supported = false;
  h.engine.notice(notice({ title: 'evil\ntitle sk-ant-oat01-' + 'B'.repeat(80) }));
  assert.equal(FakeNotification.instances.length, 0);
  assert.match(h.tray().toolTip, /^evil title sk-ant-oat01-…BBBB · /);
  h.cleanup();
});

test("app: a second instance quits and shows the first one's window", async () => {
  const lock = new InstanceLock();
  const first = await started('darwin', calm, { lock });
  const second = harness({ platform: 'darwin', first: calm, lock, keepInstances: true });
  const windowsBefore = FakeBrowserWindow.instances.length;
  assert.equal(await second.app.start(), false);
  assert.equal(second.electron.app.exited, true, 'the second instance quit');
  assert.equal(second.engine.calls.length, 0, 'and never started an engine');
  await settle();
  assert.equal(FakeBrowserWindow.instances.length, windowsBefore + 1);
  assert.equal(FakeBrowserWindow.instances.at(-1)?.visible, true, 'the first instance shows its window');
  assert.equal(FakeBrowserWindow.instances.at(-1)?.focused, true, 'and focuses it');
  first.cleanup();
  second.cleanup();
});

test('app: the window is locked down (isolation, sandbox, no navigation, no new windows, no permissions)', async () => {
  const h = await started('darwin');
  const win = h.app.showWindow({ kind: 'overview' }) as FakeBrowserWindow;
  await settle();
  assert.deepEqual(win.options.webPreferences, {
    preload: join(h.dir, 'dist', 'preload', 'preload.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  });
  const wc = win.webContents;
  assert.equal(wc.navigate('https://evil.example/'), false);
  assert.equal(wc.navigate(h.rendererUrl), false, 'not even to itself: the page never navigates');
  assert.equal(wc.windowOpen('https://evil.example/'), 'deny');
  for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal'])
    assert.equal(await wc.session.request(p), false, p);
  assert.equal(wc.session.checkHandler?.({}, 'notifications'), false);
  h.cleanup();
});

test('app: snapshots reach the window once it is ready, and every change after', async () => {
  const h = await started('darwin', calm);
  const win = h.app.showWindow({ kind: 'overview' }) as FakeBrowserWindow;
  h.engine.push(soon);
  assert.deepEqual(win.webContents.snapshotsSent(), [], 'held until the window has loaded');
  await settle();
  assert.equal(win.webContents.snapshotsSent().length, 1);
  h.engine.push(calm);
  assert.equal(win.webContents.snapshotsSent().length, 2);
  // Through the bridge, from the window itself:
  const got = await h.electron.ipcMain.invoke(win.webContents.url, CHANNELS.getSnapshot);
  assert.deepEqual(got, calm);
  await assert.rejects(h.electron.ipcMain.invoke('https://evil.example/', CHANNELS.getSnapshot), /refused/);
  win.close();
  h.engine.push(soon);
  assert.equal(win.webContents.snapshotsSent().length, 2, 'a closed window gets nothing, and nothing throws');
  const again = h.app.showWindow({ kind: 'overview' });
  assert.notEqual(again, win, 'a closed window is recreated on demand');
  await settle();
  h.cleanup();
});

test('app: the window sits under the tray icon', async () => {
  const h = await started('darwin');
  h.tray().bounds = { x: 1000, y: 0, width: 24, height: 24 };
  const win = h.app.showWindow({ kind: 'overview' }) as FakeBrowserWindow;
  assert.deepEqual(win.position, [792, 28]);
  h.cleanup();
});

test('app: settings from the window reach the engine; turning notifications off takes effect', async () => {
  const h = await started('darwin');
  const win = h.app.showWindow({ kind: 'overview' }) as FakeBrowserWindow;
  await settle();
  assert.deepEqual(
    await h.electron.ipcMain.invoke(win.webContents.url, CHANNELS.setSettings, { notifications: false }),
    { ok: true, message: 'Saved.' },
  );
  h.engine.notice(notice());
  assert.equal(FakeNotification.instances.length, 0);
  assert.equal(
    ((await h.electron.ipcMain.invoke(win.webContents.url, CHANNELS.getSettings)) as { notifications: boolean })
      .notifications,
    false,
  );
  h.cleanup();
});

test('app: a terminal that cannot open says so in a notification', async () => {
  const h = await started('darwin', calm, {
    terminalResult: {
      ok: false,
      error: 'Could not open a terminal (tried open): run `authbar setup-token` in one yourself.',
    },
  });
  await click(h, 'setup-token');
  await settle();
  assert.match(FakeNotification.instances.at(-1)?.options.body ?? '', /^Could not open a terminal/);
  h.cleanup();
});

test('app: a renderer that fails to load is reported in the tooltip, not thrown', async () => {
  const h = await started('linux');
  h.cleanup(); // the renderer file is gone
  h.app.showWindow({ kind: 'overview' });
  await settle();
  assert.match(h.tray().toolTip, /^Details window failed to load: ERR_FILE/);
});

test('app: quitting twice stops the engine once and quits', async () => {
  const h = await started('linux');
  h.electron.app.quit();
  h.electron.app.quit();
  await settle();
  assert.equal(h.engine.calls.filter(([c]) => c === 'stop').length, 1);
  assert.equal(h.electron.app.exited, true);
  assert.deepEqual(h.electron.ipcMain.channels(), [], 'IPC handlers removed');
  h.cleanup();
});

after(() => {
  rmSync(base, { recursive: true, force: true });
  assertNothingSecretCrossed();
});
