/**
 * The one escaper of control and invisible characters, for every front end (tray labels,
 * terminal and `--plain` output, the details window). Pure and import-free.
 */

/**
 * Characters that drive a terminal or cannot be seen: controls (C0, DEL, C1), format
 * characters (bidi marks and overrides, zero-width space/joiners, word joiner, soft hyphen,
 * U+180E, tag characters), line/paragraph separators, private-use, unassigned and lone
 * surrogate code points, Hangul fillers and variation selectors. Shown, one name can
 * impersonate another (`anthropic:claude-cli` + U+200B).
 */
// Combining and variation marks are listed on purpose: each is escaped on its own.
export const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control and invisible characters written as visible escapes: `\x1b`, `\n`, `\u202e`, `\u{e0041}`. */
export function escapeControls(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    const named = Object.hasOwn(NAMED, ch) ? NAMED[ch] : undefined;
    if (named !== undefined) return named;
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0xffff) return `\\u{${code.toString(16)}}`;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * JSON text in which every character INVISIBLE names (C1 controls, DEL, bidi marks, zero-width
 * characters, …) is a `\u` escape, which JSON.stringify leaves raw: the text parses back to the
 * same value, and shown on a terminal it cannot reorder or drive anything. Astral ones become
 * an escaped surrogate pair, as JSON spells them. Outside strings JSON has none of these but
 * the indentation's whitespace.
 */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent) ?? 'null';
  return text.replace(INVISIBLE, (ch) => {
    // C0 controls are JSON.stringify's own to escape; raw, they are the indentation's newlines.
    if (ch < ' ') return ch;
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
