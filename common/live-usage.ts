/**
 * The words every front end (CLI, tray menu, window) uses for the running gateway's live view:
 * a usage window's label, percentage and reset time, and a state that is not "connected".
 * Pure; callers escape gateway-supplied text (it comes from a network peer) their own way.
 */
import type { LiveProviderView, LiveUsageWindowView, LiveView } from './snapshot.js';

/** Time zone and locale for clock times; tests pin them, the app and CLI use the system's. */
export interface ClockFormat {
  timeZone?: string;
}

/** A window is "near its limit" from here (the notices fire at 80 % and 95 % too). */
export const USAGE_WARN_PERCENT = 80;
export const USAGE_CRITICAL_PERCENT = 95;

/** `5h` → `5 h`, `7d` → `7 d` (the shared duration spelling); any other label as it is. */
export function windowLabel(label: string): string {
  const m = /^(\d+)\s*([mhd])$/i.exec(label.trim());
  return m ? `${m[1]} ${(m[2] as string).toLowerCase()}` : label.trim();
}

/** Why a provider that has usage windows shows none yet: the gateway fetches them in the background. */
export const USAGE_PENDING_NOTE =
  'No usage reported yet: the gateway fetches it in the background after the first question (cached 60 s).';
/** Why it shows none although the gateway did fetch: the usage endpoint failed or returned nothing. */
export const USAGE_EMPTY_NOTE =
  'The gateway reports no usage windows: its last fetch from the provider failed or returned none (it fetches again when next asked after 60 s).';

/** True when the last answer came before the gateway had fetched usage: worth asking again a minute later. */
export function awaitingUsage(view: LiveView | null | undefined): boolean {
  return view?.state === 'connected' && view.providers.some((p) => p.usageNote === USAGE_PENDING_NOTE);
}

/** A notice's name for a window, with the same label the CLI, menu and window show: `Claude 5 h window`, `Claude Week window`, `Claude extra usage`. */
export function usageWindowName(displayName: string, label: string): string {
  const l = windowLabel(label);
  if (/^extra usage$/i.test(l)) return `${displayName} extra usage`;
  // A model limit is often named after the product already: `Claude Sonnet 4.5`.
  return l.toLowerCase().startsWith(`${displayName.toLowerCase()} `) ? `${l} window` : `${displayName} ${l} window`;
}

/** The provider's display name (`Claude`), else its id. */
export function providerName(p: Pick<LiveProviderView, 'provider' | 'displayName'>): string {
  return p.displayName?.trim() || p.provider;
}

/** 0–100 for a bar; NaN and negatives are 0, over-limit is 100. */
export function usageFraction(usedPercent: number): number {
  return Number.isFinite(usedPercent) ? Math.min(100, Math.max(0, usedPercent)) : 0;
}

/**
 * `42 %`, or `used up` at 100 % and over. Rounded, but never up to `100 %` for a window that
 * still has room: that would read as used up.
 */
export function percentText(usedPercent: number): string {
  if (usedPercent >= 100) return 'used up';
  return `${Math.min(99, Math.round(usageFraction(usedPercent)))} %`;
}

export type UsageLevel = 'ok' | 'warn' | 'critical';

export function usageLevel(usedPercent: number): UsageLevel {
  return usedPercent >= USAGE_CRITICAL_PERCENT ? 'critical' : usedPercent >= USAGE_WARN_PERCENT ? 'warn' : 'ok';
}

interface DayParts {
  day: string;
  weekday: string;
  month: string;
  date: string;
  hm: string;
}

function parts(at: number, fmt: ClockFormat): DayParts {
  const get = new Intl.DateTimeFormat('en-US', {
    timeZone: fmt.timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => get.find((p) => p.type === type)?.value ?? '';
  return {
    day: `${part('year')}-${part('month')}-${part('day')}`,
    weekday: part('weekday'),
    month: part('month'),
    date: part('day'),
    hm: `${part('hour')}:${part('minute')}`,
  };
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * A clock time as short as it can be and still be unambiguous from `now`: `14:30` the same
 * day, `Fri 14:30` within a week (either way), `Mar 21` beyond.
 */
export function clockText(at: number, now: number, fmt: ClockFormat = {}): string {
  // Not a date (a gateway's number beyond the calendar): said as unknown, never thrown.
  if (!Number.isFinite(at) || Math.abs(at) > 8.64e15) return '?';
  const a = parts(at, fmt);
  if (a.day === parts(now, fmt).day) return a.hm;
  if (Math.abs(at - now) < WEEK_MS) return `${a.weekday} ${a.hm}`;
  return `${a.month} ${a.date}`;
}

/** `resets 14:30`, `resets Fri 09:00`, `resets Mar 21`; `resets now` once the time has passed; null when unknown. */
export function resetText(resetsAt: number | null, now: number, fmt: ClockFormat = {}): string | null {
  if (resetsAt === null || !Number.isFinite(resetsAt) || Math.abs(resetsAt) > 8.64e15) return null;
  return resetsAt <= now ? 'resets now' : `resets ${clockText(resetsAt, now, fmt)}`;
}

/** `42 % · resets 14:30` (the menu's and the notices' form). */
export function usagePhrase(w: LiveUsageWindowView, now: number, fmt: ClockFormat = {}): string {
  const reset = resetText(w.resetsAt, now, fmt);
  return reset ? `${percentText(w.usedPercent)} · ${reset}` : percentText(w.usedPercent);
}

/** What `liveProblem` says: a headline, the gateway's sentence on it, and what to do. */
export interface LiveProblem {
  level: 'info' | 'warn' | 'error';
  headline: string;
  message: string | null;
  fix: string | null;
}

/**
 * A live state that is not a plain answer: `not-running`, `refused`, `unavailable`, and
 * `connected` with a reason (the catalog still loading). Null for a plain answer and for `off`
 * (the user's choice, or not OpenClaw: nothing to report).
 */
export function liveProblem(live: LiveView): LiveProblem | null {
  const { message, fix } = live;
  switch (live.state) {
    case 'not-running':
      return { level: 'warn', headline: 'Gateway not running', message, fix };
    case 'refused':
      return { level: 'error', headline: 'Gateway refused AuthBar', message, fix };
    case 'unavailable':
      // This Node cannot ask at all (Node 20): worth knowing, nothing is wrong with the gateway.
      return {
        level: live.reasonCode === 'no-websocket' ? 'info' : 'warn',
        headline: 'Gateway status unavailable',
        message,
        fix,
      };
    case 'connected':
      if (live.reasonCode === null && message === null) return null;
      return {
        level: 'info',
        headline: live.reasonCode === 'loading' ? 'Gateway still loading its models' : 'Gateway answered',
        message,
        fix,
      };
    case 'off':
      return null;
  }
}
