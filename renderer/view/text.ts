/**
 * How the window says things: every file-derived string masked, escaped and capped; times in
 * the user's locale, durations in the shared short form (common/duration.ts). Pure, no DOM.
 */
import { formatDuration, MINUTE_MS } from '../../common/duration.js';
import { escapeControls } from '../../common/escape.js';
import { scrubSecrets } from '../../common/scrub.js';

export type Attention = 'none' | 'soon' | 'now';
export type Tone = 'ok' | 'soon' | 'now' | 'muted';

/** Data older than this is flagged as stale (still shown, with its age). */
export const STALE_AFTER_MS = 10 * MINUTE_MS;
/** Longest file-derived string shown; the rest is cut with an ellipsis. */
export const MAX_SHOWN = 400;

/** Replaces every credential-shaped substring with its masked form (`sk-ant-oat01-…Xy12`): the engine's rule. */
export function redactSecrets(text: string): string {
  return scrubSecrets(text);
}

/** How any file-derived string is shown: secrets masked, controls escaped, length capped. */
export function shown(text: string | null | undefined, max = MAX_SHOWN): string {
  if (text === null || text === undefined) return '';
  const safe = escapeControls(redactSecrets(text));
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** The shared short form ("3 d 4 h", "5 h 12 m", "<1 m"), sign ignored: callers say "in" or "ago". */
export function duration(ms: number): string {
  return formatDuration(ms, { signed: false });
}

/** "in 3 d 4 h" / "2 h ago" / "just now", relative to `now`. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < MINUTE_MS) return 'just now';
  return delta > 0 ? `in ${duration(delta)}` : `${duration(delta)} ago`;
}

export interface TimeFormat {
  locale?: string;
  timeZone?: string;
}

/** A time no Date can hold (a host's snapshot may say `1e300`): words, where Intl would throw. */
function beyondDates(at: number): string | null {
  if (Number.isFinite(at) && Math.abs(at) <= 8.64e15) return null;
  return at > 0 ? 'the far future' : at < 0 ? 'the far past' : 'an invalid time';
}

/** "Mar 17, 2026, 9:30 AM" in the user's locale (tests pin locale and zone). */
export function absoluteTime(at: number, fmt: TimeFormat = {}): string {
  const odd = beyondDates(at);
  if (odd !== null) return odd;
  return new Intl.DateTimeFormat(fmt.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: fmt.timeZone,
  }).format(at);
}

export function absoluteDate(at: number, fmt: TimeFormat): string {
  const odd = beyondDates(at);
  if (odd !== null) return odd;
  return new Intl.DateTimeFormat(fmt.locale, { dateStyle: 'medium', timeZone: fmt.timeZone }).format(at);
}

export function toneOf(attention: Attention): Tone {
  return attention === 'none' ? 'ok' : attention;
}

export interface Line {
  text: string;
  tone?: Tone;
  /** Secondary text shown after the main one (absolute times, hints). */
  detail?: string;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
