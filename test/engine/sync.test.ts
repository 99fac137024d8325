import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSync } from '../../main/engine/gateways/clawdbot/sync.js';
import type { SourceRead } from '../../main/engine/sources/sources.js';
import type { AuthStore, OAuthCredential, TokenCredential } from '../../main/engine/schemas.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const H = 3_600_000;

function claude(credential: OAuthCredential | TokenCredential): SourceRead {
  return {
    id: 'claude-code',
    kind: 'file',
    location: '/x/.credentials.json',
    status: 'ok',
    profileId: 'anthropic:claude-cli',
    credential,
  };
}
const oauth = (expires: number, access = 'acc-new', refresh = 'ref-new'): OAuthCredential => ({
  type: 'oauth',
  provider: 'anthropic',
  access,
  refresh,
  expires,
});
const token = (expires: number, t = 'tok-new'): TokenCredential => ({
  type: 'token',
  provider: 'anthropic',
  token: t,
  expires,
});
const store = (profiles: Record<string, unknown>, extra: Partial<AuthStore> = {}): AuthStore => ({
  version: 1,
  profiles,
  ...extra,
});

test('an empty sink takes the source login', () => {
  const d = decideSync(undefined, [claude(oauth(NOW + 8 * H))], NOW);
  assert.deepEqual(d.next, { version: 1, profiles: { 'anthropic:claude-cli': oauth(NOW + 8 * H) } });
  assert.equal(d.changes[0]?.kind, 'create');
});

test('nothing changes when the sink already holds the same login', () => {
  const s = store({ 'anthropic:claude-cli': oauth(NOW + 8 * H) });
  const d = decideSync(s, [claude(oauth(NOW + 8 * H))], NOW);
  assert.equal(d.next, null);
  assert.deepEqual(d.changes, []);
});

test('a later source expiry replaces the stored login; an earlier one does not', () => {
  const s = store({ 'anthropic:claude-cli': oauth(NOW + 2 * H, 'acc-old', 'ref-old') });
  assert.equal(decideSync(s, [claude(oauth(NOW + 8 * H))], NOW).changes[0]?.kind, 'update');
  assert.equal(decideSync(s, [claude(oauth(NOW + 1 * H))], NOW).next, null);
});

test('an expired stored login is replaced even by an older, also expired source', () => {
  const s = store({ 'anthropic:claude-cli': oauth(NOW - 1 * H, 'acc-old', 'ref-old') });
  const d = decideSync(s, [claude(oauth(NOW - 2 * H))], NOW);
  assert.equal((d.next?.profiles['anthropic:claude-cli'] as OAuthCredential).access, 'acc-new');
});

test('token → oauth is an upgrade; oauth → token never happens, even when the oauth has expired', () => {
  const withToken = store({ 'anthropic:claude-cli': token(NOW + 100 * H, 'tok-old') });
  const up = decideSync(withToken, [claude(oauth(NOW + 1 * H))], NOW);
  assert.equal(up.changes[0]?.kind, 'upgrade');
  assert.equal((up.next?.profiles['anthropic:claude-cli'] as OAuthCredential).type, 'oauth');

  const withOAuth = store({ 'anthropic:claude-cli': oauth(NOW - 5 * H, 'acc-old', 'ref-old') });
  assert.equal(decideSync(withOAuth, [claude(token(NOW + 300 * 24 * H))], NOW).next, null);
});

test('keys nobody owns survive: top level, other profiles, order, lastGood, usageStats, and inside the replaced profile', () => {
  const s = store(
    {
      'anthropic:claude-cli': { ...oauth(NOW - H, 'acc-old', 'ref-old'), note: 'mine' },
      'openai:default': { type: 'api_key', provider: 'openai', key: 'k', label: 'x' },
      broken: { nope: true },
    },
    {
      order: { anthropic: ['anthropic:claude-cli'] },
      lastGood: { anthropic: 'anthropic:claude-cli' },
      usageStats: { 'openai:default': { errorCount: 2, custom: 1 } },
    },
  );
  (s as Record<string, unknown>)['futureKey'] = { a: 1 };
  const d = decideSync(s, [claude(oauth(NOW + 8 * H))], NOW);
  const next = d.next as Record<string, unknown> & AuthStore;
  assert.deepEqual(next['futureKey'], { a: 1 });
  assert.deepEqual(next.order, s.order);
  assert.deepEqual(next.lastGood, s.lastGood);
  assert.deepEqual(next.usageStats, s.usageStats);
  assert.deepEqual(next.profiles['broken'], { nope: true });
  assert.deepEqual(next.profiles['openai:default'], s.profiles['openai:default']);
  assert.deepEqual(next.profiles['anthropic:claude-cli'], { note: 'mine', ...oauth(NOW + 8 * H) });
  // The input was not mutated.
  assert.equal((s.profiles['anthropic:claude-cli'] as OAuthCredential).access, 'acc-old');
});

test('a source that is not ok changes nothing', () => {
  const broken: SourceRead = {
    id: 'claude-code',
    kind: 'file',
    location: '/x',
    status: 'invalid',
    profileId: 'anthropic:claude-cli',
    error: 'bad',
  };
  assert.equal(decideSync(undefined, [broken], NOW).next, null);
});

test("Codex: the codex-cli profile gives way to the user's own profile holding the same tokens", () => {
  const codex: SourceRead = {
    id: 'codex-cli',
    kind: 'file',
    location: '/x/auth.json',
    status: 'ok',
    profileId: 'openai-codex:codex-cli',
    credential: { type: 'oauth', provider: 'openai-codex', access: 'a', refresh: 'r', expires: NOW + H },
  };
  const mine = { type: 'oauth', provider: 'openai-codex', access: 'a', refresh: 'r', expires: NOW + H };
  const d = decideSync(store({ 'openai-codex:me': mine, 'openai-codex:codex-cli': { ...mine } }), [codex], NOW);
  assert.deepEqual(Object.keys(d.next?.profiles ?? {}), ['openai-codex:me']);
  assert.equal(d.changes[0]?.kind, 'remove-duplicate');
  assert.equal(decideSync(store({ 'openai-codex:me': mine }), [codex], NOW).next, null);
});

test('Qwen: written as qwen-portal:qwen-cli, updated only for a later expiry', () => {
  const qwen = (expires: number): SourceRead => ({
    id: 'qwen-code',
    kind: 'file',
    location: '/x/oauth_creds.json',
    status: 'ok',
    profileId: 'qwen-portal:qwen-cli',
    credential: { type: 'oauth', provider: 'qwen-portal', access: `a${expires}`, refresh: 'r', expires },
  });
  const first = decideSync(undefined, [qwen(NOW + 2 * H)], NOW).next as AuthStore;
  assert.equal((first.profiles['qwen-portal:qwen-cli'] as OAuthCredential).expires, NOW + 2 * H);
  assert.equal(decideSync(first, [qwen(NOW + H)], NOW).next, null);
  assert.notEqual(decideSync(first, [qwen(NOW + 3 * H)], NOW).next, null);
});

test('an expired login differing only in its worked-out expiry is left alone (no ping-pong with Clawdbot)', () => {
  const codex = (expires: number): SourceRead => ({
    id: 'codex-cli',
    kind: 'file',
    location: '/x/auth.json',
    status: 'ok',
    profileId: 'openai-codex:codex-cli',
    credential: { type: 'oauth', provider: 'openai-codex', access: 'a', refresh: 'r', expires },
  });
  const clawdbotWrote = store({
    'openai-codex:codex-cli': {
      type: 'oauth',
      provider: 'openai-codex',
      access: 'a',
      refresh: 'r',
      expires: NOW - 3 * H + 0.5,
    },
  });
  assert.equal(decideSync(clawdbotWrote, [codex(NOW - 2 * H)], NOW).next, null);
  // A new login (other tokens) is still written, expired or not.
  const renewed = codex(NOW - 2 * H);
  if (renewed.credential?.type === 'oauth') renewed.credential.access = 'a2';
  assert.notEqual(decideSync(clawdbotWrote, [renewed], NOW).next, null);
});
