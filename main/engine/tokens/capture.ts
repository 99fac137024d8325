/**
 * Finding a setup token in what `claude setup-token` printed to its terminal. Pure: the
 * pty plumbing lives in the CLI; this turns terminal output into text and finds the token.
 */
import { SETUP_TOKEN_MIN_BODY, SETUP_TOKEN_PREFIX } from '../../../common/rules.js';

/**
 * Terminal output as the lines a user would read: escape sequences removed (CSI, OSC such
 * as hyperlinks, charset switches), cursor moves to a column turned into spaces (Claude
 * Code's renderer positions words with `ESC[nG` instead of printing spaces), CR/LF kept.
 */
export function terminalText(raw: string): string {
  let out = '';
  let col = 0;
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as string;
    if (c === '\u001b') {
      const next = raw[i + 1];
      if (next === '[') {
        // CSI: parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
        let j = i + 2;
        while (j < raw.length && /[0-?]/.test(raw[j] as string)) j++;
        const params = raw.slice(i + 2, j);
        while (j < raw.length && /[ -/]/.test(raw[j] as string)) j++;
        const final = raw[j];
        if (final === 'G' || final === 'C') {
          const n = Math.max(1, Number.parseInt(params || '1', 10) || 1);
          const target = final === 'G' ? n - 1 : col + n;
          if (target > col) {
            out += ' '.repeat(target - col);
            col = target;
          }
        }
        i = j + 1;
        continue;
      }
      if (next === ']' || next === 'P' || next === '_' || next === '^') {
        // OSC / DCS / APC / PM: up to BEL or ST (ESC \).
        let j = i + 2;
        while (j < raw.length && raw[j] !== '\u0007' && !(raw[j] === '\u001b' && raw[j + 1] === '\\')) j++;
        i = raw[j] === '\u0007' ? j + 1 : j + 2;
        continue;
      }
      if (next === '(' || next === ')' || next === '#' || next === '%') {
        i += 3;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '\r' || c === '\n') {
      out += c;
      col = 0;
    } else if (c === '\t') {
      out += c;
      col += 8 - (col % 8);
    } else if (c >= ' ' && c !== '\u007f') {
      out += c;
      col++;
    }
    i++;
  }
  return out;
}

const TOKEN_CHAR = /[A-Za-z0-9_-]/;

/**
 * The setup token in terminal output, or null. The terminal AuthBar gives `claude` is very
 * wide, so the token should sit on one line; should it be wrapped anyway, a line break
 * inside it is bridged when the line it broke on was full (`columns` wide), or when the next
 * line holds nothing but token characters and either the token is still too short or the
 * line looks like token text — never across a blank line or into prose.
 * The last token printed wins (a redraw repeats it).
 */
export function findSetupToken(raw: string, columns: number): string | null {
  const text = terminalText(raw);
  // Terminals end lines with CR CR LF (onlcr after a CR LF): one break, not two.
  const lines = text.split(/\r*\n|\r/);
  let found: string | null = null;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as string;
    let from = 0;
    for (;;) {
      const at = line.indexOf(SETUP_TOKEN_PREFIX, from);
      if (at === -1) break;
      let end = at + SETUP_TOKEN_PREFIX.length;
      while (end < line.length && TOKEN_CHAR.test(line[end] as string)) end++;
      let token = line.slice(at, end);
      let lineLen = line.length;
      let tail = end === line.length;
      let k = li + 1;
      while (tail && k < lines.length) {
        const nextLine = lines[k] as string;
        const trimmed = nextLine.trim();
        const lead = /^[A-Za-z0-9_-]+/.exec(nextLine.trimStart())?.[0] ?? '';
        const lineWasFull = lineLen >= columns;
        // A line of nothing but token characters continues the token when what we have is
        // too short to be one, or when it looks like token text (a digit, _ or -) rather
        // than a word of prose such as "Store".
        const incomplete = token.length - SETUP_TOKEN_PREFIX.length < SETUP_TOKEN_MIN_BODY;
        const wholeLine = trimmed !== '' && /^[A-Za-z0-9_-]+$/.test(trimmed) && (incomplete || /[0-9_-]/.test(trimmed));
        if (lead === '' || !(lineWasFull || wholeLine)) break;
        token += lead;
        lineLen = nextLine.length;
        tail = nextLine.trimEnd().endsWith(lead) && lead === trimmed;
        k++;
      }
      if (token.length - SETUP_TOKEN_PREFIX.length >= SETUP_TOKEN_MIN_BODY) found = token;
      from = end;
    }
  }
  return found;
}
