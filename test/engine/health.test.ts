import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialHealth, profileAttention, formatDuration, DEFAULT_WARN_MS } from '../../main/engine/health.js';
import {
  agentView,
  gatewayCheckCodeCode,
  type AgentInput,
  type AssessContext,
} from '../../main/engine/gateways/clawdbot/assess.js';
import type { AuthStore, StoredProfile } from '../../main/engine/schemas.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const H = 3_600_000;
const W = DEFAULT_WARN_MS;

test("Clawdbot's statuses: static, missing, expired, expiring, ok", () => {
  const cases: Array<[StoredProfile, string]> = [
    [{ type: 'api_key', provider: 'openai', key: 'k' }, 'static'],
    [{ type: 'token', provider: 'anthropic', token: 't' }, 'static'],
    [{ type: 'token', provider: 'anthropic', token: 't', expires: 0 }, 'static'],
    [{ type: 'token', provider: 'anthropic', token: 't', expires: NOW }, 'expired'],
    [{ type: 'token', provider: 'anthropic', token: 't', expires: NOW + W }, 'expiring'],
    [{ type: 'token', provider: 'anthropic', token: 't', expires: NOW + W + 1 }, 'ok'],
    [{ type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r' }, 'missing'],
    [{ type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW - 1 }, 'expired'],
    [{ type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 8 * H }, 'expiring'],
  ];
  for (const [cred, status] of cases) assert.equal(credentialHealth(cred, NOW, W).status, status, JSON.stringify(cred));
});

test('attention: a refreshable access token near expiry is not news; a bare token is', () => {
  const o: StoredProfile = { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 2 * H };
  assert.equal(profileAttention(o, credentialHealth(o, NOW, W), undefined, NOW).attention, 'none');
  const expiredO: StoredProfile = { ...o, expires: NOW - H };
  assert.equal(profileAttention(expiredO, credentialHealth(expiredO, NOW, W), undefined, NOW).attention, 'none');
  const t: StoredProfile = { type: 'token', provider: 'anthropic', token: 't', expires: NOW + 2 * H };
  assert.equal(profileAttention(t, credentialHealth(t, NOW, W), undefined, NOW).attention, 'soon');
  const dead: StoredProfile = { ...t, expires: NOW - 1 };
  assert.equal(profileAttention(dead, credentialHealth(dead, NOW, W), undefined, NOW).attention, 'now');
});

test('attention: disabled is now, cooldown is soon, a refused refresh is now, repeated transient failures soon', () => {
  const o: StoredProfile = { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 30 * H };
  const h = credentialHealth(o, NOW, W);
  assert.equal(profileAttention(o, h, { disabledUntil: NOW + H, disabledReason: 'billing' }, NOW).attention, 'now');
  assert.equal(profileAttention(o, h, { disabledUntil: NOW - H }, NOW).attention, 'none');
  assert.equal(profileAttention(o, h, { cooldownUntil: NOW + H }, NOW).attention, 'soon');
  assert.equal(
    profileAttention(o, h, undefined, NOW, { ok: false, permanent: true, at: NOW, consecutiveFailures: 1 }).attention,
    'now',
  );
  assert.equal(
    profileAttention(o, h, undefined, NOW, { ok: false, permanent: false, at: NOW, consecutiveFailures: 1 }).attention,
    'none',
  );
  assert.equal(
    profileAttention(o, h, undefined, NOW, { ok: false, permanent: false, at: NOW, consecutiveFailures: 3 }).attention,
    'soon',
  );
});

function ctx(providersInUse: string[], env: Record<string, string> = {}): AssessContext {
  return { now: NOW, warnMs: W, env, config: { path: '/c', providersInUse, providersWithConfigKeys: [] }, sources: [] };
}
function input(store: AuthStore | undefined): AgentInput {
  return {
    agentId: 'main',
    agentDir: '/a',
    storePath: '/a/auth-profiles.json',
    linkTarget: null,
    origin: 'agents',
    store,
    storeError: null,
    passive: null,
    passiveCode: null,
    sync: { mode: 'skipped', wrote: false, changes: [], error: null, errorCode: null },
  };
}

test('a provider in use with no usable profile is now; a broken profile beside a working one is soon', () => {
  const deadToken = { type: 'token', provider: 'anthropic', token: 't', expires: NOW - H };
  const alone = agentView(input({ version: 1, profiles: { 'anthropic:setup': deadToken } }), ctx(['anthropic']));
  assert.equal(alone.attention, 'now');
  assert.deepEqual(alone.missingProviders, ['anthropic']);

  const beside = agentView(
    input({
      version: 1,
      profiles: {
        'anthropic:setup': deadToken,
        'anthropic:claude-cli': { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + H },
      },
    }),
    ctx(['anthropic']),
  );
  assert.equal(beside.attention, 'soon');
  assert.deepEqual(beside.missingProviders, []);
  assert.equal(beside.profiles.find((p) => p.profileId === 'anthropic:setup')?.attention, 'soon');
});

test('an API key in the environment counts as auth for a provider in use', () => {
  const empty = agentView(input(undefined), ctx(['anthropic'], { ANTHROPIC_API_KEY: 'sk-x' }));
  assert.equal(empty.attention, 'none');
  assert.equal(gatewayCheckCodeCode(empty, ctx(['anthropic'], { ANTHROPIC_API_KEY: 'sk-x' })), 0);
  assert.equal(gatewayCheckCodeCode(agentView(input(undefined), ctx(['anthropic'])), ctx(['anthropic'])), 1);
});

test('the strict check follows Clawdbot: any expired token is 1 even for a provider not in use; expiring is 2', () => {
  const c = ctx(['anthropic']);
  const ok = { type: 'oauth', provider: 'anthropic', access: 'a', refresh: 'r', expires: NOW + 48 * H };
  const v1 = agentView(
    input({
      version: 1,
      profiles: {
        a: ok,
        'openai-codex:x': { type: 'oauth', provider: 'openai-codex', access: 'a', refresh: 'r', expires: NOW - H },
      },
    }),
    c,
  );
  assert.equal(gatewayCheckCodeCode(v1, c), 1);
  const v2 = agentView(
    input({
      version: 1,
      profiles: { a: ok, b: { type: 'token', provider: 'anthropic', token: 't', expires: NOW + 3 * H } },
    }),
    c,
  );
  assert.equal(gatewayCheckCodeCode(v2, c), 2);
  const v0 = agentView(input({ version: 1, profiles: { a: ok } }), c);
  assert.equal(gatewayCheckCodeCode(v0, c), 0);
});

test('durations read the way a person says them', () => {
  assert.equal(formatDuration(5 * H + 12 * 60_000), '5 h 12 m');
  assert.equal(formatDuration(3 * 24 * H + 4 * H), '3 d 4 h');
  assert.equal(formatDuration(-42 * 60_000), '42 m ago');
  assert.equal(formatDuration(10_000), '<1 m');
});
