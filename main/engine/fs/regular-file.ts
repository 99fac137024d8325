/**
 * Reads a file only when it is a regular file: opened with O_NONBLOCK (a FIFO in its place
 * answers at once instead of hanging every command), checked with fstat on the open file,
 * and capped in size — the same guard readJsonFile gives the Clawdbot side, for files that
 * are not JSON (OpenClaw's JSON5 config) or are only probed (its databases).
 */
import { closeSync, constants as fsc, fstatSync, openSync, readFileSync } from 'node:fs';

export type RegularFileRead =
  | { kind: 'missing' }
  | { kind: 'ok'; bytes: Buffer }
  /** `not-a-file`: a directory, FIFO, socket or device; `too-large`: over the cap; else the errno code. */
  | { kind: 'error'; code: string };

/** Reads `path` when it is a regular file of at most `maxBytes`; `probe` only checks (no bytes read). */
export function readRegularFile(path: string, maxBytes: number, probe = false): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', code: code === 'EISDIR' ? 'not-a-file' : code };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'error', code: 'not-a-file' };
    if (st.size > maxBytes) return { kind: 'error', code: 'too-large' };
    return { kind: 'ok', bytes: probe ? Buffer.alloc(0) : readFileSync(fd) };
  } catch (err) {
    return { kind: 'error', code: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  } finally {
    closeSync(fd);
  }
}
