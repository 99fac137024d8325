/**
 * A JSON parser and printer for rewriting files AuthBar does not own, so that what it does
 * not change survives exactly. `JSON.parse` loses two things on a round trip: numbers whose
 * text is not what `JSON.stringify` prints back (big integers, `1e309`, `-0`, `1.0`), and
 * `__proto__` keys once the value is copied by assignment. Here a number is kept as its
 * source text whenever printing it back would change it, and every key is created as an
 * own data property. Nesting is capped: a file nested deeper than any store could be is
 * damage, and refusing it is better than overflowing the stack.
 */

/** A JSON number kept as written, because printing the parsed double would change it. */
export class RawNumber {
  constructor(readonly raw: string) {}
  /** The nearest double, for code that has to judge the value (e.g. an expiry). */
  valueOf(): number {
    return Number(this.raw);
  }
}

export const MAX_JSON_DEPTH = 256;

export class JsonTooDeepError extends Error {
  constructor() {
    super(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/** Defines `key` on `obj` as an own property, even `__proto__` (assignment would set the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export interface LosslessOptions {
  /**
   * Called for a key an object already has, with the keys leading to it (the key last). The
   * later value wins, as in `JSON.parse`; a rewrite would drop the earlier one unseen.
   */
  onDuplicateKey?: (path: readonly string[]) => void;
}

/** Parses strict JSON (what `JSON.parse` accepts); throws SyntaxError or JsonTooDeepError. */
export function parseLossless(text: string, opts: LosslessOptions = {}): unknown {
  let i = 0;
  const keys: string[] = [];
  const fail = (): never => {
    throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
  };
  const ws = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail();
      if (c === 0x22) break;
      i += c === 0x5c ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        keys.push(key);
        if (Object.hasOwn(obj, key)) opts.onDuplicateKey?.(keys);
        setOwn(obj, key, value(depth + 1));
        keys.pop();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail();
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail();
    i = NUMBER.lastIndex;
    const n = Number(m[0]);
    return String(n) === m[0] ? n : new RawNumber(m[0]);
  };
  const out = value(0);
  ws();
  if (i !== text.length) fail();
  return out;
}

/** Prints like `JSON.stringify(value, null, indent)`, with each RawNumber as its source text. */
export function stringifyLossless(value: unknown, indent = 2): string {
  const pad = ' '.repeat(indent);
  const out = (v: unknown, at: string): string | undefined => {
    if (v instanceof RawNumber) return v.raw;
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'number':
        return Number.isFinite(v) ? JSON.stringify(v) : 'null';
      case 'object':
        break;
      default:
        return undefined; // undefined, functions, symbols: skipped, as JSON.stringify does
    }
    const inner = at + pad;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => inner + (out(x, inner) ?? 'null')).join(',\n')}\n${at}]`;
    }
    const parts: string[] = [];
    for (const k of Object.keys(v as object)) {
      const s = out((v as Record<string, unknown>)[k], inner);
      if (s !== undefined) parts.push(`${inner}${JSON.stringify(k)}: ${s}`);
    }
    return parts.length === 0 ? '{}' : `{\n${parts.join(',\n')}\n${at}}`;
  };
  return out(value, '') ?? 'null';
}

/**
 * True when `text` nests brackets deeper than `max` (strings skipped). A cheap scan run
 * before `JSON.parse`, whose result would otherwise overflow the stack of whatever walks it.
 */
export function nestedDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= max) return false; // too short to open that many brackets
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
