/**
 * Audits of the code base itself: rules that must hold everywhere, checked on the sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers/home.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

test('the engine and the CLI never import electron', () => {
  const offenders = [...sources(join(ROOT, 'main', 'engine')), ...sources(join(ROOT, 'main', 'cli'))].filter((f) =>
    /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});

test('the test suite never reaches the real macOS Keychain', () => {
  const offenders: string[] = [];
  for (const f of sources(join(ROOT, 'test'))) {
    if (f.endsWith('audit.test.ts')) continue;
    const text = readFileSync(f, 'utf8');
    // A SecurityCliKeychain must always be handed a fake `security`, never the default path.
    if (/new SecurityCliKeychain\(\s*\)/.test(text) || text.includes('/usr/bin/security')) offenders.push(relative(ROOT, f));
  }
  assert.deepEqual(offenders, []);
  const helpers = readFileSync(join(ROOT, 'test', 'helpers', 'home.ts'), 'utf8');
  assert.match(helpers, /AUTHBAR_KEYCHAIN: 'off'/, 'every temp HOME turns the keychain off');
});

test('the engine neither prints nor exits: it is a library', () => {
  const offenders = sources(join(ROOT, 'main', 'engine')).filter((f) => /\bconsole\.|process\.exit\(|process\.stdout|process\.stderr/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});
