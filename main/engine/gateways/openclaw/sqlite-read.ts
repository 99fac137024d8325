/**
 * Reads OpenClaw's SQLite stores strictly read-only with `node:sqlite` (Node ≥ 22.13),
 * loaded lazily so a Clawdbot host never pays for it.
 *
 * Never creates a database (a missing file is "missing", not opened), never writes, and
 * never leaves `-wal`/`-shm` files that were not there: SQLite's read-only connections to a
 * WAL database create both and cannot remove them. So when the WAL is absent or empty (all
 * data is in the main file: OpenClaw is idle) the file is opened `immutable=1`, which takes
 * no locks and creates nothing, and the read is kept only if the main file and the WAL are
 * unchanged afterwards. With a non-empty WAL even a read-only connection rewrites the
 * shared-memory index (`-shm`, verified), so the database and its WAL are copied into a
 * private temp dir and read there; the copy is kept only if neither changed meanwhile.
 */
import { readRegularFile } from '../../fs/regular-file.js';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of `node:sqlite` used here (Node 20's types do not have it). */
interface StatementSync {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  close(): void;
}
type DatabaseSyncCtor = new (path: string | URL, opts: { readOnly: boolean; timeout?: number }) => DatabaseSync;

let ctor: DatabaseSyncCtor | null | undefined;

/** `node:sqlite`'s DatabaseSync, or null when this Node has none (Node 20, or 22 before 22.13). */
export function sqliteAvailable(): DatabaseSyncCtor | null {
  if (ctor !== undefined) return ctor;
  try {
    const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const mod = getBuiltin?.('node:sqlite') as { DatabaseSync?: DatabaseSyncCtor } | undefined;
    ctor = mod?.DatabaseSync ?? null;
  } catch {
    ctor = null;
  }
  return ctor;
}

export type DbRead<T> =
  { kind: 'missing' } | { kind: 'ok'; value: T } | { kind: 'error'; message: string; schema: boolean };

/** A query ran against a table or column this version does not know. */
export class SchemaError extends Error {}

function fileSig(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return null;
  }
}

function walQuiet(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size === 0;
  } catch {
    return true; // absent
  }
}

/** Runs `query` on the database at `path`, read-only, leaving the directory as it was. */
export function readDatabase<T>(path: string, query: (db: DatabaseSync) => T): DbRead<T> {
  const Database = sqliteAvailable();
  if (!Database) return { kind: 'error', message: 'node:sqlite is not available in this Node', schema: false };
  if (!existsSync(path)) return { kind: 'missing' };
  // SQLite opens without O_NONBLOCK: a FIFO in a database's place would hang every command.
  const probe = readRegularFile(path, Number.MAX_SAFE_INTEGER, true);
  if (probe.kind === 'error' && probe.code === 'not-a-file')
    return { kind: 'error', message: 'it is not a regular file', schema: false };
  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const quiet = walQuiet(path);
    const before = fileSig(path);
    let db: DatabaseSync | undefined;
    try {
      if (quiet) {
        const url = pathToFileURL(path);
        url.searchParams.set('immutable', '1');
        db = new Database(url, { readOnly: true });
        const value = query(db);
        db.close();
        db = undefined;
        if (!walQuiet(path) || fileSig(path) !== before) continue; // written meanwhile: read again
        return { kind: 'ok', value };
      }
      const walBefore = fileSig(`${path}-wal`);
      const copy = readCopy(Database, path, query);
      if (fileSig(path) !== before || fileSig(`${path}-wal`) !== walBefore) continue;
      return { kind: 'ok', value: copy };
    } catch (err) {
      try {
        db?.close();
      } catch {
        // already closed
      }
      if (err instanceof SchemaError) return { kind: 'error', message: err.message, schema: true };
      const message = err instanceof Error ? err.message : String(err);
      if (/no such (table|column)/i.test(message)) return { kind: 'error', message, schema: true };
      lastError = message;
      if (/busy|locked/i.test(message)) continue;
      return { kind: 'error', message, schema: false };
    }
  }
  return { kind: 'error', message: lastError || 'the database kept changing while it was read', schema: false };
}

/** Reads a private copy of the database and its WAL (mode 0700 dir: the rows hold secrets). */
function readCopy<T>(Database: DatabaseSyncCtor, path: string, query: (db: DatabaseSync) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-openclaw-'));
  try {
    const copy = join(dir, 'copy.sqlite');
    copyFileSync(path, copy);
    copyFileSync(`${path}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readOnly: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function tableExists(db: DatabaseSync, name: string): boolean {
  const row = db.prepare('SELECT type FROM sqlite_master WHERE name = ?').get(name) as { type?: string } | undefined;
  return row?.type === 'table';
}

export type { DatabaseSync };
