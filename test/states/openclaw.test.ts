/**
 * Interop with the real OpenClaw 2026.9.6 (acceptance 1 of issue 6). Each state is built
 * with OpenClaw's own commands where it has them (paste-token, models set, agents add,
 * doctor --fix); states it has no command for (OAuth logins, a corrupt row, a retired
 * profile) are written into its database the way it writes them. For every state:
 * `authbar status --check --strict` exits as `openclaw models status --json --check` does
 * (the worst over the agents), `authbar status --json` reports OpenClaw's profiles and
 * statuses, and after status, sync, doctor and doctor --fix OpenClaw's files are
 * byte-identical. AuthBar runs under OpenClaw's Node 24 (node:sqlite); one group runs it
 * under this Node 20 to exercise the `openclaw models status --json` fallback.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HOUR, DAY, secret } from '../support/home.js';
import {
  NODE24,
  OPENCLAW,
  SKIP_OPENCLAW,
  authbarOn,
  copyHome,
  editJson,
  mkTemp,
  ocEnv,
  openclaw,
  openclawOk,
  openclawStatus,
  setStateRow,
  treeDigest,
} from '../support/openclaw-peer.js';

interface State {
  name: string;
  home: string;
  env: Record<string, string>;
  /** The OpenClaw state dir (what must stay byte-identical). */
  stateDir: string;
  agents: string[];
  /** What OpenClaw said, per agent. */
  expected: Map<string, Awaited<ReturnType<typeof openclawStatus>>>;
  /** Extra dirs that must stay untouched (e.g. ~/.clawdbot's link). */
  extra?: string[];
}

const homes: string[] = [];
function newHome(name: string): string {
  const h = mkTemp(`authbar-oc-${name}-`);
  homes.push(h);
  return h;
}

const MODEL = 'anthropic/claude-opus-4-6';

async function tokenHome(
  name: string,
  opts: { expiresIn?: string; extraEnv?: Record<string, string> } = {},
): Promise<{ home: string; env: Record<string, string> }> {
  const home = newHome(name);
  const env = ocEnv(home, opts.extraEnv ?? {});
  await openclawOk(
    [
      'models',
      'auth',
      'paste-token',
      '--provider',
      'anthropic',
      ...(opts.expiresIn ? ['--expires-in', opts.expiresIn] : []),
    ],
    env,
    secret('setup') + '\n',
  );
  await openclawOk(['models', 'set', MODEL], env);
  return { home, env };
}

/**
 * The plain setup-token home, built once with OpenClaw's paste-token and models set; the
 * states that start from it (OAuth, retired, corrupt, stray, claude-cli runtime) take a
 * copy instead of running the same two OpenClaw commands again.
 */
let plainToken: Promise<{ home: string; env: Record<string, string> }> | undefined;
async function copyOfTokenHome(): Promise<{ home: string; env: Record<string, string> }> {
  const base = await (plainToken ??= tokenHome('token'));
  const home = copyHome(base.home);
  homes.push(home);
  return { home, env: { ...base.env, HOME: home } };
}

/** Replaces the shared store with OAuth profiles and makes the config's mode agree. */
async function oauthHome(expiresInMs: number): Promise<{ home: string; env: Record<string, string> }> {
  const { home, env } = await copyOfTokenHome();
  const stateDir = join(home, '.openclaw');
  const store = {
    version: 1,
    profiles: {
      'anthropic:manual': {
        type: 'oauth',
        provider: 'anthropic',
        access: secret('access'),
        refresh: secret('refresh'),
        expires: Date.now() + expiresInMs,
      },
    },
  };
  await setStateRow(join(stateDir, 'state', 'openclaw.sqlite'), 'authProfiles.store', JSON.stringify(store));
  editJson(join(stateDir, 'openclaw.json'), (cfg) => {
    (
      (cfg['auth'] as Record<string, Record<string, Record<string, string>>>)['profiles'] as Record<
        string,
        Record<string, string>
      >
    )['anthropic:manual']!['mode'] = 'oauth';
  });
  return { home, env };
}

/** A copy of the token home with its shared store (and state) rows replaced, and its config edited. */
async function rowsHome(
  profiles: Record<string, unknown>,
  state: Record<string, unknown> | null,
  editCfg?: (cfg: Record<string, unknown>) => void,
): Promise<{ home: string; env: Record<string, string> }> {
  const made = await copyOfTokenHome();
  const db = join(made.home, '.openclaw', 'state', 'openclaw.sqlite');
  await setStateRow(db, 'authProfiles.store', JSON.stringify({ version: 1, profiles }));
  if (state) await setStateRow(db, 'authProfiles.state', JSON.stringify({ version: 1, ...state }));
  if (editCfg) editJson(join(made.home, '.openclaw', 'openclaw.json'), editCfg);
  return made;
}
const setupToken = (extra: Record<string, unknown> = {}) => ({
  type: 'token',
  provider: 'anthropic',
  token: secret('setup'),
  ...extra,
});
/** The config no longer declares profiles: OpenClaw then chooses among every stored one. */
const undeclared = (cfg: Record<string, unknown>) => {
  delete cfg['auth'];
};

async function stateOf(
  name: string,
  made: { home: string; env: Record<string, string> },
  opts: { agents?: string[]; stateDir?: string; extra?: string[] } = {},
): Promise<State> {
  const agents = opts.agents ?? ['main'];
  const expected = new Map<string, Awaited<ReturnType<typeof openclawStatus>>>();
  for (const a of agents) expected.set(a, await openclawStatus(made.env, a === 'main' ? undefined : a));
  return {
    name,
    home: made.home,
    env: made.env,
    stateDir: opts.stateDir ?? join(made.home, '.openclaw'),
    agents,
    expected,
    ...(opts.extra ? { extra: opts.extra } : {}),
  };
}

const builders: Array<() => Promise<State>> = [
  // 1. No credentials: the config routes Anthropic, nothing can serve it.
  async () => {
    const home = newHome('empty');
    const env = ocEnv(home);
    await openclawOk(['models', 'set', MODEL], env);
    return stateOf('no credentials', { home, env });
  },
  // 2–4. Setup tokens through OpenClaw's own paste-token.
  async () => stateOf('setup token without expiry', await (plainToken ??= tokenHome('token'))),
  async () => stateOf('setup token with expiry (365 d)', await tokenHome('token-exp', { expiresIn: '365d' })),
  async () => stateOf('setup token expiring (2 h)', await tokenHome('token-soon', { expiresIn: '2h' })),
  // 5–7. OAuth logins (OpenClaw has no offline command for them).
  async () => stateOf('oauth valid (3 d)', await oauthHome(3 * DAY)),
  async () => stateOf('oauth expiring (3 h)', await oauthHome(3 * HOUR)),
  async () => stateOf('oauth expired, with refresh token', await oauthHome(-HOUR)),
  // 8. A retired anthropic:claude-cli beside a working token.
  async () => {
    const made = await copyOfTokenHome();
    const db = join(made.home, '.openclaw', 'state', 'openclaw.sqlite');
    const store = {
      version: 1,
      profiles: {
        'anthropic:manual': { type: 'token', provider: 'anthropic', token: secret('setup') },
        'anthropic:claude-cli': {
          type: 'oauth',
          provider: 'anthropic',
          access: secret('access'),
          refresh: secret('refresh'),
          expires: Date.now() + 5 * HOUR,
        },
      },
    };
    await setStateRow(db, 'authProfiles.store', JSON.stringify(store));
    return stateOf('retired anthropic:claude-cli', made);
  },
  // 9. A store row that does not parse.
  async () => {
    const made = await copyOfTokenHome();
    await setStateRow(
      join(made.home, '.openclaw', 'state', 'openclaw.sqlite'),
      'authProfiles.store',
      '{"version":1,"profiles":{"anthropic:manual":',
    );
    return stateOf('corrupt store row', made);
  },
  // 10. A second agent with its own override store (paste-token --agent), healthy.
  async () => {
    const made = await copyOfTokenHome();
    await openclawOk(
      ['agents', 'add', 'work', '--non-interactive', '--workspace', join(made.home, 'ws-work')],
      made.env,
    );
    await openclawOk(
      ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--agent', 'work', '--profile-id', 'anthropic:work'],
      made.env,
      secret('setup') + '\n',
    );
    return stateOf('per-agent override', made, { agents: ['main', 'work'] });
  },
  // 11. Two agents: main fine, the second's own token expiring (the worst code wins).
  async () => {
    const made = await copyOfTokenHome();
    await openclawOk(['agents', 'add', 'ops', '--non-interactive', '--workspace', join(made.home, 'ws-ops')], made.env);
    await openclawOk(
      [
        'models',
        'auth',
        'paste-token',
        '--provider',
        'anthropic',
        '--agent',
        'ops',
        '--profile-id',
        'anthropic:ops',
        '--expires-in',
        '3h',
      ],
      made.env,
      secret('setup') + '\n',
    );
    return stateOf('two agents, one expiring', made, { agents: ['main', 'ops'] });
  },
  // 12. OPENCLAW_STATE_DIR elsewhere (not under HOME).
  async () => {
    const stateDir = join(newHome('elsewhere-state'), 'gateway-state');
    const made = await tokenHome('elsewhere-home', { expiresIn: '30d', extraEnv: { OPENCLAW_STATE_DIR: stateDir } });
    return stateOf('OPENCLAW_STATE_DIR elsewhere', made, { stateDir });
  },
  // 13. A Clawdbot 2026.1 home migrated by `openclaw doctor --fix`.
  async () => {
    const home = newHome('migrated');
    const env = ocEnv(home);
    const cb = join(home, '.clawdbot');
    mkdirSync(join(cb, 'agents', 'main', 'agent'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(cb, 'clawdbot.json'),
      JSON.stringify({ agents: { defaults: { model: { primary: MODEL } } } }, null, 2),
    );
    writeFileSync(
      join(cb, 'agents', 'main', 'agent', 'auth-profiles.json'),
      JSON.stringify(
        {
          version: 1,
          profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: secret('setup') } },
        },
        null,
        2,
      ),
      { mode: 0o600 },
    );
    // Under heavy load a migration step can time out and refuse; a second run resumes it.
    let r = await openclaw(['doctor', '--fix', '--non-interactive'], env);
    for (let i = 0; i < 2 && (r.code !== 0 || !lstatSync(cb).isSymbolicLink()); i++)
      r = await openclaw(['doctor', '--fix', '--non-interactive'], env);
    assert.equal(r.code, 0, `openclaw doctor --fix: ${r.stdout.slice(-300)}`);
    return stateOf('Clawdbot home migrated by openclaw doctor --fix', { home, env }, { extra: [cb] });
  },
  // 14. A stray legacy file in an agent dir: OpenClaw refuses to run.
  async () => {
    const made = await copyOfTokenHome();
    const stray = join(made.home, '.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json');
    mkdirSync(dirname(stray), { recursive: true, mode: 0o700 });
    writeFileSync(stray, JSON.stringify({ version: 1, profiles: {} }), { mode: 0o600 });
    return stateOf('stray legacy auth-profiles.json', made);
  },
  // 15. Anthropic models routed through the claude-cli runtime, Claude Code logged out.
  async () => {
    const made = await copyOfTokenHome();
    editJson(join(made.home, '.openclaw', 'openclaw.json'), (cfg) => {
      const defaults = (cfg['agents'] as Record<string, Record<string, unknown>>)['defaults']!;
      defaults['models'] = { ...(defaults['models'] as object), [MODEL]: { agentRuntime: { id: 'claude-cli' } } };
    });
    return stateOf('claude-cli runtime, Claude Code logged out', made);
  },
  // 16–22. Where AuthBar's --strict once chose another profile than OpenClaw (issue 13).
  async () =>
    stateOf(
      'same-type tokens: the least recently used serves',
      await rowsHome(
        { 'anthropic:a': setupToken({ expires: Date.now() + 2 * HOUR }), 'anthropic:b': setupToken() },
        {
          usageStats: { 'anthropic:a': { lastUsed: Date.now() - HOUR }, 'anthropic:b': { lastUsed: Date.now() - DAY } },
        },
        undeclared,
      ),
    ),
  async () =>
    stateOf(
      'lastGood names the expiring token',
      await rowsHome(
        { 'anthropic:a': setupToken(), 'anthropic:b': setupToken({ expires: Date.now() + 2 * HOUR }) },
        { lastGood: { anthropic: 'anthropic:b' } },
        undeclared,
      ),
    ),
  async () =>
    stateOf(
      'stored order names only a removed profile',
      await rowsHome(
        { 'anthropic:a': setupToken({ expires: Date.now() + 2 * HOUR }) },
        { order: { anthropic: ['anthropic:gone'] } },
        undeclared,
      ),
    ),
  async () =>
    stateOf(
      'config mode oauth over a stored token',
      await rowsHome({ 'anthropic:manual': setupToken({ expires: Date.now() + 2 * HOUR }) }, null, (cfg) => {
        (cfg['auth'] as Record<string, Record<string, Record<string, string>>>)['profiles']!['anthropic:manual']![
          'mode'
        ] = 'oauth';
      }),
    ),
  async () =>
    stateOf(
      'unresolved tokenRef',
      await rowsHome(
        {
          'anthropic:manual': {
            type: 'token',
            provider: 'anthropic',
            tokenRef: { source: 'env', provider: 'default', id: 'AUTHBAR_TEST_UNSET_TOKEN' },
          },
        },
        null,
      ),
    ),
  async () =>
    stateOf(
      'a model alias as primary',
      await rowsHome({ 'anthropic:manual': setupToken({ expires: Date.now() + 2 * HOUR }) }, null, (cfg) => {
        const defaults = (cfg['agents'] as Record<string, Record<string, unknown>>)['defaults']!;
        defaults['model'] = { primary: 'opus' };
        defaults['models'] = { [MODEL]: { alias: 'opus' } };
      }),
    ),
  async () =>
    stateOf(
      'retired anthropic:claude-cli alone',
      await rowsHome(
        {
          'anthropic:claude-cli': {
            type: 'oauth',
            provider: 'anthropic',
            access: secret('access'),
            refresh: secret('refresh'),
            expires: Date.now() + 3 * DAY,
          },
        },
        null,
        undeclared,
      ),
    ),
  // 23. An agentDir written as `~/…`: OpenClaw expands it against its home, not the working directory.
  async () => {
    const made = await copyOfTokenHome();
    const agentDir = join(made.home, 'work-agent');
    await openclawOk(
      [
        'agents',
        'add',
        'work',
        '--non-interactive',
        '--workspace',
        join(made.home, 'ws-work'),
        '--agent-dir',
        agentDir,
      ],
      made.env,
    );
    await openclawOk(
      [
        'models',
        'auth',
        'paste-token',
        '--provider',
        'anthropic',
        '--agent',
        'work',
        '--profile-id',
        'anthropic:work',
      ].concat(['--expires-in', '2h']),
      made.env,
      secret('setup') + '\n',
    );
    editJson(join(made.home, '.openclaw', 'openclaw.json'), (cfg) => {
      const entries = (cfg['agents'] as Record<string, Record<string, Record<string, unknown>>>)['entries']!;
      entries['work']!['agentDir'] = '~/work-agent';
    });
    return stateOf('agentDir written as ~/…', made, { agents: ['main', 'work'], extra: [agentDir] });
  },
];

const skip = !OPENCLAW || !NODE24;
let states: State[] = [];

function worstCode(codes: Array<number | null>): number {
  if (codes.includes(1)) return 1;
  if (codes.includes(2)) return 2;
  return codes.every((c) => c === 0) ? 0 : 1;
}

function watched(s: State): Map<string, string> {
  const all = new Map<string, string>();
  for (const dir of [s.stateDir, ...(s.extra ?? [])])
    for (const [k, v] of treeDigest(dir)) all.set(`${dir}:${k}`, JSON.stringify(v));
  for (const dir of s.extra ?? [])
    all.set(
      `${dir}:<lstat>`,
      existsSync(dir) ? (lstatSync(dir).isSymbolicLink() ? `link→${readlinkSync(dir)}` : 'dir') : 'absent',
    );
  return all;
}

describe('interop with the real openclaw models status (AuthBar on Node 24, node:sqlite)', { concurrency: 1 }, () => {
  before(async () => {
    if (skip) return;
    states = await Promise.all(builders.map((b) => b()));
  });
  after(() => {
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  it('builds at least 12 distinct states with OpenClaw', (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    assert.ok(states.length >= 12);
    const codes = new Set(states.map((s) => worstCode([...s.expected.values()].map((e) => e.code))));
    assert.deepEqual([...codes].sort(), [0, 1, 2], 'the states cover every exit code');
  });

  it('status --check --strict exits as openclaw models status --check, per state', async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const rows = await Promise.all(
      states.map(async (s) => {
        const r = await authbarOn(NODE24 as string, ['status', '--check', '--strict'], s.env);
        return {
          name: s.name,
          want: worstCode([...s.expected.values()].map((e) => e.code)),
          got: r.code,
          stderr: r.stderr,
        };
      }),
    );
    for (const row of rows)
      assert.equal(row.got, row.want, `${row.name}: authbar ${row.got}, openclaw ${row.want} (${row.stderr.trim()})`);
  });

  it('status --json reports the profiles and statuses openclaw reports, read from SQLite', async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    for (const s of states) {
      const r = await authbarOn(NODE24 as string, ['status', '--json', '--no-sync'], s.env);
      const snap = JSON.parse(r.stdout) as {
        gateway: { kind: string; dataVia: string; stateDir: string; version: string | null };
        agents: Array<{
          agentId: string;
          storeStatus: string;
          profiles: Array<{
            profileId: string;
            provider: string;
            type: string;
            status: string;
            expiresAt: number | null;
            source: string;
          }>;
        }>;
      };
      assert.equal(snap.gateway.kind, 'openclaw', s.name);
      assert.equal(snap.gateway.dataVia, 'sqlite', s.name);
      assert.equal(snap.gateway.stateDir, s.stateDir, s.name);
      for (const agentId of s.agents) {
        const want = s.expected.get(agentId)!;
        const agent = snap.agents.find((a) => a.agentId === agentId);
        assert.ok(agent, `${s.name}: agent ${agentId} is in the snapshot`);
        if (want.profiles === null) {
          // OpenClaw refuses (corrupt row, legacy file): AuthBar says the agent's store cannot be used.
          assert.ok(want.error, `${s.name}: openclaw gave neither profiles nor an error`);
          assert.ok(
            agent.storeStatus === 'error' || s.name.includes('legacy'),
            `${s.name}: ${agentId} store status ${agent.storeStatus}`,
          );
          continue;
        }
        const got = agent.profiles
          .filter((p) => p.source === 'store')
          .map((p) => ({
            profileId: p.profileId,
            provider: p.provider,
            type: p.type,
            status: p.status,
            expiresAt: p.expiresAt ?? undefined,
          }));
        const exp = want.profiles.map((p) => ({
          profileId: p.profileId,
          provider: p.provider,
          type: p.type,
          status: p.status,
          expiresAt: p.expiresAt,
        }));
        assert.deepEqual(got, exp, `${s.name}: agent ${agentId}`);
      }
    }
  });

  it("status, sync, doctor and doctor --fix leave OpenClaw's files byte-identical and its --check unchanged", async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    await Promise.all(
      states.map(async (s) => {
        const before = watched(s);
        for (const args of [
          ['status'],
          ['status', '--json'],
          ['status', '--check', '--strict'],
          ['sync'],
          ['sync', '--json'],
          ['doctor'],
          ['doctor', '--fix'],
          ['doctor', '--fix', '--json'],
        ]) {
          const r = await authbarOn(NODE24 as string, args, s.env);
          assert.ok(
            r.code === 0 || r.code === 1 || r.code === 2,
            `${s.name}: authbar ${args.join(' ')} exited ${r.code}: ${r.stderr}`,
          );
        }
        const afterState = watched(s);
        assert.deepEqual(
          [...afterState.entries()].sort(),
          [...before.entries()].sort(),
          `${s.name}: OpenClaw's files changed`,
        );
      }),
    );
    // The check itself, again, where it matters most (the files being identical makes the rest follow).
    for (const s of states.filter((x) => /migrated|stray|expiring \(2 h\)/.test(x.name))) {
      const again = await openclawStatus(s.env);
      assert.equal(again.code, s.expected.get('main')!.code, `${s.name}: openclaw --check changed`);
    }
  });

  it('on a migrated home, sync writes no JSON store, not even through the ~/.clawdbot link', async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const s = states.find((x) => x.name.startsWith('Clawdbot home migrated'))!;
    const link = join(s.home, '.clawdbot');
    assert.ok(lstatSync(link).isSymbolicLink(), 'openclaw doctor --fix left ~/.clawdbot as a link');
    // Claude Code logged in: the old AuthBar copied this into ~/.clawdbot/agents/main/agent/auth-profiles.json.
    const creds = join(s.home, '.claude', '.credentials.json');
    mkdirSync(dirname(creds), { recursive: true, mode: 0o700 });
    writeFileSync(
      creds,
      JSON.stringify({
        claudeAiOauth: {
          accessToken: secret('access'),
          refreshToken: secret('refresh'),
          expiresAt: Date.now() + 5 * HOUR,
          scopes: ['user:inference'],
        },
      }),
      { mode: 0o600 },
    );
    const r = await authbarOn(NODE24 as string, ['sync'], s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to sync/);
    assert.ok(
      !existsSync(join(s.home, '.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json')),
      'no auth-profiles.json was written',
    );
    const check = await openclawStatus(s.env);
    assert.equal(check.code, s.expected.get('main')!.code, 'the gateway still runs as before');
    assert.equal(check.error, null, 'OpenClaw does not ask for a legacy migration');
  });

  it("doctor names the stray legacy file, the retired profile and the corrupt row, and prints OpenClaw's own fix", async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const json = async (name: string) => {
      const s = states.find((x) => x.name === name)!;
      const r = await authbarOn(NODE24 as string, ['doctor', '--json'], s.env);
      return (
        JSON.parse(r.stdout) as { checks: Array<{ id: string; verdict: string; message: string; fix: string | null }> }
      ).checks;
    };
    const stray = await json('stray legacy auth-profiles.json');
    const legacy = stray.find((c) => c.id.startsWith('legacy-file:'));
    assert.ok(
      legacy &&
        legacy.verdict === 'fail' &&
        legacy.message.includes('auth-profiles.json') &&
        legacy.fix === 'openclaw doctor --fix',
    );
    const retired = (await json('retired anthropic:claude-cli')).find((c) => c.id.startsWith('retired:'));
    assert.ok(retired && retired.fix === 'openclaw doctor --fix');
    const corrupt = (await json('corrupt store row')).find((c) => c.id.startsWith('store:'));
    assert.ok(corrupt && corrupt.verdict === 'fail' && /unreadable/.test(corrupt.message));
    const none = (await json('no credentials')).find((c) => c.id.startsWith('route:'));
    assert.ok(none && /anthropic/.test(none.message) && /paste-token/.test(none.fix ?? ''));
  });

  it("reads through a live writer's non-empty WAL without touching the database, its -wal or its -shm", async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const base = states.find((x) => x.name === 'setup token without expiry')!;
    const home = newHome('live-writer');
    cpSync(base.home, home, { recursive: true });
    const env = { ...base.env, HOME: home };
    const db = join(home, '.openclaw', 'state', 'openclaw.sqlite');
    // A writer that keeps its connection (and so its WAL) open, as a running gateway does.
    const script = `const {DatabaseSync}=require('node:sqlite');const db=new DatabaseSync(process.argv[1]);db.exec('PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=0');const row=db.prepare("SELECT value_json FROM config_machine_state WHERE state_key='authProfiles.store'").get();const store=JSON.parse(row.value_json);store.profiles['anthropic:live']={type:'token',provider:'anthropic',token:process.argv[2]};db.prepare("UPDATE config_machine_state SET value_json=? WHERE state_key='authProfiles.store'").run(JSON.stringify(store));process.stdout.write('ready\\n');process.stdin.on('end',()=>{db.close();}).resume();`;
    const child = spawn(NODE24 as string, ['-e', script, db, secret('setup')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    try {
      await Promise.race([
        new Promise<void>((res) => child.stdout.once('data', () => res())),
        exited.then((c) => Promise.reject(new Error(`writer exited ${c}`))),
      ]);
      assert.ok(statSync(`${db}-wal`).size > 0, 'the writer left a non-empty WAL');
      const before = treeDigest(join(home, '.openclaw'));
      const r = await authbarOn(NODE24 as string, ['status', '--json', '--no-sync'], env);
      const snap = JSON.parse(r.stdout) as {
        gateway: { dataVia: string };
        agents: Array<{ profiles: Array<{ profileId: string }> }>;
      };
      assert.equal(snap.gateway.dataVia, 'sqlite');
      assert.ok(
        snap.agents[0]!.profiles.some((p) => p.profileId === 'anthropic:live'),
        'the row still in the WAL was read',
      );
      assert.deepEqual(
        [...treeDigest(join(home, '.openclaw')).entries()].sort(),
        [...before.entries()].sort(),
        'database, -wal and -shm untouched',
      );
    } finally {
      child.stdin.end();
      await exited;
    }
  });

  it("a clock behind OpenClaw's newest store file is caught, as on Clawdbot", async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const base = states.find((x) => x.name === 'setup token without expiry')!;
    const home = copyHome(base.home);
    homes.push(home);
    const env = { ...base.env, HOME: home };
    assert.equal((await authbarOn(NODE24 as string, ['status', '--check', '--no-sync'], env)).code, 0);
    // OpenClaw wrote its state database a day "after" now: this machine's clock went back.
    const db = join(home, '.openclaw', 'state', 'openclaw.sqlite');
    const ahead = new Date(Date.now() + DAY);
    utimesSync(db, ahead, ahead);
    const r = await authbarOn(NODE24 as string, ['status', '--check', '--no-sync'], env);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`which is before ${db} was last modified`), r.stderr);
  });

  it("the claude-cli runtime shows Claude Code's own login, and doctor says when it is logged out", async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    const s = states.find((x) => x.name.startsWith('claude-cli runtime'))!;
    const st = JSON.parse((await authbarOn(NODE24 as string, ['status', '--json', '--no-sync'], s.env)).stdout) as {
      agents: Array<{ agentId: string; profiles: Array<{ profileId: string; source: string; usable: boolean }> }>;
    };
    const runtime = st.agents.find((a) => a.agentId === 'main')!.profiles.find((p) => p.profileId === 'claude-cli');
    assert.ok(
      runtime && runtime.source === 'claude-code' && runtime.usable === false,
      'the runtime entry reflects Claude Code (logged out)',
    );
    const d = JSON.parse((await authbarOn(NODE24 as string, ['doctor', '--json'], s.env)).stdout) as {
      checks: Array<{ id: string; verdict: string }>;
    };
    assert.ok(d.checks.some((c) => c.id === 'claude-cli-runtime:main' && c.verdict === 'fail'));
    assert.ok(!existsSync(join(s.home, '.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json')));
  });

  it('under a Node without node:sqlite (this Node 20): reads through openclaw models status --json and exits as its --check', async (t) => {
    if (skip) return t.skip(SKIP_OPENCLAW);
    if (process.versions.node.split('.').map(Number)[0]! >= 23) return t.skip('this Node has node:sqlite');
    const targets = states.filter((s) => /setup token expiring|setup token without|no credentials/.test(s.name));
    assert.equal(targets.length, 3);
    for (const s of targets) {
      // A fresh copy: openclaw.json's ctime differs from what OpenClaw recorded, the case where
      // `models status --json` upserts a config_health_entries row and leaves -wal/-shm (2026.9.6).
      const home = copyHome(s.home);
      homes.push(home);
      const env = { ...s.env, HOME: home, PATH: `${dirname(OPENCLAW as string)}:${s.env['PATH']}` };
      const before = treeDigest(join(home, '.openclaw'));
      const r = await authbarOn(process.execPath, ['status', '--json', '--check', '--strict', '--no-sync'], env);
      assert.deepEqual(
        [...treeDigest(join(home, '.openclaw')).entries()].sort(),
        [...before.entries()].sort(),
        `${s.name}: the fallback left OpenClaw's tree byte-identical (no -wal/-shm created)`,
      );
      const snap = JSON.parse(r.stdout) as {
        gateway: { dataVia: string; note: string };
        agents: Array<{ profiles: Array<{ profileId: string; status: string }> }>;
      };
      assert.equal(snap.gateway.dataVia, 'gateway-cli', s.name);
      assert.match(snap.gateway.note, /node:sqlite/);
      assert.equal(r.code, s.expected.get('main')!.code, s.name);
      assert.deepEqual(
        snap.agents[0]!.profiles.map((p) => [p.profileId, p.status]),
        (s.expected.get('main')!.profiles ?? []).map((p) => [p.profileId, p.status]),
        s.name,
      );
    }
  });
});
