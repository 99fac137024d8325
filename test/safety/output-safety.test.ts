/**
 * Nothing a file holds reaches a terminal raw or unmasked: secrets in any free-text field
 * (provider, email, disabledReason, profile ids, agent dir names, model refs, settings,
 * paths) are masked in every output format, and control characters are escaped in every
 * human and --plain output. Each class is run through every command and format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  DAY,
  HOUR,
  claudeCredentials,
  runProcess,
  codexJwt,
  issuedSecrets,
  makeHome,
  secret,
  type TempHome,
} from '../support/home.js';
import {
  escapeControls,
  maskCredential,
  maskKnownSecrets,
  scrubDeep,
  scrubSecrets,
} from '../../main/engine/secrets/scrub.js';
import { escapeControls as rendererEscape } from '../../renderer/view-model.js';
import { safeLabel } from '../../main/app/safe-label.js';
import {
  READ_COMMANDS,
  WRITE_COMMANDS,
  assertPlainRows,
  assertSafeOutput,
  assertSyncLines,
  isJson,
  runInProcess,
  type Out,
} from '../support/outputs.js';
import { runCli } from '../support/cli.js';
import { run } from '../../main/cli/main.js';
import { Readable } from 'node:stream';
import { authbarBinForNobody } from '../support/fsutil.js';

/** A secret that is itself a valid agent id (lowercase letters and digits). */
function lowercaseSecret(prefix = ''): string {
  const s = prefix + randomBytes(24).toString('hex');
  issuedSecrets.add(s);
  return s;
}
/** Registers the lowercase form too: provider names are lowercased on the way in. */
function alsoLower(s: string): string {
  issuedSecrets.add(s.toLowerCase());
  return s;
}

async function everyOutput(h: TempHome, env = h.env): Promise<Out[]> {
  const outs: Out[] = [];
  for (const argv of [...READ_COMMANDS, ...WRITE_COMMANDS]) {
    const o = await runInProcess(argv, env);
    assertSafeOutput(o);
    outs.push(o);
  }
  return outs;
}

test('the scrubber masks credential shapes, keeps ordinary text, and never shows most of a short secret', () => {
  const long = `sk-ant-oat01-${'Ab3'.repeat(30)}`;
  assert.equal(maskCredential(long), `sk-ant-oat01-…${long.slice(-4)}`);
  // Short secrets keep no tail, and a long prefix is cut: at most a few characters shown.
  for (const short of ['sk-ant-oat01-abc12', 'sk-abcdefgh12', 'abcdefghij1234567890']) {
    const masked = maskCredential(short);
    const shown = masked.replace('…', '').length;
    assert.ok(shown * 3 <= short.length, `${masked} shows too much of ${short.length} chars`);
  }
  const jwt = codexJwt(Date.now());
  const text = `key ${long} in "${jwt}" and sk-proj-${'x1Y2'.repeat(10)}, ghp_${'a1B2'.repeat(9)}, hex ${randomBytes(24).toString('hex')}`;
  const out = scrubSecrets(text);
  assert.doesNotMatch(out, /Ab3Ab3|x1Y2x1Y2|a1B2a1B2/);
  assert.ok(!out.includes(jwt.split('.')[1] as string));
  // Idempotent, and ordinary words, model refs, paths, e-mail addresses stay.
  assert.equal(scrubSecrets(out), out);
  for (const keep of [
    'claude-opus-4-5-20251101',
    'anthropic:claude-cli',
    '/tmp/authbar-test-AbC123/.clawdbot/agents/main/agent/auth-profiles.json',
    'user@example.com',
    'openai-codex:codex-cli',
    'task-list-of-things',
    '5f2b3c4d9e8a',
  ]) {
    assert.equal(scrubSecrets(keep), keep);
  }
  // Keys are scrubbed as well, and the result is plain data.
  const deep = scrubDeep({ [long]: [long, 1, null, { e: long }] });
  assert.doesNotMatch(JSON.stringify(deep), /Ab3Ab3/);
  assert.equal(
    escapeControls('a\u001b[2J\r\n\t\u009b\u007f\u202e\u2066'),
    'a\\x1b[2J\\r\\n\\t\\x9b\\x7f\\u202e\\u2066',
  );
});

test('a secret in any free-text field of a store, config, settings or path is masked in every output format', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const inId = secret('api');
  const inEmail = secret('access');
  const inReason = secret('setup');
  const inProvider = secret('api');
  const jwt = codexJwt(Date.now() + DAY);
  const agentName = lowercaseSecret();
  const agentName2 = lowercaseSecret('sk-ant-oat01-');
  const inModel = alsoLower(secret('access'));
  const inSettings = lowercaseSecret('sk-');
  const inEmail2 = `rt_${randomBytes(30).toString('base64url')}`;
  issuedSecrets.add(inEmail2);
  const store = {
    version: 1,
    profiles: {
      [`anthropic:${inId}`]: { type: 'api_key', provider: 'anthropic', key: secret('api'), email: inEmail },
      'anthropic:work': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 2 * HOUR,
        email: jwt,
      },
      'openai:odd': { type: 'api_key', provider: inProvider, key: secret('api'), email: inEmail2 },
      'anthropic:off': { type: 'api_key', provider: 'anthropic', key: secret('api') },
    },
    usageStats: {
      'anthropic:off': { disabledUntil: Date.now() + DAY, disabledReason: `billing ${inReason}` },
      'anthropic:work': { cooldownUntil: Date.now() + HOUR },
    },
  };
  h.write(h.agentStore(), store);
  h.write(h.agentStore(agentName), store);
  h.write(h.agentStore(agentName2), {
    version: 1,
    profiles: { [jwt]: { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - HOUR } },
  });
  h.write('.clawdbot/clawdbot.json', {
    agents: { defaults: { model: { primary: `${inModel}/claude`, fallbacks: ['anthropic/claude-opus-4-5'] } } },
  });
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 5 * HOUR }));
  const outs = await everyOutput(h);
  // Masked, not dropped: the masked forms are there.
  const plain = outs.find((o) => o.argv.join(' ') === 'status --no-sync --plain');
  assert.ok(plain && plain.stdout.includes('anthropic:sk-ant-api03-…'), plain?.stdout);
  const json = JSON.parse(outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '{}');
  assert.ok(
    json.agents.some((a: { agentId: string }) => a.agentId.startsWith('…') || a.agentId.startsWith('sk-ant-oat01-…')),
  );
  assert.ok(
    json.overall.reasons.some((r: string) => r.includes('billing sk-ant-oat01-…')),
    json.overall.reasons.join('\n'),
  );
  // Settings naming a secret-looking agent: the sentence names it masked.
  h.write('.config/authbar/settings.json', { agents: ['main', inSettings] });
  const o = await runInProcess(['status', '--no-sync', '--check'], h.env);
  assertSafeOutput(o);
  assert.match(o.stderr, /names agent "sk-…/);
  // The real executable too (runAuthbar checks every run's output for secrets).
  for (const argv of [['status'], ['status', '--json'], ['doctor', '--json'], ['sync', '--dry-run']]) {
    const r = await runCli(argv, h.env);
    assert.notEqual(r.code, 70, r.stderr);
  }
});

test('control characters from files are escaped in every human and --plain output; --json stays exact', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const forge = 'x\nmain\tanthropic:forged\tapi_key\tstore\tstatic\t-\t-\tnone';
  const nasty = [
    '\u001b]0;pwned\u0007',
    '\u001b[2J\u001b[H',
    'a\rb',
    forge,
    '\u009b31m',
    'del\u007f',
    'rtl\u202eevil',
    'iso\u2066x\u2069',
    'nul\u0000',
    'tab\there',
  ];
  const profiles: Record<string, unknown> = {};
  const usageStats: Record<string, unknown> = {};
  nasty.forEach((n, i) => {
    profiles[`anthropic:${n}`] = {
      type: 'token',
      provider: `anthropic${i === 3 ? '' : n}`,
      token: secret('setup'),
      expires: Date.now() + (i % 2 === 0 ? 2 * HOUR : -HOUR),
      email: n,
    };
    usageStats[`anthropic:${n}`] = { disabledUntil: Date.now() + DAY, disabledReason: n };
  });
  h.write(h.agentStore(), { version: 1, profiles, usageStats });
  h.write(h.agentStore('ops'), {
    version: 1,
    profiles: {
      [`openai-codex:codex-cli`]: {
        type: 'oauth',
        provider: 'openai-codex',
        access: codexJwt(Date.now() - DAY),
        refresh: secret('codex-refresh'),
        expires: Date.now() - DAY,
      },
    },
  });
  h.write('.codex/auth.json', {
    tokens: { access_token: codexJwt(Date.now() + 5 * DAY), refresh_token: secret('codex-refresh') },
  });
  // Dir names that are no agent ids (skipped, mentioned by doctor only, escaped).
  for (const n of ['evil\u001b[2J', 'line\nbreak', 'bidi\u202e'])
    mkdirSync(join(h.state, 'agents', n, 'agent'), { recursive: true });
  h.write('.clawdbot/clawdbot.json', {
    agents: {
      defaults: {
        model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['esc\u001b[31mred/model', 'new\nline/model'] },
      },
    },
  });
  const known = new Set(['main', 'ops']);
  const outs = await everyOutput(h);
  for (const o of outs) {
    if (o.argv.includes('--plain')) assertPlainRows(o.stdout, known);
    if (o.argv[0] === 'sync' && !isJson(o.argv)) assertSyncLines(o.stdout, known);
  }
  const plain = outs.find((o) => o.argv.join(' ') === 'status --no-sync --plain')?.stdout ?? '';
  assert.ok(plain.includes('anthropic:x\\nmain\\tanthropic:forged'), 'the forged row is one escaped field');
  assert.ok(plain.includes('\\x1b]0;pwned\\x07') && plain.includes('rtl\\u202eevil'));
  // --json: exact JSON, the ids come back as they are in the file.
  const json = JSON.parse(outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '{}');
  const ids = new Set(
    json.agents
      .find((a: { agentId: string }) => a.agentId === 'main')
      .profiles.map((p: { profileId: string }) => p.profileId),
  );
  for (const n of nasty) assert.ok(ids.has(`anthropic:${n}`), `--json keeps ${JSON.stringify(n)} exactly`);
  // Environment paths with control characters (a state dir, Claude's config dir) too.
  const odd = h.path('state\u001b]2;title\u0007dir');
  mkdirSync(join(odd, 'agents', 'main', 'agent'), { recursive: true });
  h.write(join('state\u001b]2;title\u0007dir', 'agents', 'main', 'agent', 'auth-profiles.json'), '{ not json');
  const env = { ...h.env, CLAWDBOT_STATE_DIR: odd, CLAUDE_CONFIG_DIR: h.path('claude\r\nX') };
  mkdirSync(env.CLAUDE_CONFIG_DIR, { recursive: true });
  h.write(join('claude\r\nX', '.credentials.json'), '{"claudeAiOauth": 5}');
  for (const argv of [...READ_COMMANDS, ['sync'], ['status', '--agent', 'nope\u001b[2J']])
    assertSafeOutput(await runInProcess(argv, env));
});

test('a wrong clock is caught by status --check: before 2025 or before the newest file read; a years-old idle store is fine', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 300 * DAY,
      },
    },
  });
  assert.equal((await runInProcess(['status', '--check', '--no-sync'], h.env)).code, 0, 'healthy with a right clock');
  // The clock reads 2024: the token looks healthy, but nothing computed from that clock is.
  const past = await runInProcess(['status', '--check', '--no-sync'], h.env, { now: () => Date.UTC(2024, 5, 1) });
  assert.equal(past.code, 2);
  assert.match(past.stderr, /The system clock reads 2024-06-01T00:00:00\.000Z, which is before 2025-01-01/);
  // A clock a day behind the store's mtime (the real clock, through the real executable).
  const store = h.path(h.agentStore());
  const ahead = new Date(Date.now() + DAY);
  utimesSync(store, ahead, ahead);
  const behind = await runCli(['status', '--check', '--no-sync'], h.env);
  assert.equal(behind.code, 2);
  assert.ok(behind.stderr.includes(`which is before ${store} was last modified`), behind.stderr);
  const json = JSON.parse((await runCli(['status', '--json', '--no-sync'], h.env)).stdout);
  assert.equal(json.overall.attention, 'soon');
  assert.match(json.clockProblem, /system clock/);
  assert.match((await runInProcess(['doctor'], h.env)).stdout, /\[warn \] The system clock reads .* which is before/);
  // Within the tolerance (a file a minute ahead): fine.
  const slightly = new Date(Date.now() + 60_000);
  utimesSync(store, slightly, slightly);
  assert.equal((await runCli(['status', '--check', '--no-sync'], h.env)).code, 0);
  // Years after every file read: an idle store nobody rewrites (API keys only) is normal, no clock warning.
  h.write(h.agentStore(), {
    version: 1,
    profiles: { 'anthropic:k': { type: 'api_key', provider: 'anthropic', key: secret('api') } },
  });
  const old = new Date(Date.now() - 3 * 365 * DAY);
  utimesSync(store, old, old);
  const years = await runInProcess(['status', '--check', '--no-sync'], h.env);
  assert.equal(years.code, 0, years.stderr);
  assert.doesNotMatch(years.stderr + years.stdout, /clock/);
  assert.equal(JSON.parse((await runInProcess(['status', '--json', '--no-sync'], h.env)).stdout).clockProblem, null);
});

test('one out-of-range time in one store names the file and lets every agent and command go on', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const tok = (expires: unknown) => ({ type: 'token', provider: 'anthropic', token: secret('setup'), expires });
  h.write(h.agentStore('broken'), {
    version: 1,
    profiles: {
      'anthropic:forever': tok(Date.now() + 300 * DAY),
      'anthropic:huge': tok(1e300),
      'anthropic:neg': tok(-5),
      'anthropic:nan': tok('NaN'),
      'anthropic:edge': tok(8.64e15 + 1),
      'openai:k': { type: 'api_key', provider: 'openai', key: secret('api') },
      'openai:o': {
        type: 'oauth',
        provider: 'openai',
        access: secret('access'),
        refresh: secret('refresh'),
        expires: 1e300,
      },
    },
    usageStats: {
      'anthropic:forever': { disabledUntil: 9007199254740991, disabledReason: 'billing' },
      'openai:k': { cooldownUntil: 1e300 },
      'anthropic:neg': { disabledUntil: -1e300, cooldownUntil: 'soon' },
    },
  });
  h.write(h.agentStore(), { version: 1, profiles: { 'anthropic:ok': tok(Date.now() + 300 * DAY) } });
  // A source with an impossible expiry is invalid (named), and is not copied anywhere.
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: 1e300 }));
  h.write('.qwen/oauth_creds.json', {
    access_token: secret('qwen'),
    refresh_token: secret('refresh'),
    expiry_date: 9e15,
  });
  const outs = await everyOutput(h);
  const json = JSON.parse(outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '{}');
  assert.deepEqual(json.agents.map((a: { agentId: string }) => a.agentId).sort(), ['broken', 'main']);
  const broken = json.agents.find((a: { agentId: string }) => a.agentId === 'broken');
  const huge = broken.profiles.find((p: { profileId: string }) => p.profileId === 'anthropic:huge');
  assert.equal(huge.expiresAt, null);
  assert.ok(huge.reason.includes(h.path(h.agentStore('broken'))), `the reason names the file: ${huge.reason}`);
  const forever = broken.profiles.find((p: { profileId: string }) => p.profileId === 'anthropic:forever');
  assert.notEqual(forever.attention, 'none');
  assert.equal(forever.usable, false);
  assert.match(forever.reason, /until further notice/);
  const claude = json.sources.find((s: { id: string }) => s.id === 'claude-code');
  assert.equal(claude.status, 'invalid');
  assert.ok(claude.error.includes(h.path('.claude/.credentials.json')));
  const store = h.readJson(h.agentStore());
  assert.equal(store.profiles['anthropic:claude-cli'], undefined, 'the impossible expiry was not synced');
  const plain = outs.find((o) => o.argv.join(' ') === 'status --no-sync --plain')?.stdout ?? '';
  assert.match(plain, /^main\tanthropic:ok\ttoken\tstore\tok\t\d{4}-/m);
  const doctor = outs.find((o) => o.argv.join(' ') === 'doctor')?.stdout ?? '';
  assert.match(doctor, /anthropic:forever is disabled \(billing\) for another more than 100 years/);
});

test('profile ids, providers, model refs, agent dirs and settings named like Object.prototype members work in every output', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const names = [
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
  ];
  // Built by JSON text so that `__proto__` is an own key, as in a real file.
  const entries = names.map(
    (n) =>
      `${JSON.stringify(n)}: {"type": "api_key", "provider": ${JSON.stringify(n.toLowerCase())}, "key": ${JSON.stringify(secret('api'))}}`,
  );
  const usage = names.map((n) => `${JSON.stringify(n)}: {"cooldownUntil": ${Date.now() + HOUR}}`);
  const text = `{"version": 1, "profiles": {${entries.join(', ')}, "anthropic:main": {"type": "token", "provider": "anthropic", "token": ${JSON.stringify(secret('setup'))}}}, "usageStats": {${usage.join(', ')}}}\n`;
  h.write(h.agentStore(), text);
  h.write(h.agentStore('constructor'), text);
  h.write(
    '.clawdbot/clawdbot.json',
    `{"agents": {"defaults": {"model": {"primary": "constructor/x", "fallbacks": ["__proto__/y", "toString/z", "hasownproperty/w"]}}}, "models": {"providers": {"__proto__": {"apiKey": "x"}, "valueof": {"apiKey": "y"}}}}`,
  );
  const outs = await everyOutput(h);
  const json = JSON.parse(outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '{}');
  const main = json.agents.find((a: { agentId: string }) => a.agentId === 'main');
  const ids = main.profiles.map((p: { profileId: string }) => p.profileId);
  for (const n of names) assert.ok(ids.includes(n), `${n} is shown`);
  for (const p of main.profiles)
    assert.equal(p.source, 'store', `${p.profileId}: source is a string, not a prototype member`);
  assert.ok(json.agents.some((a: { agentId: string }) => a.agentId === 'constructor'));
  assert.ok(json.overall.reasons.some((r: string) => r.includes('no usable constructor credential')));
  assert.ok(ids.includes('__proto__'), '__proto__ is shown like the others');
  // Settings naming them: unknown agents are reported, not read off Object.prototype.
  h.write('.config/authbar/settings.json', { agents: ['toString', 'hasOwnProperty'] });
  const o = await runInProcess(['status', '--check', '--no-sync'], h.env);
  assertSafeOutput(o);
  assert.equal(o.code, 1);
  assert.match(o.stderr, /names agent "toString", which does not exist/);
  // The bytes of the store are untouched by all of it.
  assert.equal(readFileSync(h.path(h.agentStore('constructor')), 'utf8'), text);
});

test('a secret value copied into another field is masked everywhere even when it does not look random', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // Short, letters-only, and standard base64 with `/` and `+`: the heuristic lets all three pass.
  const k1 = 'Zq9xWv3Lp0Tr7Yb2Ks';
  const k2 = 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj';
  const k3 = 'AbC1/dE2fG3+hI4jK5/lM6nO7pQ8/rS9tU0vW1';
  const cfgKey = 'WordyConfigKeyValue';
  const access = 'SourceAccessLetters';
  const agentDir = 'qwertyuiopasdfgh';
  const store = {
    version: 1,
    profiles: {
      'openai:a': { type: 'api_key', provider: 'openai', key: k1, email: k1 },
      'openai:b': { type: 'api_key', provider: 'openai', key: k2, email: `${k2}@example.com` },
      'openai:c': { type: 'api_key', provider: 'openai', key: k3, email: k3 },
      [`${k1}:e`]: { type: 'api_key', provider: k1, key: 'x' },
      'anthropic:cfg': { type: 'api_key', provider: 'anthropic', key: 'shortkey', email: `${cfgKey} ${access}` },
    },
    usageStats: { 'openai:a': { disabledUntil: Date.now() + DAY, disabledReason: `key ${k1} revoked` } },
  };
  h.write(h.agentStore(), store);
  h.write(h.agentStore(agentDir), {
    version: 1,
    profiles: { 'openai:z': { type: 'api_key', provider: 'openai', key: agentDir } },
  });
  h.write('.clawdbot/clawdbot.json', { models: { providers: { mistral: { apiKey: cfgKey } } } });
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 5 * HOUR, access }));
  const leaks = [k1, k2, k3, cfgKey, access, agentDir];
  const outs = await everyOutput(h);
  for (const o of outs) {
    for (const k of leaks)
      assert.ok(
        !(o.stdout + o.stderr).includes(k),
        `${o.argv.join(' ')} printed the secret ${k.slice(0, 4)}…: ${(o.stdout + o.stderr).slice(0, 2000)}`,
      );
  }
  // Masked, not dropped: the profile and the reason are still there.
  const json = JSON.parse(outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '{}');
  const main = json.agents.find((a: { agentId: string }) => a.agentId === 'main');
  assert.ok(
    main.profiles.some((p: { profileId: string }) => p.profileId === '…:e'),
    JSON.stringify(main.profiles.map((p: { profileId: string }) => p.profileId)),
  );
  assert.ok(
    json.overall.reasons.some((r: string) => r.includes('key … revoked')),
    json.overall.reasons.join('\n'),
  );
  // The real executable too.
  for (const argv of [['status'], ['status', '--json'], ['doctor'], ['sync', '--dry-run']]) {
    const r = await runCli(argv, h.env);
    for (const k of leaks) assert.ok(!(r.stdout + r.stderr).includes(k), `${argv.join(' ')} printed ${k.slice(0, 4)}…`);
  }
});

test('zero-width, tag, soft-hyphen and filler characters are escaped, so no profile reads like another', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const invisible = [
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\u2063',
    '\u00ad',
    '\u180e',
    '\u3164',
    '\u115f',
    '\u{e0041}',
    '\ufe0f',
  ];
  const profiles: Record<string, unknown> = {};
  invisible.forEach(
    (ch) =>
      (profiles[`anthropic:claude-cli${ch}`] = {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 2 * HOUR,
        email: `a${ch}b`,
      }),
  );
  h.write(h.agentStore(), { version: 1, profiles });
  for (const argv of [['status', '--no-sync'], ['status', '--no-sync', '--plain'], ['doctor'], ['sync', '--dry-run']]) {
    const o = await runInProcess(argv, h.env);
    assertSafeOutput(o);
    for (const ch of invisible)
      assert.ok(
        !(o.stdout + o.stderr).includes(ch),
        `${argv.join(' ')}: U+${ch.codePointAt(0)?.toString(16)} printed raw`,
      );
  }
  assert.equal(escapeControls('anthropic:claude-cli\u200b'), 'anthropic:claude-cli\\u200b');
  assert.equal(escapeControls('k\u{e0041}'), 'k\\u{e0041}');
  assert.equal(escapeControls('soft\u00adhyphen'), 'soft\\xadhyphen');
  // Ordinary non-ASCII text stays readable.
  assert.equal(escapeControls('café Ελληνικά 日本語'), 'café Ελληνικά 日本語');
  // The window and the tray menu treat the same characters the same way.
  for (const ch of invisible) {
    assert.equal(
      rendererEscape(`a${ch}`),
      escapeControls(`a${ch}`),
      `the window shows U+${ch.codePointAt(0)?.toString(16)} like the terminal`,
    );
    assert.ok(!safeLabel(`a${ch}b`).includes(ch), `the tray label keeps U+${ch.codePointAt(0)?.toString(16)}`);
  }
});

test(
  'a file another user owns: owner-aware sentences, no chmod that cannot work, no double period, sync says it once',
  {
    skip: typeof process.getuid !== 'function' || process.getuid() !== 0 ? 'needs root to run as another user' : false,
  },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    h.write(h.agentStore(), {
      version: 1,
      profiles: { 'openai:k': { type: 'api_key', provider: 'openai', key: secret('api') } },
    });
    h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
    // Root owns everything; uid 65534 may walk in and read the (0644) store, not the 0600 login.
    for (const d of [
      '',
      '.clawdbot',
      '.clawdbot/agents',
      '.clawdbot/agents/main',
      '.clawdbot/agents/main/agent',
      '.claude',
    ])
      chmodSync(h.path(d), 0o755);
    chmodSync(h.path(h.agentStore()), 0o644);
    chmodSync(h.path('.claude', '.credentials.json'), 0o600);
    // A world-readable copy of the build, run from outside the checkout: the checkout may sit in
    // a private (0700) directory this user cannot enter.
    const bin = authbarBinForNobody();
    const asNobody = (argv: string[]) =>
      runProcess(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...argv],
        h.env,
        { cwd: dirname(dirname(bin)) },
      );
    for (const argv of [['doctor'], ['doctor', '--fix']]) {
      const r = await asNobody(argv);
      const text = r.stdout + r.stderr;
      assert.notEqual(r.code, 70, text);
      assert.doesNotMatch(text, /\.\./, `${argv.join(' ')}: a double period: ${text}`);
      assert.doesNotMatch(
        text,
        /fix: chmod 6?[04]0 \S*auth-profiles\.json/,
        `${argv.join(' ')}: suggests a chmod this user cannot run: ${text}`,
      );
      assert.match(text, /belongs to another user \(uid 0\)/, text);
      assert.doesNotMatch(text, /e\.g\. `chmod 600 \S*\.credentials\.json`/, text);
      assert.match(text, /sudo chown \S+ \S*\.credentials\.json/, text);
    }
    const s = await asNobody(['sync']);
    const lines = (s.stdout + s.stderr).split('\n').filter((l) => l.includes('not synced') || l.includes('could not'));
    const sentences = (s.stdout + s.stderr)
      .split('\n')
      .map((l) => l.replace(/^(authbar|main): (not synced: )?/, ''))
      .filter((l) => l !== '');
    assert.equal(
      new Set(sentences).size,
      sentences.length,
      `sync repeats a sentence: ${s.stdout}${s.stderr} ${lines.length}`,
    );
  },
);

test('a huge credential value neither breaks a command nor reaches an error: known secrets are found without one giant expression', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // Long, repetitive values: joined into one regular expression they exceed what V8 compiles.
  const huge = 'Ab1'.repeat(11_000);
  issuedSecrets.add(huge);
  const others = Array.from({ length: 40 }, (_, i) => `${String.fromCharCode(65 + (i % 26))}x`.repeat(900) + i);
  for (const o of others) issuedSecrets.add(o);
  const profiles: Record<string, unknown> = {
    'openai:huge': { type: 'api_key', provider: 'openai', key: huge, email: `${huge.slice(0, 40)} copy ${huge}` },
  };
  others.forEach((k, i) => (profiles[`openai:k${i}`] = { type: 'api_key', provider: 'openai', key: k }));
  h.write(h.agentStore(), { version: 1, profiles });
  for (const argv of [['status'], ['status', '--json', '--no-sync'], ['doctor'], ['sync', '--dry-run']]) {
    const r = await runCli(argv, h.env);
    assert.notEqual(r.code, 70, `${argv.join(' ')} failed unexpectedly: ${r.stderr.slice(0, 300)}`);
    const text = r.stdout + r.stderr;
    assert.doesNotMatch(text, /Regular expression/, argv.join(' '));
    assert.ok(!text.includes(huge.slice(0, 64)), `${argv.join(' ')} printed part of the huge secret`);
    for (const k of others) assert.ok(!text.includes(k), `${argv.join(' ')} printed a secret`);
  }
});

test('maskKnownSecrets masks every known value, the longest first, and leaves other text alone', () => {
  const long = 'K'.repeat(40_000);
  const short = 'ShortSecret1';
  const known = new Set([short, long, 'tiny']);
  const out = maskKnownSecrets(`a ${long} b ${short} c tiny`, known);
  assert.ok(!out.includes('KKKKKKKK'), 'the long value is masked');
  assert.ok(!out.includes(short), 'the short value is masked');
  assert.match(out, /^a .+ b .+ c tiny$/, 'values under the minimum length and the rest stay');
  assert.equal(maskKnownSecrets('nothing here', known), 'nothing here');
});

test('prefixes a message names on purpose stay readable; a prefix with a secret body is still masked', async (t) => {
  for (const keep of [
    'a setup token starts with `sk-ant-oat01-…`',
    'a setup token starts with `sk-ant-oat01-` and an API key with `sk-ant-api`',
    'an API key (`sk-ant-api03-…`), a refresh token (sk-ant-ort01-), an OpenAI key (sk-…, sk-proj-)',
    'the masked form sk-ant-oat01-…Xy12',
    'sk-ant-oat01',
  ])
    assert.equal(scrubSecrets(keep), keep);
  for (const masked of [
    'sk-ant-oat01-AbCd3fGh',
    `sk-ant-api03-${'Zz9'.repeat(30)}`,
    'sk-Ab3dEfGh1jKl',
    'sk-proj-Ab3dEfGh1j',
  ])
    assert.doesNotMatch(scrubSecrets(`key ${masked}.`), new RegExp(masked.slice(-6)), masked);

  // End to end: the wording `token add` gives for a wrong or short token names the prefix it wants.
  const h = makeHome();
  t.after(() => h.cleanup());
  const add = async (stdin: string): Promise<{ code: number; stderr: string }> => {
    let stderr = '';
    const io = {
      stdout: () => {},
      stderr: (s: string) => void (stderr += s),
      isTTY: false,
      stdin: Readable.from([stdin]),
    };
    const code = await run(['token', 'add', '--provider', 'anthropic', '--no-vault'], io, { env: h.env });
    return { code, stderr };
  };
  const wrong = await add('sk-foo-12345\n');
  assert.equal(wrong.code, 65);
  assert.match(wrong.stderr, /starts with `sk-ant-oat01-` and an API key with `sk-ant-api`/);
  const short = await add('sk-ant-oat01-abc\n');
  assert.equal(short.code, 65);
  assert.match(short.stderr, /at least 80 after `sk-ant-oat01-`/);
});

test('C1 controls and bidi marks from files: \\u escapes in every --json (exact when parsed), visible escapes in text', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const odd = [
    'c1\u0085\u009b31m',
    'alm\u061c',
    'lrm\u200e\u200f',
    'emb\u202a\u202b\u202c\u202d\u202e',
    'iso\u2066\u2067\u2068\u2069',
  ];
  const RAW = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const profiles: Record<string, unknown> = {};
  const usageStats: Record<string, unknown> = {};
  for (const n of odd) {
    profiles[`anthropic:${n}`] = { type: 'api_key', provider: 'anthropic', key: secret('api'), email: n };
    usageStats[`anthropic:${n}`] = { disabledUntil: Date.now() + DAY, disabledReason: n };
  }
  h.write(h.agentStore(), { version: 1, profiles, usageStats });
  mkdirSync(join(h.state, 'agents', 'bidi\u202eagent', 'agent'), { recursive: true });
  const outs = await everyOutput(h);
  for (const o of outs)
    assert.doesNotMatch(o.stdout + o.stderr, RAW, `${o.argv.join(' ')} prints a raw C1 or bidi mark`);
  const json = outs.find((o) => o.argv.join(' ') === 'status --no-sync --json')?.stdout ?? '';
  assert.ok(json.includes('c1\\u0085\\u009b31m') && json.includes('emb\\u202a\\u202b\\u202c\\u202d\\u202e'), json);
  const main = JSON.parse(json).agents.find((a: { agentId: string }) => a.agentId === 'main');
  const ids = new Set(main.profiles.map((p: { profileId: string }) => p.profileId));
  for (const n of odd) assert.ok(ids.has(`anthropic:${n}`), `--json keeps ${JSON.stringify(n)} exactly`);
  const text = outs.find((o) => o.argv.join(' ') === 'status --no-sync')?.stdout ?? '';
  assert.ok(text.includes('c1\\x85\\x9b31m') && text.includes('iso\\u2066\\u2067\\u2068\\u2069'), text);
});
