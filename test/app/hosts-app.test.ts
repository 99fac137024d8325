/**
 * The app with remote hosts, on the fake Electron: the icon and menu follow the hosts' reports;
 * "Renew token on vps…" opens the terminal for that configured host only (from the menu and
 * from the window); a host's notification names the host and opens the overview; the window
 * is pushed the reports and can ask for them; waking from sleep reconnects the hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../../common/ipc-contract.js';
import type { HostNotice } from '../../main/app/engine-service.js';
import { FakeBrowserWindow, FakeNotification, type FakeMenu } from '../support/fake-electron.js';
import { harness, settle, type Harness } from '../support/app-harness.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
const remoteSoon = snapshot({
  gateway: 'openclaw',
  agents: [agent('main', [setupToken('anthropic:default', NOW + 5 * DAY, 'soon')])],
});
const vps = hostReport({ name: 'vps', state: 'ok', snapshot: remoteSoon, since: NOW - HOUR });
const lab = hostReport({ name: 'lab', state: 'unreachable', since: NOW - 2 * HOUR, fix: 'ssh lab' });

async function started(): Promise<Harness> {
  const h = harness({ platform: 'linux', first: calm });
  assert.equal(await h.app.start(), true);
  return h;
}
const menu = (h: Harness): FakeMenu => {
  const m = h.tray().contextMenu;
  assert.ok(m, 'a Linux tray has its menu set');
  return m;
};

test('app with hosts: icon is the worst of all, the menu groups by host, Renew token on vps opens its terminal', async () => {
  const h = await started();
  try {
    assert.match(h.tray().image, /tray-ok\.png$/);
    h.engine.pushHosts([vps, lab]);
    assert.match(h.tray().image, /tray-soon\.png$/, 'a soon host and an unreachable one make the icon yellow');
    const m = menu(h);
    assert.equal(m.getMenuItemById('machine:this')?.label, 'This machine');
    assert.match(m.getMenuItemById('host:lab')?.label ?? '', /^⚠ lab — unreachable since 04:00$/);
    const renew = m.getMenuItemById('host:vps:renew');
    assert.equal(renew?.label, 'Renew token on vps…');
    renew?.click();
    await settle();
    assert.deepEqual(h.terminalHosts, ['vps']);
    // The local "Run claude setup-token" still runs it for this machine.
    m.getMenuItemById('setup-token')?.click();
    await settle();
    assert.equal(h.terminalLaunches, 2);
    assert.deepEqual(h.terminalHosts, ['vps']);
  } finally {
    h.cleanup();
  }
});

test('app with hosts: the window asks for the reports, is pushed each change, and renews only a configured host', async () => {
  const h = await started();
  try {
    h.engine.pushHosts([vps]);
    const win = h.app.showWindow({ kind: 'overview' }) as unknown as FakeBrowserWindow;
    await settle();
    const url = win.webContents.url;
    const got = await h.electron.ipcMain.invoke(url, CHANNELS.getHosts);
    assert.deepEqual(
      (got as Array<{ name: string }>).map((r) => r.name),
      ['vps'],
    );
    h.engine.pushHosts([vps, lab]);
    const pushed = win.webContents.sent.filter((s) => s.channel === CHANNELS.hosts).map((s) => s.args[0]);
    assert.deepEqual(
      (pushed.at(-1) as Array<{ name: string }>).map((r) => r.name),
      ['vps', 'lab'],
    );
    assert.deepEqual(await h.electron.ipcMain.invoke(url, CHANNELS.renewOnHost, 'lab'), {
      ok: true,
      message: 'Opened a terminal.',
    });
    const refused = (await h.electron.ipcMain.invoke(url, CHANNELS.renewOnHost, 'ghost')) as { ok: boolean };
    assert.equal(refused.ok, false, 'a host the settings do not name');
    await assert.rejects(h.electron.ipcMain.invoke(url, CHANNELS.renewOnHost, '-oProxyCommand=x'), /refused/);
    assert.deepEqual(h.terminalHosts, ['lab']);
  } finally {
    h.cleanup();
  }
});

test("app with hosts: a host's notification names the host once and opens the overview", async () => {
  const h = await started();
  try {
    h.engine.pushHosts([vps]);
    const base: HostNotice = {
      host: 'vps',
      key: 'profile:main/anthropic:default:soon',
      subject: { agentId: 'main', profileId: 'anthropic:default', provider: 'anthropic' },
      state: 'soon',
      title: 'anthropic setup token expires in 5 days',
      body: 'Renew it: authbar setup-token --host vps',
      action: 'setup-token',
      at: NOW,
    };
    h.engine.notice(base);
    h.engine.notice({ ...base, title: 'vps: unreachable for 5 minutes', key: 'host:vps:unreachable' });
    await settle();
    assert.deepEqual(
      FakeNotification.instances.map((n) => n.options.title),
      ['vps: anthropic setup token expires in 5 days', 'vps: unreachable for 5 minutes'],
    );
    FakeNotification.instances[0]?.userClick();
    await settle();
    const win = FakeBrowserWindow.instances[0];
    assert.equal(win?.loads.at(-1), h.rendererUrl, "the overview: a host's profile is not this machine's route");
  } finally {
    h.cleanup();
  }
});

test('app with hosts: waking from sleep reconnects the hosts', async () => {
  const h = await started();
  try {
    h.electron.powerMonitor.wake();
    h.electron.powerMonitor.wake();
    assert.equal(h.engine.resumes, 2);
  } finally {
    h.cleanup();
  }
});
