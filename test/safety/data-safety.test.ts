/**
 * Data safety (DESIGN §3): AuthBar never damages a file it does not fully understand, its
 * writes are atomic under SIGKILL, it loses no concurrent update, it keeps symlinks, it
 * creates private files, and it never prints a secret. Real files, real processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import lockfile from 'proper-lockfile';
import {
  AUTHBAR_BIN,
  DAY,
  HOUR,
  assertNoSecrets,
  claudeCredentials,
  codexJwt,
  makeHome,
  runAuthbar,
  runProcess,
  secret,
  type TempHome,
} from '../support/home.js';
import { ENGINE_STORE_JS, allStrings, sleep } from '../support/fsutil.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/tree.js';
import { runCli } from '../support/cli.js';

const STORE_REL = join('.clawdbot', 'agents', 'main', 'agent', 'auth-profiles.json');

/** A Claude Code login newer than anything stored, so every healthy run would write. */
function withFreshClaudeLogin(h: TempHome): void {
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
}

// ---------------------------------------------------------------------------------------
// 1. An unparsable store is never overwritten, whatever the command.
// ---------------------------------------------------------------------------------------

const apiKeyForBroken = secret('api');
const UNPARSABLE_STORES: Array<{ kind: string; content: Buffer }> = [
  {
    kind: 'truncated JSON',
    content: Buffer.from(
      `{\n  "version": 1,\n  "profiles": {\n    "openai:default": { "type": "api_key", "provider": "openai", "key": "${apiKeyForBroken}`,
    ),
  },
  { kind: 'empty file', content: Buffer.alloc(0) },
  { kind: 'whitespace only', content: Buffer.from('  \n\n\t \n') },
  { kind: 'NUL bytes (a crash before the data reached the disk)', content: Buffer.alloc(512, 0) },
  {
    kind: 'binary garbage',
    content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0x13]),
  },
  {
    kind: 'invalid UTF-8 inside a string',
    content: Buffer.concat([
      Buffer.from('{"version":1,"profiles":{"x:y":{"type":"api_key","provider":"x","key":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}}\n'),
    ]),
  },
  {
    kind: 'trailing garbage after the object',
    content: Buffer.from(
      `{"version":1,"profiles":{"openai:default":{"type":"api_key","provider":"openai","key":"${apiKeyForBroken}"}}}}\n`,
    ),
  },
  {
    kind: 'a hand-edited comment and trailing comma',
    content: Buffer.from(
      `{\n  // my keys\n  "version": 1,\n  "profiles": { "openai:default": { "type": "api_key", "provider": "openai", "key": "${apiKeyForBroken}" }, },\n}\n`,
    ),
  },
  { kind: 'a JSON array', content: Buffer.from('[]\n') },
  { kind: 'profiles is null', content: Buffer.from('{"version":1,"profiles":null}\n') },
];

for (const { kind, content } of UNPARSABLE_STORES) {
  test(`an unparsable store (${kind}) stays byte-identical through sync, status and doctor`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    withFreshClaudeLogin(h);
    const storePath = h.write(STORE_REL, '');
    writeFileSync(storePath, content);
    // An mtime in the past: a rewrite with the same bytes would still show.
    const past = new Date(Date.now() - HOUR);
    utimesSync(storePath, past, past);
    const before = treeSnapshot(h.home);
    const st0 = statSync(storePath);

    const sync = await runCli(['sync'], h.env);
    assert.equal(sync.code, 65, `sync exit code; stderr: ${sync.stderr}`);
    assert.ok(sync.stderr.includes(storePath), `sync names the store path: ${sync.stderr}`);
    assert.match(sync.stderr, /authbar doctor --fix/, 'sync says what to do');
    assert.match(sync.stderr, /not overwrite|move it aside|restore it/, 'sync says the file is kept');

    const status = await runCli(['status'], h.env);
    assert.equal(status.code, 0, `status exit code; stderr: ${status.stderr}`);
    assert.ok(status.stderr.includes(storePath), 'status names the store path on stderr');
    assert.match(
      status.stdout,
      /^main\s+\(store unusable\)\s+-\s+-\s+-\s+NOW\s+store cannot be used/m,
      `status shows the agent as an error:\n${status.stdout}`,
    );

    const plain = await runCli(['status', '--plain'], h.env);
    assert.equal(plain.code, 0);
    assert.deepEqual(plain.stdout.trim().split('\t'), ['main', '-', '-', '-', 'error', '-', '-', 'now']);

    const check = await runCli(['status', '--check'], h.env);
    assert.equal(check.code, 1, `status --check exits 1 (action now); stderr: ${check.stderr}`);
    assert.ok(check.stderr.includes(storePath));

    const json = await runCli(['status', '--json'], h.env);
    assert.equal(json.code, 0);
    const snap = JSON.parse(json.stdout);
    const main = snap.agents.find((a: { agentId: string }) => a.agentId === 'main');
    assert.equal(main.storeStatus, 'error');
    assert.ok(typeof main.error === 'string' && main.error.includes(storePath));
    assert.equal(snap.overall.attention, 'now');

    const doctor = await runCli(['doctor'], h.env);
    assert.equal(doctor.code, 1, 'doctor without --fix reports the store as failing');
    assert.ok(doctor.stdout.includes(storePath));

    const after = treeSnapshot(h.home);
    assertTreeUnchanged(before, after, kind);
    const st1 = statSync(storePath);
    assert.equal(st1.mtimeMs, st0.mtimeMs, 'mtime unchanged');
    assert.deepEqual(readFileSync(storePath), content, 'bytes unchanged');
    // No error message may carry the file's raw content.
    for (const r of [sync, status, check, json, doctor]) assertNoSecrets(kind, r.stdout + r.stderr);
  });
}

test('only `doctor --fix` moves an unparsable store aside, keeping its bytes, and then writes anew', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withFreshClaudeLogin(h);
  const broken = Buffer.from(
    `{"version":1,"profiles":{"openai:default":{"type":"api_key","provider":"openai","key":"${secret('api')}"`,
  );
  const storePath = h.write(STORE_REL, '');
  writeFileSync(storePath, broken);
  const r = await runCli(['doctor', '--fix'], h.env);
  assert.notEqual(r.code, 70, r.stderr);
  const dir = dirname(storePath);
  const aside = readdirSync(dir).filter((n) => n.startsWith('auth-profiles.json.corrupt-'));
  assert.equal(aside.length, 1, `one quarantined copy in ${readdirSync(dir).join(', ')}`);
  assert.deepEqual(
    readFileSync(join(dir, aside[0] as string)),
    broken,
    'the quarantined copy holds the original bytes',
  );
  const fresh = JSON.parse(readFileSync(storePath, 'utf8'));
  assert.equal(
    fresh.profiles['anthropic:claude-cli']?.type,
    'oauth',
    'a fresh store with the synced login was written',
  );
});

// ---------------------------------------------------------------------------------------
// 2. SIGKILL in a tight write loop never leaves an unparsable store.
// ---------------------------------------------------------------------------------------

const PROFILE_COUNT = 150;

/** A writer that rewrites the whole store as fast as it can; every version is self-consistent. */
function writerScript(): string {
  return `import { updateStore } from ${JSON.stringify(pathToFileURL(ENGINE_STORE_JS).href)};
const path = process.argv[2];
const pad = 'x'.repeat(200);
for (;;) {
  const out = await updateStore(path, (cur) => {
    const n = (cur?.usageStats?.['counter:loop']?.errorCount ?? 0) + 1;
    const profiles = {};
    for (let i = 0; i < ${PROFILE_COUNT}; i++) profiles['openai:p' + i] = { type: 'api_key', provider: 'openai', key: 'k-' + n + '-' + i + '-' + pad };
    return { next: { version: 1, profiles, usageStats: { 'counter:loop': { errorCount: n, lastUsed: Date.now() } }, foreign: { n } }, result: n };
  });
  process.stdout.write(out.result + '\\n');
}
`;
}

/** Runs the writer, kills it with SIGKILL `delayMs` after its first committed write; returns the last count it reported. */
function killWriterMidLoop(
  script: string,
  storePath: string,
  delayMs: number,
): Promise<{ lastReported: number; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, storePath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!armed && out.includes('\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      const lines = out.split('\n').filter((l) => /^\d+$/.test(l));
      resolve({ lastReported: Number(lines[lines.length - 1] ?? 0), signal, stderr: err });
    });
  });
}

test('a writer killed with SIGKILL at random moments never leaves an unparsable or mixed store', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const scriptDir = mkdtempSync(join(tmpdir(), 'authbar-writer-'));
  t.after(() => rmSync(scriptDir, { recursive: true, force: true }));
  const script = join(scriptDir, 'writer.mjs');
  writeFileSync(script, writerScript());
  const storePath = h.path(STORE_REL);
  const dir = dirname(storePath);

  const ROUNDS = 30;
  let previous = 0;
  let progressed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const delay = Math.floor(Math.random() * 60);
    const r = await killWriterMidLoop(script, storePath, delay);
    assert.equal(r.signal, 'SIGKILL', `round ${round}: the writer died by SIGKILL, not by itself (${r.stderr})`);

    const text = readFileSync(storePath, 'utf8');
    let store;
    try {
      store = JSON.parse(text);
    } catch (err) {
      assert.fail(`round ${round} (killed ${delay} ms in): the store does not parse: ${(err as Error).message}`);
    }
    const n = store.usageStats?.['counter:loop']?.errorCount;
    assert.equal(store.version, 1);
    assert.equal(typeof n, 'number', `round ${round}: counter present`);
    const ids = Object.keys(store.profiles);
    assert.equal(ids.length, PROFILE_COUNT, `round ${round}: every profile present`);
    // One version, not a mix of two: every profile was written in the same update as the counter.
    for (const id of ids)
      assert.ok(store.profiles[id].key.startsWith(`k-${n}-`), `round ${round}: ${id} belongs to version ${n}`);
    assert.deepEqual(store.foreign, { n }, `round ${round}: unknown keys written with the same version`);
    // Every update the writer saw committed survived the kill; and nothing went backwards.
    assert.ok(n >= r.lastReported, `round ${round}: file holds version ${n}, writer had committed ${r.lastReported}`);
    assert.ok(n >= previous, `round ${round}: version went back from ${previous} to ${n}`);
    if (n > previous) progressed++;
    previous = n;
    assert.equal(statSync(storePath).mode & 0o777, 0o600, 'the store stays 0600');

    // A SIGKILLed writer leaves its proper-lockfile lock for 30 s; clear it as `doctor --fix`
    // would, so the next round does not wait (this test is about the file, not the lock).
    rmSync(`${storePath}.lock`, { recursive: true, force: true });
  }
  assert.ok(progressed >= ROUNDS / 2, `the writer made progress in most rounds (${progressed}/${ROUNDS})`);
  const leftovers = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
  for (const name of leftovers)
    assert.match(name, /^\.auth-profiles\.json\.\d+\.[0-9a-f]+\.tmp$/, 'only AuthBar temp files are left');
  t.diagnostic(`${leftovers.length} temp file(s) left by ${ROUNDS} SIGKILLs; final version ${previous}`);
});

// ---------------------------------------------------------------------------------------
// 3. Twenty concurrent syncs plus a usage-stats writer lose no update.
// ---------------------------------------------------------------------------------------

function incrementerScript(): string {
  return `import { updateStore } from ${JSON.stringify(pathToFileURL(ENGINE_STORE_JS).href)};
const path = process.argv[2];
const n = Number(process.argv[3]);
for (let i = 0; i < n; i++) {
  await updateStore(path, (cur) => {
    if (!cur) throw new Error('the store vanished');
    const stats = { ...(cur.usageStats ?? {}) };
    const prev = stats['openai:default'] ?? {};
    stats['openai:default'] = { ...prev, errorCount: (prev.errorCount ?? 0) + 1, lastUsed: Date.now() };
    return { next: { ...cur, usageStats: stats }, result: null };
  });
  await new Promise((r) => setTimeout(r, Math.random() * 15));
}
process.stdout.write('done ' + n + '\\n');
`;
}

test('20 concurrent `authbar sync` runs and a usage-stats writer under the same lock lose no update', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const scriptDir = mkdtempSync(join(tmpdir(), 'authbar-incr-'));
  t.after(() => rmSync(scriptDir, { recursive: true, force: true }));
  const script = join(scriptDir, 'incrementer.mjs');
  writeFileSync(script, incrementerScript());

  const apiKey = secret('api');
  const storePath = h.write(STORE_REL, {
    version: 1,
    profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: apiKey } },
    usageStats: { 'openai:default': { errorCount: 0 } },
    gatewayNote: 'kept',
  });

  // Each sync reads its own Claude Code config dir; later ones hold later logins.
  const SYNCS = 20;
  const base = Date.now() + 2 * HOUR;
  const logins = Array.from({ length: SYNCS }, (_, i) => {
    const access = secret('access');
    const expiresAt = base + i * 60_000;
    h.write(`claude-${i}/.credentials.json`, claudeCredentials({ expiresAt, access }));
    return { access, expiresAt, dir: h.path(`claude-${i}`) };
  });

  const INCREMENTS = 40;
  const incr = runProcess(process.execPath, [script, storePath, String(INCREMENTS)], h.env);
  const syncs = logins.map((l) => runAuthbar(['sync', '--json'], { ...h.env, CLAUDE_CONFIG_DIR: l.dir }));
  const [incrResult, ...syncResults] = await Promise.all([incr, ...syncs]);

  assert.equal(incrResult?.code, 0, `the usage-stats writer finished: ${incrResult?.stderr}`);
  assert.match(incrResult?.stdout ?? '', new RegExp(`done ${INCREMENTS}`));
  let wrote = 0;
  syncResults.forEach((r, i) => {
    assert.equal(r.code, 0, `sync ${i} exit code; stderr: ${r.stderr}`);
    const report = JSON.parse(r.stdout);
    const main = report.agents.find((a: { agentId: string }) => a.agentId === 'main');
    assert.equal(main.error, null, `sync ${i}: ${main.error}`);
    if (main.wrote) wrote++;
  });
  assert.ok(wrote >= 1, 'at least one sync wrote');

  const store = JSON.parse(readFileSync(storePath, 'utf8'));
  const newest = logins[SYNCS - 1];
  assert.ok(newest);
  const claude = store.profiles['anthropic:claude-cli'];
  assert.equal(claude?.type, 'oauth', 'the synced profile is present');
  assert.equal(claude.expires, newest.expiresAt, 'the store holds the newest login');
  assert.ok(claude.access === newest.access, 'the store holds the newest access token');
  assert.equal(store.usageStats['openai:default'].errorCount, INCREMENTS, 'every usage-stats increment survived');
  assert.ok(store.profiles['openai:default'].key === apiKey, 'the user key is untouched');
  assert.equal(store.gatewayNote, 'kept', 'unknown top-level keys are kept');
  assert.equal(existsSync(`${storePath}.lock`), false, 'no lock left behind');
  assert.deepEqual(
    readdirSync(dirname(storePath)).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp file left behind',
  );
  t.diagnostic(`${wrote} of ${SYNCS} syncs wrote`);
});

// ---------------------------------------------------------------------------------------
// 4. Symlinked stores stay symlinks; the lock and temp file sit beside the real file.
// ---------------------------------------------------------------------------------------

interface LinkedHome {
  h: TempHome;
  realA: string;
  linkB: string;
  linkC: string;
  outside: string;
  apiKey: string;
}

function linkedHome(): LinkedHome {
  const h = makeHome();
  const apiKey = secret('api');
  const seed = { version: 1, profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: apiKey } } };
  const realA = h.write('.clawdbot/agents/a/agent/auth-profiles.json', seed);
  mkdirSync(h.path('.clawdbot/agents/b/agent'), { recursive: true, mode: 0o700 });
  const linkB = h.path('.clawdbot/agents/b/agent/auth-profiles.json');
  symlinkSync('../../a/agent/auth-profiles.json', linkB);
  const outside = h.write('shared/elsewhere/auth-profiles.json', seed);
  mkdirSync(h.path('.clawdbot/agents/c/agent'), { recursive: true, mode: 0o700 });
  const linkC = h.path('.clawdbot/agents/c/agent/auth-profiles.json');
  symlinkSync(outside, linkC);
  withFreshClaudeLogin(h);
  return { h, realA, linkB, linkC, outside, apiKey };
}

test('a symlinked store stays a symlink and its target gets the update', async (t) => {
  const { h, realA, linkB, linkC, outside, apiKey } = linkedHome();
  t.after(() => h.cleanup());
  const r = await runCli(['sync'], h.env);
  assert.equal(r.code, 0, r.stderr);

  assert.ok(lstatSync(linkB).isSymbolicLink(), 'b is still a symlink');
  assert.equal(readlinkSync(linkB), '../../a/agent/auth-profiles.json', 'b still points where it did');
  assert.ok(lstatSync(linkC).isSymbolicLink(), 'c is still a symlink');
  assert.equal(readlinkSync(linkC), outside, 'c still points outside the state dir');
  for (const real of [realA, outside]) {
    const store = JSON.parse(readFileSync(real, 'utf8'));
    assert.equal(store.profiles['anthropic:claude-cli']?.type, 'oauth', `${real} got the synced login`);
    assert.ok(store.profiles['openai:default'].key === apiKey, `${real} kept its key`);
    assert.ok(lstatSync(real).isFile());
    assert.equal(statSync(real).mode & 0o777, 0o600);
  }
  for (const d of ['a', 'b', 'c']) {
    const names = readdirSync(h.path(`.clawdbot/agents/${d}/agent`));
    assert.deepEqual(
      names.filter((n) => n.endsWith('.tmp') || n.endsWith('.lock')),
      [],
      `nothing left in agent ${d}`,
    );
  }
  // A second run finds every route in step and writes nothing.
  const again = await runCli(['sync', '--json'], h.env);
  assert.equal(again.code, 0, again.stderr);
  for (const a of JSON.parse(again.stdout).agents)
    assert.equal(a.wrote, false, `agent ${a.agentId} rewrote an in-step store`);
});

test('a sync through a symlink locks and writes beside the real file, never beside the link', async (t) => {
  const { h, linkC, outside } = linkedHome();
  t.after(() => h.cleanup());
  const seen: Record<'real' | 'link', string[]> = { real: [], link: [] };
  const wReal = watch(dirname(outside), (_e, name) => name && seen.real.push(String(name)));
  const wLink = watch(dirname(linkC), (_e, name) => name && seen.link.push(String(name)));
  try {
    const r = await runCli(['sync', '--agent', 'c'], h.env);
    assert.equal(r.code, 0, r.stderr);
    await sleep(100);
  } finally {
    wReal.close();
    wLink.close();
  }
  assert.ok(
    seen.real.includes('auth-profiles.json.lock'),
    `the lock dir appeared beside the real file (saw: ${seen.real.join(', ')})`,
  );
  assert.ok(
    seen.real.some((n) => n.endsWith('.tmp')),
    'the temp file was written beside the real file',
  );
  assert.deepEqual(
    seen.link.filter((n) => n.endsWith('.lock') || n.endsWith('.tmp')),
    [],
    'nothing was created beside the link',
  );
  assert.ok(lstatSync(linkC).isSymbolicLink());
  assert.equal(JSON.parse(readFileSync(outside, 'utf8')).profiles['anthropic:claude-cli']?.type, 'oauth');
});

test('a sync through a symlink waits for a lock held on the real file (as a gateway would hold it)', async (t) => {
  const { h, realA, linkB } = linkedHome();
  t.after(() => h.cleanup());
  const before = readFileSync(realA);
  // Clawdbot's own lock: proper-lockfile on the real store path.
  const release = await lockfile.lock(realA, { realpath: false, stale: 30_000 });
  let released = false; // eslint-disable-line no-useless-assignment
  const started = Date.now();
  const running = runAuthbar(['sync', '--agent', 'b'], h.env).then((r) => ({ ...r, finishedAt: Date.now() }));
  try {
    await sleep(900);
    assert.deepEqual(readFileSync(realA), before, 'nothing written while the lock was held');
    assert.equal(existsSync(`${linkB}.lock`), false, 'no lock was taken beside the link instead');
  } finally {
    await release();
    released = true;
  }
  const r = await running;
  assert.ok(released);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.finishedAt - started >= 900, `sync waited for the lock (${r.finishedAt - started} ms)`);
  assert.equal(JSON.parse(readFileSync(realA, 'utf8')).profiles['anthropic:claude-cli']?.type, 'oauth', 'then wrote');
  assert.ok(lstatSync(linkB).isSymbolicLink());
});

// ---------------------------------------------------------------------------------------
// 5. Files AuthBar creates are 0600, directories 0700 — even under a permissive umask.
// ---------------------------------------------------------------------------------------

test('a first sync creates the agents and agent dirs as 0700 and the store as 0600, even with umask 000', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withFreshClaudeLogin(h);
  // The gateway creates its state dir; AuthBar never does (a host without one has no gateway).
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 });
  const r = await runProcess(
    '/bin/sh',
    ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, AUTHBAR_BIN, 'sync'],
    h.env,
  );
  assertNoSecrets('authbar sync', r.stdout + r.stderr);
  assert.equal(r.code, 0, r.stderr);
  for (const d of ['.clawdbot/agents', '.clawdbot/agents/main', '.clawdbot/agents/main/agent']) {
    const st = statSync(h.path(d));
    assert.ok(st.isDirectory());
    assert.equal((st.mode & 0o777).toString(8), '700', `${d} mode`);
  }
  const st = statSync(h.path(STORE_REL));
  assert.equal((st.mode & 0o777).toString(8), '600', 'store mode');
  assert.equal(h.readJson(STORE_REL).profiles['anthropic:claude-cli'].type, 'oauth');
});

test('rewriting a store through CLAWDBOT_STATE_DIR elsewhere also creates private dirs (umask 000)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withFreshClaudeLogin(h);
  const state = h.path('srv', 'clawdbot-state');
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const env = { ...h.env, CLAWDBOT_STATE_DIR: state };
  const r = await runProcess(
    '/bin/sh',
    ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, AUTHBAR_BIN, 'sync'],
    env,
  );
  assertNoSecrets('authbar sync', r.stdout + r.stderr);
  assert.equal(r.code, 0, r.stderr);
  for (const d of [join(state, 'agents'), join(state, 'agents', 'main', 'agent')]) {
    assert.equal((statSync(d).mode & 0o777).toString(8), '700', `${d} mode`);
  }
  assert.equal(
    (statSync(join(state, 'agents', 'main', 'agent', 'auth-profiles.json')).mode & 0o777).toString(8),
    '600',
  );
});

// ---------------------------------------------------------------------------------------
// 6. No command prints a secret, in any format.
// ---------------------------------------------------------------------------------------

test('no secret appears in the output of status (all formats), sync, doctor', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const claudeAccess = secret('access');
  const claudeRefresh = secret('refresh');
  h.write(
    '.claude/.credentials.json',
    claudeCredentials({ expiresAt: Date.now() + 8 * HOUR, access: claudeAccess, refresh: claudeRefresh }),
  );
  const codexAccess = codexJwt(Date.now() + 5 * DAY);
  const codexRefresh = secret('codex-refresh');
  const idToken = codexJwt(Date.now() + 5 * DAY);
  h.write('.codex/auth.json', {
    tokens: { access_token: codexAccess, refresh_token: codexRefresh, id_token: idToken, account_id: 'acct-1' },
    last_refresh: new Date().toISOString(),
  });
  const qwenAccess = secret('qwen');
  const qwenRefresh = secret('qwen');
  h.write('.qwen/oauth_creds.json', {
    access_token: qwenAccess,
    refresh_token: qwenRefresh,
    expiry_date: Date.now() + 3 * HOUR,
    token_type: 'Bearer',
  });
  const apiKey = secret('api');
  const setupToken = secret('setup');
  const staleAccess = secret('access');
  const staleRefresh = secret('refresh');
  const store = {
    version: 1,
    profiles: {
      'openai:default': { type: 'api_key', provider: 'openai', key: apiKey },
      'anthropic:setup': { type: 'token', provider: 'anthropic', token: setupToken, expires: Date.now() + 300 * DAY },
      'anthropic:claude-cli': {
        type: 'oauth',
        provider: 'anthropic',
        access: staleAccess,
        refresh: staleRefresh,
        expires: Date.now() - HOUR,
      },
      // Claude Code's field names where Clawdbot's belong: doctor complains, must not quote.
      'anthropic:wrong': {
        type: 'oauth',
        provider: 'anthropic',
        accessToken: secret('access'),
        refreshToken: secret('refresh'),
        expiresAt: Date.now(),
      },
    },
  };
  h.write(STORE_REL, store);
  h.write('.clawdbot/agents/ops/agent/auth-profiles.json', store);
  const all = [
    claudeAccess,
    claudeRefresh,
    codexAccess,
    codexRefresh,
    idToken,
    qwenAccess,
    qwenRefresh,
    apiKey,
    setupToken,
    staleAccess,
    staleRefresh,
  ];

  const runs: Array<[string[], number[]]> = [
    [['status'], [0]],
    [['status', '--plain'], [0]],
    [['status', '--json'], [0]],
    [
      ['status', '--check'],
      [0, 1, 2],
    ],
    [
      ['status', '--check', '--strict'],
      [0, 1, 2],
    ],
    [['status', '--no-sync', '--json'], [0]],
    [['sync', '--dry-run'], [0]],
    [['sync', '--dry-run', '--json'], [0]],
    [['doctor'], [0, 1, 2]],
    [
      ['doctor', '--json'],
      [0, 1, 2],
    ],
    [['sync'], [0]],
    [['sync', '--json'], [0]],
    [['status', '--json'], [0]],
    [
      ['doctor', '--fix'],
      [0, 1, 2],
    ],
    [
      ['doctor', '--json'],
      [0, 1, 2],
    ],
  ];
  let statusJson: string | undefined;
  for (const [args, codes] of runs) {
    const r = await runCli(args, h.env); // audits stdout + stderr for every issued secret
    assert.ok(codes.includes(r.code ?? -1), `authbar ${args.join(' ')} exit ${r.code}: ${r.stderr}`);
    // `status --check` off a terminal prints only its exit code; everything else prints a report.
    if (!args.includes('--check')) assert.ok(r.stdout.length > 0, `authbar ${args.join(' ')} printed something`);
    for (const s of all)
      assert.ok(!(r.stdout + r.stderr).includes(s), `authbar ${args.join(' ')} printed a whole secret`);
    if (args.join(' ') === 'status --json') statusJson = r.stdout;
  }

  // The secrets really are in the files the commands read (else the audit proves nothing)...
  const synced = h.readJson(STORE_REL);
  assert.ok(synced.profiles['anthropic:claude-cli'].access === claudeAccess, 'sync copied the Claude login');
  assert.ok(synced.profiles['openai-codex:codex-cli'].refresh === codexRefresh, 'sync copied the Codex login');
  // ...and status --json shows masks and fingerprints instead, no string holding any part of a secret.
  assert.ok(statusJson);
  const snap = JSON.parse(statusJson);
  // The public kind prefix (`sk-ant-oat01-`) and a JWT's header may show; the secret part may not.
  const secretPart = (s: string) =>
    s.split('.').length === 3 ? (s.split('.')[2] as string) : s.replace(/^(sk-ant-[a-z]+\d*-|rt_|qwen-)/, '');
  for (const str of allStrings(snap)) {
    for (const s of all) {
      const body = secretPart(s);
      for (let i = 0; i + 12 <= body.length; i += 6)
        assert.ok(
          !str.includes(body.slice(i, i + 12)),
          `status --json holds a piece of a secret in "${str.slice(0, 20)}…"`,
        );
    }
  }
  const main = snap.agents.find((a: { agentId: string }) => a.agentId === 'main');
  const profile = main.profiles.find((p: { profileId: string }) => p.profileId === 'openai:default');
  assert.equal(typeof profile.masked, 'string');
  assert.ok(
    profile.masked.endsWith(apiKey.slice(-4)),
    `masked form ends with the last 4 characters (${profile.masked})`,
  );
  assert.equal(typeof profile.fingerprint, 'string');
  assert.ok(profile.fingerprint.length > 0);
});
