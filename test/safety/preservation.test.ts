/**
 * What AuthBar does not own survives a sync exactly: `__proto__` keys at every level, numbers
 * a double cannot hold or that JSON.stringify would print differently, checked on the raw
 * bytes. And a sync never drops a credential it did not put under a source's profile id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HOUR, DAY, claudeCredentials, codexJwt, makeHome, secret } from '../support/home.js';
import { parseLossless, stringifyLossless, RawNumber } from '../../main/engine/fs/lossless-json.js';
import { fingerprint } from '../../main/engine/secrets/mask.js';
import { decideSync } from '../../main/engine/gateways/clawdbot/sync.js';
import type { SourceRead } from '../../main/engine/sources/sources.js';
import { runCli } from '../support/cli.js';

// ---------------------------------------------------------------------------------------
// Keys and numbers, byte for byte.
// ---------------------------------------------------------------------------------------

const NUMBERS = [
  '12345678901234567890123',
  '1e309',
  '-1e309',
  '-0',
  '1.0',
  '1E5',
  '0.1000000000000000055511151231257827',
  '1e-400',
  '9007199254740993',
  '-0.0',
  '100e-2',
];

function storeText(oldToken: string, apiKey: string, protoKey: string): string {
  const nums = NUMBERS.map((n, i) => `"n${i}": ${n}`).join(', ');
  return `{
  "version": 1,
  "__proto__": { "polluted": true, "deep": { "__proto__": { "__proto__": 5 } } },
  "profiles": {
    "__proto__": { "type": "api_key", "provider": "x", "key": "${protoKey}" },
    "anthropic:claude-cli": { "type": "token", "provider": "anthropic", "token": "${oldToken}", "expires": ${Date.now() - HOUR}, "__proto__": { "keep": 1.50 }, "big": 12345678901234567890123, "note": "mine" },
    "openai:default": { "type": "api_key", "provider": "openai", "key": "${apiKey}", ${nums} }
  },
  "usageStats": { "openai:default": { "lastUsed": 17000000000000000000001, "__proto__": { "x": [1.50, -0] } } },
  "future": [ ${NUMBERS.join(', ')} ]
}
`;
}

test('a sync that changes anthropic:claude-cli keeps __proto__ keys and every number it does not own byte for byte', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const original = storeText(secret('setup'), secret('api'), secret('api'));
  const store = h.write(h.agentStore(), original);
  const r = await runCli(['sync'], h.env);
  assert.equal(r.code, 0, r.stderr);
  const after = readFileSync(store, 'utf8');
  assert.notEqual(after, original, 'the sync wrote');

  // Raw bytes: every literal is still there, as many times as before.
  const count = (text: string, needle: string) => text.split(needle).length - 1;
  const literals = (text: string) =>
    [...text.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d[\d.eE+-]*)/g)]
      .map((m) => m[1])
      .filter((x): x is string => x !== undefined);
  const left = literals(after);
  for (const n of literals(original)) {
    if (Number(n) > Date.now() - 2 * HOUR && Number(n) < Date.now()) continue; // the old expires, AuthBar's field
    const i = left.indexOf(n);
    assert.ok(i >= 0, `the number ${n} is kept as written`);
    left.splice(i, 1);
  }
  assert.match(after, /"big": 12345678901234567890123/);
  assert.match(after, /"lastUsed": 17000000000000000000001/);
  assert.match(after, /"keep": 1\.50/);
  assert.equal(count(after, '"__proto__"'), count(original, '"__proto__"'), 'every __proto__ key is kept');

  // Structure: everything but the fields AuthBar owns in anthropic:claude-cli is identical.
  const before = parseLossless(original) as Record<string, unknown>;
  const now = parseLossless(after) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(now), Object.prototype, 'parsing never sets a prototype');
  for (const key of Object.keys(before)) {
    if (key === 'profiles') continue;
    assert.equal(stringifyLossless(now[key]), stringifyLossless(before[key]), `top-level ${key}`);
  }
  const bp = before['profiles'] as Record<string, Record<string, unknown>>;
  const np = now['profiles'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(np).sort(), Object.keys(bp).sort());
  assert.equal(stringifyLossless(np['__proto__']), stringifyLossless(bp['__proto__']));
  assert.equal(stringifyLossless(np['openai:default']), stringifyLossless(bp['openai:default']));
  const claude = np['anthropic:claude-cli'] as Record<string, unknown>;
  assert.equal(claude['type'], 'oauth', 'upgraded');
  for (const k of ['__proto__', 'big', 'note'])
    assert.equal(
      stringifyLossless(claude[k]),
      stringifyLossless((bp['anthropic:claude-cli'] as Record<string, unknown>)[k]),
      `foreign key ${k} of the replaced profile`,
    );

  // And a second sync, with nothing to change, writes nothing.
  const again = await runCli(['sync'], h.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(store, 'utf8'), after);
});

test('the lossless parser agrees with JSON.parse on what it accepts, and prints what JSON.stringify prints when numbers round-trip', () => {
  const valid = [
    '{}',
    '[]',
    '0',
    '"a\\u00e9\\n\\"b"',
    '{"a":[1,2,{"b":null,"c":true,"d":false}],"e":"x"}',
    ' { "k" : -1500 } ',
    '{"a":1,"a":2}',
    '[[[]],{}]',
  ];
  for (const text of valid) {
    const mine = parseLossless(text);
    assert.equal(stringifyLossless(mine), JSON.stringify(JSON.parse(text), null, 2), text);
  }
  const invalid = [
    '',
    '{',
    '{"a":1,}',
    '[1,]',
    '01',
    '1.',
    '.5',
    '+1',
    'NaN',
    '{"a" 1}',
    '"unterminated',
    "{'a':1}",
    '[1] x',
    'tru',
    '-',
  ];
  for (const text of invalid) {
    assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse rejects ${JSON.stringify(text)}`);
    assert.throws(() => parseLossless(text), SyntaxError, `so does the lossless parser: ${JSON.stringify(text)}`);
  }
  assert.ok(parseLossless('1e309') instanceof RawNumber);
  assert.equal(parseLossless('1.5'), 1.5);
  assert.throws(() => parseLossless('['.repeat(100_000) + ']'.repeat(100_000)), /nested more than/);
});

test('fingerprints are SHA-256 from node:crypto', () => {
  for (const s of ['', 'abc', 'sk-ant-oat01-' + 'x'.repeat(90), 'é'.repeat(100)]) {
    assert.equal(fingerprint(s), createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 12));
  }
});

// ---------------------------------------------------------------------------------------
// A credential AuthBar did not put under a source's id is never dropped.
// ---------------------------------------------------------------------------------------

const FOREIGN: Array<{ name: string; entry: () => Record<string, unknown> }> = [
  { name: 'an API key', entry: () => ({ type: 'api_key', provider: 'anthropic', key: secret('api') }) },
  {
    name: "another provider's OAuth login",
    entry: () => ({
      type: 'oauth',
      provider: 'openai',
      access: secret('access'),
      refresh: secret('refresh'),
      expires: Date.now() - DAY,
    }),
  },
  { name: "another provider's token", entry: () => ({ type: 'token', provider: 'google', token: secret('setup') }) },
  {
    name: 'an entry that is not a credential',
    entry: () => ({ accessToken: secret('access'), note: 'pasted by hand' }),
  },
];

for (const f of FOREIGN) {
  test(`a sync leaves ${f.name} stored as anthropic:claude-cli, and status and doctor say so`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
    const store = h.write(h.agentStore(), { version: 1, profiles: { 'anthropic:claude-cli': f.entry() } });
    const before = readFileSync(store);
    const sync = await runCli(['sync'], h.env);
    // Held back: the sync did not do what was asked, and says so (exit 2, not a write failure).
    assert.equal(sync.code, 2, sync.stderr);
    assert.match(sync.stdout, /held back/);
    assert.deepEqual(readFileSync(store), before, 'the store is untouched');
    const status = await runCli(['status', '--json'], h.env);
    const agent = JSON.parse(status.stdout).agents[0];
    assert.equal(agent.heldBack.length, 1);
    assert.match(agent.heldBack[0].reason, /did not write and will not replace/);
    assert.equal(agent.outOfStep.length, 0);
    const check = await runCli(['status', '--check', '--plain'], h.env);
    assert.ok(check.code === 1 || check.code === 2, `status --check does not call it healthy (${check.code})`);
    const doctor = await runCli(['doctor', '--fix', '--json'], h.env);
    const held = JSON.parse(doctor.stdout).checks.find(
      (c: { id: string }) => c.id === 'held:main:anthropic:claude-cli',
    );
    assert.equal(held?.verdict, 'warn');
    assert.deepEqual(readFileSync(store), before, 'doctor --fix leaves it too');
  });
}

test('a Codex login never replaces an API key stored as openai-codex:codex-cli, nor deletes it as a "duplicate"', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const access = codexJwt(Date.now() + DAY);
  const refresh = secret('codex-refresh');
  h.write('.codex/auth.json', { tokens: { access_token: access, refresh_token: refresh } });
  const twin = { type: 'oauth', provider: 'openai-codex', access, refresh, expires: Date.now() + DAY };
  const store = h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'openai-codex:codex-cli': { type: 'api_key', provider: 'openai', key: secret('api') },
      'openai-codex:mine': twin,
    },
  });
  const before = readFileSync(store);
  const r = await runCli(['sync'], h.env);
  assert.equal(r.code, 2, r.stderr); // held back, and said so
  assert.deepEqual(readFileSync(store), before);
});

test('decideSync: a token AuthBar put there is still upgraded to OAuth (the rule Clawdbot keeps)', () => {
  const now = Date.now();
  const source: SourceRead = {
    id: 'claude-code',
    kind: 'file',
    location: '/x',
    status: 'ok',
    profileId: 'anthropic:claude-cli',
    credential: { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: now + HOUR },
  };
  const d = decideSync(
    { version: 1, profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: 't' } } },
    [source],
    now,
  );
  assert.equal(d.changes[0]?.kind, 'upgrade');
  assert.deepEqual(d.held, []);
  const kept = decideSync(
    { version: 1, profiles: { 'anthropic:claude-cli': { type: 'api_key', provider: 'anthropic', key: 'k' } } },
    [source],
    now,
  );
  assert.equal(kept.next, null);
  assert.equal(kept.held.length, 1);
});
