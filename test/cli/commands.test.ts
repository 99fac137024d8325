/**
 * The CLI's shape, in-process through `run(argv, io, deps)`: the command table and its help,
 * usage errors (that command's usage, exit 64), parseArgs's option forms, and the exit-code
 * table (every code in it is reachable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isGroup } from '../../main/cli/command.js';
import { COMMANDS } from '../../main/cli/commands/index.js';
import { EXIT, EXIT_HELP } from '../../main/cli/io.js';
import { run, USAGE } from '../../main/cli/main.js';
import type { EngineDeps } from '../../main/engine/engine.js';
import { assertNoSecrets, claudeCredentials, makeHome, secret, DAY, HOUR, type TempHome } from '../support/home.js';

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  env: Record<string, string>,
  opts: { stdin?: string; deps?: Partial<EngineDeps> } = {},
): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      isTTY: false,
      stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    },
    { env, ...opts.deps },
  );
  assertNoSecrets(`authbar ${argv.join(' ')}`, stdout + stderr);
  return { code, stdout, stderr };
}

/** Every command a user can name, with the usage it answers to. */
const LEAVES = COMMANDS.flatMap((c) =>
  isGroup(c)
    ? c.subcommands.map((s) => ({ argv: [c.name, s.name], usage: s.usage }))
    : [{ argv: [c.name], usage: c.usage }],
);

function home(t: { after: (f: () => void) => void }): TempHome {
  const h = makeHome();
  t.after(() => h.cleanup());
  return h;
}

const storedToken = (expires: number) => ({ type: 'token', provider: 'anthropic', token: secret('setup'), expires });

test("authbar --help lists every command of the table with its summary, and says how to get one command's usage", async (t) => {
  const h = home(t);
  for (const flag of ['--help', '-h', 'help']) {
    const r = await cli([flag], h.env);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, USAGE + '\n');
    assert.equal(r.stderr, '');
  }
  for (const c of COMMANDS) {
    assert.match(USAGE, new RegExp(`^  ${c.name} `, 'm'), `${c.name} is listed`);
    assert.ok(USAGE.includes(c.summary), `${c.name}'s summary is listed`);
  }
  assert.match(USAGE, /authbar <command> --help/);
  assert.match(USAGE, /--version, -V/);
});

test("authbar <command> --help, -h and `authbar help <command>` print that command's usage and exit 0", async (t) => {
  const h = home(t);
  for (const { argv, usage } of LEAVES) {
    assert.match(usage, new RegExp(`^usage: authbar ${argv.join(' ')}`), `${argv.join(' ')}'s usage names it`);
    for (const asked of [
      [...argv, '--help'],
      [...argv, '-h'],
      ['help', ...argv],
    ]) {
      const r = await cli(asked, h.env);
      assert.equal(r.code, 0, `${asked.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, usage + '\n', asked.join(' '));
      assert.equal(r.stderr, '');
    }
  }
  // A group's own help lists its subcommands.
  const token = await cli(['token', '--help'], h.env);
  assert.equal(token.code, 0);
  for (const sub of ['add', 'list', 'remove']) assert.match(token.stdout, new RegExp(`authbar token ${sub}`));
});

test('--help works before the environment is checked: a bad AUTHBAR_GATEWAY does not hide it', async (t) => {
  const h = home(t);
  const r = await cli(['status', '--help'], { ...h.env, AUTHBAR_GATEWAY: 'nonsense' });
  assert.equal(r.code, 0, r.stderr);
});

test("a usage error prints one line saying what was wrong, then that command's usage (not the whole help), on stderr, exit 64", async (t) => {
  const h = home(t);
  for (const { argv, usage } of LEAVES) {
    const r = await cli([...argv, '--no-such-option'], h.env);
    assert.equal(r.code, 64, argv.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `authbar: unknown option --no-such-option\n${usage}\n`, argv.join(' '));
  }
  // A group without (or with an unknown) subcommand: the group's usage.
  const group = COMMANDS.find((c) => c.name === 'token');
  assert.ok(group && isGroup(group));
  assert.deepEqual(await cli(['token'], h.env), {
    code: 64,
    stdout: '',
    stderr: `authbar: token needs add, list or remove\n${group.usage}\n`,
  });
  assert.equal((await cli(['token', 'frob'], h.env)).stderr, `authbar: unknown token command "frob"\n${group.usage}\n`);
  // A check inside the command (not parseArgs's) is a usage error too, with the same usage.
  const status = COMMANDS.find((c) => c.name === 'status');
  const strict = await cli(['status', '--strict'], h.env);
  assert.equal(strict.code, 64);
  assert.equal(strict.stderr, `authbar: --strict goes with --check\n${status?.usage}\n`);
  // No such command: the whole help.
  const unknown = await cli(['frobnicate'], h.env);
  assert.equal(unknown.code, 64);
  assert.equal(unknown.stderr, `authbar: unknown command "frobnicate"\n${USAGE}\n`);
  assert.deepEqual(await cli(['help', 'frobnicate'], h.env), unknown);
});

test('--flag=value reads as --flag value', async (t) => {
  const h = home(t);
  mkdirSync(h.state, { mode: 0o700 });
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': storedToken(Date.now() + 30 * HOUR) } });
  h.write(h.agentStore('ops'), { version: 1, profiles: { 'anthropic:setup': storedToken(Date.now() + 400 * DAY) } });
  assert.equal((await cli(['status', '--no-sync', '--check'], h.env)).code, 0);
  assert.equal((await cli(['status', '--no-sync', '--check', '--warn-hours', '48'], h.env)).code, 2);
  assert.equal((await cli(['status', '--no-sync', '--check', '--warn-hours=48'], h.env)).code, 2);
  const ops = await cli(['status', '--no-sync', '--json', '--agent=ops'], h.env);
  assert.equal(ops.code, 0, ops.stderr);
  assert.deepEqual(
    (JSON.parse(ops.stdout) as { agents: Array<{ agentId: string }> }).agents.map((a) => a.agentId),
    ['ops'],
  );
});

test('options parseArgs refuses are usage errors that name the option (and a range error names its range)', async (t) => {
  const h = home(t);
  const cases: Array<[string[], string]> = [
    [['status', '-x'], 'unknown option -x'],
    [['status', '--bogus=1'], 'unknown option --bogus'],
    [['doctor', '--json=1'], '--json takes no value'],
    [['status', '--agent'], '--agent needs a value'],
    [['status', '--agent='], '--agent needs a value'],
    [['status', '--agent', '--json'], '--agent needs a value'],
    [['sync', 'now'], 'unexpected argument "now"'],
    [['sync', '--', '--json'], 'unexpected argument "--json"'],
    [['token', 'remove', 'a', 'b'], 'unexpected argument "b"'],
    [['status', '--warn-hours', '1e9'], '--warn-hours must be a number of hours above 0 and at most 8760, not "1e9"'],
    [['status', '--warn-hours=0'], '--warn-hours must be a number of hours above 0 and at most 8760, not "0"'],
    [['token', 'add', '--provider', 'anthropic', '--expires-in', '4000d'], 'at most 3650d'],
  ];
  for (const [argv, says] of cases) {
    const r = await cli(argv, h.env);
    assert.equal(r.code, 64, argv.join(' '));
    assert.equal(r.stdout, '');
    const first = r.stderr.split('\n')[0] ?? '';
    assert.ok(first.startsWith('authbar: ') && first.includes(says), `${argv.join(' ')}: ${first}`);
    assert.match(r.stderr, new RegExp(`\\nusage: authbar ${argv[0]} `));
  }
  // `--` ends the options: what follows is a word, so `token remove -- --odd` looks up "--odd".
  const odd = await cli(['token', 'remove', '--', '--odd'], h.env);
  assert.match(odd.stderr, /no token --odd in AuthBar's vault/);
});

test('token remove of an id AuthBar does not keep: a usage error (64) that names the ids it keeps', async (t) => {
  const h = home(t);
  const none = await cli(['token', 'remove', 'anthropic:nope'], h.env);
  assert.equal(none.code, EXIT.usage, none.stderr);
  assert.match(none.stderr, /^authbar: no token anthropic:nope in AuthBar's vault or records: it keeps none/);
  assert.match(none.stderr, /\nusage: authbar token remove ID/);
  const record = {
    provider: 'anthropic',
    kind: 'setup-token',
    fingerprint: '0123456789ab',
    masked: 'sk-ant-oat01-…Ab12',
    addedAt: Date.now(),
    mintedAt: null,
    expiresAt: null,
    inVault: false,
    landedIn: ['main'],
  };
  h.write('.config/authbar/state.json', {
    version: 1,
    tokens: {
      'anthropic:work': { ...record, profileId: 'anthropic:work' },
      'anthropic:setup-token': { ...record, profileId: 'anthropic:setup-token', fingerprint: '0123456789ac' },
    },
    firstSeen: {},
  });
  const r = await cli(['token', 'remove', 'anthropic:nope'], h.env);
  assert.equal(r.code, EXIT.usage, r.stderr);
  assert.match(r.stderr, /it keeps anthropic:setup-token, anthropic:work \(see `authbar token list`\)/);
  assert.equal(r.stdout, '');
});

/** Each exit code of the table, and a command line (on a home made for it) that returns it. */
const REACH: Array<{ code: number; why: string; run: (h: TempHome) => Promise<Out> }> = [
  { code: EXIT.ok, why: 'healthy', run: (h) => withToken(h, 300 * DAY, ['status', '--no-sync', '--check']) },
  { code: EXIT.now, why: 'expired', run: (h) => withToken(h, -HOUR, ['status', '--no-sync', '--check']) },
  {
    code: EXIT.soon,
    why: 'expiring',
    run: (h) => withToken(h, 30 * HOUR, ['status', '--no-sync', '--check', '--warn-hours', '48']),
  },
  { code: EXIT.usage, why: 'unknown option', run: (h) => cli(['status', '--bogus'], h.env) },
  {
    code: EXIT.dataErr,
    why: 'not a token',
    run: (h) => cli(['token', 'add', '--provider', 'anthropic', '--no-vault'], h.env, { stdin: 'not-a-token\n' }),
  },
  {
    code: EXIT.noKeyring,
    why: 'AUTHBAR_KEYCHAIN=off',
    run: (h) => cli(['token', 'add', '--provider', 'anthropic'], h.env, { stdin: secret('setup') + '\n' }),
  },
  {
    code: EXIT.software,
    why: 'an unexpected error',
    run: (h) =>
      cli(['status', '--no-sync'], h.env, {
        deps: {
          clock: {
            now: () => {
              throw new Error('the clock broke');
            },
          },
        },
      }),
  },
  { code: EXIT.noProgram, why: 'no claude on PATH', run: (h) => setupTokenWithoutClaude(h) },
  {
    code: EXIT.cantCreate,
    why: 'a unit file AuthBar did not write',
    run: (h) => {
      h.write('.config/systemd/user/authbar.service', '[Unit]\n');
      return cli(['install-service'], h.env, { deps: { platform: 'linux' } });
    },
  },
  {
    code: EXIT.ioErr,
    why: 'OpenClaw without its CLI',
    run: (h) =>
      cli(
        ['token', 'add', '--provider', 'anthropic', '--no-vault'],
        { ...h.env, AUTHBAR_GATEWAY: 'openclaw', PATH: h.path('empty-bin') },
        { stdin: secret('setup') + '\n' },
      ),
  },
  {
    code: EXIT.tempFail,
    why: 'a lock dir dated in the future',
    run: (h) => {
      h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
      const store = h.write(h.agentStore(), { version: 1, profiles: {} });
      mkdirSync(`${store}.lock`);
      const future = new Date(Date.now() + DAY);
      utimesSync(`${store}.lock`, future, future);
      return cli(['sync'], h.env);
    },
  },
  {
    code: EXIT.config,
    why: 'AUTHBAR_GATEWAY=nonsense',
    run: (h) => cli(['status'], { ...h.env, AUTHBAR_GATEWAY: 'x' }),
  },
];

async function withToken(h: TempHome, inMs: number, argv: string[]): Promise<Out> {
  h.write(h.agentStore(), { version: 1, profiles: { 'anthropic:setup': storedToken(Date.now() + inMs) } });
  return cli(argv, h.env);
}

/** setup-token checks for a terminal first: this pretends to be one only for the PATH lookup that follows. */
async function setupTokenWithoutClaude(h: TempHome): Promise<Out> {
  const empty = mkdtempSync(join(tmpdir(), 'authbar-empty-path-'));
  const saved = [process.stdin, process.stdout].map((s) => Object.getOwnPropertyDescriptor(s, 'isTTY'));
  for (const s of [process.stdin, process.stdout])
    Object.defineProperty(s, 'isTTY', { value: true, configurable: true });
  try {
    return await cli(['setup-token', '--no-vault'], { ...h.env, PATH: empty });
  } finally {
    [process.stdin, process.stdout].forEach((s, i) => {
      const d = saved[i];
      if (d) Object.defineProperty(s, 'isTTY', d);
      else delete (s as { isTTY?: boolean }).isTTY;
    });
    rmSync(empty, { recursive: true, force: true });
  }
}

test('every exit code in the table is reachable, each with one plain sentence on stderr when it is an error', async (t) => {
  const reached = new Set<number>();
  for (const c of REACH) {
    const h = home(t);
    const r = await c.run(h);
    assert.equal(r.code, c.code, `${c.why}: expected ${c.code}, got ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `${c.why}: no stack trace`);
    if (c.code >= 64 && c.code !== EXIT.usage) assert.match(r.stderr, /^authbar: /m, `${c.why}: says why`);
    reached.add(r.code);
  }
  assert.deepEqual(
    [...reached].sort((a, b) => a - b),
    [...new Set(Object.values(EXIT))].sort((a, b) => a - b),
  );
});

test("the exit codes `authbar --help` documents are exactly the table's", () => {
  const documented = new Set([...EXIT_HELP.matchAll(/\b(\d+)\b/g)].map((m) => Number(m[1])));
  assert.deepEqual(
    [...documented].sort((a, b) => a - b),
    [...new Set(Object.values(EXIT))].sort((a, b) => a - b),
  );
  assert.ok(USAGE.includes(EXIT_HELP));
});
