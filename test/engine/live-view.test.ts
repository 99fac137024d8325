/**
 * The live view of a `models.authStatus` answer: providers and usage mapped, the catalog still
 * loading, usage notes, and where the running gateway and the files disagree (and where they
 * must not be said to).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthStatusPayload } from '../../main/engine/gateways/openclaw/live/auth-status.js';
import {
  comparedAgent,
  liveView,
  RELOAD_GATEWAY_FIX,
  type LiveViewContext,
} from '../../main/engine/gateways/openclaw/live/live-view.js';
import { awaitingUsage, USAGE_EMPTY_NOTE, USAGE_PENDING_NOTE, usageWindowName } from '../../common/live-usage.js';
import { LiveView } from '../../common/snapshot.js';
import { agent, NOW, HOUR, DAY, profile, setupToken, snapshot } from '../support/snapshots.js';
import { issuedSecrets } from '../support/home.js';

const ctx: LiveViewContext = { url: 'ws://127.0.0.1:18789/', version: '2026.9.6', checkedAt: NOW, agentId: null };

/** An answer as the gateway sends it, read through the same parse the client uses. */
function answer(providers: unknown[], extra: Record<string, unknown> = {}) {
  return AuthStatusPayload.parse({ ts: NOW, providers, providerCapabilities: [], ...extra });
}

function anthropic(profiles: unknown[], extra: Record<string, unknown> = {}) {
  return { provider: 'anthropic', authProvider: 'anthropic', displayName: 'Claude', status: 'ok', profiles, ...extra };
}

const liveToken = (profileId: string, at: number | null, status = 'ok', extra: Record<string, unknown> = {}) => ({
  profileId,
  type: 'token',
  status,
  source: 'saved',
  ...(at === null ? {} : { expiry: { at, remainingMs: at - NOW, label: '2h' } }),
  logoutSupported: true,
  ...extra,
});

const files = (...profiles: ReturnType<typeof profile>[]) =>
  snapshot({ gateway: 'openclaw', agents: [agent('main', profiles)] });

test('the answer the lead saw on 2026.9.6 maps to providers, profiles and expiries; agreement has no findings', () => {
  const at = NOW + 2 * HOUR;
  const payload = answer([
    anthropic([liveToken('anthropic:manual', at, 'expiring', { source: 'inherited' })], {
      status: 'expiring',
      expiry: { at, remainingMs: 2 * HOUR, label: '2h' },
    }),
  ]);
  const view = liveView(payload, files(setupToken('anthropic:manual', at + 20_000, 'soon')), ctx);
  assert.equal(LiveView.safeParse(view).success, true, 'the view has the snapshot schema');
  assert.equal(view.state, 'connected');
  assert.equal(view.reasonCode, null);
  assert.deepEqual(view.gateway, { url: ctx.url, version: '2026.9.6' });
  assert.equal(view.checkedAt, NOW);
  assert.deepEqual(view.providers, [
    {
      provider: 'anthropic',
      displayName: 'Claude',
      status: 'expiring',
      expiresAt: at,
      profiles: [{ profileId: 'anthropic:manual', status: 'expiring', type: 'token', reasonCode: null, expiresAt: at }],
      usage: [],
      plan: null,
      usageNote: USAGE_PENDING_NOTE,
    },
  ]);
  assert.deepEqual(view.disagreements, [], '20 s apart is the same credential');
  assert.equal(awaitingUsage(view), true);
});

test('usage windows: resetAt becomes resetsAt, the plan kept; an empty list is said so; api keys have no note', () => {
  const reset = NOW + 3 * HOUR;
  const payload = answer([
    anthropic([{ profileId: 'anthropic:default', type: 'oauth', status: 'ok', expiry: { at: NOW + 8 * HOUR } }], {
      usage: {
        providerId: 'anthropic',
        windows: [
          { label: '5h', usedPercent: 42, resetAt: reset },
          { label: 'Week', usedPercent: 12.5, resetAt: reset + 3 * DAY },
          { label: 'Opus', usedPercent: 7 },
        ],
        plan: 'Max',
      },
    }),
    {
      provider: 'openai',
      displayName: 'OpenAI',
      status: 'static',
      profiles: [{ profileId: 'openai:k', type: 'api_key', status: 'static' }],
    },
    {
      provider: 'zai',
      status: 'ok',
      profiles: [{ profileId: 'zai:t', type: 'token', status: 'static' }],
      usage: { windows: [] },
    },
  ]);
  const view = liveView(payload, files(profile({ profileId: 'anthropic:default', expiresAt: NOW + 8 * HOUR })), ctx);
  const [claude, openai, zai] = view.providers;
  assert.deepEqual(claude?.usage, [
    { label: '5h', usedPercent: 42, resetsAt: reset },
    { label: 'Week', usedPercent: 12.5, resetsAt: reset + 3 * DAY },
    { label: 'Opus', usedPercent: 7, resetsAt: null },
  ]);
  assert.equal(claude?.plan, 'Max');
  assert.equal(claude?.usageNote, null);
  assert.equal(openai?.usageNote, null, 'an API key never reports usage: nothing to explain');
  assert.equal(openai?.displayName, 'OpenAI');
  assert.equal(zai?.usageNote, USAGE_EMPTY_NOTE, 'fetched but empty (the endpoint failed)');
  assert.equal(zai?.displayName, null);
  assert.equal(awaitingUsage(view), false);
});

test('the catalog still loading: connected, reasonCode loading, and nothing compared', () => {
  const payload = answer([], { unavailable: { code: 'PREPARED_MODEL_AUTH_UNAVAILABLE', message: 'x' } });
  const view = liveView(payload, files(setupToken('anthropic:manual', NOW + DAY * 300, 'none')), ctx);
  assert.equal(view.state, 'connected');
  assert.equal(view.reasonCode, 'loading');
  assert.match(view.message ?? '', /loading its model catalog/);
  assert.deepEqual(view.providers, []);
  assert.deepEqual(view.disagreements, [], 'an empty list while loading is not "the gateway lacks it"');
});

test('a token the files hold but the gateway started without: a finding whose fix restarts the gateway', () => {
  // As verified: no store at gateway start, then paste-token: the gateway still says missing.
  const payload = answer([anthropic([], { status: 'missing' })]);
  const view = liveView(payload, files(setupToken('anthropic:manual', NOW + 300 * DAY, 'none')), ctx);
  assert.equal(view.disagreements.length, 1);
  const d = view.disagreements[0];
  assert.equal(d?.profileId, 'anthropic:manual');
  assert.equal(d?.provider, 'anthropic');
  assert.equal(d?.files, 'ok');
  assert.equal(d?.gateway, 'absent');
  assert.match(d?.text ?? '', /anthropic:manual.*does not list it/);
  assert.equal(d?.fix, RELOAD_GATEWAY_FIX);
  assert.match(RELOAD_GATEWAY_FIX, /openclaw gateway restart/);
  assert.match(RELOAD_GATEWAY_FIX, /openclaw gateway call models\.authRefresh --params '\{"operation":"update"\}'/);
});

test('an unusable file profile the gateway does not list is not a finding (restarting would not help)', () => {
  const expired = setupToken('anthropic:old', NOW - HOUR, 'now');
  const view = liveView(answer([anthropic([], { status: 'missing' })]), files(expired), ctx);
  assert.deepEqual(view.disagreements, []);
});

test('a profile the gateway still lists that the files no longer hold', () => {
  const payload = answer([anthropic([liveToken('anthropic:gone', NOW + DAY)])]);
  const view = liveView(payload, files(), ctx);
  assert.deepEqual(
    view.disagreements.map((d) => [d.profileId, d.files, d.gateway]),
    [['anthropic:gone', 'absent', 'ok']],
  );
  assert.match(view.disagreements[0]?.text ?? '', /still lists anthropic:gone.*no longer hold/);
  assert.equal(view.disagreements[0]?.fix, RELOAD_GATEWAY_FIX);
});

test('profiles the gateway builds from other programs (external) are not expected in the files', () => {
  const payload = answer([
    anthropic([
      { profileId: 'anthropic:claude-cli', type: 'oauth', status: 'ok', source: 'external' },
      { profileId: 'openai-codex:codex-cli', type: 'oauth', status: 'ok', source: 'saved', externallyManaged: true },
    ]),
  ]);
  assert.deepEqual(liveView(payload, files(), ctx).disagreements, []);
  // Nor one AuthBar keeps in the files without judging it (an entry it cannot read).
  const odd = answer([anthropic([liveToken('anthropic:odd', null, 'static')])]);
  const withOdd = snapshot({ gateway: 'openclaw', agents: [agent('main', [], { ignoredEntries: ['anthropic:odd'] })] });
  assert.deepEqual(liveView(odd, withOdd, ctx).disagreements, []);
});

test('the claude-cli runtime row (Claude Code, not a store) is never expected at the gateway', () => {
  const runtime = profile({ profileId: 'claude-cli', source: 'claude-code', usable: true });
  assert.deepEqual(liveView(answer([anthropic([], { status: 'missing' })]), files(runtime), ctx).disagreements, []);
});

test('expiries: > 60 s apart is another credential; within 60 s or a threshold-only verdict difference is not', () => {
  const at = NOW + 23 * HOUR;
  const cases: Array<[string, number, string, number]> = [
    // file expiry, gateway expiry, gateway status, findings
    ['same', at, 'ok', 0],
    ['59 s apart', at + 59_000, 'ok', 0],
    ['ok vs expiring only by threshold', at + 10_000, 'expiring', 0],
    ['61 s apart', at + 61_000, 'expiring', 1],
    ['a day apart', at + DAY, 'ok', 1],
  ];
  for (const [name, gAt, gStatus, n] of cases) {
    const file = setupToken('anthropic:manual', at, 'none', { status: 'ok' });
    const view = liveView(answer([anthropic([liveToken('anthropic:manual', gAt, gStatus)])]), files(file), ctx);
    assert.equal(view.disagreements.length, n, name);
    if (n > 0) {
      assert.match(
        view.disagreements[0]?.text ?? '',
        /anthropic:manual expires .* UTC in the files but .* UTC in the running gateway/,
      );
      assert.equal(view.disagreements[0]?.gateway, gStatus);
      assert.equal(view.disagreements[0]?.files, 'ok');
    }
  }
});

test('api keys and static (no expiry) credentials are never compared on expiry', () => {
  const key = profile({ profileId: 'openai:k', type: 'api_key', status: 'static', expiresAt: null });
  const staticToken = setupToken('anthropic:manual', NOW + 300 * DAY, 'none');
  const payload = answer([
    anthropic([liveToken('anthropic:manual', null, 'static')]),
    {
      provider: 'openai',
      status: 'static',
      profiles: [{ profileId: 'openai:k', type: 'api_key', status: 'static', expiry: { at: NOW + DAY } }],
    },
  ]);
  assert.deepEqual(liveView(payload, files(key, staticToken), ctx).disagreements, []);
  // A provider the gateway calls static (an API key in its config) is not compared on expiry either.
  const dated = setupToken('anthropic:manual', NOW + DAY, 'none');
  const viaKey = answer([anthropic([liveToken('anthropic:manual', NOW + 2 * DAY)], { status: 'static' })]);
  assert.deepEqual(liveView(viaKey, files(dated), ctx).disagreements, []);
  const viaToken = answer([anthropic([liveToken('anthropic:manual', NOW + 2 * DAY)])]);
  assert.equal(liveView(viaToken, files(dated), ctx).disagreements.length, 1, 'the same pair, not static: compared');
});

test('the agent compared: the one asked about, else main, else the first; never a passive one', () => {
  const main = agent('main', [setupToken('anthropic:a', NOW + 300 * DAY, 'none')]);
  const work = agent('work', [setupToken('anthropic:w', NOW + 300 * DAY, 'none')]);
  const snap = snapshot({ gateway: 'openclaw', agents: [work, main] });
  assert.equal(comparedAgent(snap, null)?.agentId, 'main');
  assert.equal(comparedAgent(snap, 'work')?.agentId, 'work');
  assert.equal(comparedAgent(snap, 'nope'), null);
  assert.equal(comparedAgent(snapshot({ gateway: 'openclaw', agents: [work] }), null)?.agentId, 'work');
  const passive = agent('main', [], { passive: 'legacy', passiveCode: 'legacy' });
  assert.equal(comparedAgent(snapshot({ gateway: 'openclaw', agents: [passive, work] }), null)?.agentId, 'work');

  // The gateway answered for `work`: its profile is no finding; main's would have been.
  const payload = answer([anthropic([liveToken('anthropic:w', null, 'static')])]);
  const forWork = liveView(payload, snap, { ...ctx, agentId: 'work' });
  assert.deepEqual(forWork.disagreements, []);
  assert.equal(forWork.agentId, 'work');
  const forMain = liveView(payload, snap, ctx);
  assert.deepEqual(forMain.disagreements.map((d) => [d.profileId, d.files, d.gateway]).sort(), [
    ['anthropic:a', 'ok', 'absent'],
    ['anthropic:w', 'absent', 'static'],
  ]);
  // An agent other than main is named in the sentence.
  assert.match(
    liveView(answer([anthropic([])]), snap, { ...ctx, agentId: 'work' }).disagreements[0]?.text ?? '',
    /of agent work/,
  );
});

test('an unreadable store, or no agent to compare with: no findings', () => {
  const broken = agent('main', [], { storeStatus: 'error', error: 'cannot be read' });
  const payload = answer([anthropic([liveToken('anthropic:x', NOW + DAY)])]);
  assert.deepEqual(liveView(payload, snapshot({ gateway: 'openclaw', agents: [broken] }), ctx).disagreements, []);
  assert.deepEqual(liveView(payload, snapshot({ gateway: 'openclaw', agents: [] }), ctx).disagreements, []);
});

test('a malformed answer reads as far as it goes; no secret of the files reaches the view', () => {
  const payload = AuthStatusPayload.parse({
    providers: [
      { provider: 'anthropic', profiles: [{ profileId: 'anthropic:m', expiry: 'soon' }, { nope: 1 }], usage: 'x' },
      7,
    ],
  });
  const file = setupToken('anthropic:m', NOW + 300 * DAY, 'none');
  const view = liveView(payload, files(file), ctx);
  assert.equal(view.providers.length, 1);
  assert.equal(view.providers[0]?.status, 'missing');
  assert.deepEqual(view.providers[0]?.profiles, [
    { profileId: 'anthropic:m', status: 'missing', type: null, reasonCode: null, expiresAt: null },
  ]);
  const text = JSON.stringify(view);
  for (const s of issuedSecrets) assert.equal(text.includes(s.slice(-12)), false, 'no secret in the view');
  assert.equal(text.includes(file.masked as string), false, 'not even masked');
});

test('window labels as people read them', () => {
  assert.equal(usageWindowName('Claude', '5h'), 'Claude 5 h window');
  assert.equal(usageWindowName('Claude', 'Week'), 'Claude Week window', 'the label the CLI, menu and window show');
  assert.equal(usageWindowName('Claude', 'Extra usage'), 'Claude extra usage');
  assert.equal(usageWindowName('Claude', 'Claude Sonnet 4.5'), 'Claude Sonnet 4.5 window');
});
