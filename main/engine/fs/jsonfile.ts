import { closeSync, constants as fsc, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AuthBarError, isNodeError } from '../errors.js';
import { MAX_JSON_DEPTH, JsonTooDeepError, nestedDeeperThan } from './lossless-json.js';
import { shellQuote } from '../../../common/shell.js';

/** What reading a JSON file found. Errors name the file and carry no file contents. */
export type JsonRead =
  | { kind: 'missing'; path: string }
  | { kind: 'ok'; path: string; value: unknown; text: string; mtimeMs: number; mode: number }
  | { kind: 'error'; path: string; error: AuthBarError };

export const MiB = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How a file is named in messages, and what its owner should do when it is damaged. */
export interface FileKind {
  /** "Clawdbot auth store", "Claude Code credentials file", … */
  label: string;
  /** The clause after the colon when it does not parse: what fixes it. */
  remedy: string;
  maxBytes: number;
}

/**
 * Reads and parses a JSON file without ever throwing. `maxBytes` guards against a runaway
 * file. The file is opened with O_NONBLOCK, so a FIFO where a file belongs is reported
 * instead of blocking forever. The I/O is synchronous on purpose: these files are a few
 * KiB, and a sync of 1,000 agents spends more on thread-pool round trips than on reading.
 */
export async function readJsonFile(
  path: string,
  kind: FileKind,
  parse: (text: string) => unknown = JSON.parse,
): Promise<JsonRead> {
  const { label, remedy, maxBytes } = kind;
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK);
  } catch (err) {
    if (isNodeError(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return { kind: 'missing', path };
    return { kind: 'error', path, error: openError(err, path, label) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      return {
        kind: 'error',
        path,
        error: new AuthBarError(
          'not-a-file',
          `The ${label} ${path} is a directory, not a file: move it aside so a file can take its place.`,
          path,
        ),
      };
    }
    if (!st.isFile()) {
      return {
        kind: 'error',
        path,
        error: new AuthBarError(
          'not-a-file',
          `The ${label} ${path} is not a regular file: replace it with the JSON file it should be.`,
          path,
        ),
      };
    }
    if (st.size > maxBytes) {
      return {
        kind: 'error',
        path,
        error: new AuthBarError(
          'too-large',
          `The ${label} ${path} is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} AuthBar reads: it cannot be a credential file; check what wrote it.`,
          path,
        ),
      };
    }
    const bytes = readFileSync(fd);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return {
        kind: 'error',
        path,
        error: new AuthBarError('unparsable', `The ${label} ${path} is not valid UTF-8 text: ${remedy}.`, path),
      };
    }
    if (text.trim() === '') {
      return {
        kind: 'error',
        path,
        error: new AuthBarError('unparsable', `The ${label} ${path} is empty: ${remedy}.`, path),
      };
    }
    const tooDeep = () => ({
      kind: 'error' as const,
      path,
      error: new AuthBarError(
        'unparsable',
        `Cannot parse the ${label} ${path}: it is too deeply nested (more than ${MAX_JSON_DEPTH} levels), so it cannot be a credential file: ${remedy}.`,
        path,
      ),
    });
    // Checked before parsing: JSON.parse accepts any depth, and whatever walks the result
    // afterwards (validation, printing) would overflow the stack.
    if (nestedDeeperThan(text)) return tooDeep();
    let value: unknown;
    try {
      value = parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      if (err instanceof JsonTooDeepError) return tooDeep();
      return {
        kind: 'error',
        path,
        error: new AuthBarError(
          'unparsable',
          `The ${label} ${path} is not valid JSON (${await whereJsonBroke(err, text)}): ${remedy}.`,
          path,
        ),
      };
    }
    return { kind: 'ok', path, value, text, mtimeMs: st.mtimeMs, mode: st.mode & 0o777 };
  } catch (err) {
    return { kind: 'error', path, error: openError(err, path, label) };
  } finally {
    closeSync(fd);
  }
}

function openError(err: unknown, path: string, label: string): AuthBarError {
  if (isNodeError(err)) {
    if (err.code === 'EACCES' || err.code === 'EPERM') {
      return new AuthBarError(
        'unreadable',
        `The ${label} ${path} cannot be read (permission denied): ${accessRemedy(path)}.`,
        path,
        { denied: true },
      );
    }
    if (err.code === 'EISDIR') {
      return new AuthBarError(
        'not-a-file',
        `The ${label} ${path} is a directory, not a file: move it aside so a file can take its place.`,
        path,
      );
    }
    if (err.code === 'ELOOP') {
      return new AuthBarError('unreadable', `The ${label} ${path} is a symlink loop: point it at a real file.`, path);
    }
    return new AuthBarError(
      'unreadable',
      `The ${label} ${path} cannot be read (${err.code}): check the file and its directory.`,
      path,
    );
  }
  return new AuthBarError('unreadable', `The ${label} ${path} cannot be read: check the file and its directory.`, path);
}

/**
 * Where a JSON parse failed, as line and column. V8's own message quotes the text around
 * the error, which could be a token, so it is never shown; JSON5's parser, loaded only on
 * this error path, reports the position as numbers.
 */
async function whereJsonBroke(err: unknown, text: string): Promise<string> {
  const message = err instanceof Error ? err.message : '';
  if (/end of (JSON )?input|Unterminated string/i.test(message)) return 'it ends too early, perhaps truncated';
  const direct = err as { lineNumber?: unknown; columnNumber?: unknown };
  if (typeof direct.lineNumber === 'number' && typeof direct.columnNumber === 'number') {
    return `at line ${direct.lineNumber}, column ${direct.columnNumber}`;
  }
  try {
    const JSON5 = (await import('json5')).default;
    JSON5.parse(text);
  } catch (err5) {
    const e = err5 as { lineNumber?: unknown; columnNumber?: unknown; message?: unknown };
    if (typeof e.message === 'string' && /end of input/i.test(e.message)) return 'it ends too early, perhaps truncated';
    if (typeof e.lineNumber === 'number' && typeof e.columnNumber === 'number') {
      return `at line ${e.lineNumber}, column ${e.columnNumber}`;
    }
  }
  return 'it does not parse as strict JSON';
}

export function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * How to get read access: `chmod` works only for the file's owner; a file another user owns
 * needs that user (or root) to hand it over.
 */
export function accessRemedy(path: string): string {
  const me = typeof process.getuid === 'function' ? process.getuid() : undefined;
  let owner: number | undefined;
  try {
    owner = statSync(path).uid;
  } catch {
    owner = undefined;
  }
  if (me !== undefined && owner !== undefined && owner !== me) {
    return `it belongs to another user (uid ${owner}): run AuthBar as that user, or make it yours with \`sudo chown ${shellQuote(userName())} ${shellQuote(path)}\``;
  }
  return `give your user read access, e.g. \`chmod 600 ${shellQuote(path)}\``;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return '$USER';
  }
}
