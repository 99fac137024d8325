/**
 * Audits of the code base itself: rules that must hold everywhere, checked on the sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './support/home.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

test('the engine and the CLI never import electron', () => {
  const offenders = [...sources(join(ROOT, 'main', 'engine')), ...sources(join(ROOT, 'main', 'cli'))].filter((f) =>
    /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/.test(
      readFileSync(f, 'utf8'),
    ),
  );
  assert.deepEqual(
    offenders.map((f) => relative(ROOT, f)),
    [],
  );
});

test('the test suite never reaches the real macOS Keychain', () => {
  const offenders: string[] = [];
  for (const f of sources(join(ROOT, 'test'))) {
    if (f.endsWith('audit.test.ts')) continue;
    const text = readFileSync(f, 'utf8');
    // A SecurityCliKeychain must always be handed a fake `security`, never the default path.
    if (/new SecurityCliKeychain\(\s*\)/.test(text) || text.includes('/usr/bin/security'))
      offenders.push(relative(ROOT, f));
  }
  assert.deepEqual(offenders, []);
  const helpers = readFileSync(join(ROOT, 'test', 'support', 'home.ts'), 'utf8');
  assert.match(helpers, /AUTHBAR_KEYCHAIN: 'off'/, 'every temp HOME turns the keychain off');
});

test('the engine neither prints nor exits: it is a library', () => {
  const offenders = sources(join(ROOT, 'main', 'engine')).filter((f) =>
    /\bconsole\.|process\.exit\(|process\.stdout|process\.stderr/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(
    offenders.map((f) => relative(ROOT, f)),
    [],
  );
});

/** An import or require of `electron` that loads it at run time (`import type` does not). */
export function importsElectronValue(text: string): boolean {
  const withoutTypeImports = text.replace(/import\s+type\s[^;]*?from\s+['"]electron['"]/g, '');
  return /(?:^|[\s;])import\s[^;]*?from\s+['"]electron['"]|(?:^|[\s;])import\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/m.test(
    withoutTypeImports,
  );
}

/** Any mention of ipcMain / ipcRenderer in an import from electron, type or value. */
export function importsIpc(text: string): boolean {
  return /import\s[^;]*\b(ipcMain|ipcRenderer)\b[^;]*from\s+['"]electron['"]|\b(ipcMain|ipcRenderer)\b[^;\n]*require\(\s*['"]electron['"]|require\(\s*['"]electron['"]\s*\)\.(ipcMain|ipcRenderer)/.test(
    text,
  );
}

test('the audit rules recognise what they look for', () => {
  assert.equal(importsElectronValue("import { app } from 'electron';"), true);
  assert.equal(importsElectronValue('import * as electron from "electron";'), true);
  assert.equal(importsElectronValue("const { shell } = require('electron');"), true);
  assert.equal(importsElectronValue("await import('electron')"), true);
  assert.equal(importsElectronValue("import type { Tray } from 'electron';"), false);
  assert.equal(importsElectronValue("import type { Tray } from 'electron';\nimport { app } from 'electron';"), true);
  assert.equal(importsElectronValue("// talks to electron's tray\nimport { x } from './electron-ports.js';"), false);
  assert.equal(importsIpc("import { ipcMain } from 'electron';"), true);
  assert.equal(importsIpc("import type { ipcRenderer } from 'electron';"), true);
  assert.equal(importsIpc("const { ipcRenderer } = require('electron');"), true);
  assert.equal(importsIpc("import type { IpcMainPort } from './electron-ports.js';"), false);
});

test('only the adapters, the Electron entry and the preload load electron; only they touch ipcMain/ipcRenderer', () => {
  const allowed = (rel: string) =>
    rel.startsWith('main/app/adapters/') || rel === 'main/index.ts' || rel.startsWith('preload/');
  const roots = ['main', 'preload', 'renderer'].map((d) => join(ROOT, d)).filter((d) => existsSync(d));
  const all = roots
    .flatMap((d) => sources(d))
    .map((f) => ({ rel: relative(ROOT, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));
  assert.ok(
    all.some((f) => f.rel === 'main/app/adapters/electron.ts' && importsElectronValue(f.text)),
    'the adapter is found and recognised',
  );
  assert.deepEqual(
    all.filter((f) => !allowed(f.rel) && importsElectronValue(f.text)).map((f) => f.rel),
    [],
  );
  assert.deepEqual(
    all.filter((f) => !allowed(f.rel) && importsIpc(f.text)).map((f) => f.rel),
    [],
  );
});
