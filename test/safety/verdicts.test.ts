/**
 * Verdicts that must not be wrong: agents named in the settings or on the command line
 * that do not exist, dir names that are no agent ids, output cut short by the reader,
 * and `--version`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUTHBAR_BIN,
  DAY,
  HOUR,
  ROOT,
  claudeCredentials,
  makeHome,
  runAuthbar,
  secret,
  assertNoSecrets,
} from '../support/home.js';
import { USAGE } from '../../main/cli/main.js';
import { assertSafeOutput, runInProcess } from '../support/outputs.js';
import { treeSnapshot, assertTreeUnchanged } from '../support/tree.js';
import { runCli } from '../support/cli.js';

const token = (expires: number) => ({ type: 'token', provider: 'anthropic', token: secret('setup'), expires });

test('settings naming agents that do not exist: status --check says so and exits 1, never "all", never a silent drop', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': token(Date.now() + 300 * DAY) } });
  h.write(h.agentStore('ops'), { version: 1, profiles: { 'anthropic:setup': token(Date.now() - HOUR) } });
  // Only unknown names: nothing is widened to "all" (ops, which is broken, is not looked at) and cron hears of it.
  h.write('.config/authbar/settings.json', { agents: ['mian'] });
  let r = await runInProcess(['status', '--check', '--no-sync'], h.env);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /settings file .*settings\.json names agent "mian", which does not exist under .*agents: fix the "agents" list/,
  );
  let json = JSON.parse((await runInProcess(['status', '--json', '--no-sync'], h.env)).stdout);
  assert.deepEqual(json.agents, []);
  assert.deepEqual(json.unknownAgents, ['mian']);
  assert.equal(json.overall.attention, 'now');
  // Partly unknown: the known one is checked, the unknown one still reported.
  h.write('.config/authbar/settings.json', { agents: ['main', 'mian'] });
  r = await runInProcess(['status', '--check', '--no-sync'], h.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"mian"/);
  json = JSON.parse((await runInProcess(['status', '--json', '--no-sync'], h.env)).stdout);
  assert.deepEqual(
    json.agents.map((a: { agentId: string }) => a.agentId),
    ['main'],
  );
  // An empty list checks nothing: that is said too.
  h.write('.config/authbar/settings.json', { agents: [] });
  r = await runInProcess(['status', '--check', '--no-sync'], h.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /lists no agents/);
  // doctor warns about it as well.
  const d = await runInProcess(['doctor'], h.env);
  assert.match(d.stdout, /\[warn \] The AuthBar settings file .* lists no agents/);
  // All known: healthy.
  h.write('.config/authbar/settings.json', { agents: ['main'] });
  assert.equal((await runInProcess(['status', '--check', '--no-sync'], h.env)).code, 0);
});

test('--agent that is blank, only commas, or partly unknown is a usage error (64) naming the unknown ids, for status and sync, and nothing is written', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // A sync would write (Claude Code has a login main lacks): a usage error must stop it.
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': token(Date.now() + 300 * DAY) } });
  h.write(h.agentStore('ops'), { version: 1, profiles: {} });
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 5 * HOUR }));
  const before = treeSnapshot(h.home);
  for (const cmd of [['status'], ['status', '--check'], ['status', '--json'], ['sync'], ['sync', '--json']]) {
    for (const value of [' ', ',', ' , ,', 'main,', 'main,,ops']) {
      const r = await runInProcess([...cmd, '--agent', value], h.env);
      assert.equal(r.code, 64, `${cmd.join(' ')} --agent ${JSON.stringify(value)}: ${r.stderr}`);
      assert.match(r.stderr, /--agent/);
      assert.equal(r.stdout, '');
    }
    for (const value of ['nope', 'main,nope', 'nope,ops,gone', 'Main']) {
      const r = await runInProcess([...cmd, '--agent', value], h.env);
      assert.equal(r.code, 64, `${cmd.join(' ')} --agent ${value}`);
      const unknown = value.split(',').filter((v) => v !== 'main' && v !== 'ops');
      assert.match(r.stderr, new RegExp(`no agent named ${unknown.join(', ')} under .*; known agents: main, ops`));
      assert.equal(r.stdout, '');
    }
  }
  assertTreeUnchanged(before, treeSnapshot(h.home), 'usage errors');
  // The real executable says the same.
  const r = await runCli(['sync', '--agent', 'main,nope'], h.env);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /no agent named nope/);
  // And a known list works.
  const ok = await runInProcess(['sync', '--agent', 'ops, main'], h.env);
  assert.equal(ok.code, 0, ok.stderr);
});

test('dirs under agents/ that are not gateway agent ids are skipped with a doctor warning, never printed raw', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': token(Date.now() + 300 * DAY) } });
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 5 * HOUR }));
  // Clawdbot 2026.1 (normalizeAgentId) reads agents/<id>/agent only for ids matching
  // [a-z0-9][a-z0-9_-]{0,63}, lowercased: none of these is one it would use.
  const bad = ['Main', '-lead', '_x', 'a b', 'x'.repeat(65), 'ünï', 'esc\u001b[2J', 'nl\nx', 'dot.name', 'UPPER'];
  for (const name of bad)
    h.write(join('.clawdbot', 'agents', name, 'agent', 'auth-profiles.json'), {
      version: 1,
      profiles: { 'anthropic:setup': token(Date.now() - HOUR) },
    });
  mkdirSync(h.path('.clawdbot', 'agents', 'ok-agent_2', 'agent'), { recursive: true });
  const badStores = bad.map((n) => h.path('.clawdbot', 'agents', n, 'agent', 'auth-profiles.json'));
  const bytes = badStores.map((p) => readFileSync(p, 'utf8'));
  const json = JSON.parse((await runInProcess(['status', '--json'], h.env)).stdout);
  assert.deepEqual(json.agents.map((a: { agentId: string }) => a.agentId).sort(), ['main', 'ok-agent_2']);
  assert.deepEqual([...json.skippedAgentDirs].sort(), [...bad].sort());
  assert.equal(json.overall.attention, 'none', 'their expired tokens are not the gateway’s');
  for (const argv of [
    ['status'],
    ['status', '--plain'],
    ['sync'],
    ['doctor'],
    ['doctor', '--fix'],
    ['doctor', '--json'],
  ]) {
    const o = await runInProcess(argv, h.env);
    assertSafeOutput(o);
    if (argv[0] === 'doctor' && !argv.includes('--json')) {
      for (const name of ['Main', '-lead', 'esc\\x1b[2J', 'nl\\nx'])
        assert.ok(
          o.stdout.includes(`agents/${name} is not an agent id Clawdbot uses`),
          `doctor warns about ${name}:\n${o.stdout}`,
        );
    }
    if (argv[0] === 'status')
      for (const name of ['Main', 'UPPER', 'dot.name'])
        assert.ok(!o.stdout.includes(name), `${argv.join(' ')} lists ${name}`);
  }
  badStores.forEach((p, i) => assert.equal(readFileSync(p, 'utf8'), bytes[i], `${p} untouched`));
  // --agent with such a name is unknown (64).
  assert.equal((await runInProcess(['status', '--agent', 'Main'], h.env)).code, 64);
});

/** Runs `authbar <args> | <reader>` through bash and a real pipe; returns authbar's own exit code and stderr. */
function pipeInto(
  args: string[],
  reader: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; out: string }> {
  const quoted = [process.execPath, AUTHBAR_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} 2>"$ERRFILE" | ${reader}; echo "rc=\${PIPESTATUS[0]}"`;
  return new Promise((resolve, reject) => {
    const errFile = join(env['HOME'] as string, `pipe-${Math.random().toString(36).slice(2)}.err`);
    const child = spawn('bash', ['-c', script], {
      env: { ...env, ERRFILE: errFile },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      const m = /rc=(\d+)\s*$/.exec(out);
      resolve({ code: m ? Number(m[1]) : -1, stderr: readFileSync(errFile, 'utf8'), out });
    });
  });
}

test('output piped into a reader that quits early: no stack trace, and the command’s own exit code', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // Enough agents that the output is far larger than a pipe's buffer (64 KiB).
  const profiles: Record<string, unknown> = {};
  for (let i = 0; i < 8; i++) profiles[`openai:k${i}`] = { type: 'api_key', provider: 'openai', key: secret('api') };
  for (let a = 0; a < 150; a++) h.write(h.agentStore(`agent-${String(a).padStart(3, '0')}`), { version: 1, profiles });
  h.write(h.agentStore('main'), { version: 1, profiles: { ...profiles, 'anthropic:setup': token(Date.now() - HOUR) } });
  const cases: Array<{ args: string[]; reader: string; code: number }> = [
    { args: ['status', '--no-sync'], reader: 'head -1', code: 0 },
    { args: ['status', '--no-sync', '--json'], reader: 'head -1', code: 0 },
    { args: ['status', '--no-sync', '--plain'], reader: 'head -c 10', code: 0 },
    { args: ['status', '--no-sync'], reader: 'true', code: 0 },
    { args: ['doctor'], reader: 'head -1', code: 1 },
    { args: ['doctor', '--json'], reader: 'true', code: 1 },
    { args: ['sync', '--dry-run'], reader: 'head -1', code: 0 },
  ];
  for (const c of cases) {
    const r = await pipeInto(c.args, c.reader, h.env);
    assert.equal(
      r.code,
      c.code,
      `authbar ${c.args.join(' ')} | ${c.reader}: exit ${r.code}, stderr: ${r.stderr.slice(0, 400)}`,
    );
    assert.doesNotMatch(r.stderr, /EPIPE|Error|\s+at /, `authbar ${c.args.join(' ')} | ${c.reader}`);
    assertNoSecrets(c.args.join(' '), r.out + r.stderr);
  }
  // The whole output, read to the end, is still complete (the guard drops nothing early).
  const full = await runAuthbar(['status', '--no-sync', '--plain'], h.env);
  assert.equal(full.stdout.trim().split('\n').length, 150 * 8 + 9);
});

test('authbar --version and -V print the version from package.json, fast', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const started = Date.now();
    const r = await runAuthbar([flag], {});
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `authbar ${pkg.version}\n`);
    assert.ok(Date.now() - started < 5_000);
    assert.equal((await runInProcess([flag], {})).stdout, `authbar ${pkg.version}\n`);
  }
  assert.match(USAGE, /--version, -V/);
  // Built in: the bundle holds the version, so no file is read for it.
  assert.ok(readFileSync(join(ROOT, 'dist', 'cli', 'authbar.cjs'), 'utf8').includes(JSON.stringify(pkg.version)));
  assert.ok(statSync(join(ROOT, 'dist', 'cli', 'authbar.cjs')).size > 0);
});

test('an unparsable legacy store (Clawdbot 2026.1 ignores it) is soon-level, and the row, the headline and --check agree', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  h.write(h.agentStore('main'), { version: 1, profiles: {} });
  const legacy = h.write('.clawdbot/agent/auth-profiles.json', '{');
  await runInProcess(['sync'], h.env);
  const check = await runInProcess(['status', '--check'], h.env);
  assert.equal(check.code, 2, 'not green: the legacy store does not parse');
  const table = (await runInProcess(['status'], h.env)).stdout;
  assert.match(table, /^Attention soon:/m, table);
  assert.doesNotMatch(table, /All credentials healthy/);
  assert.match(table, /\(legacy\)\s+\(store unusable\)\s+-\s+-\s+-\s+soon\s/);
  assert.doesNotMatch(table, /NOW/);
  assert.ok(table.includes(`${legacy} does not parse`), table);
  const plain = (await runInProcess(['status', '--plain'], h.env)).stdout;
  assert.match(plain, /^\(legacy\)\t-\t-\t-\terror\t-\t-\tsoon$/m);
  const json = JSON.parse((await runInProcess(['status', '--json'], h.env)).stdout);
  assert.equal(json.overall.attention, 'soon');
  assert.equal(json.agents.find((a: { agentId: string }) => a.agentId === '(legacy)').attention, 'soon');
  const doctor = JSON.parse((await runInProcess(['doctor', '--json'], h.env)).stdout) as {
    checks: Array<{ id: string; verdict: string; message: string; fix: string | null }>;
  };
  const c = doctor.checks.find((x) => x.id === 'store:(legacy)')!;
  assert.equal(c.verdict, 'warn');
  assert.match(c.message, /does not parse/);
  assert.match(c.fix ?? '', /clawdbot doctor.*rm /);
  assert.equal(readFileSync(legacy, 'utf8'), '{', 'left as it was');
});

test('sync that held a login back (a non-credential or foreign entry at its profile id) says so and exits 2, never "up to date"', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  for (const entry of ['garbage', { type: 'api_key', provider: 'anthropic', key: secret('api') }]) {
    const store = h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:claude-cli': entry } });
    const before = readFileSync(store, 'utf8');
    const r = await runInProcess(['sync'], h.env);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /up to date/);
    assert.match(r.stdout, /^main: held back: anthropic:claude-cli holds .*will not replace.*auth-profiles\.json\)$/m);
    const json = JSON.parse((await runInProcess(['sync', '--json'], h.env)).stdout) as {
      agents: Array<{ heldBack: Array<{ profileId: string; reason: string }> }>;
    };
    assert.deepEqual(
      json.agents[0]!.heldBack.map((x) => x.profileId),
      ['anthropic:claude-cli'],
    );
    assert.equal(readFileSync(store, 'utf8'), before, 'the entry is left as it was');
    const status = await runInProcess(['status', '--json', '--no-sync'], h.env);
    const snap = JSON.parse(status.stdout) as { overall: { attention: string; reasons: string[] } };
    assert.notEqual(snap.overall.attention, 'none');
    assert.ok(snap.overall.reasons.some((x) => /anthropic:claude-cli holds .*will not replace/.test(x)));
  }
  // Nothing held back: up to date, 0.
  h.write(h.agentStore('main'), { version: 1, profiles: {} });
  assert.equal((await runInProcess(['sync'], h.env)).code, 0);
  const again = await runInProcess(['sync'], h.env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /main: up to date/);
});

test('a typo in AUTHBAR_GATEWAY or AUTHBAR_KEYCHAIN is a config error (78) naming the variable and its values; an unknown settings key is a warning', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': token(Date.now() + 300 * DAY) } });
  const cases: Array<[string, string, RegExp]> = [
    [
      'AUTHBAR_GATEWAY',
      'opencalw',
      /AUTHBAR_GATEWAY="opencalw" is not a value it takes: set it to clawdbot or openclaw/,
    ],
    ['AUTHBAR_KEYCHAIN', 'of', /AUTHBAR_KEYCHAIN="of" is not a value it takes: set it to off or on/],
    ['AUTHBAR_KEYCHAIN', 'maybe', /AUTHBAR_KEYCHAIN="maybe" .* off or on/],
  ];
  for (const [name, value, message] of cases) {
    for (const argv of [['status', '--no-sync'], ['sync'], ['doctor']]) {
      const r = await runInProcess(argv, { ...h.env, [name]: value });
      assert.equal(r.code, 78, `${name}=${value} ${argv[0]}`);
      assert.match(r.stderr, message);
    }
  }
  // The values it takes (any case), and empty, are fine.
  for (const [name, value] of [
    ['AUTHBAR_GATEWAY', 'Clawdbot'],
    ['AUTHBAR_GATEWAY', ''],
    ['AUTHBAR_KEYCHAIN', 'off'],
    ['AUTHBAR_KEYCHAIN', 'ON'],
  ] as const) {
    assert.equal(
      (await runInProcess(['status', '--check', '--no-sync'], { ...h.env, AUTHBAR_KEYCHAIN: 'off', [name]: value }))
        .code,
      0,
      `${name}=${value}`,
    );
  }
  // An unknown settings key: a warning on stderr naming it, not an error.
  h.write('.config/authbar/settings.json', { warnHour: 1, warnHours: 12 });
  for (const argv of [['status', '--check', '--no-sync'], ['doctor']]) {
    const r = await runInProcess(argv, h.env);
    assert.match(r.stderr, /warning: .*settings\.json has a key AuthBar does not know, "warnHour", which is ignored/);
    assert.doesNotMatch(r.stderr, /"warnHours"/);
    assert.notEqual(r.code, 78);
  }
  assert.equal((await runInProcess(['status', '--check', '--no-sync'], h.env)).code, 0);
});
