/**
 * Setting top-level keys of a JSON object in its own text, so everything else in the file —
 * keys this version does not know, their values, spacing, order, comments-free formatting —
 * stays byte for byte (the promise the store writes keep too). Pure.
 */

/** Where one top-level member's value sits in the text: [start, end). */
interface Member {
  key: string;
  valueStart: number;
  valueEnd: number;
}

interface ObjectLayout {
  /** Offset of the object's closing brace. */
  close: number;
  members: Member[];
}

const WS = /[ \t\n\r]/;

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.test(text.charAt(i))) i++;
  return i;
}

/** End of the JSON string starting at `i` (the offset after its closing quote). */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charAt(j);
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** End of the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text.charAt(i);
  if (c === '"') return stringEnd(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charAt(j);
      if (d === '"') j = stringEnd(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError('unterminated value');
  }
  let j = i;
  while (j < text.length && /[^,}\] \t\n\r]/.test(text.charAt(j))) j++;
  if (j === i) throw new SyntaxError(`unexpected ${JSON.stringify(c)}`);
  return j;
}

/** The top-level members of a JSON object's text (the text must already parse as an object). */
function layout(text: string): ObjectLayout {
  let i = skipWs(text, 0);
  if (text.charAt(i) !== '{') throw new SyntaxError('not a JSON object');
  const members: Member[] = [];
  i = skipWs(text, i + 1);
  if (text.charAt(i) === '}') return { close: i, members };
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text.charAt(i) !== ':') throw new SyntaxError('expected :');
    const valueStart = skipWs(text, i + 1);
    const end = valueEnd(text, valueStart);
    members.push({ key, valueStart, valueEnd: end });
    i = skipWs(text, end);
    if (text.charAt(i) === '}') return { close: i, members };
    if (text.charAt(i) !== ',') throw new SyntaxError('expected , or }');
    i = skipWs(text, i + 1);
  }
}

/** The indentation of the first member (two spaces when the object is empty or on one line). */
function indentOf(text: string, l: ObjectLayout): string {
  const first = l.members[0];
  if (!first) return '  ';
  const lineStart = text.lastIndexOf('\n', first.valueStart) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart));
  return lineStart === 0 || !m ? '  ' : m[0];
}

/**
 * `text` with each key of `values` set: a key already there gets its value replaced in place
 * (the last occurrence, the one JSON.parse keeps), a new key is appended after the last
 * member. Everything else is left as it was. Throws a SyntaxError on text that is not an object.
 */
export function setJsonKeys(text: string, values: Readonly<Record<string, unknown>>): string {
  const l = layout(text);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const added: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const json = JSON.stringify(value);
    const existing = l.members.filter((m) => m.key === key).pop();
    if (existing) edits.push({ start: existing.valueStart, end: existing.valueEnd, text: json });
    else added.push(`${JSON.stringify(key)}: ${json}`);
  }
  if (added.length > 0) {
    const indent = indentOf(text, l);
    const last = l.members[l.members.length - 1];
    const multiline = last === undefined || text.slice(0, l.close).includes('\n');
    const sep = multiline ? `\n${indent}` : ' ';
    if (last) {
      edits.push({ start: last.valueEnd, end: last.valueEnd, text: added.map((a) => `,${sep}${a}`).join('') });
    } else {
      const open = text.lastIndexOf('{', l.close);
      edits.push({ start: open + 1, end: l.close, text: `${added.map((a) => `${sep}${a}`).join(',')}\n` });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
