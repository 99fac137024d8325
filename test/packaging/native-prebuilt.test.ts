/**
 * A fresh clone installs without a compiler or -dev packages: the native addons AuthBar
 * uses (the keyring, the pty) come as prebuilt per-platform packages in the lockfile, and no
 * runtime dependency runs an install script (npm 11 would block it; keytar needed node-gyp).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/home.js';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  os?: string[];
  cpu?: string[];
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

test('the keyring and pty addons are prebuilt for macOS, Linux and Windows in the lockfile', () => {
  for (const name of [
    '@napi-rs/keyring-darwin-arm64',
    '@napi-rs/keyring-darwin-x64',
    '@napi-rs/keyring-linux-x64-gnu',
    '@napi-rs/keyring-linux-arm64-gnu',
    '@napi-rs/keyring-win32-x64-msvc',
    '@lydell/node-pty-darwin-arm64',
    '@lydell/node-pty-darwin-x64',
    '@lydell/node-pty-linux-x64',
    '@lydell/node-pty-linux-arm64',
    '@lydell/node-pty-win32-x64',
  ]) {
    const entry = lock.packages[`node_modules/${name}`];
    assert.ok(entry, `${name} is in package-lock.json`);
    assert.equal(entry.optional, true, `${name} is an optional (per-platform) package`);
    assert.ok(entry.os && entry.os.length > 0, `${name} names its OS`);
  }
  assert.ok(pkg.dependencies['@napi-rs/keyring'] && pkg.dependencies['@lydell/node-pty']);
  assert.equal(pkg.dependencies['keytar'], undefined, 'keytar (archived, builds from source) is gone');
});

test('no runtime dependency has an install script', () => {
  const scripted = Object.entries(lock.packages)
    .filter(([path, e]) => path !== '' && e.hasInstallScript && !e.dev)
    .map(([path]) => path);
  assert.deepEqual(scripted, []);
});
