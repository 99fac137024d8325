/** OpenClaw's own health and --check rules (facts verified against openclaw 2026.9.6; the interop suite checks them end to end). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelRoutes, type OpenClawConfig } from '../../main/engine/gateways/openclaw/config.js';
import { checkCode, judgeRoute, profileHealth, storeHealth } from '../../main/engine/gateways/openclaw/health.js';
import type { MergedStore } from '../../main/engine/gateways/openclaw/stores.js';

const NOW = Date.UTC(2026, 11, 2, 12);
const H = 3_600_000;
const cfg = (raw: Record<string, unknown>): OpenClawConfig => ({
  path: '/x/openclaw.json',
  exists: true,
  error: null,
  raw,
});
const store = (profiles: Record<string, unknown>): MergedStore => ({
  profiles,
  order: {},
  lastGood: {},
  usageStats: {},
});
const anthropicCfg = (extra: Record<string, unknown> = {}) =>
  cfg({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } }, ...extra });

function code(c: OpenClawConfig, s: MergedStore, refuses: string | null = null): number {
  const profiles = storeHealth(s, NOW);
  const inp = { cfg: c, agentId: 'main', store: s, profiles, env: {}, providersWithConfigKeys: [], refuses };
  return checkCode(
    modelRoutes(c, 'main').map((r) => judgeRoute(inp, r, NOW)),
    refuses,
  );
}

describe('OpenClaw health rules', () => {
  it('statuses: static tokens and keys, 24 h window, an oauth past expiry is expired even with a refresh token, a refresh fence is expired', () => {
    assert.equal(profileHealth('a', { type: 'api_key', provider: 'anthropic', key: 'k' }, NOW).status, 'static');
    assert.equal(profileHealth('a', { type: 'token', provider: 'anthropic', token: 't' }, NOW).status, 'static');
    assert.equal(
      profileHealth('a', { type: 'token', provider: 'anthropic', token: 't', expires: NOW + 2 * H }, NOW).status,
      'expiring',
    );
    assert.equal(
      profileHealth('a', { type: 'token', provider: 'anthropic', token: 't', expires: NOW - 1 }, NOW).status,
      'expired',
    );
    assert.equal(profileHealth('a', { type: 'token', provider: 'anthropic' }, NOW).status, 'missing');
    assert.equal(
      profileHealth('a', { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW - H }, NOW)
        .status,
      'expired',
    );
    assert.equal(
      profileHealth(
        'a',
        { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 30 * H },
        NOW,
      ).status,
      'ok',
    );
    assert.equal(
      profileHealth(
        'a',
        {
          type: 'oauth',
          provider: 'anthropic',
          access: 'openclaw-oauth-refresh-fence:v1:x:failed:y',
          refresh: 'openclaw-oauth-refresh-fence:v1:x:failed:y',
          expires: 1,
        },
        NOW,
      ).status,
      'expired',
    );
  });

  it('routes: default, fallbacks, image and the provider-default utility model', () => {
    const routes = modelRoutes(
      cfg({
        agents: {
          defaults: {
            model: { primary: 'anthropic/claude-opus-4-6', fallbacks: ['openai/gpt-5'] },
            imageModel: 'google/gemini',
          },
        },
      }),
      'main',
    );
    assert.deepEqual(
      routes.map((r) => `${r.role}:${r.ref}`),
      [
        'default:anthropic/claude-opus-4-6',
        'fallback:openai/gpt-5',
        'image:google/gemini',
        'utility:anthropic/claude-haiku-4-5',
      ],
    );
    assert.equal(modelRoutes(cfg({}), 'main')[0]?.ref, 'openai/gpt-6-astra');
  });

  it('--check: missing 1, expiring 2, fine 0; the config mode must agree; a refusing store is 1; the retired claude-cli is chosen only where the config declares no other', () => {
    assert.equal(code(anthropicCfg(), store({})), 1);
    assert.equal(
      code(anthropicCfg(), store({ 'anthropic:m': { type: 'token', provider: 'anthropic', token: 't' } })),
      0,
    );
    assert.equal(
      code(
        anthropicCfg(),
        store({ 'anthropic:m': { type: 'token', provider: 'anthropic', token: 't', expires: NOW + H } }),
      ),
      2,
    );
    const oauthExpired = store({
      'anthropic:m': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW - H },
    });
    assert.equal(
      code(
        anthropicCfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'oauth' } } } }),
        oauthExpired,
      ),
      1,
    );
    const oauthOk = store({
      'anthropic:m': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 30 * H },
    });
    assert.equal(
      code(anthropicCfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'oauth' } } } }), oauthOk),
      0,
    );
    assert.equal(
      code(anthropicCfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'token' } } } }), oauthOk),
      1,
      'mode disagrees with the stored type',
    );
    assert.equal(
      code(
        anthropicCfg(),
        store({ 'anthropic:m': { type: 'token', provider: 'anthropic', token: 't' } }),
        'legacy file',
      ),
      1,
    );
    const retired = store({
      'anthropic:m': { type: 'token', provider: 'anthropic', token: 't' },
      'anthropic:claude-cli': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + H },
    });
    // Sorted first as an oauth profile (verified: openclaw picks it, and its 1 h left makes the check 2).
    assert.equal(code(anthropicCfg(), retired), 2);
    assert.equal(
      code(anthropicCfg({ auth: { profiles: { 'anthropic:m': { provider: 'anthropic', mode: 'token' } } } }), retired),
      0,
      'the config declaring anthropic:m limits the choice to it',
    );
    assert.equal(
      code(cfg({}), store({ 'openai:k': { type: 'api_key', provider: 'openai', key: 'k' } })),
      1,
      'OpenAI text routes need the Codex runtime plugin',
    );
  });
});
