/**
 * "Someone is looking": the tray menu opening and closing and the details window showing,
 * hiding and closing reach the engine as setViewing(true/false), once per change of "either
 * is open", so the engine polls the live gateway only while someone looks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowserWindow } from '../support/fake-electron.js';
import { harness, settle } from '../support/app-harness.js';
import { agent, profile, snapshot } from '../support/snapshots.js';

const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });

test('app, macOS: the popped-up menu and the window each make the engine poll while open', async () => {
  const h = harness({ platform: 'darwin', first: calm });
  await h.app.start();
  assert.deepEqual(h.engine.viewing, [], 'nothing open at start');

  h.tray().userClick('right-click');
  const menu = h.tray().visibleMenu();
  assert.deepEqual(h.engine.viewing, [true], 'the menu opened');
  // A snapshot arriving while the menu is open rebuilds the menu: still one "open".
  h.engine.push(calm);
  menu.close();
  assert.deepEqual(h.engine.viewing, [true, false], 'the menu closed');

  h.app.showWindow({ kind: 'overview' });
  await settle();
  assert.deepEqual(h.engine.viewing, [true, false, true], 'the window shown');
  // The menu opening over the open window changes nothing: someone already looks.
  h.tray().userClick('right-click');
  h.tray().visibleMenu().close();
  assert.deepEqual(h.engine.viewing, [true, false, true]);
  const win = FakeBrowserWindow.instances.at(-1);
  assert.ok(win);
  win.hide();
  assert.deepEqual(h.engine.viewing, [true, false, true, false], 'the window hidden');
  h.app.showWindow({ kind: 'overview' });
  win.close();
  assert.deepEqual(h.engine.viewing, [true, false, true, false, true, false], 'the window closed');
  h.cleanup();
});

test('app, Linux: the context menu reports its own opening and closing', async () => {
  const h = harness({ platform: 'linux', first: calm });
  await h.app.start();
  const menu = h.tray().contextMenu;
  assert.ok(menu);
  menu.show();
  menu.close();
  assert.deepEqual(h.engine.viewing, [true, false]);
  h.cleanup();
});
