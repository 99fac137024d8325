/**
 * Which profile OpenClaw 2026.9.6's `models status --check` picks, and so its exit code. Each
 * case was run against the real `openclaw models status --json --check` (the interop states in
 * test/states/openclaw.test.ts check the same states end to end).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelRoutes, type OpenClawConfig } from '../../main/engine/gateways/openclaw/config.js';
import { checkCode, judgeRoute, storeHealth } from '../../main/engine/gateways/openclaw/health.js';
import { selectProfile } from '../../main/engine/gateways/openclaw/order.js';
import type { MergedStore } from '../../main/engine/gateways/openclaw/stores.js';
import { claudeRuntimeReason } from '../../main/engine/gateways/openclaw/views.js';

const NOW = Date.UTC(2026, 11, 2, 12);
const H = 3_600_000;
const MODEL = 'anthropic/claude-opus-4-6';
const cfg = (raw: Record<string, unknown> = {}): OpenClawConfig => ({
  path: '/x/openclaw.json',
  exists: true,
  error: null,
  raw: { agents: { defaults: { model: { primary: MODEL } } }, ...raw },
});
const token = (extra: Record<string, unknown> = {}) => ({ type: 'token', provider: 'anthropic', token: 't', ...extra });
const store = (profiles: Record<string, unknown>, state: Partial<Omit<MergedStore, 'profiles'>> = {}): MergedStore => ({
  profiles,
  order: {},
  lastGood: {},
  usageStats: {},
  ...state,
});

function run(c: OpenClawConfig, s: MergedStore, env: Record<string, string> = {}) {
  const profiles = storeHealth(s, NOW);
  const inp = { cfg: c, agentId: 'main', store: s, profiles, env, providersWithConfigKeys: [], refuses: null };
  const verdicts = modelRoutes(c, 'main').map((r) => judgeRoute(inp, r, NOW));
  return { code: checkCode(verdicts, null), verdicts, pick: selectProfile(inp, 'anthropic', NOW) };
}
const picked = (r: ReturnType<typeof run>) => (r.pick.kind === 'profile' ? r.pick.profileId : r.pick.kind);

describe('OpenClaw profile selection (models status --check)', () => {
  it('same-type profiles: the least recently used first (lastUsed ascending), not by id', () => {
    const profiles = { 'anthropic:a': token({ expires: NOW + 2 * H }), 'anthropic:b': token() };
    const aUsedLast = run(
      cfg(),
      store(profiles, { usageStats: { 'anthropic:a': { lastUsed: 2000 }, 'anthropic:b': { lastUsed: 1000 } } }),
    );
    assert.equal(picked(aUsedLast), 'anthropic:b');
    assert.equal(aUsedLast.code, 0);
    const bUsedLast = run(
      cfg(),
      store(profiles, { usageStats: { 'anthropic:a': { lastUsed: 1000 }, 'anthropic:b': { lastUsed: 2000 } } }),
    );
    assert.equal(picked(bUsedLast), 'anthropic:a');
    assert.equal(bUsedLast.code, 2);
    // Equal lastUsed: the store's own order, whatever the ids sort to.
    const storeOrder = run(cfg(), store({ 'anthropic:z': token({ expires: NOW + 2 * H }), 'anthropic:a': token() }));
    assert.equal(picked(storeOrder), 'anthropic:z');
  });

  it('lastGood plays no part', () => {
    const r = run(
      cfg(),
      store(
        { 'anthropic:a': token(), 'anthropic:b': token({ expires: NOW + 2 * H }) },
        { lastGood: { anthropic: 'anthropic:b' } },
      ),
    );
    assert.equal(picked(r), 'anthropic:a');
    assert.equal(r.code, 0);
  });

  it('a stored order naming only removed profiles falls back to the stored ones; an empty stored order is dropped', () => {
    const s = store({ 'anthropic:a': token({ expires: NOW + 2 * H }) }, { order: { anthropic: ['anthropic:gone'] } });
    assert.equal(picked(run(cfg(), s)), 'anthropic:a');
    assert.equal(run(cfg(), s).code, 2);
    assert.equal(run(cfg(), store({ 'anthropic:a': token() }, { order: { anthropic: [] } })).code, 0);
    // The config's order is not repaired without declared profiles, and an empty one refuses.
    assert.equal(
      run(cfg({ auth: { order: { anthropic: ['anthropic:gone'] } } }), store({ 'anthropic:a': token() })).code,
      1,
    );
    assert.equal(run(cfg({ auth: { order: { anthropic: [] } } }), store({ 'anthropic:a': token() })).code, 1);
    const declared = { profiles: { 'anthropic:a': { provider: 'anthropic', mode: 'token' } } };
    assert.equal(
      run(cfg({ auth: { ...declared, order: { anthropic: ['anthropic:gone'] } } }), store({ 'anthropic:a': token() }))
        .code,
      0,
    );
  });

  it('the config declaring profiles limits the choice to them', () => {
    const r = run(
      cfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'token' } } } }),
      store({
        'anthropic:m': token(),
        'anthropic:claude-cli': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + H },
      }),
    );
    assert.equal(picked(r), 'anthropic:m');
    assert.equal(r.code, 0);
  });

  it('config mode oauth accepts a stored token; other disagreements do not', () => {
    const s = store({ 'anthropic:m': token({ expires: NOW + 2 * H }) });
    assert.equal(
      run(cfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'oauth' } } } }), s).code,
      2,
    );
    assert.equal(
      run(cfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'api_key' } } } }), s).code,
      1,
    );
  });

  it('an unresolved tokenRef is indeterminate (1); one whose variable is set is ready', () => {
    const s = store({
      'anthropic:m': {
        type: 'token',
        provider: 'anthropic',
        tokenRef: { source: 'env', provider: 'default', id: 'OC_TOK' },
      },
    });
    const unresolved = run(cfg(), s);
    assert.equal(unresolved.code, 1);
    assert.equal(unresolved.verdicts[0]!.health, 'indeterminate');
    assert.equal(run(cfg(), s, { OC_TOK: 'sk-ant-oat01-x' }).code, 0);
    // A later profile that is surely ready wins over one OpenClaw cannot confirm.
    const both = store({
      'anthropic:m': {
        type: 'token',
        provider: 'anthropic',
        tokenRef: { source: 'env', provider: 'default', id: 'OC_TOK' },
      },
      'anthropic:n': token({ expires: NOW + 2 * H }),
    });
    assert.equal(picked(run(cfg(), both)), 'anthropic:n');
  });

  it('a model alias as primary resolves to its model', () => {
    const c = cfg({
      agents: { defaults: { model: { primary: 'opus' }, models: { [MODEL]: { alias: 'Opus' } } } },
    });
    assert.deepEqual(
      modelRoutes(c, 'main').map((r) => r.ref),
      [MODEL, 'anthropic/claude-haiku-4-5'],
    );
    assert.equal(run(c, store({ 'anthropic:m': token({ expires: NOW + 2 * H }) })).code, 2);
  });

  it('the retired anthropic:claude-cli is chosen like any oauth profile', () => {
    const alone = store({
      'anthropic:claude-cli': {
        type: 'oauth',
        provider: 'anthropic',
        access: 'a',
        refresh: 'r',
        expires: NOW + 72 * H,
      },
    });
    assert.equal(run(cfg(), alone).code, 0);
    const besideToken = store({
      'anthropic:b': token(),
      'anthropic:claude-cli': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 2 * H },
    });
    assert.equal(picked(run(cfg(), besideToken)), 'anthropic:claude-cli');
    assert.equal(run(cfg(), besideToken).code, 2);
  });

  it('profiles cooling down come last; all of them cooling down fails', () => {
    const s = store(
      { 'anthropic:a': token(), 'anthropic:b': token({ expires: NOW + 2 * H }) },
      { usageStats: { 'anthropic:a': { cooldownUntil: NOW + H } } },
    );
    assert.equal(picked(run(cfg(), s)), 'anthropic:b');
    const all = store({ 'anthropic:a': token() }, { usageStats: { 'anthropic:a': { cooldownUntil: NOW + H } } });
    assert.equal(run(cfg(), all).code, 1);
  });

  it('an environment key serves only where no profile is declared', () => {
    const env = { ANTHROPIC_API_KEY: 'sk-ant-api03-x' };
    assert.equal(run(cfg(), store({}), env).code, 0);
    const deadOauth = store({ 'anthropic:o': { type: 'oauth', provider: 'anthropic', access: 'a', expires: NOW - 1 } });
    assert.equal(run(cfg(), deadOauth, env).code, 1);
  });
});

describe('routes under the claude-cli runtime (reusing the Claude Code login)', () => {
  const runtimeCfg = cfg({
    agents: { defaults: { model: { primary: MODEL }, models: { [MODEL]: { agentRuntime: { id: 'claude-cli' } } } } },
  });
  it('names each failing route and offers the fix that fits: log in to Claude Code, or a setup token', () => {
    const { verdicts, code } = run(runtimeCfg, store({}));
    assert.equal(code, 1);
    const loggedOut = claudeRuntimeReason(false, 'absent', verdicts);
    assert.match(loggedOut, /the default route anthropic\/claude-opus-4-6 reuses Claude Code's login, which is absent/);
    assert.match(loggedOut, /log in to Claude Code \(run `claude`, then \/login\)/);
    assert.match(loggedOut, /the utility route anthropic\/claude-haiku-4-5 does not run on the claude-cli runtime/);
    const loggedIn = claudeRuntimeReason(true, 'ok', verdicts);
    assert.doesNotMatch(loggedIn, /log in to Claude Code/);
    assert.match(loggedIn, /the default route anthropic\/claude-opus-4-6 reuses Claude Code's login \(logged in\)/);
    assert.match(loggedIn, /claude setup-token`, then `openclaw models auth paste-token --provider anthropic/);
  });
  it('with an Anthropic profile behind them nothing fails', () => {
    const { verdicts, code } = run(runtimeCfg, store({ 'anthropic:m': token() }));
    assert.equal(code, 0);
    assert.equal(claudeRuntimeReason(true, 'ok', verdicts), "the claude-cli runtime uses Claude Code's own login");
  });
});
