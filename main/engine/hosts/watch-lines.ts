/**
 * What a remote `authbar watch --json` sends, one JSON object per line, parsed as untrusted:
 * a line is capped in size, parsed with zod, and a line that fails is dropped (its caller says
 * so once). The `hello` line comes first and carries the protocol version.
 */
import * as z from 'zod/mini';
import { Snapshot } from '../../../common/snapshot.js';

/** A snapshot of a large home is tens of kB; a line past this is not one AuthBar sends. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const text = (max: number) => z.string().check(z.maxLength(max));

export const HelloLine = z.object({
  type: z.literal('hello'),
  at: z.number(),
  authbar: text(64),
  protocol: z.number(),
});
export type HelloLine = z.infer<typeof HelloLine>;

export const RemoteLine = z.discriminatedUnion('type', [
  HelloLine,
  z.object({
    type: z.literal('started'),
    at: z.number(),
    watching: z.array(text(4096)).check(z.maxLength(10_000)),
    gateway: text(64),
    pid: z.number(),
  }),
  z.object({
    type: z.literal('snapshot'),
    at: z.number(),
    trigger: text(64),
    paths: z.array(text(4096)).check(z.maxLength(10_000)),
    wrote: z.array(text(4096)).check(z.maxLength(10_000)),
    snapshot: Snapshot,
  }),
  z.object({ type: z.literal('error'), at: z.number(), message: text(2000) }),
  z.object({ type: z.literal('stopped'), at: z.number(), reason: text(2000) }),
]);
export type RemoteLine = z.infer<typeof RemoteLine>;

/** A line kind this AuthBar does not know (a newer host): skipped quietly, not a problem. */
const Typed = z.object({ type: z.string() });
const KNOWN = new Set(['hello', 'started', 'snapshot', 'error', 'stopped']);

export type ParsedLine = { kind: 'line'; line: RemoteLine } | { kind: 'skip' } | { kind: 'bad'; why: string };

export function parseRemoteLine(raw: string): ParsedLine {
  if (raw.trim() === '') return { kind: 'skip' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: 'bad', why: 'a line that is not JSON' };
  }
  const typed = Typed.safeParse(value);
  if (!typed.success) return { kind: 'bad', why: 'a line without a type' };
  if (!KNOWN.has(typed.data.type)) return { kind: 'skip' };
  const parsed = RemoteLine.safeParse(value);
  return parsed.success
    ? { kind: 'line', line: parsed.data }
    : { kind: 'bad', why: `a "${typed.data.type.slice(0, 20)}" line of an unexpected shape` };
}

/**
 * Splits a byte stream into lines, never holding more than `max` bytes: a longer line is cut
 * off and reported (`onTooLong`) instead of being buffered without end.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
    private readonly max = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      if (!this.skipping) {
        if (this.size + piece.length > this.max) {
          this.skipping = true;
          this.parts = [];
          this.size = 0;
          this.onTooLong();
        } else if (piece.length > 0) {
          this.parts.push(piece);
          this.size += piece.length;
        }
      }
      if (nl === -1) return;
      if (!this.skipping) this.onLine(Buffer.concat(this.parts).toString('utf8'));
      this.parts = [];
      this.size = 0;
      this.skipping = false;
      start = nl + 1;
    }
  }
}
