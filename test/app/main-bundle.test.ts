/**
 * The bundled Electron entry (dist/app/main.cjs) started for real, with `electron` resolved to
 * the fakes: it takes the single-instance lock, reads a real temp HOME through the monitor-backed
 * engine service, sets the tray, and quits cleanly. Shows main/index.ts wires the adapters.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { HOUR, makeHome, ROOT, secret } from '../support/home.js';
import { fakeElectron, FakeTray } from '../support/fake-electron.js';
import { settle } from '../support/app-harness.js';
import { assertNothingSecretCrossed } from '../support/ipc-log.js';

test("main.cjs: starts on the fakes, shows a real HOME's state in the tray, quits cleanly", async () => {
  const h = makeHome();
  h.write(h.agentStore(), {
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
  // Launched as `electron .` from the project: getAppPath() is the project root.
  const electron = fakeElectron({ platform: process.platform, appPath: ROOT });
  const saved = { ...process.env };
  Object.assign(process.env, h.env);
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const mod = Module as unknown as { _load: Loader };
  const load = mod._load;
  mod._load = function (request, parent, isMain) {
    return request === 'electron' ? electron : load.call(this, request, parent, isMain);
  };
  try {
    createRequire(import.meta.url)(join(ROOT, 'dist', 'app', 'main.cjs'));
    for (let i = 0; i < 100 && !/Clawdbot/.test(FakeTray.instances[0]?.toolTip ?? ''); i++) await settle(20);
    const tray = FakeTray.instances[0];
    assert.ok(tray, 'a tray was created');
    assert.equal(electron.app.lock.holder, electron.app);
    assert.match(tray.toolTip, /^Clawdbot · 1 soon · setup token: expires in 1[12]h$/);
    assert.equal(
      tray.image,
      join(ROOT, 'assets', 'tray', process.platform === 'darwin' ? 'tray-soon-light.png' : 'tray-soon.png'),
    );
    assert.ok(electron.ipcMain.channels().length === 9, 'the bridge is registered');
    electron.app.quit();
    // Quitting stops the monitor (closes its watchers, saves the policy state) first.
    for (let i = 0; i < 200 && !electron.app.exited; i++) await settle(25);
    assert.equal(electron.app.exited, true);
    assert.equal(tray.destroyed, true);
  } finally {
    mod._load = load;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    h.cleanup();
  }
});

after(() => assertNothingSecretCrossed());
