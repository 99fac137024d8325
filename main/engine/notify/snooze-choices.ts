/** When to offer a snooze until: in an hour, or the next local midnight. */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The two snooze lengths the app offers: one hour, and until the next local midnight.
 * `utcOffsetMinutes` is the local zone's offset east of UTC (`-new Date().getTimezoneOffset()`).
 */
export function snoozeChoices(now: number, utcOffsetMinutes: number): { hour: number; tomorrow: number } {
  const offset = utcOffsetMinutes * 60_000;
  const localMidnight = Math.floor((now + offset) / DAY) * DAY + DAY;
  return { hour: now + HOUR, tomorrow: localMidnight - offset };
}
