/**
 * Error paths that used to surface as the wrong kind of error: one plain sentence, the
 * right exit code, no raw Node text, no stack trace, nothing written.
 *   - a read-only file system or an unwritable dir is a write failure (73), not a busy lock (75);
 *   - a directory variable naming a file names the variable (78), not `ENOTDIR: …`;
 *   - a very deeply nested file "cannot be parsed … too deeply nested", never a stack overflow;
 *   - a lock dated in the future fails at once; `doctor --fix` never removes it (it may be held), a human does;
 *   - a dangling symlinked store or agent dir is reported, its target's directory never created;
 *   - temp files of writers killed mid-write are cleaned up when provably abandoned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DAY, HOUR, makeHome, runAuthbar, secret, type CliResult, type TempHome, withLogin } from '../support/home.js';
import { canDropPrivileges, chownTree, runAuthbarAsNobody } from '../support/fsutil.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/tree.js';
import { runCli } from '../support/cli.js';

/** One sentence, no raw Node error text, no stack. */
function assertPlain(r: CliResult, what: string): void {
  assert.doesNotMatch(r.stderr, /\n\s+at |RangeError|Maximum call stack|TypeError/, `${what}: no stack trace`);
  assert.doesNotMatch(r.stderr, /\b(ENOTDIR|EROFS|EACCES|EPERM|ENOENT): /, `${what}: no raw Node error`);
  assert.notEqual(r.code, 70, `${what}: not an unexpected error (${r.stderr})`);
}

// ---------------------------------------------------------------------------------------
// Write failures are not busy locks.
// ---------------------------------------------------------------------------------------

test('a read-only file system during sync: exit 73 naming the directory, at once, not "busy lock, try again"', async (t) => {
  if (!canDropPrivileges()) return t.skip('needs root to mount a tmpfs');
  const mnt = mkdtempSync(join(tmpdir(), 'authbar-rofs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mnt], { stdio: 'pipe' });
  } catch (err) {
    rmSync(mnt, { recursive: true, force: true });
    return t.skip(`cannot mount a tmpfs here (${String((err as Error).message).split('\n')[0]})`);
  }
  t.after(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const agentDir = join(mnt, 'agents', 'main', 'agent');
  mkdirSync(agentDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(agentDir, 'auth-profiles.json'), JSON.stringify({ version: 1, profiles: {} }), { mode: 0o600 });
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  const env = { ...h.env, CLAWDBOT_STATE_DIR: mnt };
  const started = Date.now();
  const r = await runCli(['sync'], env);
  assertPlain(r, 'sync on a read-only fs');
  assert.equal(r.code, 73, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `${agentDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written \\(it is on a read-only file system\\)`,
    ),
  );
  assert.doesNotMatch(r.stderr, /try again|holds its lock/);
  assert.ok(Date.now() - started < 10_000, 'no waiting for a lock');
  assert.equal(
    JSON.parse(readFileSync(join(agentDir, 'auth-profiles.json'), 'utf8')).profiles['anthropic:claude-cli'],
    undefined,
  );
});

test('an agent dir the user cannot write: exit 73 naming the dir and what to do, not a busy lock', async (t) => {
  if (!canDropPrivileges()) return t.skip('needs root to run as nobody (root can write anywhere)');
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  mkdirSync(h.path('.clawdbot/agents/main/agent'), { recursive: true });
  chownTree(h.home);
  // The state tree belongs to root, 0755: nobody can read it but not write.
  for (const rel of ['.clawdbot', '.clawdbot/agents', '.clawdbot/agents/main', '.clawdbot/agents/main/agent']) {
    execFileSync('chown', ['0:0', h.path(rel)]);
    chmodSync(h.path(rel), 0o755);
  }
  const before = treeSnapshot(h.path('.clawdbot'));
  const r = await runAuthbarAsNobody(['sync'], h.env);
  assertPlain(r, 'sync into an unwritable dir');
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, /agents\/main\/agent cannot be written \(permission denied\); make .* writable by nobody/);
  assertTreeUnchanged(before, treeSnapshot(h.path('.clawdbot')), 'unwritable dir');
});

// ---------------------------------------------------------------------------------------
// Directory variables that name files.
// ---------------------------------------------------------------------------------------

for (const variable of ['CLAWDBOT_STATE_DIR', 'CLAWDBOT_AGENT_DIR', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME'] as const) {
  for (const shape of ['a file', 'a path through a file'] as const) {
    test(`${variable} naming ${shape}: every command says so in one sentence naming the variable (exit 78)`, async (t) => {
      const h = makeHome();
      t.after(() => h.cleanup());
      withLogin(h);
      const file = h.write('not-a-dir', 'x');
      const env = { ...h.env, [variable]: shape === 'a file' ? file : join(file, 'sub') };
      const before = treeSnapshot(h.home);
      for (const args of [['status'], ['status', '--check'], ['sync'], ['status', '--json']]) {
        const r = await runCli(args, env);
        assertPlain(r, `${variable} ${args.join(' ')}`);
        assert.equal(r.code, 78, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(
            `^authbar: ${variable} names .*(is a file|part of that path is a file), not a directory: point ${variable} at a directory`,
          ),
        );
        assert.equal(r.stderr.trim().split('\n').length, 1);
      }
      const doctor = await runCli(['doctor', '--fix'], env);
      assertPlain(doctor, 'doctor');
      assert.equal(doctor.code, 1);
      assert.match(doctor.stdout, new RegExp(variable));
      assertTreeUnchanged(before, treeSnapshot(h.home), variable);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Deep nesting.
// ---------------------------------------------------------------------------------------

const DEEP = `{"version":1,"profiles":{"x:y":{"type":"api_key","provider":"x","key":"k","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`;
const DEEP_FILES: Array<{ what: string; rel: (h: TempHome) => string; syncCode: number }> = [
  { what: 'Clawdbot auth store', rel: (h) => h.agentStore(), syncCode: 65 },
  { what: 'Claude Code credentials file', rel: () => '.claude/.credentials.json', syncCode: 65 },
  { what: 'Codex CLI auth file', rel: () => '.codex/auth.json', syncCode: 65 },
  { what: 'Clawdbot config', rel: () => '.clawdbot/clawdbot.json', syncCode: 0 },
  { what: 'AuthBar settings file', rel: () => '.config/authbar/settings.json', syncCode: 78 },
];

for (const f of DEEP_FILES) {
  test(`a ${f.what} nested 100,000 levels deep: "cannot parse … too deeply nested", no stack overflow`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    if (f.what !== 'Claude Code credentials file') withLogin(h);
    if (f.what !== 'Clawdbot auth store') h.write(h.agentStore(), { version: 1, profiles: {} });
    const path = h.write(f.rel(h), DEEP);
    const before = readFileSync(path);
    for (const args of [['status'], ['status', '--json'], ['status', '--plain'], ['sync'], ['doctor']]) {
      const r = await runCli(args, h.env);
      assertPlain(r, `${f.what}: ${args.join(' ')}`);
      assert.match(
        r.stdout + r.stderr,
        new RegExp(`Cannot parse the ${f.what} .* too deeply nested`),
        `${args.join(' ')}: ${r.stderr}`,
      );
      if (args[0] === 'sync') assert.equal(r.code, f.syncCode, r.stderr);
    }
    assert.deepEqual(readFileSync(path), before);
  });
}

// ---------------------------------------------------------------------------------------
// A lock dated in the future.
// ---------------------------------------------------------------------------------------

// Until review finding F18, doctor --fix removed such a lock. A live holder's lock looks the
// same after the clock is stepped back, so now only a human removes it (`rmdir`, as told).
test('a lock dir dated in the future: sync fails at once (75) saying so; doctor --fix leaves it and names rmdir; once removed, sync works', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const store = h.write(h.agentStore(), { version: 1, profiles: {} });
  mkdirSync(`${store}.lock`);
  const future = new Date(Date.now() + DAY);
  utimesSync(`${store}.lock`, future, future);
  const started = Date.now();
  const r = await runCli(['sync'], h.env);
  assertPlain(r, 'sync');
  assert.equal(r.code, 75, r.stderr);
  assert.ok(Date.now() - started < 5_000, `failed at once (${Date.now() - started} ms)`);
  assert.match(r.stderr, /in the future.*no gateway is running.*rmdir /);
  const report = await runCli(['doctor', '--json'], h.env);
  const lock = JSON.parse(report.stdout).checks.find((c: { id: string }) => c.id === 'lock:main');
  assert.equal(lock?.verdict, 'warn');
  assert.match(lock?.message ?? '', /in the future/);
  const fixed = await runCli(['doctor', '--fix', '--json'], h.env);
  const after = JSON.parse(fixed.stdout).checks.find((c: { id: string }) => c.id === 'lock:main');
  assert.equal(after?.verdict, 'warn');
  assert.match(after?.fix ?? '', /^rmdir /);
  assert.equal(existsSync(`${store}.lock`), true);
  rmdirSync(`${store}.lock`);
  const again = await runCli(['sync'], h.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(readFileSync(store, 'utf8')).profiles['anthropic:claude-cli']?.type, 'oauth');
});

// ---------------------------------------------------------------------------------------
// Dangling symlinks.
// ---------------------------------------------------------------------------------------

test('a dangling symlinked store: sync reports it (73) and never creates the target’s directory', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const gone = join(mkdtempSync(join(tmpdir(), 'authbar-gone-')), 'nowhere');
  t.after(() => rmSync(dirname(gone), { recursive: true, force: true }));
  mkdirSync(h.path('.clawdbot/agents/main/agent'), { recursive: true, mode: 0o700 });
  symlinkSync(join(gone, 'deeper', 'auth-profiles.json'), h.path(h.agentStore()));
  const r = await runCli(['sync'], h.env);
  assertPlain(r, 'sync');
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, /is a symlink to .*whose directory does not exist/);
  assert.equal(existsSync(gone), false, 'the target directory was not created');
  const doctor = await runCli(['doctor', '--fix'], h.env);
  assertPlain(doctor, 'doctor --fix');
  assert.equal(existsSync(gone), false);
});

test('a dangling symlinked agent dir (CLAWDBOT_AGENT_DIR): reported, the target never created', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const gone = join(mkdtempSync(join(tmpdir(), 'authbar-gone-')), 'nowhere');
  t.after(() => rmSync(dirname(gone), { recursive: true, force: true }));
  symlinkSync(gone, h.path('agent-link'));
  const r = await runCli(['sync'], { ...h.env, CLAWDBOT_AGENT_DIR: h.path('agent-link') });
  assertPlain(r, 'sync');
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, /is a symlink to .*which does not exist/);
  assert.equal(existsSync(gone), false);
});

// ---------------------------------------------------------------------------------------
// Temp files left by writers killed mid-write.
// ---------------------------------------------------------------------------------------

test('temp files of dead writers, and old ones, are removed on the next write; a live writer’s fresh one is kept and reported', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const store = h.write(h.agentStore(), { version: 1, profiles: {} });
  const dir = dirname(store);
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
  const token = secret('setup');
  const dead = join(dir, `.auth-profiles.json.${deadPid}.1a.tmp`);
  const liveFresh = join(dir, `.auth-profiles.json.${process.pid}.2b.tmp`);
  const liveOld = join(dir, `.auth-profiles.json.${process.pid}.3c.tmp`);
  const otherFile = join(dir, `.other.json.${deadPid}.4d.tmp`);
  for (const p of [dead, liveFresh, liveOld, otherFile]) writeFileSync(p, `{"token":"${token}"`, { mode: 0o600 });
  const old = new Date(Date.now() - 2 * HOUR);
  utimesSync(liveOld, old, old);

  const report = await runAuthbar(['doctor', '--json'], h.env);
  const temps = JSON.parse(report.stdout).checks.filter((c: { id: string }) => c.id === 'temp:main');
  assert.equal(temps.length, 3, 'doctor reports each store temp file');

  const r = await runAuthbar(['sync'], h.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(dead), false, 'a dead writer’s temp file is removed');
  assert.equal(existsSync(liveOld), false, 'an hour-old one is removed under the lock');
  assert.equal(existsSync(liveFresh), true, 'a live writer’s fresh one stays');
  assert.equal(existsSync(otherFile), true, 'files of other names are not AuthBar’s');
  const after = await runAuthbar(['doctor', '--json'], h.env);
  const left = JSON.parse(after.stdout).checks.filter((c: { id: string }) => c.id === 'temp:main');
  assert.equal(left.length, 1);
  assert.match(left[0].message, /may belong to a writer still running/);
  assert.deepEqual(
    readdirSync(dir)
      .filter((n) => n.endsWith('.tmp'))
      .sort(),
    [`.auth-profiles.json.${process.pid}.2b.tmp`, `.other.json.${deadPid}.4d.tmp`].sort(),
  );
});

// ---------------------------------------------------------------------------------------
// Siblings found in the audit: odd file systems under the state dir.
// ---------------------------------------------------------------------------------------

test('an agents directory the user cannot list: one sentence naming it (exit 65), not a raw EACCES', async (t) => {
  if (!canDropPrivileges()) return t.skip('needs root to run as nobody (root lists anything)');
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  mkdirSync(h.path('.clawdbot/agents/main/agent'), { recursive: true });
  chownTree(h.home);
  execFileSync('chown', ['0:0', h.path('.clawdbot/agents')]);
  chmodSync(h.path('.clawdbot/agents'), 0o700);
  for (const args of [['status'], ['sync']]) {
    const r = await runAuthbarAsNobody(args, h.env);
    assertPlain(r, args.join(' '));
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /The agents directory .*agents cannot be listed \(permission denied\)/);
  }
});

test('a store that is a symlink loop: every command, doctor --fix included, gives sentences and no stack', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const dir = h.path('.clawdbot/agents/main/agent');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  symlinkSync('auth-profiles.json', join(dir, 'auth-profiles.json'));
  const before = treeSnapshot(h.path('.clawdbot'));
  for (const args of [['status'], ['status', '--json'], ['sync'], ['doctor'], ['doctor', '--fix']]) {
    const r = await runCli(args, h.env);
    assertPlain(r, args.join(' '));
    assert.match(r.stdout + r.stderr, /symlink loop/, args.join(' '));
  }
  assertTreeUnchanged(before, treeSnapshot(h.path('.clawdbot')), 'symlink loop');
});
