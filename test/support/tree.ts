/**
 * A fingerprint of every path under a directory, to prove that a run wrote nothing (or only
 * what it may): type, mode, size, content hash, link target and, as asked, mtime.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  size: number;
  mtimeMs?: number;
  sha256?: string;
  link?: string;
}

export interface TreeOptions {
  /** Paths (relative to the root) left out, with everything under them. */
  skip?: (rel: string) => boolean;
  /**
   * Which mtimes count: 'all' (a file rewritten with the same bytes, or a temp file made and
   * removed in a directory, shows), 'files' (only rewrites show), 'none' (content only).
   */
  mtime?: 'all' | 'files' | 'none';
}

/** Every path under `root` (not following symlinks), by path relative to `root`. */
export function treeSnapshot(root: string, opts: TreeOptions = {}): Map<string, Entry> {
  const mtime = opts.mtime ?? 'all';
  const out = new Map<string, Entry>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const rel = relative(root, p);
      if (opts.skip?.(rel)) continue;
      const st = lstatSync(p);
      const base = { mode: st.mode & 0o7777, size: st.size };
      const withTime = (kind: 'dir' | 'file') =>
        mtime === 'all' || (mtime === 'files' && kind === 'file') ? { mtimeMs: st.mtimeMs } : {};
      if (st.isSymbolicLink()) out.set(rel, { type: 'symlink', ...base, link: readlinkSync(p) });
      else if (st.isDirectory()) {
        out.set(rel, { type: 'dir', ...base, ...withTime('dir') });
        // A directory we may not list (mode 000 as non-root) still counts by its own entry.
        try {
          walk(p);
        } catch {
          /* unreadable directory: its entry above is the fingerprint */
        }
      } else if (st.isFile()) {
        let sha256: string;
        try {
          sha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
        } catch {
          sha256 = 'unreadable';
        }
        out.set(rel, { type: 'file', ...base, ...withTime('file'), sha256 });
      } else out.set(rel, { type: 'other', ...base });
    }
  };
  walk(root);
  return out;
}

/** Asserts two tree snapshots are identical: no file created, removed, rewritten, touched or re-moded. */
export function assertTreeUnchanged(before: Map<string, Entry>, after: Map<string, Entry>, what: string): void {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  assert.deepEqual(added, [], `${what}: files appeared: ${added.join(', ')}`);
  assert.deepEqual(removed, [], `${what}: files disappeared: ${removed.join(', ')}`);
  for (const [k, b] of before) {
    const a = after.get(k);
    assert.deepEqual(a, b, `${what}: ${k} changed`);
  }
}
