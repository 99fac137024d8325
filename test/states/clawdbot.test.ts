/**
 * Interoperability with the real Clawdbot 2026.1.24-3 CLI (and, briefly, the real Claude
 * Code CLI). For each state, the same files go into three temp HOMEs:
 *   A: `authbar sync`, then `authbar status --json`, then Clawdbot reads AuthBar's files;
 *   B: `clawdbot models status --json --check` (how Clawdbot syncs: one agent dir per run);
 *   C: `authbar status --check --strict` on the untouched files.
 * and the test asserts (a) the sinks in A and B agree, (b) the exit codes agree, (c) Clawdbot
 * reading AuthBar's sinks reports what AuthBar reports, and finds nothing left to sync.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  claudeCredentials,
  codexJwt,
  makeHome,
  runAuthbar,
  runProcess,
  secret,
  DAY,
  HOUR,
  type TempHome,
} from '../support/home.js';
import type { Snapshot } from '../../common/snapshot.js';
import { assertSameSink, CODEX_PROFILE } from '../support/compare.js';
import {
  combineCodes,
  fileState,
  INSTALL_HINT,
  Limiter,
  peerPath,
  runClawdbot,
  wasWritten,
  type ClawdbotRun,
  type FileState,
} from '../support/peers.js';

const CLAWDBOT = peerPath('PEER_CLAWDBOT', 'clawdbot');
const CLAUDE = peerPath('PEER_CLAUDE', 'claude');
const SKIP_CLAWDBOT = `clawdbot not installed: ${INSTALL_HINT}`;
const SKIP_CLAUDE = `claude not installed: ${INSTALL_HINT}`;

/** Two peer processes at a time across the whole file (2 cores; each run is ~2.5 s of CPU). */
const limiter = new Limiter(2);
const STATE_TIMEOUT = 240_000;
const MINUTE = 60_000;

/** Keeps Clawdbot's "synced … from claude cli" log line off stdout. */
const QUIET = { logging: { consoleLevel: 'warn' } };
const CONFIG = '.clawdbot/clawdbot.json';
const LEGACY_STORE = '.clawdbot/agent/auth-profiles.json';
const CLAUDE_FILE = '.claude/.credentials.json';
const CODEX_FILE = '.codex/auth.json';
const QWEN_FILE = '.qwen/oauth_creds.json';

const storeRel = (agentId: string) => join('.clawdbot', 'agents', agentId, 'agent', 'auth-profiles.json');
const agentDirOf = (h: TempHome, agentId: string) => h.path('.clawdbot', 'agents', agentId, 'agent');

interface FileSpec {
  path: string;
  content: string | object;
  mode?: number;
  /** Set the file's mtime (Clawdbot guesses Codex's expiry from it). */
  mtimeMs?: number;
}

interface StateSpec {
  files: FileSpec[];
  /** Symlinks to create, `target` as written into the link. */
  links?: Array<{ path: string; target: string }>;
  /** Agent ids Clawdbot is run for, in this order; the default is just `main`. */
  agents?: string[];
  /** `clawdbot.json`; the default keeps logging quiet; null writes none (Clawdbot then logs to stdout). */
  config?: object | null;
  /** Extra environment for every program run in this state. */
  env?: Record<string, string>;
  /** What the issue says Clawdbot's `--check` gives here: a sanity check on the real program. */
  expectCode: 0 | 1 | 2;
  /**
   * Set (to the reason) when Clawdbot is known to rewrite AuthBar's sink in this state; the
   * dedicated test for that divergence carries the failing assertion instead.
   */
  clawdbotRewritesAuthbar?: string;
  /** State-specific assertions, after the common ones. */
  extra?: (r: StateRun) => void;
}

interface StateRun {
  spec: StateSpec;
  a: TempHome;
  b: TempHome;
  /** Clawdbot's runs in B (its own sync), by agent id. */
  cbB: Map<string, ClawdbotRun>;
  /** Clawdbot's runs in A (reading AuthBar's sinks), by agent id. */
  cbA: Map<string, ClawdbotRun>;
  snapshot: Snapshot;
  /** An agent's store in A right after `authbar sync`, before Clawdbot read it (known shape, indexed freely). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  syncedA(agentId: string): any;
  agentView(agentId: string): Snapshot['agents'][number];
}

function build(h: TempHome, spec: StateSpec): void {
  // A Clawdbot host: Clawdbot made its state dir when it first ran (AuthBar never creates one).
  mkdirSync(h.path('.clawdbot'), { recursive: true, mode: 0o700 });
  if (spec.config !== null) h.write(CONFIG, spec.config ?? QUIET);
  Object.assign(h.env, spec.env ?? {});
  for (const f of spec.files) {
    const path = h.write(f.path, f.content, f.mode);
    if (f.mtimeMs !== undefined) utimesSync(path, new Date(f.mtimeMs), new Date(f.mtimeMs));
  }
  for (const l of spec.links ?? []) {
    mkdirSync(dirname(h.path(l.path)), { recursive: true, mode: 0o700 });
    symlinkSync(l.target, h.path(l.path));
  }
}

function clawdbotEnv(h: TempHome, agentId: string): Record<string, string> {
  // The default agent is left to Clawdbot's own resolution (<state>/agents/main/agent).
  return agentId === 'main' ? h.env : { ...h.env, CLAWDBOT_AGENT_DIR: agentDirOf(h, agentId) };
}

/** One Clawdbot run per agent dir, in order (two runs on one shared file must not race). */
async function clawdbotPerAgent(h: TempHome, agents: readonly string[]): Promise<Map<string, ClawdbotRun>> {
  const bin = CLAWDBOT as string;
  const runs = new Map<string, ClawdbotRun>();
  for (const id of agents) {
    const r = await runClawdbot(bin, limiter, ['models', 'status', '--json', '--check'], clawdbotEnv(h, id));
    assert.equal(r.json.agentDir, agentDirOf(h, id), `clawdbot ran on the wrong agent dir for ${id}`);
    runs.set(id, r);
  }
  return runs;
}

function statesOf(h: TempHome, rels: readonly string[]): Map<string, FileState> {
  return new Map(rels.map((rel) => [rel, fileState(h.path(rel))]));
}

function readStoreJson(h: TempHome, rel: string): unknown {
  return fileState(h.path(rel)).exists ? h.readJson(rel) : undefined;
}

function profileRows(rows: ReadonlyArray<{ profileId: string; provider: string; type: string; status: string }>) {
  return rows
    .map(({ profileId, provider, type, status }) => ({ profileId, provider, type, status }))
    .sort((x, y) => x.profileId.localeCompare(y.profileId));
}

async function runState(t: TestContext, spec: StateSpec): Promise<void> {
  if (!CLAWDBOT) {
    t.skip(SKIP_CLAWDBOT);
    return;
  }
  const a = makeHome('authbar-interop-a-');
  const b = makeHome('authbar-interop-b-');
  const c = makeHome('authbar-interop-c-');
  t.after(() => [a, b, c].forEach((h) => h.cleanup()));
  for (const h of [a, b, c]) build(h, spec);

  const agents = spec.agents ?? ['main'];
  const storeRels = agents.map(storeRel);
  const otherRels = [
    ...new Set([...spec.files.map((f) => f.path), ...(spec.links ?? []).map((l) => l.path), LEGACY_STORE]),
  ].filter((rel) => !storeRels.includes(rel));
  const tracked = [...storeRels, ...otherRels];
  const beforeA = statesOf(a, tracked);
  const beforeB = statesOf(b, tracked);
  const originals = new Map(storeRels.map((rel) => [rel, readStoreJson(a, rel)]));

  // Phase 1: each program syncs on its own copy; AuthBar also judges an untouched copy.
  const [syncA, cbB, strictC] = await Promise.all([
    runAuthbar(['sync'], a.env),
    clawdbotPerAgent(b, agents),
    runAuthbar(['status', '--check', '--strict'], c.env),
  ]);
  assert.equal(syncA.code, 0, `authbar sync failed: ${syncA.stderr}`);
  const afterA = statesOf(a, tracked);
  const syncedA = new Map(storeRels.map((rel) => [rel, readStoreJson(a, rel)]));
  const afterB = statesOf(b, tracked);

  // (a) Every sink holds what Clawdbot wrote.
  for (const [i, rel] of storeRels.entries()) {
    const id = agents[i] as string;
    const label = `agent ${id}`;
    assertSameSink(label, readStoreJson(a, rel), readStoreJson(b, rel), originals.get(rel));
    const [bA, aA, bB, aB] = [beforeA, afterA, beforeB, afterB].map((m) => m.get(rel) as FileState) as [
      FileState,
      FileState,
      FileState,
      FileState,
    ];
    assert.equal(
      wasWritten(bA, aA),
      wasWritten(bB, aB),
      `${label}: ${wasWritten(bA, aA) ? 'AuthBar' : 'Clawdbot'} rewrote a store the other left alone`,
    );
    assert.equal(aA.isSymlink, bA.isSymlink, `${label}: AuthBar changed whether the store is a symlink`);
    assert.equal(aB.isSymlink, bB.isSymlink, `${label}: Clawdbot changed whether the store is a symlink`);
    if (aA.exists && aB.exists) {
      assert.equal((aA.mode as number).toString(8), (aB.mode as number).toString(8), `${label}: store modes differ`);
      const dirMode = (h: TempHome) => (statSync(agentDirOf(h, id)).mode & 0o777).toString(8);
      assert.equal(dirMode(a), dirMode(b), `${label}: agent dir modes differ`);
    }
  }
  // Sources, the legacy store and anything else neither program owns stay as they were.
  for (const rel of otherRels) {
    assert.ok(!wasWritten(beforeA.get(rel) as FileState, afterA.get(rel) as FileState), `authbar sync touched ${rel}`);
    assert.ok(!wasWritten(beforeB.get(rel) as FileState, afterB.get(rel) as FileState), `clawdbot touched ${rel}`);
  }

  // (b) `authbar status --check --strict` exits as `clawdbot models status --check` does.
  const cbCodes = agents.map((id) => (cbB.get(id) as ClawdbotRun).code);
  const cbCode = combineCodes(cbCodes);
  assert.equal(
    cbCode,
    spec.expectCode,
    `clawdbot --check gave ${cbCodes.join(',')}; this state is expected to give ${spec.expectCode} (stderr: ${[...cbB.values()].map((r) => r.stderr).join(' ')})`,
  );
  assert.equal(
    strictC.code,
    cbCode,
    `authbar status --check --strict on the untouched files exited ${strictC.code}, clawdbot ${cbCode} (stderr: ${strictC.stderr})`,
  );
  const strictA = await runAuthbar(['status', '--check', '--strict'], a.env);
  assert.equal(
    strictA.code,
    cbCode,
    `authbar status --check --strict after sync exited ${strictA.code}, clawdbot ${cbCode}`,
  );
  if (agents.length > 1) {
    for (const id of agents) {
      const one = await runAuthbar(['status', '--check', '--strict', '--agent', id], c.env);
      assert.equal(
        one.code,
        cbB.get(id)?.code,
        `agent ${id}: authbar --strict exited ${one.code}, clawdbot ${cbB.get(id)?.code}`,
      );
    }
  }

  // (c) Clawdbot reading AuthBar's sinks reports what AuthBar reports, and has nothing to sync.
  const statusA = await runAuthbar(['status', '--json'], a.env);
  assert.equal(statusA.code, 0, statusA.stderr);
  const snapshot = JSON.parse(statusA.stdout) as Snapshot;
  const beforeRead = statesOf(a, tracked);
  const cbA = await clawdbotPerAgent(a, agents);
  const afterRead = statesOf(a, tracked);
  for (const rel of tracked) {
    if (spec.clawdbotRewritesAuthbar !== undefined && storeRels.includes(rel)) continue;
    assert.ok(
      !wasWritten(beforeRead.get(rel) as FileState, afterRead.get(rel) as FileState),
      `clawdbot found something to sync in AuthBar's ${rel}`,
    );
  }
  const active = snapshot.agents.filter((v) => v.passive === null);
  assert.deepEqual(
    active.map((v) => v.agentId).sort(),
    [...agents].sort(),
    'AuthBar manages other agents than Clawdbot syncs',
  );
  for (const id of agents) {
    const view = active.find((v) => v.agentId === id);
    const cb = cbA.get(id) as ClawdbotRun;
    assert.ok(view);
    assert.deepEqual(
      profileRows(view.profiles),
      profileRows(cb.json.auth.oauth.profiles),
      `agent ${id}: authbar status --json and clawdbot models status --json disagree`,
    );
  }
  assert.equal(
    strictA.code,
    combineCodes(agents.map((id) => cbA.get(id)?.code ?? null)),
    'clawdbot --check on AuthBar files disagrees with authbar --strict',
  );

  spec.extra?.({
    spec,
    a,
    b,
    cbB,
    cbA,
    snapshot,
    syncedA: (id) => syncedA.get(storeRel(id)),
    agentView: (id) => {
      const v = snapshot.agents.find((x) => x.agentId === id);
      assert.ok(v, `authbar status --json has no agent ${id}`);
      return v;
    },
  });
}

/** Two temp HOMEs holding the same state, removed after the test. */
function twoHomes(t: TestContext, spec: StateSpec): [TempHome, TempHome] {
  const a = makeHome('authbar-interop-a-');
  const b = makeHome('authbar-interop-b-');
  t.after(() => [a, b].forEach((h) => h.cleanup()));
  for (const h of [a, b]) build(h, spec);
  return [a, b];
}

/** A Claude-cli oauth profile as Clawdbot stores it. */
function claudeProfile(expires: number, extra: object = {}) {
  return {
    type: 'oauth',
    provider: 'anthropic',
    access: secret('access'),
    refresh: secret('refresh'),
    expires,
    ...extra,
  };
}

function storeFile(agentId: string, store: object, mode?: number): FileSpec {
  return mode === undefined
    ? { path: storeRel(agentId), content: store }
    : { path: storeRel(agentId), content: store, mode };
}

function accessOf(store: unknown, id: string): unknown {
  return ((store as { profiles: Record<string, Record<string, unknown>> }).profiles[id] ?? {})['access'];
}

describe('interop with the real clawdbot models status', { concurrency: 2 }, () => {
  it('none at all: nothing written, anthropic missing, exit 1', { timeout: STATE_TIMEOUT }, (t) =>
    runState(t, {
      files: [],
      config: null,
      expectCode: 1,
      extra: ({ a, b, cbB, agentView }) => {
        assert.equal(a.exists(storeRel('main')), false);
        assert.equal(b.exists(storeRel('main')), false);
        assert.deepEqual(cbB.get('main')?.json.auth.missingProvidersInUse, ['anthropic']);
        assert.deepEqual(agentView('main').missingProviders, ['anthropic']);
      },
    }),
  );

  it(
    'oauth valid: a fresh HOME with a Claude Code login (no config, log line on stdout)',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const creds = claudeCredentials({ expiresAt: Date.now() + 3 * DAY });
      return runState(t, {
        files: [{ path: CLAUDE_FILE, content: creds }],
        config: null,
        expectCode: 0,
        extra: ({ a, b, cbB }) => {
          // Byte for byte: same layout, same key order, same expires.
          assert.equal(a.read(storeRel('main')), b.read(storeRel('main')));
          assert.equal(
            a.readJson(storeRel('main')).profiles['anthropic:claude-cli'].expires,
            creds.claudeAiOauth['expiresAt'],
          );
          assert.ok(
            cbB.get('main')?.preamble.some((l) => /synced anthropic credentials/.test(l)),
            'expected Clawdbot to log its sync before the JSON',
          );
        },
      });
    },
  );

  it('token only: Claude creds without a refresh token, expiring in 3 h (exit 2)', { timeout: STATE_TIMEOUT }, (t) =>
    runState(t, {
      files: [{ path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: Date.now() + 3 * HOUR, refresh: null }) }],
      expectCode: 2,
      extra: ({ a, agentView }) => {
        assert.equal(a.readJson(storeRel('main')).profiles['anthropic:claude-cli'].type, 'token');
        assert.equal(agentView('main').profiles[0]?.status, 'expiring');
      },
    }),
  );

  it(
    'expired: an expired stored login is replaced by an (also expired) Claude login (exit 1)',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const creds = claudeCredentials({ expiresAt: Date.now() - HOUR });
      return runState(t, {
        files: [
          { path: CLAUDE_FILE, content: creds },
          storeFile('main', {
            version: 1,
            profiles: { 'anthropic:claude-cli': claudeProfile(Date.now() - 2 * DAY, { email: 'me@example.com' }) },
          }),
        ],
        expectCode: 1,
        extra: ({ a }) =>
          assert.equal(
            accessOf(a.readJson(storeRel('main')), 'anthropic:claude-cli'),
            creds.claudeAiOauth['accessToken'],
          ),
      });
    },
  );

  it('expired token: a token-only Claude login that expired an hour ago (exit 1)', { timeout: STATE_TIMEOUT }, (t) =>
    runState(t, {
      files: [{ path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: Date.now() - HOUR, refresh: null }) }],
      expectCode: 1,
    }),
  );

  it('sink newer than source: both keep the stored login', { timeout: STATE_TIMEOUT }, (t) => {
    const stored = claudeProfile(Date.now() + 3 * DAY);
    return runState(t, {
      files: [
        { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: Date.now() + 2 * DAY }) },
        storeFile('main', { version: 1, profiles: { 'anthropic:claude-cli': stored } }),
      ],
      expectCode: 0,
      extra: ({ a, b }) => {
        assert.equal(accessOf(a.readJson(storeRel('main')), 'anthropic:claude-cli'), stored.access);
        assert.equal(accessOf(b.readJson(storeRel('main')), 'anthropic:claude-cli'), stored.access);
      },
    });
  });

  it(
    'oauth → token downgrade attempt: an expired oauth profile is not traded for a token (exit 1)',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const stored = claudeProfile(Date.now() - HOUR);
      return runState(t, {
        files: [
          { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: Date.now() + 3 * DAY, refresh: null }) },
          storeFile('main', { version: 1, profiles: { 'anthropic:claude-cli': stored } }),
        ],
        expectCode: 1,
        extra: ({ a }) => {
          const p = a.readJson(storeRel('main')).profiles['anthropic:claude-cli'];
          assert.equal(p.type, 'oauth');
          assert.equal(p.access, stored.access);
        },
      });
    },
  );

  it(
    'a store with other profiles, order, lastGood, usageStats, unknown keys and broken entries',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const now = Date.now();
      const creds = claudeCredentials({ expiresAt: now + 3 * DAY });
      const store = {
        version: 1,
        gatewayNote: 'kept by AuthBar, dropped by Clawdbot',
        'x-extension': { a: 1, b: [true, null] },
        profiles: {
          // Within 10 min of expiry: Clawdbot reads Claude's file and replaces it whole.
          'anthropic:claude-cli': claudeProfile(now + 5 * MINUTE, { email: 'me@example.com', note: 'foreign key' }),
          'anthropic:work': { type: 'token', provider: 'anthropic', token: secret('setup') },
          'openai:default': { type: 'api_key', provider: 'openai', key: secret('api'), email: 'ops@example.com' },
          'google:gemini': {
            type: 'oauth',
            provider: 'google',
            access: secret('access'),
            refresh: secret('refresh'),
            expires: now + 2 * DAY,
            projectId: 'p-1',
            extraField: 42,
          },
          'broken:notype': { provider: 'openai', key: 'k' },
          'broken:noprovider': { type: 'api_key', key: 'k' },
          'broken:weird': { type: 'password', provider: 'openai' },
          'broken:null': null,
        },
        order: { anthropic: ['anthropic:claude-cli', 'anthropic:work', 'gone:profile'], openai: ['openai:default'] },
        lastGood: { anthropic: 'anthropic:work', openai: 'openai:default' },
        usageStats: {
          'openai:default': {
            lastUsed: now - HOUR,
            cooldownUntil: now + 10 * MINUTE,
            errorCount: 2,
            failureCounts: { rate_limit: 2 },
            lastFailureAt: now - MINUTE,
          },
          'anthropic:work': { lastUsed: now - DAY, customCounter: 3 },
          'gone:profile': { lastUsed: now - 9 * DAY },
        },
      };
      return runState(t, {
        files: [{ path: CLAUDE_FILE, content: creds }, storeFile('main', store, 0o644)],
        // An image model on a provider without any credential: missingProvidersInUse → exit 1.
        config: {
          ...QUIET,
          agents: {
            defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, imageModel: { primary: 'xai/grok-2-vision' } },
          },
        },
        expectCode: 1,
        extra: ({ a, b, cbB }) => {
          const ab = a.readJson(storeRel('main'));
          const cb = b.readJson(storeRel('main'));
          assert.deepEqual(cbB.get('main')?.json.auth.missingProvidersInUse, ['xai']);
          assert.equal(ab.profiles['anthropic:claude-cli'].access, creds.claudeAiOauth['accessToken']);
          // The documented differences: AuthBar keeps keys it does not own, Clawdbot drops them.
          assert.equal(ab.profiles['anthropic:claude-cli'].note, 'foreign key');
          assert.equal(cb.profiles['anthropic:claude-cli'].note, undefined);
          assert.equal(
            ab.profiles['anthropic:claude-cli'].email,
            undefined,
            'the replaced login must not keep the old email',
          );
          assert.deepEqual(ab.gatewayNote, store.gatewayNote);
          assert.equal(cb.gatewayNote, undefined);
          assert.deepEqual(ab.profiles['broken:null'], null);
          assert.equal(cb.profiles['broken:null'], undefined);
        },
      });
    },
  );

  it('several agents: Clawdbot run once per agent dir (with Qwen Code too)', { timeout: STATE_TIMEOUT }, (t) => {
    const now = Date.now();
    return runState(t, {
      files: [
        { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
        {
          path: QWEN_FILE,
          content: {
            access_token: secret('qwen'),
            refresh_token: secret('qwen'),
            expiry_date: now + 5 * DAY,
            token_type: 'Bearer',
            resource_url: 'portal.qwen.ai',
          },
        },
        storeFile('main', { version: 1, profiles: { 'anthropic:claude-cli': claudeProfile(now - 2 * DAY) } }),
        storeFile('work', {
          version: 1,
          profiles: {
            'anthropic:work-token': {
              type: 'token',
              provider: 'anthropic',
              token: secret('setup'),
              expires: now + 3 * HOUR,
            },
          },
        }),
        storeFile('ops', {
          version: 1,
          profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } },
          order: { openai: ['openai:default'] },
        }),
      ],
      agents: ['main', 'ops', 'work'],
      expectCode: 2,
      extra: ({ a, cbB }) => {
        assert.deepEqual(
          ['main', 'ops', 'work'].map((id) => cbB.get(id)?.code),
          [0, 0, 2],
        );
        for (const id of ['main', 'ops', 'work'])
          assert.ok(a.readJson(storeRel(id)).profiles['qwen-portal:qwen-cli'], `agent ${id} lacks the Qwen login`);
      },
    });
  });

  it('Codex: a JWT access token; everything but codex-cli expires agrees', { timeout: STATE_TIMEOUT }, (t) => {
    const now = Date.now();
    // Inside the warn window either way (JWT: 5 h; Clawdbot's guess: mtime + 1 h), so the
    // health agrees; Clawdbot's guess is earlier, so it finds nothing to change in AuthBar's.
    const jwtExp = now + 5 * HOUR;
    const access = codexJwt(jwtExp);
    const refresh = secret('codex-refresh');
    return runState(t, {
      files: [
        { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
        {
          path: CODEX_FILE,
          content: {
            OPENAI_API_KEY: null,
            tokens: { id_token: 'x.y.z', access_token: access, refresh_token: refresh, account_id: 'acct-123' },
            last_refresh: new Date(now).toISOString(),
          },
        },
      ],
      config: {
        ...QUIET,
        agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai-codex/gpt-5.2'] } } },
      },
      expectCode: 2,
      extra: ({ a, b }) => {
        const ab = a.readJson(storeRel('main')).profiles[CODEX_PROFILE];
        const cb = b.readJson(storeRel('main')).profiles[CODEX_PROFILE];
        assert.equal(ab.expires, Math.floor(jwtExp / 1000) * 1000, "AuthBar stores the JWT's exp");
        assert.equal(cb.expires, statSync(b.path(CODEX_FILE)).mtimeMs + HOUR, 'Clawdbot stores mtime + 1 h');
        assert.equal(ab.accountId, 'acct-123');
      },
    });
  });

  it('Codex login expired: the JWT and the mtime guess both in the past (exit 1)', { timeout: STATE_TIMEOUT }, (t) => {
    const now = Date.now();
    const jwtExp = now - DAY;
    return runState(t, {
      files: [
        { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
        {
          path: CODEX_FILE,
          content: {
            tokens: { access_token: codexJwt(jwtExp), refresh_token: secret('codex-refresh'), account_id: 'acct-9' },
          },
          mtimeMs: now - 11 * DAY,
        },
      ],
      expectCode: 1,
      clawdbotRewritesAuthbar:
        'both rewrite an expired codex-cli login with their own expiry: see "an expired Codex login" below',
      extra: ({ b, syncedA }) => {
        assert.equal(syncedA('main').profiles[CODEX_PROFILE].expires, Math.floor(jwtExp / 1000) * 1000);
        assert.equal(
          b.readJson(storeRel('main')).profiles[CODEX_PROFILE].expires,
          statSync(b.path(CODEX_FILE)).mtimeMs + HOUR,
        );
      },
    });
  });

  it('an Anthropic API key in the environment and no store at all (exit 0)', { timeout: STATE_TIMEOUT }, (t) =>
    runState(t, {
      files: [],
      env: { ANTHROPIC_API_KEY: secret('api') },
      expectCode: 0,
      extra: ({ a, b, cbB, agentView }) => {
        assert.deepEqual(cbB.get('main')?.json.auth.missingProvidersInUse, []);
        assert.deepEqual(agentView('main').missingProviders, []);
        assert.equal(a.exists(storeRel('main')) || b.exists(storeRel('main')), false);
      },
    }),
  );

  it(
    'Codex twin: a codex-cli profile duplicating a hand-added one is removed by both',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const now = Date.now();
      const access = codexJwt(now + 5 * DAY);
      const refresh = secret('codex-refresh');
      const cred = { type: 'oauth', provider: 'openai-codex', access, refresh, expires: now + 5 * DAY };
      return runState(t, {
        files: [
          { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
          { path: CODEX_FILE, content: { tokens: { access_token: access, refresh_token: refresh } } },
          storeFile('main', {
            version: 1,
            profiles: { 'openai-codex:mine': cred, [CODEX_PROFILE]: { ...cred, expires: now + 4 * DAY } },
          }),
        ],
        expectCode: 0,
        extra: ({ a }) => {
          const profiles = a.readJson(storeRel('main')).profiles;
          assert.equal(profiles[CODEX_PROFILE], undefined);
          assert.ok(profiles['openai-codex:mine']);
        },
      });
    },
  );

  it(
    'legacy store: both leave <state>/agent/auth-profiles.json alone and agree on agents/main',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const now = Date.now();
      return runState(t, {
        files: [
          { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
          // An expired login in the legacy store: neither program judges it (Clawdbot never reads it).
          {
            path: LEGACY_STORE,
            content: {
              version: 1,
              profiles: {
                'anthropic:claude-cli': claudeProfile(now - DAY),
                'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') },
              },
            },
          },
        ],
        expectCode: 0,
        extra: ({ a, b, snapshot }) => {
          assert.ok(a.exists(storeRel('main')) && b.exists(storeRel('main')));
          // AuthBar shows the legacy store, read-only (its agent id is a display name).
          const legacy = snapshot.agents.find((v) => v.origin === 'legacy');
          assert.ok(legacy, 'authbar status --json does not show the legacy store');
          assert.equal(legacy.storePath, a.path(LEGACY_STORE));
          assert.notEqual(legacy.passive, null);
          assert.equal(legacy.sync.wrote, false);
        },
      });
    },
  );

  it('symlinked agent store: stays a symlink after both', { timeout: STATE_TIMEOUT }, (t) => {
    const now = Date.now();
    const link = { path: storeRel('work'), target: '../../main/agent/auth-profiles.json' };
    return runState(t, {
      files: [
        { path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: now + 3 * DAY }) },
        storeFile('main', {
          version: 1,
          profiles: {
            'anthropic:claude-cli': claudeProfile(now - DAY),
            'anthropic:backup': { type: 'api_key', provider: 'anthropic', key: secret('api') },
          },
        }),
      ],
      links: [link],
      agents: ['main', 'work'],
      expectCode: 0,
      extra: ({ a, b }) => {
        for (const h of [a, b]) {
          assert.ok(lstatSync(h.path(link.path)).isSymbolicLink(), `${h.home}: the work store is no longer a symlink`);
          assert.equal(readlinkSync(h.path(link.path)), link.target);
          assert.equal(h.read(link.path), h.read(storeRel('main')));
        }
      },
    });
  });

  it(
    'setup token stored by hand (type token, no expires): static, untouched (exit 0)',
    { timeout: STATE_TIMEOUT },
    (t) =>
      runState(t, {
        files: [
          storeFile('main', {
            version: 1,
            profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: secret('setup') } },
          }),
        ],
        expectCode: 0,
        extra: ({ agentView }) => assert.equal(agentView('main').profiles[0]?.status, 'static'),
      }),
  );

  it(
    'hand-made token under anthropic:claude-cli without expires is replaced by a Claude token',
    { timeout: STATE_TIMEOUT },
    (t) => {
      const creds = claudeCredentials({ expiresAt: Date.now() + 2 * DAY, refresh: null });
      return runState(t, {
        files: [
          { path: CLAUDE_FILE, content: creds },
          storeFile('main', {
            version: 1,
            profiles: { 'anthropic:claude-cli': { type: 'token', provider: 'anthropic', token: secret('setup') } },
          }),
        ],
        expectCode: 0,
        extra: ({ a }) => {
          const p = a.readJson(storeRel('main')).profiles['anthropic:claude-cli'];
          assert.equal(p.token, creds.claudeAiOauth['accessToken']);
          assert.equal(p.expires, creds.claudeAiOauth['expiresAt']);
        },
      });
    },
  );

  it(
    'documented difference: a fresh stored login and an even newer Claude login',
    { timeout: STATE_TIMEOUT },
    async (t) => {
      if (!CLAWDBOT) return t.skip(SKIP_CLAWDBOT);
      // Clawdbot does not read Claude's file while the stored oauth login expires more than
      // 10 min from now; AuthBar takes the newer login (DESIGN: write when the source's expires later).
      const now = Date.now();
      const stored = claudeProfile(now + 2 * DAY);
      const creds = claudeCredentials({ expiresAt: now + 5 * DAY });
      const [a, b] = twoHomes(t, {
        files: [
          { path: CLAUDE_FILE, content: creds },
          storeFile('main', { version: 1, profiles: { 'anthropic:claude-cli': stored } }),
        ],
        expectCode: 0,
      });
      const [syncA, cb] = await Promise.all([runAuthbar(['sync'], a.env), clawdbotPerAgent(b, ['main'])]);
      assert.equal(syncA.code, 0, syncA.stderr);
      assert.equal(cb.get('main')?.code, 0);
      assert.equal(
        accessOf(b.readJson(storeRel('main')), 'anthropic:claude-cli'),
        stored.access,
        'Clawdbot kept the stored login',
      );
      assert.equal(
        accessOf(a.readJson(storeRel('main')), 'anthropic:claude-cli'),
        creds.claudeAiOauth['accessToken'],
        'AuthBar took the newer login',
      );
      assert.equal(a.readJson(storeRel('main')).profiles['anthropic:claude-cli'].expires, now + 5 * DAY);
    },
  );
});

describe('interop with the real clawdbot: known divergences', { concurrency: 2 }, () => {
  it(
    'documented difference: a stored oauth login without expires is repaired by AuthBar only',
    { timeout: STATE_TIMEOUT },
    async (t) => {
      if (!CLAWDBOT) return t.skip(SKIP_CLAWDBOT);
      // Clawdbot's freshness gate counts an oauth profile whose expires is not a number as
      // fresh, so it never reads Claude's file and the profile stays "missing" (exit 1).
      // AuthBar counts it as expired and takes Claude Code's login.
      const creds = claudeCredentials({ expiresAt: Date.now() + 3 * DAY });
      const { expires: _dropped, ...noExpiry } = claudeProfile(0);
      const [a, b] = twoHomes(t, {
        files: [
          { path: CLAUDE_FILE, content: creds },
          storeFile('main', { version: 1, profiles: { 'anthropic:claude-cli': noExpiry } }),
        ],
        expectCode: 1,
      });
      const [syncA, cb] = await Promise.all([runAuthbar(['sync'], a.env), clawdbotPerAgent(b, ['main'])]);
      assert.equal(syncA.code, 0, syncA.stderr);
      assert.equal(cb.get('main')?.code, 1);
      assert.equal(
        accessOf(b.readJson(storeRel('main')), 'anthropic:claude-cli'),
        noExpiry.access,
        'Clawdbot kept the profile without expires',
      );
      assert.equal(
        accessOf(a.readJson(storeRel('main')), 'anthropic:claude-cli'),
        creds.claudeAiOauth['accessToken'],
        "AuthBar took Claude Code's login",
      );
    },
  );

  it(
    "an expired Codex login: AuthBar and Clawdbot do not rewrite each other's sink forever",
    { timeout: STATE_TIMEOUT },
    async (t) => {
      if (!CLAWDBOT) return t.skip(SKIP_CLAWDBOT);
      // Both programs rewrite a sink whose codex-cli login has expired, each with its own
      // expiry (AuthBar: the JWT's exp; Clawdbot: mtime + 1 h), so while the login stays
      // expired every run of either one rewrites the store the other just wrote.
      const now = Date.now();
      const [a] = twoHomes(t, {
        files: [
          {
            path: CODEX_FILE,
            content: { tokens: { access_token: codexJwt(now - DAY), refresh_token: secret('codex-refresh') } },
            mtimeMs: now - 11 * DAY,
          },
        ],
        expectCode: 1,
      });
      const first = await runAuthbar(['sync'], a.env);
      assert.equal(first.code, 0, first.stderr);
      const afterAuthbar = fileState(a.path(storeRel('main')));
      await clawdbotPerAgent(a, ['main']);
      const afterClawdbot = fileState(a.path(storeRel('main')));
      const second = await runAuthbar(['sync', '--json'], a.env);
      assert.equal(second.code, 0, second.stderr);
      const afterSecond = fileState(a.path(storeRel('main')));
      const clawdbotRewrote = wasWritten(afterAuthbar, afterClawdbot);
      const authbarRewrote = wasWritten(afterClawdbot, afterSecond);
      assert.ok(
        !(clawdbotRewrote && authbarRewrote),
        `write loop: Clawdbot rewrote AuthBar's sink (codex-cli expires ${JSON.parse(afterClawdbot.text ?? '{}').profiles?.[CODEX_PROFILE]?.expires}) and the next authbar sync rewrote it back (${JSON.parse(afterSecond.text ?? '{}').profiles?.[CODEX_PROFILE]?.expires}); changes: ${JSON.stringify(JSON.parse(second.stdout).agents[0]?.changes)}`,
      );
    },
  );

  it(
    'a config Clawdbot rejects (model as a string): --strict exits as clawdbot does',
    { timeout: STATE_TIMEOUT },
    async (t) => {
      if (!CLAWDBOT) return t.skip(SKIP_CLAWDBOT);
      // Clawdbot 2026.1's schema wants agents.defaults.model as {primary, fallbacks}; a string
      // makes every command fail with "Config invalid" (exit 1), the gateway included.
      const spec: StateSpec = {
        files: [{ path: CLAUDE_FILE, content: claudeCredentials({ expiresAt: Date.now() + 3 * DAY }) }],
        config: { ...QUIET, agents: { defaults: { model: 'anthropic/claude-opus-4-5' } } },
        expectCode: 1,
      };
      const [a, b] = twoHomes(t, spec);
      const [cb, strict] = await Promise.all([
        limiter.run(() =>
          runProcess(CLAWDBOT, ['models', 'status', '--json', '--check'], b.env, { timeoutMs: 90_000 }),
        ),
        runAuthbar(['status', '--check', '--strict'], a.env),
      ]);
      assert.equal(cb.code, 1, `clawdbot accepted the config: ${cb.stderr.slice(0, 300)}`);
      assert.match(cb.stderr, /Config invalid/);
      assert.equal(
        strict.code,
        cb.code,
        `authbar status --check --strict exited ${strict.code} on a config Clawdbot refuses (clawdbot: ${cb.code}, "Config invalid")`,
      );
    },
  );
});

describe('interop with the real Claude Code CLI (claude auth status)', { concurrency: 2 }, () => {
  async function claudeAuthStatus(h: TempHome) {
    const r = await limiter.run(() =>
      runProcess(CLAUDE as string, ['auth', 'status', '--json'], h.env, { timeoutMs: 90_000, cwd: h.home }),
    );
    const start = r.stdout.indexOf('{');
    assert.ok(start !== -1, `claude auth status printed no JSON (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    return { code: r.code, json: JSON.parse(r.stdout.slice(start)) as { loggedIn: boolean } };
  }
  async function authbarClaudeSource(h: TempHome) {
    const r = await runAuthbar(['status', '--json', '--no-sync'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const source = (JSON.parse(r.stdout) as Snapshot).sources.find((s) => s.id === 'claude-code');
    assert.ok(source);
    return source;
  }

  it('a login Claude Code accepts is an ok claude-code source for AuthBar', { timeout: STATE_TIMEOUT }, async (t) => {
    if (!CLAUDE) return t.skip(SKIP_CLAUDE);
    const h = makeHome('authbar-interop-claude-');
    t.after(() => h.cleanup());
    const creds = claudeCredentials({ expiresAt: Date.now() + 6 * HOUR });
    h.write(CLAUDE_FILE, creds);
    const claude = await claudeAuthStatus(h);
    assert.equal(claude.code, 0);
    assert.equal(claude.json.loggedIn, true);
    const source = await authbarClaudeSource(h);
    assert.equal(source.status, 'ok');
    assert.equal(source.type, 'oauth');
    assert.equal(source.expiresAt, creds.claudeAiOauth['expiresAt']);
  });

  it(
    'no credentials file: Claude Code is logged out and AuthBar reports the source absent',
    { timeout: STATE_TIMEOUT },
    async (t) => {
      if (!CLAUDE) return t.skip(SKIP_CLAUDE);
      const h = makeHome('authbar-interop-claude-');
      t.after(() => h.cleanup());
      const claude = await claudeAuthStatus(h);
      assert.equal(claude.code, 1);
      assert.equal(claude.json.loggedIn, false);
      const source = await authbarClaudeSource(h);
      assert.equal(source.status, 'absent');
      assert.equal(h.exists(CLAUDE_FILE), false);
    },
  );
});
