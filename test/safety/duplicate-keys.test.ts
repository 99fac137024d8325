/**
 * A Clawdbot store whose text holds a key twice (two "anthropic:default" entries in
 * `profiles`, left by a hand edit or a merge). JSON readers keep the last value; a rewrite
 * would silently drop the first one's credential. AuthBar never rewrites such a store: it
 * says which key, in which file, and what to do, and the file stays byte-identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLossless } from '../../main/engine/fs/lossless-json.js';
import { makeHome, secret, withLogin } from '../support/home.js';
import { runCli } from '../support/cli.js';

function duplicatedStore(first: string, second: string): string {
  return `{
  "version": 1,
  "profiles": {
    "anthropic:default": { "type": "api_key", "provider": "anthropic", "key": "${first}" },
    "anthropic:default": { "type": "api_key", "provider": "anthropic", "key": "${second}" }
  }
}
`;
}

test('a store with a duplicated key is never rewritten: sync, status and doctor --fix leave it byte-identical and say why', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h); // a Claude Code login the sync would copy in as anthropic:claude-cli
  const first = secret('api');
  const second = secret('api');
  const text = duplicatedStore(first, second);
  const store = h.write(h.agentStore(), text);

  const sync = await runCli(['sync'], h.env);
  assert.equal(sync.code, 73, sync.stdout + sync.stderr);
  const said = sync.stdout + sync.stderr;
  assert.ok(said.includes(store), `names the file: ${said}`);
  assert.match(said, /has the key "anthropic:default" twice in "profiles"/);
  assert.match(said, /remove the entry you do not want by hand, then run `authbar sync`/);
  assert.equal(h.read(h.agentStore()), text, 'sync left the store byte-identical');

  await runCli(['status'], h.env);
  const doctor = await runCli(['doctor'], h.env);
  assert.doesNotMatch(doctor.stdout, /is valid and private/, 'doctor does not call the store sound');
  assert.match(doctor.stdout, /\[warn \] agent main: .*has the key "anthropic:default" twice in "profiles"/);
  assert.match(doctor.stdout, /fix: remove the entry you do not want by hand/);
  await runCli(['doctor', '--fix'], h.env);
  assert.equal(h.read(h.agentStore()), text, 'status and doctor --fix left the store byte-identical');
  assert.ok(h.read(h.agentStore()).includes(first), "the first value's key is still there");
});

test('a store without duplicates is still synced; the lossless parser reports each duplicate with its path', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  h.write(h.agentStore(), { version: 1, profiles: {} });
  const sync = await runCli(['sync'], h.env);
  assert.equal(sync.code, 0, sync.stderr);
  assert.ok(h.readJson(h.agentStore()).profiles['anthropic:claude-cli']);

  const seen: string[][] = [];
  const value = parseLossless('{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 3}], "a2": 0, "a2": 1}', {
    onDuplicateKey: (keys) => seen.push([...keys]),
  });
  assert.deepEqual(value, { a: { b: 2 }, c: [{ d: 3 }], a2: 1 });
  assert.deepEqual(seen, [['a', 'b'], ['c', 'd'], ['a2']]);
});
