/**
 * The menu's "Run claude setup-token in a terminal…": the command the terminal runs is the
 * app's own executable as Node plus the bundled CLI by its absolute path — unpacked beside
 * the archive in a packaged app. Run for real from a packaged layout (the archive a
 * placeholder file, the CLI and native modules in app.asar.unpacked, nothing from the
 * project on the way), exactly as the Linux plan hands it to `x-terminal-emulator -e`, in a
 * real pseudo-terminal inside a gnome-keyring session, against the fake `claude` the CLI's
 * own setup-token tests use: the token is captured, kept and landed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupTokenCommand, terminalPlan } from '../../main/app/terminal.js';
import { DAY, ROOT, secret } from '../support/home.js';
import { keyringSessionArgv, keyringUnavailable } from '../support/keyring.js';
import { driveInPty, fakeClaudeHome } from '../support/setup-token-pty.js';
import { scanTreeForSecrets } from '../support/secret-scan.js';

const skipKeyring = keyringUnavailable();

test("setupTokenCommand: packaged, the unpacked CLI beside app.asar; unpackaged, the project's bin; Electron as Node", () => {
  assert.deepEqual(
    setupTokenCommand({
      execPath: '/Applications/AuthBar.app/Contents/MacOS/AuthBar',
      appPath: '/Applications/AuthBar.app/Contents/Resources/app.asar',
      isPackaged: true,
      platform: 'darwin',
    }),
    {
      argv: [
        '/Applications/AuthBar.app/Contents/MacOS/AuthBar',
        '/Applications/AuthBar.app/Contents/Resources/app.asar.unpacked/bin/authbar.cjs',
        'setup-token',
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    },
  );
  assert.deepEqual(
    setupTokenCommand({
      execPath: '/home/u/authbar/node_modules/electron/dist/electron',
      appPath: '/home/u/authbar',
      isPackaged: false,
      platform: 'linux',
    }).argv,
    ['/home/u/authbar/node_modules/electron/dist/electron', '/home/u/authbar/bin/authbar.cjs', 'setup-token'],
  );
  assert.deepEqual(
    setupTokenCommand({
      execPath: 'C:\\Program Files\\AuthBar\\AuthBar.exe',
      appPath: 'C:\\Program Files\\AuthBar\\resources\\app.asar',
      isPackaged: true,
      platform: 'win32',
    }).argv,
    [
      'C:\\Program Files\\AuthBar\\AuthBar.exe',
      'C:\\Program Files\\AuthBar\\resources\\app.asar.unpacked\\bin\\authbar.cjs',
      'setup-token',
    ],
  );
  // Whatever the working directory of the terminal, the paths are absolute.
  const cmd = setupTokenCommand({
    execPath: 'AuthBar',
    appPath: 'resources/app.asar/',
    isPackaged: true,
    platform: 'linux',
  });
  assert.ok(
    cmd.argv.slice(0, 2).every((a) => a.startsWith('/')),
    cmd.argv.join(' '),
  );
  assert.match(cmd.argv[1] as string, /\/resources\/app\.asar\.unpacked\/bin\/authbar\.cjs$/);
});

/** A packaged app's resources dir: app.asar (a placeholder) and what asarUnpack puts beside it. */
function packagedLayout(dir: string): string {
  const resources = join(dir, 'AuthBar', 'resources');
  const unpacked = join(resources, 'app.asar.unpacked');
  mkdirSync(join(unpacked, 'bin'), { recursive: true });
  mkdirSync(join(unpacked, 'dist', 'cli'), { recursive: true });
  mkdirSync(join(unpacked, 'node_modules'), { recursive: true });
  writeFileSync(join(resources, 'app.asar'), 'placeholder: the archive holds nothing the CLI needs');
  copyFileSync(join(ROOT, 'bin', 'authbar.cjs'), join(unpacked, 'bin', 'authbar.cjs'));
  copyFileSync(join(ROOT, 'dist', 'cli', 'authbar.cjs'), join(unpacked, 'dist', 'cli', 'authbar.cjs'));
  // The native modules (electron-builder.yml asarUnpack: node_modules/@napi-rs/keyring*, @lydell/node-pty*).
  for (const scope of ['@napi-rs', '@lydell'])
    symlinkSync(join(ROOT, 'node_modules', scope), join(unpacked, 'node_modules', scope));
  return join(resources, 'app.asar');
}

test(
  'the terminal command runs authbar setup-token from a packaged layout: the token is captured, kept in the keyring and landed',
  { skip: skipKeyring ?? false },
  async (t) => {
    const token = secret('setup');
    const { h, env, outside } = fakeClaudeHome(t, token);
    const appPath = packagedLayout(outside);

    // Node stands in for the Electron binary run as Node (it cannot be downloaded here).
    const cmd = setupTokenCommand({ execPath: process.execPath, appPath, isPackaged: true });
    const step = terminalPlan('linux', cmd, null).steps[0];
    assert.equal(step?.command, 'x-terminal-emulator');
    assert.equal(step.args[0], '-e');
    const [program, ...args] = step.args.slice(1) as [string, ...string[]];
    assert.deepEqual(
      [program, ...args],
      [
        'env',
        'ELECTRON_RUN_AS_NODE=1',
        process.execPath,
        join(appPath + '.unpacked', 'bin', 'authbar.cjs'),
        'setup-token',
      ],
    );

    // What the terminal runs, in a real pty (inside a D-Bus session with the keyring), from HOME.
    const [sessionCmd, sessionArgs] = keyringSessionArgv(program, args);
    const started = Date.now();
    const r = await driveInPty([sessionCmd, sessionArgs], env, '4711#abcd\r', h.home);
    assert.equal(r.code, 0, r.output.slice(-1500));
    assert.ok(r.output.includes('Welcome'), "the user saw claude's prompts");
    assert.match(
      r.output,
      /anthropic:setup-token: sk-ant-oat01-…\S{4} \(fingerprint [0-9a-f]{12}\) kept in the OS keyring/,
    );
    assert.equal(
      h.readJson(h.agentStore()).profiles['anthropic:setup-token'].token,
      token,
      'the captured token landed exactly',
    );
    const rec = h.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'];
    assert.equal(rec.inVault, true);
    assert.ok(rec.mintedAt >= started);
    assert.equal(rec.expiresAt, rec.mintedAt + 365 * DAY);
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], { except: [h.path('.local', 'share', 'keyrings'), h.path(h.agentStore())] }),
      [],
    );
  },
);
