/**
 * Malformed input: every broken store, source file, settings file or argument gets one
 * clear message that names the file (or argument) and what to do, a defined exit code, and
 * nothing is written anywhere. No message carries a secret or the file's raw content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  DAY,
  HOUR,
  claudeCredentials,
  codexJwt,
  makeHome,
  runAuthbar,
  secret,
  type CliResult,
  type TempHome,
} from '../support/home.js';
import { canDropPrivileges, chownTree, runAuthbarAsNobody } from '../support/fsutil.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/tree.js';
import { runCli } from '../support/cli.js';

const STORE_REL = join('.clawdbot', 'agents', 'main', 'agent', 'auth-profiles.json');
const CLAUDE_REL = join('.claude', '.credentials.json');
const CODEX_REL = join('.codex', 'auth.json');
const SETTINGS_REL = join('.config', 'authbar', 'settings.json');
const MiB = 1024 * 1024;

/** Raw content that must never be echoed back in a message. */
const MARKER = 'RAW-CONTENT-MARKER-7f3a9c';

/** Every output of every run, for the check that the commands it advises exist. */
const advisedIn: string[] = [];

/**
 * In process; a case that could hang (a FIFO where a file belongs) passes a timeout and gets a
 * process of its own, killed if it does not answer in time.
 */
async function authbar(args: string[], env: Record<string, string>, timeoutMs?: number): Promise<CliResult> {
  const r = timeoutMs === undefined ? await runCli(args, env) : await runAuthbar(args, env, { timeoutMs });
  advisedIn.push(r.stdout + r.stderr);
  return r;
}

function apiKeyProfile() {
  return { type: 'api_key', provider: 'openai', key: secret('api') };
}
function expiredClaudeProfile() {
  return {
    type: 'oauth',
    provider: 'anthropic',
    access: secret('access'),
    refresh: secret('refresh'),
    expires: Date.now() - DAY,
  };
}
function expiredCodexProfile() {
  return {
    type: 'oauth',
    provider: 'openai-codex',
    access: codexJwt(Date.now() - DAY),
    refresh: secret('codex-refresh'),
    expires: Date.now() - DAY,
  };
}

/** A store whose Claude profile has expired, and a fresh Claude Code login: a healthy sync writes. */
function claudeWouldSync(h: TempHome): void {
  h.write(STORE_REL, {
    version: 1,
    profiles: { 'openai:default': apiKeyProfile(), 'anthropic:claude-cli': expiredClaudeProfile() },
  });
  h.write(CLAUDE_REL, claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
}
/** A store whose Codex profile has expired and no Claude login: only Codex could be synced. */
function codexWouldSync(h: TempHome): void {
  h.write(STORE_REL, {
    version: 1,
    profiles: { 'openai:default': apiKeyProfile(), 'openai-codex:codex-cli': expiredCodexProfile() },
  });
}
function validCodex() {
  return {
    tokens: {
      access_token: codexJwt(Date.now() + 5 * DAY),
      refresh_token: secret('codex-refresh'),
      account_id: 'acct-1',
    },
  };
}
function bigJson(bytes: number, secretInside: string): Buffer {
  const head = `{"version":1,"profiles":{"openai:default":{"type":"api_key","provider":"openai","key":"${secretInside}"}},"pad":"${MARKER}`;
  const tail = '"}\n';
  return Buffer.concat([Buffer.from(head), Buffer.alloc(bytes - head.length - tail.length, 0x61), Buffer.from(tail)]);
}
/** Writes raw bytes where a fixture file belongs; an mtime in the past so any touch shows. */
function writeRaw(h: TempHome, rel: string, content: Buffer | string): string {
  const p = h.write(rel, '');
  writeFileSync(p, content);
  const past = new Date(Date.now() - HOUR);
  utimesSync(p, past, past);
  return p;
}
/** A named pipe where a file belongs: opening it for reading blocks until a writer comes. */
function fifoWhereFileBelongs(h: TempHome, rel: string): string {
  const p = h.path(rel);
  rmSync(p, { force: true });
  mkdirSync(join(p, '..'), { recursive: true, mode: 0o700 });
  execFileSync('mkfifo', ['-m', '600', p]);
  return p;
}
function dirWhereFileBelongs(h: TempHome, rel: string): string {
  const p = h.path(rel);
  mkdirSync(p, { recursive: true, mode: 0o700 });
  writeFileSync(join(p, 'inside.txt'), MARKER);
  return p;
}

interface Case {
  name: string;
  /** Builds the home; returns the file the message must name. */
  setup: (h: TempHome) => string;
  /** Exit code of `authbar sync` and of `authbar status`. */
  sync: number;
  status: number;
  /** What the message must say to do. */
  action: RegExp;
  env?: (h: TempHome) => Record<string, string>;
  /** How long a run may take before it counts as hung (and is killed). */
  timeoutMs?: number;
}

const STORE_ACTION = /authbar doctor --fix|move it aside|check what wrote it/;
const CLAUDE_ACTION = /log in again with `claude`|`claude`|move it aside|check what wrote it/;
const CODEX_ACTION = /codex login|move it aside|fix it by hand/;
const SETTINGS_ACTION = /fix it|delete it|move it aside/;

const CASES: Case[] = [
  // The agent's store.
  {
    name: 'store: truncated JSON',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        STORE_REL,
        `{"version":1,"profiles":{"openai:default":{"type":"api_key","provider":"openai","key":"${secret('api')}","note":"${MARKER}`,
      )
    ),
  },
  {
    name: 'store: empty file',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, STORE_REL, '')),
  },
  {
    name: 'store: null',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, STORE_REL, 'null\n')),
  },
  {
    name: 'store: an array',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        STORE_REL,
        JSON.stringify([{ type: 'api_key', provider: 'openai', key: secret('api'), note: MARKER }]),
      )
    ),
  },
  {
    name: 'store: invalid UTF-8 bytes',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        STORE_REL,
        Buffer.concat([
          Buffer.from(`{"version":1,"profiles":{},"note":"${MARKER}`),
          Buffer.from([0xff, 0xfe, 0xc0, 0x80]),
          Buffer.from('"}\n'),
        ]),
      )
    ),
  },
  {
    name: 'store: profiles is an array',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        STORE_REL,
        JSON.stringify({
          version: 1,
          profiles: [{ type: 'api_key', provider: 'openai', key: secret('api'), note: MARKER }],
        }),
      )
    ),
  },
  {
    name: 'store: profiles is a string',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, STORE_REL, JSON.stringify({ version: 1, profiles: MARKER }))),
  },
  // Past the store read limit (64 MiB; a valid 20 MB store is read and synced since review finding F0).
  {
    name: 'store: a 65 MiB file',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, STORE_REL, bigJson(65 * MiB, secret('api')))),
  },
  {
    name: 'store: a directory where the file belongs',
    sync: 65,
    status: 0,
    action: STORE_ACTION,
    setup: (h) => (claudeWouldSync(h), rmSync(h.path(STORE_REL)), dirWhereFileBelongs(h, STORE_REL)),
  },
  {
    name: 'store: a symlink loop',
    sync: 65,
    status: 0,
    action: /point it at a real file|move it aside/,
    setup: (h) => {
      claudeWouldSync(h);
      const p = h.path(STORE_REL);
      rmSync(p);
      symlinkSync('auth-profiles.json', p);
      return p;
    },
  },
  {
    name: 'store: a named pipe (FIFO) where the file belongs',
    sync: 65,
    status: 0,
    action: /regular file|replace it|move it aside/,
    timeoutMs: 4000,
    setup: (h) => (claudeWouldSync(h), fifoWhereFileBelongs(h, STORE_REL)),
  },

  // Claude Code's credentials file (the store holds an expired Claude login a good file would replace).
  {
    name: 'claude: truncated JSON holding a token',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        CLAUDE_REL,
        `{"claudeAiOauth":{"accessToken":"${secret('access')}","refreshToken":"${secret('refresh')}","note":"${MARKER}`,
      )
    ),
  },
  {
    name: 'claude: a missing comma right after a token',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        CLAUDE_REL,
        `{"claudeAiOauth":{"accessToken":"${secret('access')}" "refreshToken":"${secret('refresh')}","expiresAt":1}}`,
      )
    ),
  },
  {
    name: 'claude: empty file',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, CLAUDE_REL, '')),
  },
  {
    name: 'claude: null',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, CLAUDE_REL, 'null')),
  },
  {
    name: 'claude: expiresAt as a string',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        CLAUDE_REL,
        JSON.stringify({
          claudeAiOauth: {
            accessToken: secret('access'),
            refreshToken: secret('refresh'),
            expiresAt: String(Date.now() + DAY),
          },
        }),
      )
    ),
  },
  {
    name: 'claude: negative expiresAt',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, CLAUDE_REL, JSON.stringify(claudeCredentials({ expiresAt: -1 })))),
  },
  {
    name: 'claude: accessToken as a number',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        CLAUDE_REL,
        JSON.stringify({
          claudeAiOauth: { accessToken: 12345, refreshToken: secret('refresh'), expiresAt: Date.now() + DAY },
        }),
      )
    ),
  },
  {
    name: 'claude: invalid UTF-8 bytes',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (
      claudeWouldSync(h),
      writeRaw(
        h,
        CLAUDE_REL,
        Buffer.concat([
          Buffer.from(`{"claudeAiOauth":{"accessToken":"${secret('access')}`),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('"}}'),
        ]),
      )
    ),
  },
  {
    name: 'claude: a 20 MB file',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (claudeWouldSync(h), writeRaw(h, CLAUDE_REL, bigJson(20 * MiB, secret('access')))),
  },
  {
    name: 'claude: a directory where the file belongs',
    sync: 65,
    status: 0,
    action: CLAUDE_ACTION,
    setup: (h) => (claudeWouldSync(h), rmSync(h.path(CLAUDE_REL)), dirWhereFileBelongs(h, CLAUDE_REL)),
  },
  {
    name: 'claude: a named pipe (FIFO) where the file belongs',
    sync: 65,
    status: 0,
    action: /regular file|replace it|`claude`/,
    timeoutMs: 4000,
    setup: (h) => (claudeWouldSync(h), fifoWhereFileBelongs(h, CLAUDE_REL)),
  },

  // Codex CLI's auth.json (the store holds an expired Codex login a good file would replace).
  {
    name: 'codex: truncated JSON holding a token',
    sync: 65,
    status: 0,
    action: CODEX_ACTION,
    setup: (h) => (
      codexWouldSync(h),
      writeRaw(
        h,
        CODEX_REL,
        `{"tokens":{"access_token":"${codexJwt(Date.now() + DAY)}","refresh_token":"${secret('codex-refresh')}`,
      )
    ),
  },
  {
    name: 'codex: refresh_token as a number',
    sync: 65,
    status: 0,
    action: CODEX_ACTION,
    setup: (h) => (
      codexWouldSync(h),
      writeRaw(
        h,
        CODEX_REL,
        JSON.stringify({ tokens: { access_token: codexJwt(Date.now() + DAY), refresh_token: 42 } }),
      )
    ),
  },
  {
    name: 'codex: an array',
    sync: 65,
    status: 0,
    action: CODEX_ACTION,
    setup: (h) => (codexWouldSync(h), writeRaw(h, CODEX_REL, `["${MARKER}"]`)),
  },

  // AuthBar's settings file (AUTHBAR_CONFIG): nothing runs with invalid settings.
  ...(
    [
      ['settings: truncated JSON', `{"warnHours": 12, "note": "${MARKER}`],
      ['settings: warnHours "abc"', JSON.stringify({ warnHours: 'abc', note: MARKER })],
      ['settings: negative warnHours', JSON.stringify({ warnHours: -5 })],
      ['settings: an array', JSON.stringify([MARKER])],
      ['settings: notifications as a string', JSON.stringify({ notifications: 'yes' })],
      ['settings: agents as a string', JSON.stringify({ agents: 'main' })],
    ] as const
  ).map(([name, content]): Case => ({
    name,
    sync: 78,
    status: 78,
    action: SETTINGS_ACTION,
    env: (h) => ({ AUTHBAR_CONFIG: h.path('conf', 'authbar.json') }),
    setup: (h) => (claudeWouldSync(h), writeRaw(h, join('conf', 'authbar.json'), content)),
  })),
  {
    name: 'settings: a directory where the file belongs',
    sync: 78,
    status: 78,
    action: SETTINGS_ACTION,
    setup: (h) => (claudeWouldSync(h), dirWhereFileBelongs(h, SETTINGS_REL)),
  },
];

for (const c of CASES) {
  test(`bad input: ${c.name} → clear message, defined exit code, nothing written`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const file = c.setup(h);
    const env = { ...h.env, ...(c.env?.(h) ?? {}) };
    const before = treeSnapshot(h.home);
    for (const [args, code] of [
      [['sync'], c.sync],
      [['status'], c.status],
    ] as const) {
      const r = await authbar([...args], env, c.timeoutMs);
      const what = `authbar ${args.join(' ')}`;
      assert.notEqual(r.signal, 'SIGKILL', `${what} hung: killed after ${c.timeoutMs ?? 20_000} ms without an answer`);
      assert.equal(r.code, code, `${what} exit code; stderr: ${r.stderr}`);
      assert.ok(r.stderr.includes(file), `${what}: the message names ${file}; stderr: ${r.stderr}`);
      const line = r.stderr.split('\n').find((l) => l.includes(file)) ?? '';
      assert.match(line, /^authbar: /, `${what}: the message is an authbar error line`);
      assert.match(line, c.action, `${what}: the message says what to do: ${line}`);
      assert.ok(!(r.stdout + r.stderr).includes(MARKER), `${what} echoed the file's raw content`);
      assert.doesNotMatch(
        r.stderr,
        /\n\s+at |SyntaxError|ZodError|Unexpected token/,
        `${what}: a raw exception leaked: ${r.stderr}`,
      );
    }
    assertTreeUnchanged(before, treeSnapshot(h.home), c.name);
  });
}

test('controls: the same fixtures with healthy files do write (so "nothing written" above means something)', async (t) => {
  for (const [name, setup] of [
    ['claude', (h: TempHome) => claudeWouldSync(h)],
    ['codex', (h: TempHome) => (codexWouldSync(h), h.write(CODEX_REL, validCodex()))],
  ] as const) {
    const h = makeHome();
    t.after(() => h.cleanup());
    setup(h);
    const before = readFileSync(h.path(STORE_REL));
    const r = await authbar(['sync'], h.env);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.notDeepEqual(readFileSync(h.path(STORE_REL)), before, `${name}: a healthy sync rewrote the store`);
  }
});

test('bad input: an unreadable store (mode 000) → permission message, exit 65, nothing written', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  claudeWouldSync(h);
  const store = h.path(STORE_REL);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot && !canDropPrivileges()) {
    t.skip('running as root without a way to drop privileges: mode 000 would not stop a read');
    return;
  }
  // Root reads any file whatever its mode: run authbar as `nobody`, who owns the home.
  if (asRoot) chownTree(h.home);
  chmodSync(store, 0o000);
  const before = treeSnapshot(h.home);
  for (const [args, code] of [
    [['sync'], 65],
    [['status'], 0],
    [['status', '--check'], 1],
  ] as const) {
    const r = asRoot ? await runAuthbarAsNobody([...args], h.env) : await authbar([...args], h.env);
    if (asRoot && /EPERM|setuid|setgid|setgroups/.test(r.stderr) && r.code !== code) {
      t.skip(`could not switch to nobody here (${r.stderr.split('\n')[0]})`);
      return;
    }
    advisedIn.push(r.stdout + r.stderr);
    assert.equal(r.code, code, `authbar ${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(store), r.stderr);
    assert.match(r.stderr, /permission denied/);
    assert.match(r.stderr, /chmod 600/, 'says what to do');
  }
  assertTreeUnchanged(before, treeSnapshot(h.home), 'unreadable store');
});

test('bad input: an unreadable Claude credentials file (mode 000) → named, exit 65, store untouched', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  claudeWouldSync(h);
  const creds = h.path(CLAUDE_REL);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot && !canDropPrivileges()) {
    t.skip('running as root without a way to drop privileges: mode 000 would not stop a read');
    return;
  }
  if (asRoot) chownTree(h.home);
  chmodSync(creds, 0o000);
  const before = treeSnapshot(h.home);
  const r = asRoot ? await runAuthbarAsNobody(['sync'], h.env) : await authbar(['sync'], h.env);
  advisedIn.push(r.stdout + r.stderr);
  assert.equal(r.code, 65, r.stderr);
  assert.ok(r.stderr.includes(creds), r.stderr);
  assert.match(r.stderr, /permission denied.*chmod/);
  assertTreeUnchanged(before, treeSnapshot(h.home), 'unreadable Claude credentials');
});

test('a Claude credentials file with only mcpOAuth is "logged out", not an error: exit 0, nothing written', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  claudeWouldSync(h);
  const creds = writeRaw(
    h,
    CLAUDE_REL,
    JSON.stringify({
      mcpOAuth: { 'github|abc': { serverName: 'github', accessToken: secret('access'), expiresAt: Date.now() + DAY } },
    }),
  );
  const before = treeSnapshot(h.home);
  const sync = await authbar(['sync'], h.env);
  assert.equal(sync.code, 0, sync.stderr);
  assert.equal(sync.stderr, '', 'no error for a logged-out Claude Code');
  const json = await authbar(['status', '--json'], h.env);
  assert.equal(json.code, 0, json.stderr);
  const claude = JSON.parse(json.stdout).sources.find((s: { id: string }) => s.id === 'claude-code');
  assert.equal(claude.status, 'logged-out');
  assert.equal(claude.path, creds);
  const table = await authbar(['status'], h.env);
  assert.match(table.stdout, /claude-code\s+logged out\s+no login at/);
  assertTreeUnchanged(before, treeSnapshot(h.home), 'mcpOAuth only');
});

test('a store with a UTF-8 BOM is read (not an error), and left byte-identical when in step', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const creds = claudeCredentials({ expiresAt: Date.now() + 8 * HOUR });
  h.write(CLAUDE_REL, creds);
  const oauth = creds.claudeAiOauth as Record<string, unknown>;
  const inStep = {
    version: 1,
    profiles: {
      'openai:default': apiKeyProfile(),
      'anthropic:claude-cli': {
        type: 'oauth',
        provider: 'anthropic',
        access: oauth['accessToken'],
        refresh: oauth['refreshToken'],
        expires: oauth['expiresAt'],
      },
    },
  };
  const store = writeRaw(
    h,
    STORE_REL,
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(inStep, null, 2) + '\n')]),
  );
  const before = treeSnapshot(h.home);
  const sync = await authbar(['sync'], h.env);
  assert.equal(sync.code, 0, sync.stderr);
  assert.equal(sync.stderr, '');
  const plain = await authbar(['status', '--plain'], h.env);
  assert.equal(plain.code, 0, plain.stderr);
  const ids = plain.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[1]);
  assert.deepEqual(ids.sort(), ['anthropic:claude-cli', 'openai:default'], 'both profiles were read through the BOM');
  assertTreeUnchanged(before, treeSnapshot(h.home), 'BOM store in step');

  // Out of step: the rewrite is strict JSON (Clawdbot's JSON.parse rejects a BOM) and keeps every profile.
  writeRaw(h, CLAUDE_REL, JSON.stringify(claudeCredentials({ expiresAt: Date.now() + 10 * HOUR })));
  const again = await authbar(['sync'], h.env);
  assert.equal(again.code, 0, again.stderr);
  const rewritten = readFileSync(store, 'utf8');
  const parsed = JSON.parse(rewritten);
  assert.ok(parsed.profiles['openai:default'], 'the user key survived');
  assert.equal(parsed.profiles['anthropic:claude-cli'].expires > (oauth['expiresAt'] as number), true);
});

const USAGE_CASES: Array<{ args: string[]; says: RegExp }> = [
  { args: ['status', '--warn-hours', 'abc'], says: /--warn-hours must be a number of hours/ },
  { args: ['status', '--warn-hours', '0'], says: /--warn-hours must be/ },
  { args: ['status', '--warn-hours=-3'], says: /--warn-hours must be/ },
  { args: ['frobnicate'], says: /unknown command "frobnicate"/ },
  { args: ['status', '--json', '--plain'], says: /--json and --plain exclude each other/ },
  { args: ['status', '--strict'], says: /--strict goes with --check/ },
  { args: ['status', '--agent'], says: /--agent needs a value/ },
  { args: ['sync', 'now'], says: /unexpected argument "now"/ },
  { args: ['sync', '--json=yes'], says: /--json takes no value/ },
  { args: ['doctor', '--fix-everything'], says: /unknown option --fix-everything/ },
  { args: [], says: /usage: authbar/ },
];

for (const u of USAGE_CASES) {
  test(`usage error: authbar ${u.args.join(' ') || '(no command)'} → exit 64, says why, nothing written`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    claudeWouldSync(h);
    const before = treeSnapshot(h.home);
    const r = await authbar(u.args, h.env);
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, u.says);
    // That command's usage follows (the whole help only when there is no such command).
    const known = u.args[0] !== undefined && u.args[0] !== 'frobnicate';
    assert.match(r.stderr, known ? new RegExp(`\\nusage: authbar ${u.args[0]} `) : /usage: authbar <command>/);
    if (known) assert.doesNotMatch(r.stderr, /usage: authbar <command>/, 'not the whole help');
    assert.equal(r.stdout, '', 'usage errors go to stderr only');
    assertTreeUnchanged(before, treeSnapshot(h.home), u.args.join(' '));
  });
}

// ---------------------------------------------------------------------------------------
// The advice in a message must work.
// ---------------------------------------------------------------------------------------

test('the advice for a broken file that is not a store works: `authbar doctor --fix` is only advised where it helps', async (t) => {
  const files: Array<[string, string, (h: TempHome) => Record<string, string>]> = [
    ['Claude Code credentials', CLAUDE_REL, (h) => h.env],
    ['Codex auth.json', CODEX_REL, (h) => h.env],
    ['AuthBar settings', SETTINGS_REL, (h) => h.env],
  ];
  for (const [what, rel, envOf] of files) {
    await t.test(what, async () => {
      const h = makeHome();
      try {
        claudeWouldSync(h);
        const path = writeRaw(h, rel, `{"truncated": "${secret('refresh')}`);
        const env = envOf(h);
        const r = await authbar(['sync'], env);
        assert.ok(r.stderr.includes(path), r.stderr);
        if (!/authbar doctor --fix/.test(r.stderr)) return; // advises something else: fine
        // It was advised: following it must move the file aside, as the message promises.
        const fix = await authbar(['doctor', '--fix'], env);
        assert.equal(
          existsSync(path),
          false,
          `the message for the ${what} file says \`authbar doctor --fix\` moves it aside, but after running it the file is still there (doctor said: ${fix.stdout.split('\n').find((l) => l.includes(path)) ?? fix.stdout.trim()})`,
        );
      } finally {
        h.cleanup();
      }
    });
  }
});

test('every `authbar …` command an error or status message advises exists in this version', async () => {
  assert.ok(advisedIn.length > 20, 'the cases above ran first');
  const advised = new Set<string>();
  for (const text of advisedIn) for (const m of text.matchAll(/`authbar ([a-z][a-z-]*)/g)) advised.add(m[1] as string);
  assert.ok(advised.has('doctor'), 'the cases above advise at least `authbar doctor`');
  const h = makeHome();
  try {
    for (const cmd of advised) {
      const r = await runCli([cmd, '--help'], h.env);
      assert.equal(r.code, 0, `a message advises \`authbar ${cmd}\`, but this version answers: ${r.stderr.trim()}`);
    }
  } finally {
    h.cleanup();
  }
});

test('a setting or --warn-hours out of range: the error names the allowed range (and the settings file)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const file = h.path('.config/authbar/settings.json');
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ tokenReminderDays: 400 }, /tokenReminderDays: must be a number of days above 0 and at most 365/],
    [{ warnHours: 1e9 }, /warnHours: must be a number of hours above 0 and at most 8760/],
    [{ notifyRepeatHours: 0 }, /notifyRepeatHours: must be a number of hours above 0 and at most 720/],
    [{ warnHours: '12' }, /warnHours: must be a number of hours above 0 and at most 8760/],
  ];
  for (const [settings, says] of cases) {
    h.write('.config/authbar/settings.json', settings);
    const r = await runCli(['status', '--no-sync'], h.env);
    assert.equal(r.code, 78, JSON.stringify(settings));
    assert.match(r.stderr, says, r.stderr);
    assert.ok(r.stderr.includes(file), `names the file: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Invalid input/);
  }
  rmSync(file);
  const flag = await runCli(['status', '--no-sync', '--warn-hours', '1e9'], h.env);
  assert.equal(flag.code, 64);
  assert.match(flag.stderr, /--warn-hours must be a number of hours above 0 and at most 8760, not "1e9"/);
});
