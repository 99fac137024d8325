/**
 * Text from files (profile ids, emails, reasons, paths) shown in the tray menu, tooltips and
 * notifications. Menus render it verbatim, so strip control characters (a newline would split
 * a menu item, a bidi override would disguise it) and mask anything that looks like a secret.
 * TODO(merge): use the engine's scrubber from the hardening work when it lands; this is the
 * small local version.
 */
// Controls, bidi, zero-width, soft hyphen, tags and fillers: the engine's class (scrub.ts INVISIBLE).
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
// sk-ant-oat01-…, sk-proj-…, sk-…: keep the kind, show only the last four characters.
const SK_KEY = /\b(sk-(?:[a-z]+\d*-){0,2})[A-Za-z0-9_-]{12,}([A-Za-z0-9_-]{4})\b/g;
// A JWT: three base64url runs, the first starting with eyJ.
const JWT = /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{4,}/g;
// Any other long unbroken run of token characters (refresh tokens like rt_…, hex secrets).
const LONG_RUN = /[A-Za-z0-9_-]{40,}/g;

export const MAX_LABEL = 120;

export function safeLabel(text: string, max = MAX_LABEL): string {
  const clean = text
    .replace(CONTROL, ' ')
    .replace(SK_KEY, (_m, kind: string, tail: string) => `${kind}…${tail}`)
    .replace(JWT, 'eyJ…(token)')
    .replace(LONG_RUN, (run) => `${run.slice(0, 4)}…${run.slice(-4)}`)
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Electron menu labels treat `&` as an accelerator marker on Windows/Linux: double it. */
export function menuLabel(text: string): string {
  return safeLabel(text).replace(/&/g, '&&');
}
