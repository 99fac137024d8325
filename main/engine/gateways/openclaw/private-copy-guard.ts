/**
 * What keeps the private copies of OpenClaw's state (private-copy.ts) from outliving their
 * run: they hold full copies of OpenClaw's credential databases. A SIGINT/SIGTERM/SIGHUP
 * removes the live ones (after stopping the `openclaw` children that use them) and then ends
 * the process the way the signal would have; each new copy first sweeps what earlier runs
 * left (a killed process, a crash): our prefix, our uid, and an owner pid that is gone or a
 * dir older than STALE_MS.
 */
import {
  closeSync,
  constants as fsc,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killLiveChildren } from '../cli-runner.js';

/** Every private copy is named `<PREFIX><pid>-<random>` in the temp dir. */
export const COPY_PREFIX = 'authbar-openclaw-';
/** A copy lives for one `openclaw` call (seconds; 60 s timeout): anything this old is left over. */
export const STALE_MS = 30 * 60_000;

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  killLiveChildren();
  for (const root of live) rmSync(root, { recursive: true, force: true });
  live.clear();
  unhook();
  // Others listening (the monitor's own shutdown) decide how to end; alone, end as the signal would.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hook(): void {
  for (const s of SIGNALS) if (!process.listeners(s).includes(onSignal)) process.on(s, onSignal);
}
function unhook(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Registers a copy so a signal removes it; the returned function removes it now. */
export function guardCopy(root: string): () => void {
  live.add(root);
  hook();
  return () => {
    rmSync(root, { recursive: true, force: true });
    live.delete(root);
    if (live.size === 0) unhook();
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes copies earlier runs left in `dir` (default: the temp dir). Never throws. */
export function sweepStaleCopies(now: number = Date.now(), dir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  for (const name of names) {
    if (!name.startsWith(COPY_PREFIX)) continue;
    const path = join(dir, name);
    if (live.has(path)) continue;
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== null && st.uid !== uid)) continue;
      const pid = /^(\d+)-/.exec(name.slice(COPY_PREFIX.length))?.[1];
      const ownerGone = pid !== undefined && Number(pid) !== process.pid && !pidAlive(Number(pid));
      if (ownerGone || now - st.mtimeMs > STALE_MS) {
        rmSync(path, { recursive: true, force: true });
        removed.push(path);
      }
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/**
 * Copies one regular file: opened non-blocking (a FIFO in its place answers at once instead
 * of hanging), refused when it is not a regular file or larger than `maxBytes`. False when
 * there is nothing at `from`.
 */
export function copyRegularFile(from: string, to: string, maxBytes: number): boolean {
  let fd: number;
  try {
    fd = openSync(from, fsc.O_RDONLY | fsc.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${from} is not a regular file`);
    if (st.size > maxBytes) throw new Error(`${from} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
    writeFileSync(to, readFileSync(fd), { mode: 0o600 });
    return true;
  } finally {
    closeSync(fd);
  }
}
