/**
 * The notification policy, pure: over a sequence of snapshots and a state object, which
 * notices to deliver. A subject (a profile of an agent, a provider an agent lacks, a source,
 * an agent's store, the gateway config) is notified when it enters `soon` or `now`, once
 * when it recovers, never in the same state twice within `notifyRepeatHours`; bursts are
 * coalesced into one summary; subjects can be snoozed and everything paused.
 *
 * Drive it with `observe` on every snapshot and `tick` at the `wakeAt` it returns (snooze
 * and pause ends, the end of a coalescing window). Persist the state between runs
 * (notify-state.ts) so a restart does not notify again.
 *
 * Notices are built from ids, providers, durations and the engine's error sentences, which
 * never carry a secret.
 */
import { sourceById, sourceLabel } from '../sources/registry.js';
import * as z from 'zod/mini';
import { worst, type Attention } from '../health.js';
import type { Notice, NoticeAction } from './notices.js';
import type { ProfileView, Snapshot } from '../../../common/snapshot.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const LevelSchema = z.enum(['none', 'soon', 'now']);
const ActionSchema = z.enum(['setup-token', 'resync', 'open-details', 'open-store', 'none']);
const SubjectRef = z.object({
  agentId: z.nullable(z.string()),
  profileId: z.nullable(z.string()),
  provider: z.nullable(z.string()),
});

interface NoticeShape {
  key: string;
  subject: { agentId: string | null; profileId: string | null; provider: string | null };
  state: Attention | 'recovered';
  title: string;
  body: string;
  action: NoticeAction;
  at: number;
  items?: NoticeShape[];
}
export const NoticeSchema: z.ZodMiniType<NoticeShape> = z.object({
  key: z.string(),
  subject: SubjectRef,
  state: z.enum(['none', 'soon', 'now', 'recovered']),
  title: z.string(),
  body: z.string(),
  action: ActionSchema,
  at: z.number(),
  get items() {
    return z.optional(z.array(NoticeSchema));
  },
});

/** What a subject's notices say, kept so a recovery or a late (snoozed) notice can be told. */
const Draft = z.object({
  subject: SubjectRef,
  title: z.string(),
  body: z.string(),
  action: ActionSchema,
  /** Title of the notice sent when it is healthy again. */
  recovered: z.string(),
});
type Draft = z.infer<typeof Draft>;

const SubjectState = z.object({
  level: LevelSchema,
  /** The level last announced (or deliberately passed over as a repeat); null: never. */
  announced: z.nullable(LevelSchema),
  draft: Draft,
});

export const PolicyState = z.object({
  version: z.literal(1),
  subjects: z.record(z.string(), SubjectState),
  /** `<subject>:<state>` → when it was last notified. */
  lastNotified: z.record(z.string(), z.number()),
  /** Subject key → snoozed until (epoch ms). */
  snoozes: z.record(z.string(), z.number()),
  pausedUntil: z.nullable(z.number()),
  /** Until when further notices wait, to be coalesced. */
  quietUntil: z.number(),
  pending: z.array(NoticeSchema),
});
export type PolicyState = z.infer<typeof PolicyState>;

export function emptyPolicyState(): PolicyState {
  return { version: 1, subjects: {}, lastNotified: {}, snoozes: {}, pausedUntil: null, quietUntil: 0, pending: [] };
}

export interface PolicyContext {
  now: number;
  /** settings.notifyRepeatHours in ms. */
  repeatMs: number;
  /** settings.tokenReminderDays in ms: a setup token this close to its mark is `soon`. */
  tokenReminderMs: number;
  /** Notices within this long of the last delivery wait and go out as one summary. Default 10 s. */
  coalesceMs?: number;
}

export interface PolicyStep {
  state: PolicyState;
  /** Deliver these, in order. */
  notices: Notice[];
  /** Call `tick` at this instant (epoch ms), or never when null. */
  wakeAt: number | null;
}

const DEFAULT_COALESCE_MS = 10_000;

// ---------------------------------------------------------------------------------------
// Subjects of a snapshot

export interface SubjectEval {
  key: string;
  level: Exclude<Attention, 'none'>;
  draft: Draft;
}

function humanDuration(ms: number): string {
  const abs = Math.max(0, ms);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (abs >= 2 * DAY) return plural(Math.round(abs / DAY), 'day');
  if (abs >= 2 * HOUR) return plural(Math.round(abs / HOUR), 'hour');
  if (abs >= 60_000) return plural(Math.round(abs / 60_000), 'minute');
  return 'less than a minute';
}

function clock(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function renewOf(p: ProfileView): { command: string; action: NoticeAction } {
  if (p.token?.renewCommand)
    return { command: p.token.renewCommand, action: p.provider === 'anthropic' ? 'setup-token' : 'open-details' };
  return p.provider === 'anthropic'
    ? { command: 'authbar setup-token', action: 'setup-token' }
    : { command: 'authbar token add', action: 'open-details' };
}

function where(agentId: string): string {
  return agentId === 'main' ? '' : ` (agent ${agentId})`;
}

function profileDraft(
  agentId: string,
  p: ProfileView,
  snapshot: Snapshot,
  level: Attention,
  reminder: boolean,
  now: number,
): Draft {
  const subject = { agentId, profileId: p.profileId, provider: p.provider };
  const at = `${where(agentId)}`;
  const refresh = snapshot.refresh.find((r) => r.profileId === p.profileId);
  const recovered = `${p.profileId}${at} is healthy again`;
  if (p.disabledUntil !== null && p.disabledUntil > now) {
    return {
      subject,
      recovered,
      action: 'open-details',
      title: `${p.profileId}${at} is disabled${p.disabledReason ? ` (${p.disabledReason})` : ''}`,
      body: `The gateway will not use it until ${clock(p.disabledUntil)}: check the account (billing), then run authbar status.`,
    };
  }
  if ((refresh && !refresh.ok && refresh.permanent) || p.reasonCode === 'refresh-refused') {
    const owner = sourceById(p.source)?.label;
    return {
      subject,
      recovered,
      action: 'open-details',
      title: owner ? `${owner}'s refresh was refused` : `The refresh of ${p.profileId}${at} was refused`,
      body: owner
        ? `${capitalise(sourceById(p.source)?.loginPhrase ?? 'log in again')}.`
        : `Log in to ${p.provider} again.`,
    };
  }
  if (p.reasonCode === 'refresh-failing') {
    return {
      subject,
      recovered,
      action: 'open-details',
      title: `The refresh of ${p.profileId}${at} keeps failing`,
      body: 'It may recover on its own; check the network, or log in again if it persists.',
    };
  }
  if (p.cooldownUntil !== null && p.cooldownUntil > now && level === 'soon' && p.reasonCode === 'cooldown') {
    return {
      subject,
      recovered,
      action: 'none',
      title: `${p.profileId}${at} is in cooldown`,
      body: `The gateway rotates past it until ${clock(p.cooldownUntil)}; nothing to do unless it keeps happening.`,
    };
  }
  if (p.type === 'token' || (p.type === 'oauth' && !p.refreshable) || p.type === 'api_key') {
    const kind = p.type === 'token' ? 'setup token' : p.type === 'oauth' ? 'login' : 'API key';
    const { command, action } = renewOf(p);
    const expiresAt = p.expiresAt ?? p.token?.expiresAt ?? null;
    if (p.status === 'expired' || (expiresAt !== null && expiresAt <= now)) {
      return {
        subject,
        recovered,
        action,
        title: `${p.provider} ${kind}${at} has expired`,
        body: `Run ${command} to replace it (${p.profileId}).`,
      };
    }
    if (expiresAt !== null && (level !== 'none' || reminder)) {
      return {
        subject,
        recovered,
        action,
        title: `${p.provider} ${kind}${at} expires in ${humanDuration(expiresAt - now)}`,
        body: `Run ${command} to renew it (${p.profileId}).`,
      };
    }
  }
  return {
    subject,
    recovered,
    action: 'open-details',
    title: `${p.profileId}${at}: ${p.reason}`,
    body: 'Run authbar status for details.',
  };
}

const MISSING_ADVICE: Record<string, { body: string; action: NoticeAction }> = {
  anthropic: { body: 'Run authbar setup-token or authbar token add.', action: 'setup-token' },
  'openai-codex': { body: 'Log in with codex login, then run authbar sync.', action: 'resync' },
};

/** The subjects that need attention in this snapshot (healthy ones are simply absent). */
export function subjectsOf(snapshot: Snapshot, ctx: Pick<PolicyContext, 'now' | 'tokenReminderMs'>): SubjectEval[] {
  const out: SubjectEval[] = [];
  const now = ctx.now;
  if (snapshot.configError) {
    out.push({
      key: 'config',
      level: 'now',
      draft: {
        subject: { agentId: null, profileId: null, provider: null },
        title: 'The gateway config cannot be used',
        body: snapshot.configError,
        action: 'open-details',
        recovered: 'The gateway config is usable again',
      },
    });
  }
  for (const s of snapshot.sources) {
    if (s.attention === 'none') continue;
    const name = sourceLabel(s.id);
    const title =
      s.status === 'unavailable'
        ? `The Keychain did not answer for ${name}`
        : s.status === 'invalid'
          ? `${name}'s credentials cannot be parsed`
          : `${name}'s credentials cannot be read`;
    out.push({
      key: `source:${s.id}`,
      level: s.attention,
      draft: {
        subject: { agentId: null, profileId: s.profileId, provider: null },
        title,
        body: s.error ?? 'Run authbar status for details.',
        action: s.status === 'unavailable' ? 'resync' : 'open-details',
        recovered: `${name}'s credentials are readable again`,
      },
    });
  }
  for (const a of snapshot.agents) {
    if (a.passive !== null) continue;
    if (a.error) {
      out.push({
        key: `store:${a.agentId}`,
        level: 'now',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider: null },
          title: `Agent ${a.agentId}'s auth store cannot be used`,
          body: a.error,
          action: 'open-store',
          recovered: `Agent ${a.agentId}'s auth store is usable again`,
        },
      });
    }
    if (a.sync.error) {
      out.push({
        key: `sync:${a.agentId}`,
        level: 'soon',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider: null },
          title: `Agent ${a.agentId} could not be synced`,
          body: a.sync.error,
          action: 'resync',
          recovered: `Agent ${a.agentId} is in sync again`,
        },
      });
    }
    for (const provider of a.missingProviders) {
      const advice = MISSING_ADVICE[provider] ?? {
        body: 'Add one with authbar token add.',
        action: 'open-details' as const,
      };
      out.push({
        key: `provider:${a.agentId}/${provider}`,
        level: 'now',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider },
          title: `Agent ${a.agentId} has no credential for ${provider}`,
          body: advice.body,
          action: advice.action,
          recovered: `Agent ${a.agentId} has a credential for ${provider} again`,
        },
      });
    }
    for (const p of a.profiles) {
      const markAt = p.type === 'token' ? (p.token?.expiresAt ?? p.expiresAt) : null;
      const reminder = markAt !== null && markAt - now <= ctx.tokenReminderMs;
      const level = worst(p.attention, reminder ? 'soon' : 'none');
      if (level === 'none') continue;
      out.push({
        key: `profile:${a.agentId}/${p.profileId}`,
        level,
        draft: profileDraft(a.agentId, p, snapshot, level, reminder, now),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The policy

function clone(state: PolicyState): PolicyState {
  return structuredClone(state);
}

function subjectOfKey(noticeKey: string): string {
  return noticeKey.slice(0, noticeKey.lastIndexOf(':'));
}

function isMuted(state: PolicyState, key: string, now: number): boolean {
  return (state.pausedUntil !== null && state.pausedUntil > now) || (state.snoozes[key] ?? 0) > now;
}

function reconcile(state: PolicyState, ctx: PolicyContext): Notice[] {
  const now = ctx.now;
  const out: Notice[] = [];
  for (const [key, s] of Object.entries(state.subjects)) {
    if (s.level !== 'none') {
      if (s.announced === s.level || isMuted(state, key, now)) continue;
      const nkey = `${key}:${s.level}`;
      const last = state.lastNotified[nkey];
      s.announced = s.level;
      // Within the repeat window the same state stays quiet, but counts as announced.
      if (last !== undefined && now - last < ctx.repeatMs) continue;
      state.lastNotified[nkey] = now;
      out.push({
        key: nkey,
        subject: s.draft.subject,
        state: s.level,
        title: s.draft.title,
        body: s.draft.body,
        action: s.draft.action,
        at: now,
      });
      continue;
    }
    delete state.subjects[key];
    if (s.announced === null || s.announced === 'none') continue;
    // Healthy again before its bad notice even went out: say nothing at all.
    const waiting = state.pending.findIndex((n) => subjectOfKey(n.key) === key && n.state !== 'recovered');
    if (waiting !== -1) {
      const dropped = state.pending.splice(waiting, 1)[0] as Notice;
      delete state.lastNotified[dropped.key];
      continue;
    }
    if (isMuted(state, key, now)) continue;
    const nkey = `${key}:recovered`;
    const last = state.lastNotified[nkey];
    if (last !== undefined && now - last < ctx.repeatMs) continue;
    state.lastNotified[nkey] = now;
    out.push({
      key: nkey,
      subject: s.draft.subject,
      state: 'recovered',
      title: s.draft.recovered,
      body: 'Nothing to do.',
      action: 'none',
      at: now,
    });
  }
  return out;
}

/** One notice standing for several. */
export function summarise(items: readonly Notice[], now: number): Notice {
  const bad = items.filter((n) => n.state !== 'recovered');
  const good = items.length - bad.length;
  const state: Notice['state'] = bad.length === 0 ? 'recovered' : worst(...bad.map((n) => n.state as Attention));
  const title =
    bad.length === 0
      ? `${good} credentials are healthy again`
      : `${bad.length === 1 ? (bad[0] as Notice).title : `${bad.length} credentials need attention`}${good > 0 ? ` (${good} recovered)` : ''}`;
  const ordered = [
    ...bad.filter((n) => n.state === 'now'),
    ...bad.filter((n) => n.state === 'soon'),
    ...items.filter((n) => n.state === 'recovered'),
  ];
  const listed = ordered.slice(0, 3).map((n) => n.title);
  const body = `${listed.join('; ')}${ordered.length > 3 ? `; and ${ordered.length - 3} more` : ''}. Run authbar status for details.`;
  const actions = new Set(bad.map((n) => n.action));
  const action: NoticeAction =
    bad.length === 0 ? 'none' : actions.size === 1 ? (bad[0] as Notice).action : 'open-details';
  return {
    key: `summary:${state}`,
    subject: { agentId: null, profileId: null, provider: null },
    state,
    title,
    body,
    action,
    at: now,
    items: ordered,
  };
}

/** Queues new notices and releases what may go out now: one notice, or one summary. */
function release(state: PolicyState, fresh: Notice[], ctx: PolicyContext): Notice[] {
  const now = ctx.now;
  const freshSubjects = new Set(fresh.map((n) => subjectOfKey(n.key)));
  state.pending = [...state.pending.filter((n) => !freshSubjects.has(subjectOfKey(n.key))), ...fresh];
  if (state.pending.length === 0 || now < state.quietUntil) return [];
  const out = state.pending.length === 1 ? [...state.pending] : [summarise(state.pending, now)];
  state.pending = [];
  state.quietUntil = now + (ctx.coalesceMs ?? DEFAULT_COALESCE_MS);
  return out;
}

function prune(state: PolicyState, ctx: PolicyContext): void {
  for (const [k, until] of Object.entries(state.snoozes)) if (until <= ctx.now) delete state.snoozes[k];
  if (state.pausedUntil !== null && state.pausedUntil <= ctx.now) state.pausedUntil = null;
  for (const [k, at] of Object.entries(state.lastNotified))
    if (ctx.now - at >= ctx.repeatMs && !state.subjects[subjectOfKey(k)]) delete state.lastNotified[k];
}

function wakeAt(state: PolicyState, now: number): number | null {
  const times: number[] = [];
  if (state.pending.length > 0) times.push(Math.max(now, state.quietUntil));
  for (const [key, s] of Object.entries(state.subjects)) {
    if (s.level === 'none' || s.announced === s.level) continue;
    const snooze = state.snoozes[key];
    if (snooze !== undefined && snooze > now)
      times.push(state.pausedUntil !== null && state.pausedUntil > snooze ? state.pausedUntil : snooze);
    else if (state.pausedUntil !== null && state.pausedUntil > now) times.push(state.pausedUntil);
  }
  return times.length === 0 ? null : Math.min(...times);
}

/** A new snapshot: update every subject and decide what to notify. The input state is not modified. */
export function observe(prev: PolicyState, snapshot: Snapshot, ctx: PolicyContext): PolicyStep {
  const state = clone(prev);
  const seen = new Set<string>();
  for (const e of subjectsOf(snapshot, ctx)) {
    seen.add(e.key);
    const old = state.subjects[e.key];
    state.subjects[e.key] = { level: e.level, announced: old?.announced ?? null, draft: e.draft };
  }
  for (const [key, s] of Object.entries(state.subjects)) if (!seen.has(key)) s.level = 'none';
  return finish(state, reconcile(state, ctx), ctx);
}

/** Time passed (a snooze or pause ended, a coalescing window closed): decide again. */
export function tick(prev: PolicyState, ctx: PolicyContext): PolicyStep {
  const state = clone(prev);
  return finish(state, reconcile(state, ctx), ctx);
}

function finish(state: PolicyState, fresh: Notice[], ctx: PolicyContext): PolicyStep {
  const notices = release(state, fresh, ctx);
  prune(state, ctx);
  return { state, notices, wakeAt: wakeAt(state, ctx.now) };
}

/** Accepts a subject key (`profile:main/anthropic:default`) or a notice key (`…:now`). */
export function subjectKeyOf(key: string): string {
  return /:(none|soon|now|recovered)$/.test(key) ? subjectOfKey(key) : key;
}

/** Snoozes one subject until `until` (epoch ms). */
export function snooze(prev: PolicyState, key: string, until: number): PolicyState {
  const state = clone(prev);
  state.snoozes[subjectKeyOf(key)] = until;
  return state;
}

export function unsnooze(prev: PolicyState, key: string): PolicyState {
  const state = clone(prev);
  delete state.snoozes[subjectKeyOf(key)];
  return state;
}

/** Pauses every notice until `until` (epoch ms). */
export function pauseAll(prev: PolicyState, until: number): PolicyState {
  return { ...clone(prev), pausedUntil: until };
}

export function resumeAll(prev: PolicyState): PolicyState {
  return { ...clone(prev), pausedUntil: null };
}

/**
 * The two snooze lengths the app offers: one hour, and until the next local midnight.
 * `utcOffsetMinutes` is the local zone's offset east of UTC (`-new Date().getTimezoneOffset()`).
 */
export function snoozeChoices(now: number, utcOffsetMinutes: number): { hour: number; tomorrow: number } {
  const offset = utcOffsetMinutes * 60_000;
  const localMidnight = Math.floor((now + offset) / DAY) * DAY + DAY;
  return { hour: now + HOUR, tomorrow: localMidnight - offset };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
