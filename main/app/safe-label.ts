/**
 * Text from files (profile ids, emails, reasons, paths) shown in the tray menu, tooltips and
 * notifications. Menus render it verbatim, so it goes through the engine's scrubber
 * (`forTerminal`: the one masking rule, plus control characters written as visible escapes,
 * so a bidi override cannot disguise an item). Line breaks and tabs become spaces first: a
 * label is one line, and `\n` spelled out would only be noise there.
 */
import { forTerminal } from '../engine/secrets/scrub.js';

const LINE_BREAKS = /[\t\n\r\v\f\u2028\u2029]+/g;

export const MAX_LABEL = 120;

export function safeLabel(text: string, max = MAX_LABEL): string {
  const clean = forTerminal(text.replace(LINE_BREAKS, ' ')).replace(/ +/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * A menu label on Windows and Linux, where `&` marks an accelerator: doubled, so text from a
 * file shows as it is. (The menu model has already made its labels safe.)
 */
export function menuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}
