/** Launch at login: Electron's login item (macOS approval), and the Linux autostart entry on real files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autostartEntry, autostartPath, electronLoginItem, linuxLoginItem } from '../../main/app/login-item.js';
import { makeHome } from '../support/home.js';
import { FakeApp } from '../support/fake-electron.js';

test('login item, macOS/Windows: set and read back through app.setLoginItemSettings', async () => {
  const app = new FakeApp({ platform: 'win32' });
  const item = electronLoginItem(app);
  assert.deepEqual(await item.get(), { supported: true, enabled: false, note: null });
  assert.deepEqual(await item.set(true), { supported: true, enabled: true, note: null });
  assert.equal(app.loginItem.openAtLogin, true);
  assert.deepEqual(await item.set(false), { supported: true, enabled: false, note: null });
});

test('login item, macOS 13+: requires-approval is shown as on, with what to do', async () => {
  const app = new FakeApp({ platform: 'darwin' });
  app.loginNeedsApproval = true;
  const view = await electronLoginItem(app).set(true);
  assert.equal(view.enabled, true);
  assert.match(view.note ?? '', /System Settings › General › Login Items/);
});

test('login item, Linux: writes and removes ~/.config/autostart/authbar.desktop', async () => {
  const h = makeHome();
  try {
    const path = autostartPath(h.env, h.home);
    assert.equal(path, join(h.home, '.config', 'autostart', 'authbar.desktop'));
    const item = linuxLoginItem(path, ['/opt/Auth Bar/authbar', '/home/u/my "app"']);
    assert.equal((await item.get()).enabled, false);
    assert.equal((await item.set(true)).enabled, true);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^\[Desktop Entry\]\nType=Application\nName=AuthBar\n/);
    assert.match(text, /^Exec="\/opt\/Auth Bar\/authbar" "\/home\/u\/my \\"app\\""$/m);
    if (existsSync('/usr/bin/desktop-file-validate'))
      assert.equal(spawnSync('desktop-file-validate', [path]).status, 0);
    assert.equal((await item.set(false)).enabled, false);
    assert.equal(existsSync(path), false);
    assert.equal(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, h.home), '/x/cfg/autostart/authbar.desktop');
    assert.equal(
      autostartPath({ XDG_CONFIG_HOME: 'relative' }, h.home),
      path,
      'a relative XDG_CONFIG_HOME is ignored, as the spec says',
    );
  } finally {
    h.cleanup();
  }
});

test('login item, Linux: an entry the user disabled (Hidden=true) reads as off', async () => {
  const h = makeHome();
  try {
    const path = autostartPath(h.env, h.home);
    h.write('.config/autostart/authbar.desktop', autostartEntry(['/opt/authbar']) + 'Hidden=true\n', 0o644);
    assert.equal((await linuxLoginItem(path, ['/opt/authbar']).get()).enabled, false);
  } finally {
    h.cleanup();
  }
});

test('desktop Exec quoting escapes $, backquotes, backslashes and %', () => {
  assert.match(autostartEntry(['/a$b/`c`/d\\e/50%']), /^Exec="\/a\\\$b\/\\`c\\`\/d\\\\e\/50%%"$/m);
});
