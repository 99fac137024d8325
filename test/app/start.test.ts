/**
 * `npm start` (scripts/start.mjs): where Electron cannot run it says why in one sentence and
 * shows `authbar status`; where it can, it launches the app with `electron .`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DAY, makeHome, ROOT, runProcess, secret } from '../support/home.js';

const START = join(ROOT, 'scripts', 'start.mjs');

test('npm start without a display: one sentence, then authbar status for real', async () => {
  const h = makeHome();
  try {
    h.write(h.agentStore(), {
      version: 1,
      profiles: {
        'anthropic:setup': {
          type: 'token',
          provider: 'anthropic',
          token: secret('setup'),
          expires: Date.now() + 100 * DAY,
        },
      },
    });
    const r = await runProcess(process.execPath, [START], { ...h.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    const [first, ...rest] = r.stdout.split('\n');
    assert.equal(
      first,
      'The tray app needs a display and this session has none (DISPLAY and WAYLAND_DISPLAY are unset), so here is `authbar status` instead.',
    );
    assert.match(rest.join('\n'), /anthropic:setup/, 'the status of the temp HOME follows');
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout + r.stderr, /sk-ant-oat01-[A-Za-z0-9]{10}/);
  } finally {
    h.cleanup();
  }
});

test('npm start with a display but no Electron binary (this machine): says so and shows status', async () => {
  const h = makeHome();
  try {
    const empty = mkdtempSync(join(tmpdir(), 'authbar-noelectron-'));
    const r = await runProcess(process.execPath, [START], {
      ...h.env,
      DISPLAY: ':99',
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      ELECTRON_OVERRIDE_DIST_PATH: empty,
    });
    assert.equal(
      r.stdout.split('\n')[0],
      "Electron's binary is not installed here and could not be fetched, so here is `authbar status` instead of the tray app.",
    );
    assert.match(r.stdout, /main/);
    rmSync(empty, { recursive: true, force: true });
  } finally {
    h.cleanup();
  }
});

test('npm start where Electron can run: launches `electron .` in the project', async () => {
  const h = makeHome();
  const dist = mkdtempSync(join(tmpdir(), 'authbar-electron-'));
  try {
    const out = join(dist, 'argv.json');
    writeFileSync(
      join(dist, 'electron'),
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }))\n`,
    );
    chmodSync(join(dist, 'electron'), 0o755);
    const r = await runProcess(process.execPath, [START], {
      ...h.env,
      DISPLAY: ':99',
      ELECTRON_OVERRIDE_DIST_PATH: dist,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { argv: ['.'], cwd: ROOT });
    assert.equal(r.stdout, '', 'no fallback sentence');
  } finally {
    rmSync(dist, { recursive: true, force: true });
    h.cleanup();
  }
});

test('whyNot: the reasons, as a pure function', async () => {
  const { whyNot } = (await import(pathToFileURL(START).href)) as {
    whyNot: (o: { platform: string; env: Record<string, string>; binary: string | null }) => string | null;
  };
  assert.match(whyNot({ platform: 'linux', env: {}, binary: '/x/electron' }) ?? '', /needs a display/);
  assert.equal(whyNot({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, binary: '/x/electron' }), null);
  assert.equal(whyNot({ platform: 'darwin', env: {}, binary: '/x/electron' }), null, 'macOS always has a display');
  assert.match(whyNot({ platform: 'darwin', env: {}, binary: null }) ?? '', /binary is not installed/);
});
