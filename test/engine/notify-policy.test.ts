/**
 * The notification policy, table-driven over sequences of snapshots: dedupe within the
 * repeat window, recovery once, coalescing, snooze, pause, and a restart keeping state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../main/engine/engine.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import {
  emptyPolicyState,
  observe,
  pauseAll,
  snooze,
  snoozeChoices,
  subjectsOf,
  tick,
  type PolicyContext,
  type PolicyState,
} from '../../main/engine/notify/policy.js';
import { loadPolicyState, notifyStatePath, savePolicyState } from '../../main/engine/notify/state.js';
import type { Snapshot } from '../../common/snapshot.js';
import { claudeCredentials, makeHome, secret, issuedSecrets, DAY, HOUR } from '../support/home.js';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const MIN = 60_000;

type Level = 'none' | 'soon' | 'now';
/** A compact description of a host: profile attention per `agent/profile`, and providers missing per agent. */
interface Spec {
  profiles?: Record<string, Level>;
  missing?: Record<string, string[]>;
  source?: 'ok' | 'invalid';
}

function snap(spec: Spec, now: number): Snapshot {
  const agents = new Map<string, { profiles: unknown[]; missing: string[] }>();
  const agent = (id: string) => {
    if (!agents.has(id)) agents.set(id, { profiles: [], missing: [] });
    return agents.get(id) as { profiles: unknown[]; missing: string[] };
  };
  for (const [key, attention] of Object.entries(spec.profiles ?? {})) {
    const [agentId, profileId] = key.split('/') as [string, string];
    const provider = profileId.split(':')[0] as string;
    agent(agentId).profiles.push({
      profileId,
      provider,
      type: 'token',
      status: attention === 'now' ? 'expired' : 'ok',
      attention,
      reason: attention === 'now' ? 'expired' : attention === 'soon' ? 'expires in 5 h' : 'valid',
      expiresAt: attention === 'now' ? now - HOUR : now + (attention === 'soon' ? 5 * HOUR : 90 * DAY),
      remainingMs: null,
      source: 'store',
      refreshable: false,
      usable: attention !== 'now',
      masked: null,
      fingerprint: null,
      email: null,
      cooldownUntil: null,
      disabledUntil: null,
      disabledReason: null,
      inStepWithSource: null,
      token: null,
    });
  }
  for (const [agentId, providers] of Object.entries(spec.missing ?? {})) agent(agentId).missing.push(...providers);
  return {
    schemaVersion: 1,
    generatedAt: now,
    warnMs: DAY,
    configError: null,
    providersInUse: ['anthropic'],
    refresh: [],
    monitor: null,
    vault: null,
    sources:
      spec.source === 'invalid'
        ? [
            {
              id: 'claude-code',
              kind: 'file',
              path: '/h/.claude/.credentials.json',
              status: 'invalid',
              profileId: 'anthropic:claude-cli',
              type: null,
              expiresAt: null,
              remainingMs: null,
              expirySource: null,
              masked: null,
              fingerprint: null,
              attention: 'soon',
              error:
                'The Claude Code credentials file /h/.claude/.credentials.json is not valid JSON (it ends too early, perhaps truncated): log in again with `claude` (then /login), which rewrites it.',
            },
          ]
        : [],
    agents: [...agents.entries()].map(([agentId, a]) => ({
      agentId,
      passive: null,
      error: null,
      sync: { mode: 'applied', wrote: false, changes: [], error: null, errorCode: null },
      profiles: a.profiles,
      missingProviders: a.missing,
    })),
  } as unknown as Snapshot;
}

const ctxAt = (now: number, extra: Partial<PolicyContext> = {}): PolicyContext => ({
  now,
  repeatMs: 24 * HOUR,
  tokenReminderMs: 30 * DAY,
  ...extra,
});

type Step =
  | { at: number; spec: Spec; expect: string[] }
  | { at: number; tick: true; expect: string[] }
  | { at: number; act: (s: PolicyState) => PolicyState; expect?: undefined };

/** Runs a table; each expectation lists notice keys (a summary as `summary[<item keys>]`). */
function run(
  steps: Step[],
  state = emptyPolicyState(),
): { state: PolicyState; all: Notice[][]; wakeAts: Array<number | null> } {
  const all: Notice[][] = [];
  const wakeAts: Array<number | null> = [];
  steps.forEach((step, i) => {
    if ('act' in step) {
      state = step.act(state);
      return;
    }
    const r = 'tick' in step ? tick(state, ctxAt(step.at)) : observe(state, snap(step.spec, step.at), ctxAt(step.at));
    state = r.state;
    all.push(r.notices);
    wakeAts.push(r.wakeAt);
    const got = r.notices.map((n) => (n.items ? `summary[${n.items.map((x) => x.key).join(',')}]` : n.key));
    assert.deepEqual(got, step.expect, `step ${i} (t+${Math.round((step.at - T0) / MIN)} min)`);
  });
  return { state, all, wakeAts };
}

const P = 'profile:main/anthropic:setup';

test('dedupe: the same state of the same subject is never notified twice within the repeat window; recovery once', () => {
  run([
    { at: T0, spec: { profiles: { 'main/anthropic:setup': 'soon' } }, expect: [`${P}:soon`] },
    { at: T0 + HOUR, spec: { profiles: { 'main/anthropic:setup': 'soon' } }, expect: [] },
    { at: T0 + 2 * HOUR, spec: { profiles: { 'main/anthropic:setup': 'none' } }, expect: [`${P}:recovered`] },
    { at: T0 + 3 * HOUR, spec: { profiles: { 'main/anthropic:setup': 'soon' } }, expect: [] },
    { at: T0 + 4 * HOUR, spec: { profiles: {} }, expect: [] },
    { at: T0 + 25 * HOUR, spec: { profiles: { 'main/anthropic:setup': 'soon' } }, expect: [`${P}:soon`] },
    { at: T0 + 26 * HOUR, spec: { profiles: { 'main/anthropic:setup': 'now' } }, expect: [`${P}:now`] },
    { at: T0 + 27 * HOUR, spec: { profiles: { 'main/anthropic:setup': 'now' } }, expect: [] },
  ]);
});

test('coalescing: several subjects in one step make one summary; more within the window wait and go out together', () => {
  const r = run([
    {
      at: T0,
      spec: { profiles: { 'main/anthropic:a': 'soon', 'work/anthropic:a': 'soon' }, missing: { ops: ['anthropic'] } },
      expect: ['summary[provider:ops/anthropic:now,profile:main/anthropic:a:soon,profile:work/anthropic:a:soon]'],
    },
    {
      at: T0 + 2_000,
      spec: {
        profiles: { 'main/anthropic:a': 'soon', 'work/anthropic:a': 'soon', 'x/openai:b': 'soon' },
        missing: { ops: ['anthropic'] },
      },
      expect: [],
    },
    {
      at: T0 + 4_000,
      spec: {
        profiles: { 'main/anthropic:a': 'soon', 'work/anthropic:a': 'soon', 'x/openai:b': 'soon', 'y/openai:c': 'now' },
        missing: { ops: ['anthropic'] },
      },
      expect: [],
    },
    { at: T0 + 10_000, tick: true, expect: ['summary[profile:y/openai:c:now,profile:x/openai:b:soon]'] },
    {
      at: T0 + 60_000,
      spec: {
        profiles: {
          'main/anthropic:a': 'soon',
          'work/anthropic:a': 'soon',
          'x/openai:b': 'soon',
          'y/openai:c': 'now',
          'z/openai:d': 'soon',
        },
        missing: { ops: ['anthropic'] },
      },
      expect: ['profile:z/openai:d:soon'],
    },
  ]);
  assert.equal(r.wakeAts[1], T0 + 10_000, 'the policy asks to be woken when the window closes');
  const summary = r.all[0]?.[0] as Notice;
  assert.equal(summary.title, '3 credentials need attention');
  assert.equal(summary.state, 'now');
  assert.match(summary.body, /^Agent ops has no credential for anthropic; /);
});

test('a subject that recovers before its notice went out is never mentioned', () => {
  run([
    { at: T0, spec: { profiles: { 'main/anthropic:a': 'soon' } }, expect: ['profile:main/anthropic:a:soon'] },
    { at: T0 + 1_000, spec: { profiles: { 'main/anthropic:a': 'soon', 'main/openai:b': 'soon' } }, expect: [] },
    { at: T0 + 3_000, spec: { profiles: { 'main/anthropic:a': 'soon' } }, expect: [] },
    { at: T0 + 10_000, tick: true, expect: [] },
  ]);
});

test('snooze: a snoozed subject stays quiet until the snooze ends, then is notified if still bad', () => {
  const r = run([
    { at: T0, act: (s) => snooze(s, `${P}:soon`, T0 + HOUR) },
    { at: T0, spec: { profiles: { 'main/anthropic:setup': 'soon', 'main/openai:k': 'none' } }, expect: [] },
    { at: T0 + 30 * MIN, spec: { profiles: { 'main/anthropic:setup': 'now' } }, expect: [] },
    {
      at: T0 + 30 * MIN + 1,
      spec: { profiles: { 'main/anthropic:setup': 'now' }, missing: { main: ['openai'] } },
      expect: ['provider:main/openai:now'],
    },
    { at: T0 + HOUR, tick: true, expect: [`${P}:now`] },
  ]);
  assert.equal(r.wakeAts[1], T0 + HOUR);
  assert.deepEqual(r.state.snoozes, {}, 'an ended snooze is pruned');
});

test('pause all: nothing until the pause ends, then one summary of what is still wrong', () => {
  run([
    { at: T0, act: (s) => pauseAll(s, T0 + 2 * HOUR) },
    {
      at: T0 + MIN,
      spec: { profiles: { 'main/anthropic:a': 'soon', 'main/openai:b': 'now', 'main/openai:c': 'soon' } },
      expect: [],
    },
    { at: T0 + HOUR, spec: { profiles: { 'main/anthropic:a': 'soon', 'main/openai:b': 'now' } }, expect: [] },
    { at: T0 + 2 * HOUR, tick: true, expect: ['summary[profile:main/openai:b:now,profile:main/anthropic:a:soon]'] },
    { at: T0 + 3 * HOUR, spec: { profiles: { 'main/anthropic:a': 'soon', 'main/openai:b': 'now' } }, expect: [] },
  ]);
});

test('a restart keeps the state: the same problems are not notified again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-notify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = notifyStatePath(join(dir, 'settings.json'));
  const spec: Spec = { profiles: { 'main/anthropic:setup': 'soon' }, source: 'invalid' };
  const first = observe(emptyPolicyState(), snap(spec, T0), ctxAt(T0));
  assert.equal(first.notices.length, 1);
  await savePolicyState(path, first.state);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const loaded = await loadPolicyState(path, T0 + HOUR);
  assert.equal(loaded.warning, null);
  assert.deepEqual(
    observe(loaded.state, snap(spec, T0 + HOUR), ctxAt(T0 + HOUR)).notices,
    [],
    'after a restart: quiet',
  );
  // Without the file, the same snapshot would notify again.
  assert.equal(observe(emptyPolicyState(), snap(spec, T0 + HOUR), ctxAt(T0 + HOUR)).notices.length, 1);

  // A damaged state file is moved aside, never silently overwritten.
  writeFileSync(path, '{"version": 1, "subj');
  const damaged = await loadPolicyState(path, T0 + 2 * HOUR);
  assert.match(damaged.warning ?? '', /moved it aside/);
  assert.ok(readdirSync(dir).some((f) => f.startsWith('notify-state.json.corrupt-')));
  assert.deepEqual(damaged.state, emptyPolicyState());
  assert.equal(
    readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('.corrupt-')) as string), 'utf8'),
    '{"version": 1, "subj',
  );
});

test('snooze until tomorrow is the next local midnight', () => {
  const now = Date.UTC(2026, 11, 2, 22, 30); // 23:30 in UTC+1, 17:30 in UTC-5
  assert.equal(snoozeChoices(now, 60).tomorrow, Date.UTC(2026, 11, 2, 23, 0));
  assert.equal(snoozeChoices(now, -300).tomorrow, Date.UTC(2026, 11, 3, 5, 0));
  assert.equal(snoozeChoices(now, 0).tomorrow, Date.UTC(2026, 11, 3, 0, 0));
  assert.equal(snoozeChoices(now, 0).hour, now + HOUR);
});

test('notices say what happened and what to do, carry the action, and never a secret', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const now = Date.now();
  h.write('.clawdbot/clawdbot.json', {
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-5'] } } },
  });
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: now + 5 * DAY + HOUR,
      },
    },
  });
  h.write(h.agentStore('work'), {
    version: 1,
    profiles: { 'openai:k': { type: 'api_key', provider: 'openai', key: secret('api') } },
  });
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: now + 8 * HOUR }));
  const { snapshot } = await collect({ env: h.env }, { sync: 'apply' });
  // Claude Code's refresh was refused (as the refresh engine will report it).
  snapshot.refresh.push({
    profileId: 'anthropic:claude-cli',
    at: now,
    ok: false,
    permanent: true,
    consecutiveFailures: 1,
    error: null,
  });
  const main = snapshot.agents.find((a) => a.agentId === 'main');
  const cli = main?.profiles.find((p) => p.profileId === 'anthropic:claude-cli');
  assert.ok(cli);
  cli.attention = 'now';
  const subjects = subjectsOf(snapshot, { now, tokenReminderMs: 30 * DAY });
  const byKey = new Map(subjects.map((s) => [s.key, s]));
  const setup = byKey.get('profile:main/anthropic:setup');
  assert.match(setup?.draft.title ?? '', /^anthropic setup token expires in 5 d( \d+ h)?$/);
  assert.match(setup?.draft.body ?? '', /authbar setup-token/);
  assert.equal(setup?.draft.action, 'setup-token');
  assert.equal(setup?.level, 'soon', 'inside the 30-day reminder, though Clawdbot still calls it ok');
  // A host without any Anthropic credential (no Claude Code login to sync in).
  const h2 = makeHome();
  t.after(() => h2.cleanup());
  h2.write(h2.agentStore('work'), {
    version: 1,
    profiles: { 'openai:k': { type: 'api_key', provider: 'openai', key: secret('api') } },
  });
  const bare = (await collect({ env: h2.env }, { sync: 'apply', agents: ['work'] })).snapshot;
  const missing = subjectsOf(bare, { now, tokenReminderMs: 30 * DAY }).find((s) => s.key === 'provider:work/anthropic');
  assert.equal(missing?.level, 'now');
  assert.equal(missing?.draft.title, 'Agent work has no credential for anthropic');
  assert.equal(missing?.draft.body, 'Run authbar setup-token or authbar token add.');
  const refused = byKey.get('profile:main/anthropic:claude-cli');
  assert.equal(refused?.draft.title, "Claude Code's refresh was refused");
  assert.match(refused?.draft.body ?? '', /^Log in again with claude/);

  const step = observe(emptyPolicyState(), snapshot, ctxAt(now));
  const text = JSON.stringify(step);
  for (const s of issuedSecrets) assert.equal(text.includes(s.slice(-20)), false, 'no secret in notices or state');
});
