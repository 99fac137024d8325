/**
 * Times read from files are numbers anyone may have written: `9007199254740991` meaning
 * "forever", `1e300`, negatives. `Date#toISOString` throws on anything beyond ±8.64e15 ms,
 * so every time that reaches a sentence goes through here. Pure.
 */

/** The largest epoch-ms value a JavaScript Date can hold (year 275760). */
export const MAX_TIME = 8.64e15;

/** A finite epoch-ms value a Date can represent. */
export function isRepresentableTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME;
}

/** ISO form of a time, or a phrase for one no Date can hold ("the far future"). */
export function isoTime(ms: number): string {
  if (isRepresentableTime(ms)) return new Date(ms).toISOString();
  if (ms > MAX_TIME) return 'the far future';
  if (ms < -MAX_TIME) return 'the far past';
  return 'an invalid time';
}

/** An until-field (disabledUntil, cooldownUntil) beyond any date means "until further notice". */
export function untilPhrase(ms: number): string {
  return isRepresentableTime(ms)
    ? `until ${new Date(ms).toISOString()}`
    : ms > MAX_TIME
      ? 'until further notice'
      : 'until an invalid time';
}
