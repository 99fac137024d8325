/** Durations in the few words a menu or a tray title has room for. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest whole unit: "3 d", "5 h", "12 m", "<1 m" (absolute value). */
export function roughDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * DAY) return `${Math.floor(abs / DAY)} d`;
  if (abs >= HOUR) return `${Math.floor(abs / HOUR)} h`;
  if (abs >= MINUTE) return `${Math.floor(abs / MINUTE)} m`;
  return '<1 m';
}

/** The tray title's form: "5d", "3h", "12m", "<1m". */
export function titleDuration(ms: number): string {
  return roughDuration(ms).replace(' ', '');
}

/** Whole days left, for sentences such as "setup token: 41 days left". */
export function daysLeft(ms: number): number {
  return Math.floor(ms / DAY);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
