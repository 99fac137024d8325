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
 * The running gateway's subjects (live-subjects.ts) add two things: a stage within a level
 * (a usage window at 80 %, then 95 %: each announced once), and an end (its reset) after which
 * the subject starts afresh. A snapshot without a live answer leaves them as they were.
 *
 * Notices are built from ids, providers, durations and the engine's error sentences, which
 * never carry a secret.
 */
import * as z from 'zod/mini';
import type { Attention } from '../health.js';
import type { Notice, NoticeAction } from './notices.js';
import type { Snapshot } from '../../../common/snapshot.js';
import { ActionSchema, Draft, LevelSchema, SubjectRef, subjectsOf, type SubjectEval } from './subjects.js';
import { liveUndecided } from './live-subjects.js';

export { subjectsOf, type SubjectEval };
import { summarise } from './summary.js';
export { summarise };
export { snoozeChoices } from './snooze-choices.js';

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

const SubjectState = z.object({
  level: LevelSchema,
  /** The level last announced (or deliberately passed over as a repeat); null: never. */
  announced: z.nullable(LevelSchema),
  draft: Draft,
  /** The stage within the level (SubjectEval.stage), and the one last announced. */
  stage: z.optional(z.number()),
  announcedStage: z.optional(z.number()),
  /** When the condition ends by itself (SubjectEval.endsAt). */
  endsAt: z.optional(z.nullable(z.number())),
});
type SubjectState = z.infer<typeof SubjectState>;

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
  /** The local zone's offset east of UTC in minutes, for times of day in notices; absent: UTC. */
  utcOffsetMinutes?: number;
}

export interface PolicyStep {
  state: PolicyState;
  /** Deliver these, in order. */
  notices: Notice[];
  /** Call `tick` at this instant (epoch ms), or never when null. */
  wakeAt: number | null;
}

const DEFAULT_COALESCE_MS = 10_000;

function clone(state: PolicyState): PolicyState {
  return structuredClone(state);
}

function subjectOfKey(noticeKey: string): string {
  return noticeKey.slice(0, noticeKey.lastIndexOf(':'));
}

function isMuted(state: PolicyState, key: string, now: number): boolean {
  return (state.pausedUntil !== null && state.pausedUntil > now) || (state.snoozes[key] ?? 0) > now;
}

/** A bad level not yet announced, or a higher stage of it. */
function unannounced(s: SubjectState): boolean {
  return s.announced !== s.level || (s.stage ?? 0) > (s.announcedStage ?? 0);
}

/** The notice key of a subject's state: `<subject>:<level>`, with its stage as `-<stage>`. */
function noticeKey(key: string, s: SubjectState): string {
  return `${key}:${s.level}${s.stage === undefined ? '' : `-${s.stage}`}`;
}

const ended = (s: SubjectState, now: number) => s.endsAt !== undefined && s.endsAt !== null && s.endsAt <= now;

/** A new period: what was said about the old one does not hold back the new one. */
function forget(state: PolicyState, key: string): void {
  for (const k of Object.keys(state.lastNotified)) if (subjectOfKey(k) === key) delete state.lastNotified[k];
}

function reconcile(state: PolicyState, ctx: PolicyContext): Notice[] {
  const now = ctx.now;
  const out: Notice[] = [];
  for (const [key, s] of Object.entries(state.subjects)) {
    if (s.level !== 'none') {
      if (!unannounced(s)) {
        // A lower stage of the same level (95 % back to 85 %): taken quietly, so a rise is news again.
        if (s.stage !== undefined) s.announcedStage = s.stage;
        continue;
      }
      if (isMuted(state, key, now)) continue;
      const nkey = noticeKey(key, s);
      const last = state.lastNotified[nkey];
      s.announced = s.level;
      if (s.stage !== undefined) s.announcedStage = s.stage;
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
    const periodEnded = ended(s, now);
    if (periodEnded) forget(state, key);
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
    if (!periodEnded && last !== undefined && now - last < ctx.repeatMs) continue;
    state.lastNotified[nkey] = now;
    out.push({
      key: nkey,
      subject: s.draft.subject,
      state: 'recovered',
      title: periodEnded ? (s.draft.ended ?? s.draft.recovered) : s.draft.recovered,
      body: 'Nothing to do.',
      action: 'none',
      at: now,
    });
  }
  return out;
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
    // A usage window resets at a known time: its notice needs no snapshot to go out.
    if (s.level !== 'none' && typeof s.endsAt === 'number' && s.endsAt > now) times.push(s.endsAt);
    if (s.level === 'none' || !unannounced(s)) continue;
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
    const next: SubjectState = { level: e.level, announced: old?.announced ?? null, draft: e.draft };
    if (old?.announcedStage !== undefined) next.announcedStage = old.announcedStage;
    // Its old period ended and a new one is already bad (a poll missed the reset): news again.
    if (old !== undefined && ended(old, ctx.now) && typeof e.endsAt === 'number' && e.endsAt !== old.endsAt) {
      forget(state, e.key);
      next.announced = null;
      delete next.announcedStage;
    }
    if (e.stage !== undefined) next.stage = e.stage;
    if (e.endsAt !== undefined) next.endsAt = e.endsAt;
    state.subjects[e.key] = next;
  }
  for (const [key, s] of Object.entries(state.subjects)) {
    if (seen.has(key)) continue;
    // A live subject this snapshot cannot speak to (no answer) holds until its own end.
    if (!ended(s, ctx.now) && liveUndecided(snapshot, key, s.draft.subject.provider)) continue;
    s.level = 'none';
  }
  return finish(state, reconcile(state, ctx), ctx);
}

/** Time passed (a snooze or pause ended, a coalescing window closed, a window reset): decide again. */
export function tick(prev: PolicyState, ctx: PolicyContext): PolicyStep {
  const state = clone(prev);
  for (const s of Object.values(state.subjects)) if (ended(s, ctx.now)) s.level = 'none';
  return finish(state, reconcile(state, ctx), ctx);
}

function finish(state: PolicyState, fresh: Notice[], ctx: PolicyContext): PolicyStep {
  const notices = release(state, fresh, ctx);
  prune(state, ctx);
  return { state, notices, wakeAt: wakeAt(state, ctx.now) };
}

/** Accepts a subject key (`profile:main/anthropic:default`) or a notice key (`…:now`). */
export function subjectKeyOf(key: string): string {
  return /:(none|soon|now|recovered)(-\d+)?$/.test(key) ? subjectOfKey(key) : key;
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
