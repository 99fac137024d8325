/**
 * When to ask the running gateway again (`models.authStatus`). There is no push event for auth
 * changes, so AuthBar polls, but only when something can have changed: at start, after a store
 * changed, around each credential's expiry, at each usage window's reset, every minute while the
 * menu or the window is open, with backoff while the gateway is down. Never sooner than a minute
 * after the last question: the gateway caches usage for 60 s, and asking again reads the cache.
 * Pure: the clock comes in.
 */
import type { LiveState, Snapshot } from '../../../common/snapshot.js';
import { DAY_MS, MINUTE_MS } from '../../../common/duration.js';

/** The gateway's usage cache: a question sooner than this after the last one reads the same answer. */
export const LIVE_POLL_FLOOR_MS = 60_000;
/** While the menu or the window is open. */
export const LIVE_POLL_OPEN_MS = 60_000;
/** Backoff while the gateway is down (or cannot be asked): 1 min, doubling, at most 15 min. */
export const LIVE_BACKOFF_FIRST_MS = 60_000;
export const LIVE_BACKOFF_MAX_MS = 15 * MINUTE_MS;
/** After the gateway refused AuthBar: again only after a store or config change, or this long. */
export const LIVE_REFUSED_RETRY_MS = 30 * MINUTE_MS;

export interface LivePollDeadlines {
  /** Credential expiries (epoch ms): asked at −24 h, −5 min and at the expiry itself. */
  expiries: readonly number[];
  /** Usage window resets (epoch ms): asked at the reset and a minute later. */
  resets: readonly number[];
}

export interface LivePollInput {
  now: number;
  /** When the last question ended (answered or failed); null: never asked. */
  lastPollAt: number | null;
  /** The state it ended in; null: never asked. */
  lastState: LiveState | null;
  /** True when the last answer was `connected` with reasonCode `loading` (catalog still loading). */
  loading?: boolean;
  /**
   * True when the last answer lacked usage for a provider that has windows (`awaitingUsage`): the
   * gateway fetches it in the background after that question, so the next one has it.
   */
  awaitingUsage?: boolean;
  /** Failed questions in a row (not-running, unavailable); 0 after an answer. */
  consecutiveFailures: number;
  /** The menu or the window is open. */
  uiOpen: boolean;
  /** The last change to a watched store or the gateway config seen after `lastPollAt`; null: none. */
  storesChangedAt: number | null;
  deadlines: LivePollDeadlines;
}

export interface LivePoll {
  /** Epoch ms, never before `now`. */
  at: number;
  reason: string;
}

const EXPIRY_OFFSETS: ReadonlyArray<[number, string]> = [
  [DAY_MS, 'a credential expires in 24 h'],
  [5 * MINUTE_MS, 'a credential expires in 5 min'],
  [0, 'a credential expires'],
];

/** The backoff after `failures` failed questions in a row: 1, 2, 4, 8, 15, 15… min. */
export function liveBackoffMs(failures: number): number {
  const n = Math.max(1, failures);
  return Math.min(LIVE_BACKOFF_FIRST_MS * 2 ** Math.min(n - 1, 10), LIVE_BACKOFF_MAX_MS);
}

/**
 * The next question to ask, or null when nothing calls for one (idle, the UI closed, no
 * deadline ahead, or the live view is off). The earliest due reason wins; a time inside the
 * minute after the last question moves to the end of that minute.
 */
export function nextLivePoll(input: LivePollInput): LivePoll | null {
  const { now, lastPollAt, lastState } = input;
  if (lastState === 'off') return null;
  if (lastPollAt === null) return { at: now, reason: 'start' };
  const floor = lastPollAt + LIVE_POLL_FLOOR_MS;
  const due: LivePoll[] = [];
  const add = (at: number, reason: string) => due.push({ at: Math.max(now, floor, at), reason });
  if (input.storesChangedAt !== null && input.storesChangedAt > lastPollAt)
    add(input.storesChangedAt, 'a store or the gateway config changed');

  if (lastState === 'refused') {
    // Asking again with the same credentials gets the same refusal: wait for a change, or long.
    add(lastPollAt + LIVE_REFUSED_RETRY_MS, 'retry after the gateway refused AuthBar');
  } else if (lastState === 'not-running' || lastState === 'unavailable') {
    add(
      lastPollAt + liveBackoffMs(input.consecutiveFailures),
      `retry (backoff after ${input.consecutiveFailures} failed)`,
    );
    // A refused loopback connection costs nothing: an open menu learns within a minute that it is back.
    if (input.uiOpen) add(lastPollAt + LIVE_POLL_OPEN_MS, 'the menu or window is open');
  } else {
    if (input.uiOpen) add(lastPollAt + LIVE_POLL_OPEN_MS, 'the menu or window is open');
    if (input.loading) add(floor, 'the gateway was still loading its model catalog');
    if (input.awaitingUsage) add(floor, 'usage was not fetched yet');
    for (const e of input.deadlines.expiries)
      for (const [before, reason] of EXPIRY_OFFSETS) if (e - before > lastPollAt) add(e - before, reason);
    for (const r of input.deadlines.resets) {
      // The first answer after a reset is the gateway's cache from before it; a minute later it is fresh.
      if (r > lastPollAt) add(r, 'a usage window resets');
      if (r + LIVE_POLL_FLOOR_MS > lastPollAt) add(r + LIVE_POLL_FLOOR_MS, 'fresh usage after a reset');
    }
  }
  if (due.length === 0) return null;
  return due.reduce((a, b) => (b.at < a.at ? b : a));
}

/**
 * The deadlines in a snapshot: expiries of the files' profiles (active agents) and of the live
 * view's providers and profiles, and the live view's usage resets. Sorted, without duplicates.
 */
export function livePollDeadlines(snapshot: Snapshot): LivePollDeadlines {
  const expiries = new Set<number>();
  const resets = new Set<number>();
  for (const a of snapshot.agents) {
    if (a.passive !== null) continue;
    for (const p of a.profiles) if (p.expiresAt !== null) expiries.add(p.expiresAt);
  }
  for (const p of snapshot.live?.providers ?? []) {
    if (p.expiresAt !== null) expiries.add(p.expiresAt);
    for (const x of p.profiles) if (x.expiresAt !== null) expiries.add(x.expiresAt);
    for (const w of p.usage) if (w.resetsAt !== null) resets.add(w.resetsAt);
  }
  const sorted = (s: Set<number>) => [...s].filter(Number.isFinite).sort((x, y) => x - y);
  return { expiries: sorted(expiries), resets: sorted(resets) };
}
