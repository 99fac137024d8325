import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { claudeCredentials, codexJwt, makeHome, runAuthbar, secret, HOUR, DAY } from '../support/home.js';

interface Snap {
  overall: { attention: string; gatewayCheckCode: number; reasons: string[] };
  agents: Array<{
    agentId: string;
    storeStatus: string;
    passive: string | null;
    profiles: Array<{
      profileId: string;
      status: string;
      attention: string;
      masked: string | null;
      fingerprint: string | null;
      expiresAt: number | null;
      source: string;
    }>;
  }>;
  sources: Array<{ id: string; status: string; expiresAt: number | null; expirySource: string | null }>;
}
async function snapshot(args: string[], env: Record<string, string>): Promise<Snap> {
  const r = await runAuthbar(['status', '--json', ...args], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Snap;
}

test('--check exits by attention: 0 fine, 2 soon, 1 now; --strict follows Clawdbot', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  // A refreshable login expiring in 3 h: Clawdbot says "expiring" (2); AuthBar says fine (0).
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 3 * HOUR }));
  assert.equal((await runAuthbar(['status', '--check'], h.env)).code, 0);
  assert.equal((await runAuthbar(['status', '--check', '--strict'], h.env)).code, 2);
  // A hand-stored token expiring in 3 h beside it: soon, and degraded is still soon.
  const store = h.readJson(h.agentStore());
  store.profiles['anthropic:setup'] = {
    type: 'token',
    provider: 'anthropic',
    token: secret('setup'),
    expires: Date.now() + 3 * HOUR,
  };
  h.write(h.agentStore(), store);
  assert.equal((await runAuthbar(['status', '--check'], h.env)).code, 2);
  // Only an expired token: now.
  const h2 = makeHome();
  t.after(() => h2.cleanup());
  h2.write(h2.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - HOUR },
    },
  });
  const r = await runAuthbar(['status', '--check'], h2.env);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '', '--check prints nothing when stdout is not a terminal');
});

test('--warn-hours widens the window; --agent narrows the agents; unknown agent is a usage error', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const token = { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() + 30 * HOUR };
  h.write(h.agentStore('main'), { version: 1, profiles: { 'anthropic:setup': token } });
  h.write(h.agentStore('ops'), {
    version: 1,
    profiles: { 'anthropic:setup': { ...token, expires: Date.now() + 400 * DAY } },
  });
  assert.equal((await runAuthbar(['status', '--check', '--no-sync'], h.env)).code, 0);
  assert.equal((await runAuthbar(['status', '--check', '--no-sync', '--warn-hours', '48'], h.env)).code, 2);
  assert.equal(
    (await runAuthbar(['status', '--check', '--no-sync', '--warn-hours', '48', '--agent', 'ops'], h.env)).code,
    0,
  );
  const only = await snapshot(['--agent', 'ops'], h.env);
  assert.deepEqual(
    only.agents.map((a) => a.agentId),
    ['ops'],
  );
  const bad = await runAuthbar(['status', '--agent', 'nope'], h.env);
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /no agent named nope/);
  assert.equal((await runAuthbar(['status', '--warn-hours', '0'], h.env)).code, 64);
});

test('--no-sync and sync --dry-run write nothing; sync then writes, and a second sync does not touch the file', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const look = await snapshot(['--no-sync'], h.env);
  assert.equal(look.agents[0]?.storeStatus, 'missing');
  assert.equal(look.overall.attention, 'now');
  assert.equal(h.exists(h.agentStore()), false);
  const dry = await runAuthbar(['sync', '--dry-run'], h.env);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /main: would add anthropic:claude-cli from claude-code/);
  assert.equal(h.exists(h.agentStore()), false);

  const wet = await runAuthbar(['sync', '--json'], h.env);
  const report = JSON.parse(wet.stdout) as {
    agents: Array<{ agentId: string; wrote: boolean; changes: Array<{ kind: string }> }>;
  };
  assert.deepEqual(
    report.agents.map((a) => [a.agentId, a.wrote, a.changes[0]?.kind]),
    [['main', true, 'create']],
  );
  const mtime = statSync(h.path(h.agentStore())).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  const again = await runAuthbar(['sync'], h.env);
  assert.match(again.stdout, /main: up to date/);
  assert.equal(statSync(h.path(h.agentStore())).mtimeMs, mtime);
});

test('the table and the plain form show every agent; secrets only masked', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  mkdirSync(h.path('.clawdbot/agents/ops/agent'), { recursive: true });
  h.write(h.agentStore('ops'), {
    version: 1,
    profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } },
  });
  const table = await runAuthbar(['status'], h.env);
  assert.match(table.stdout, /AGENT\s+PROFILE\s+TYPE\s+SOURCE\s+EXPIRES\s+HEALTH\s+NOTE\n/);
  assert.match(table.stdout, /main\s+anthropic:claude-cli\s+oauth\s+claude-code\s+in 8 h\s+ok\s+refreshable/);
  assert.match(table.stdout, /ops\s+anthropic:claude-cli\s+oauth/);
  assert.match(table.stdout, /ops\s+openai:default\s+api_key\s+store\s+-\s+ok\s+does not expire/);
  assert.doesNotMatch(table.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  const snap = await snapshot([], h.env);
  const p = snap.agents.find((a) => a.agentId === 'ops')?.profiles.find((x) => x.profileId === 'openai:default');
  assert.match(p?.masked ?? '', /^sk-ant-api03-…[A-Za-z0-9]{4}$/);
  assert.match(p?.fingerprint ?? '', /^[0-9a-f]{12}$/);
});

test('a new agent without a store is left for Clawdbot to fill from main; the legacy store is only read', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  mkdirSync(h.path('.clawdbot/agents/main/agent'), { recursive: true });
  mkdirSync(h.path('.clawdbot/agents/fresh/agent'), { recursive: true });
  const legacy = h.write('.clawdbot/agent/auth-profiles.json', { version: 1, profiles: {} });
  const before = statSync(legacy).mtimeMs;
  const snap = await snapshot([], h.env);
  assert.equal(h.exists(h.agentStore('fresh')), false);
  assert.equal(h.exists(h.agentStore('main')), true);
  assert.match(snap.agents.find((a) => a.agentId === 'fresh')?.passive ?? '', /copies main's/);
  assert.match(snap.agents.find((a) => a.agentId === '(legacy)')?.passive ?? '', /legacy/);
  assert.equal(statSync(legacy).mtimeMs, before);
  assert.equal(snap.overall.attention, 'none');
});

test('environment: CLAWDBOT_STATE_DIR, CLAWDBOT_AGENT_DIR, CLAUDE_CONFIG_DIR and CODEX_HOME are honoured', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('elsewhere/claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const exp = Date.now() + 9 * DAY;
  h.write('elsewhere/codex/auth.json', {
    tokens: { access_token: codexJwt(exp), refresh_token: secret('codex-refresh'), account_id: 'acct-1' },
    last_refresh: new Date().toISOString(),
  });
  // The state dir CLAWDBOT_STATE_DIR names exists (Clawdbot made it; AuthBar never does, review finding F3).
  mkdirSync(h.path('state'), { mode: 0o700 });
  const env = {
    ...h.env,
    CLAWDBOT_STATE_DIR: h.path('state'),
    CLAUDE_CONFIG_DIR: h.path('elsewhere/claude'),
    CODEX_HOME: h.path('elsewhere/codex'),
  };
  await runAuthbar(['sync'], env);
  const store = h.readJson('state/agents/main/agent/auth-profiles.json');
  assert.equal(store.profiles['anthropic:claude-cli'].type, 'oauth');
  assert.equal(
    store.profiles['openai-codex:codex-cli'].expires,
    Math.floor(exp / 1000) * 1000,
    'Codex expiry comes from the JWT',
  );
  assert.equal(store.profiles['openai-codex:codex-cli'].accountId, 'acct-1');

  const direct = { ...env, CLAWDBOT_AGENT_DIR: h.path('one-agent') };
  await runAuthbar(['sync'], direct);
  assert.equal(h.readJson('one-agent/auth-profiles.json').profiles['anthropic:claude-cli'].type, 'oauth');
});

test('Qwen Code and a Codex token that is no JWT (expiry guessed from mtime, and said so)', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  h.write('.qwen/oauth_creds.json', {
    access_token: secret('qwen'),
    refresh_token: secret('qwen'),
    expiry_date: Date.now() + 5 * HOUR,
    token_type: 'Bearer',
    resource_url: 'portal.qwen.ai',
  });
  h.write('.codex/auth.json', {
    tokens: { access_token: secret('codex-refresh'), refresh_token: secret('codex-refresh') },
  });
  const snap = await snapshot([], h.env);
  const main = snap.agents.find((a) => a.agentId === 'main');
  assert.deepEqual(main?.profiles.map((p) => [p.profileId, p.source]).sort(), [
    ['openai-codex:codex-cli', 'codex-cli'],
    ['qwen-portal:qwen-cli', 'qwen-code'],
  ]);
  assert.equal(snap.sources.find((s) => s.id === 'codex-cli')?.expirySource, 'mtime');
  const mtime = statSync(h.path('.codex/auth.json')).mtimeMs;
  assert.equal(snap.sources.find((s) => s.id === 'codex-cli')?.expiresAt, mtime + HOUR);
});

test("--strict keeps Clawdbot's fixed 24 h window whatever --warn-hours says", async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 3 * HOUR,
      },
    },
  });
  assert.equal((await runAuthbar(['status', '--check', '--strict', '--no-sync'], h.env)).code, 2);
  assert.equal((await runAuthbar(['status', '--check', '--strict', '--no-sync', '--warn-hours', '1'], h.env)).code, 2);
  assert.equal((await runAuthbar(['status', '--check', '--no-sync', '--warn-hours', '1'], h.env)).code, 0);
  const snap = await snapshot(['--no-sync', '--warn-hours', '1'], h.env);
  assert.equal(snap.agents[0]?.profiles[0]?.status, 'expiring');
});

test('a sync run as root leaves the store owned by its user', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to hand the store to another user');
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const store = h.write(h.agentStore(), { version: 1, profiles: {} });
  const { chownSync } = await import('node:fs');
  chownSync(store, 65534, 65534);
  const r = await runAuthbar(['sync'], h.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(h.readJson(h.agentStore()).profiles['anthropic:claude-cli'].type, 'oauth');
  assert.equal(statSync(store).uid, 65534);
  assert.equal(statSync(store).gid, 65534);
});

test('odd values Clawdbot tolerates (string version, malformed order and usage) are kept, and the store still syncs', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const odd = {
    version: '1',
    profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } },
    order: { anthropic: 'x' },
    lastGood: { openai: 7 },
    usageStats: { 'openai:default': { lastUsed: '2026' }, other: null },
  };
  h.write(h.agentStore(), odd);
  const r = await runAuthbar(['sync'], h.env);
  assert.equal(r.code, 0, r.stderr);
  const after = h.readJson(h.agentStore());
  assert.equal(after.profiles['anthropic:claude-cli'].type, 'oauth');
  for (const k of ['version', 'order', 'lastGood', 'usageStats'] as const) assert.deepEqual(after[k], odd[k]);
});
