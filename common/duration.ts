/**
 * The one duration formatter. Every output spells units `d`, `h`, `m` ("3 d 4 h", "5 h 12 m",
 * "<1 m"), notifications included: `watch` prints a notice beside a status line, and the two
 * must read alike. Pure and import-free.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** `disabledUntil: 9007199254740991` means "forever": no count of days says that better. */
const FOREVER_MS = 100 * 365 * DAY_MS;

/**
 * Two units at most, to the nearest minute, a zero second unit left out: "3 d 4 h", "2 d",
 * "5 h 12 m", "42 m", "<1 m" (under a minute). A negative duration reads "… ago";
 * `signed: false` drops the sign instead. (Nearest, not down: a window redrawn two seconds
 * after "6 h" should not say "5 h 59 m".)
 */
export function formatDuration(ms: number, opts: { signed?: boolean } = {}): string {
  if (Number.isNaN(ms)) return 'an unknown time';
  const ago = ms < 0 && opts.signed !== false;
  const abs = Math.abs(ms);
  if (abs > FOREVER_MS) return ago ? 'more than 100 years ago' : 'more than 100 years';
  const m = abs < MINUTE_MS ? 0 : Math.round(abs / MINUTE_MS);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  let text: string;
  if (d >= 1) text = h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
  else if (h >= 1) text = m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} m`;
  else if (m >= 1) text = `${m} m`;
  else text = '<1 m';
  return ago ? `${text} ago` : text;
}

/** The largest whole unit, for a menu line: "3 d" (from two days), "47 h", "12 m", "<1 m" (sign ignored). */
export function roughDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * DAY_MS) return `${Math.floor(abs / DAY_MS)} d`;
  if (abs >= HOUR_MS) return `${Math.floor(abs / HOUR_MS)} h`;
  if (abs >= MINUTE_MS) return `${Math.floor(abs / MINUTE_MS)} m`;
  return '<1 m';
}

/** The tray title's form of `roughDuration`: "5d", "3h", "12m", "<1m". */
export function compactDuration(ms: number): string {
  return roughDuration(ms).replace(' ', '');
}

/** "1 day", "3 days". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
