/**
 * Saving settings from the window changes only the keys it sent: unknown keys (a newer
 * AuthBar's, a user's note), their formatting and the keys left alone stay byte for byte, and
 * no default the user never chose is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSettingsPatch } from '../../main/engine/settings-write.js';
import { setJsonKeys } from '../../main/engine/fs/json-text-patch.js';

function dir(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'authbar-settings-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('settings file: a patch keeps unknown keys and everything else byte for byte', async (t) => {
  const path = join(dir(t), 'settings.json');
  const before = [
    '{',
    '    "futureKey": { "nested": [1, 2.50, 1e400],   "odd spacing": true },',
    '    "warnHours": 24,',
    '    "note": "keep \\u00e9 as written",',
    '    "refresh": "ahead"',
    '}',
    '',
  ].join('\n');
  writeFileSync(path, before);
  const r = await writeSettingsPatch(path, { warnHours: 48, terminal: 'iTerm' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(
    readFileSync(path, 'utf8'),
    before.replace('"warnHours": 24', '"warnHours": 48').replace('"ahead"', '"ahead",\n    "terminal": "iTerm"'),
  );
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('settings file: no file yet holds only the keys sent, not every default', async (t) => {
  const path = join(dir(t), 'conf', 'settings.json');
  const r = await writeSettingsPatch(path, { notifications: false });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { notifications: false });
});

test('settings file: a broken file is reported and left as it is; an invalid result is not written', async (t) => {
  const path = join(dir(t), 'settings.json');
  writeFileSync(path, '{ "warnHours": ');
  const r = await writeSettingsPatch(path, { warnHours: 12 });
  assert.equal(r.ok, false);
  assert.equal(readFileSync(path, 'utf8'), '{ "warnHours": ');
  writeFileSync(path, '{"warnHours": 12}');
  assert.equal((await writeSettingsPatch(path, { warnHours: -1 })).ok, false);
  assert.equal(readFileSync(path, 'utf8'), '{"warnHours": 12}');
});

test('setJsonKeys: replaces in place, appends new keys in the file’s own style, the last duplicate wins', () => {
  assert.equal(setJsonKeys('{}', { a: 1 }), '{\n  "a": 1\n}');
  assert.equal(setJsonKeys('{"a": 1}', { b: [1, 2] }), '{"a": 1, "b": [1,2]}');
  assert.equal(setJsonKeys('{\n\t"a": "x,}"\n}\n', { b: null }), '{\n\t"a": "x,}",\n\t"b": null\n}\n');
  assert.equal(setJsonKeys('{"a": 1, "a": 2}', { a: 3 }), '{"a": 1, "a": 3}');
  assert.equal(setJsonKeys('{"a": {"b": "}"}, "c": 1}', { c: 2 }), '{"a": {"b": "}"}, "c": 2}');
  assert.throws(() => setJsonKeys('[1]', { a: 1 }), SyntaxError);
});
