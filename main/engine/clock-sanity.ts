/**
 * Is the system clock plausible? Every expiry AuthBar judges is `expires - now`: a clock
 * set in the past makes dead credentials look healthy. The files AuthBar reads carry
 * modification times written by this same machine, so a clock well before the newest of
 * them has gone backwards. Pure.
 */
import { isoTime } from './time.js';

/** Anything before this is a machine whose clock was never set. */
export const CLOCK_FLOOR = Date.UTC(2025, 0, 1);
/** File times may run a little ahead (network file systems, another host's clock). */
export const CLOCK_TOLERANCE_MS = 10 * 60_000;
// No rule for a clock far *after* the newest file: a store nobody rewrites (API keys only)
// legitimately stays years old, and a permanent warning would be wrong advice.

export interface NewestFile {
  path: string;
  mtimeMs: number;
}

/** One sentence when the clock is obviously wrong, else null. */
export function clockProblem(now: number, newest: NewestFile | null): string | null {
  const fix = 'set the clock (e.g. `sudo timedatectl set-ntp true`); until then no expiry can be trusted';
  if (!Number.isFinite(now) || now < CLOCK_FLOOR) {
    return `The system clock reads ${isoTime(now)}, which is before ${isoTime(CLOCK_FLOOR)} and cannot be right: ${fix}.`;
  }
  if (newest === null || !Number.isFinite(newest.mtimeMs)) return null;
  if (now + CLOCK_TOLERANCE_MS < newest.mtimeMs) {
    return `The system clock reads ${isoTime(now)}, which is before ${newest.path} was last modified (${isoTime(newest.mtimeMs)}): ${fix}.`;
  }
  return null;
}

/** The newest of some files' modification times. */
export function newestOf(files: ReadonlyArray<NewestFile | null | undefined>): NewestFile | null {
  let best: NewestFile | null = null;
  for (const f of files) if (f && Number.isFinite(f.mtimeMs) && (best === null || f.mtimeMs > best.mtimeMs)) best = f;
  return best;
}
