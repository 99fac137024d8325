/**
 * OpenClaw 2026.9.6's auth stores (verified against databases its own commands wrote):
 * - shared: `<state>/state/openclaw.sqlite`, table `config_machine_state(state_key,
 *   value_json, updated_at_ms)`, rows `authProfiles.store` / `authProfiles.state`, when the
 *   row `auth.sharedStore` says `{"location":"state-db"}`; else the main agent's database;
 * - per agent: `agents/<id>/agent/openclaw-agent.sqlite`, tables `auth_profile_store(store_key,
 *   store_json)` / `auth_profile_state(state_key, state_json)`, row `'primary'`.
 * Store JSON `{version, profiles}`, state JSON `{version, order?, lastGood?, usageStats?}`.
 */
import { join } from 'node:path';
import { readDatabase, tableExists, type DatabaseSync } from './sqlite-read.js';
import { AGENT_DB_FILE, type OpenClawPaths } from './paths.js';
import { providerId } from './policy.js';

export interface AuthCells {
  /** Parsed store JSON, null when the row is absent. */
  store: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
  /** Set when a row exists but does not parse (OpenClaw calls it unreadable). */
  unreadable: string | null;
}

export type StoreRead =
  | { kind: 'missing'; path: string }
  | { kind: 'ok'; path: string; cells: AuthCells }
  | { kind: 'error'; path: string; message: string; schema: boolean };

function parseCell(raw: unknown, what: string): { value: Record<string, unknown> | null; error: string | null } {
  if (raw === undefined || raw === null) return { value: null, error: null };
  if (typeof raw !== 'string') return { value: null, error: `${what} is not text` };
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return { value: null, error: `${what} is not a JSON object` };
    return { value: v as Record<string, unknown>, error: null };
  } catch (err) {
    return { value: null, error: `${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

function cells(store: unknown, state: unknown, where: string): AuthCells {
  const s = parseCell(store, `the auth store row in ${where}`);
  const t = parseCell(state, `the auth state row in ${where}`);
  return { store: s.value, state: t.value, unreadable: s.error ?? t.error };
}

export interface SharedLocation {
  location: 'state-db' | 'agent-db';
  path: string;
}

/** Where the shared store is: the state db's `auth.sharedStore` row decides. */
export function readSharedLocation(paths: OpenClawPaths): { where: SharedLocation; stateDb: StoreRead } {
  const legacy: SharedLocation = { location: 'agent-db', path: join(paths.sharedAgentDir, AGENT_DB_FILE) };
  const read = readDatabase(paths.stateDb, (db: DatabaseSync) => {
    if (!tableExists(db, 'config_machine_state')) return null;
    const q = db.prepare('SELECT value_json FROM config_machine_state WHERE state_key = ?');
    const pointer = (q.get('auth.sharedStore') as { value_json?: unknown } | undefined)?.value_json;
    const store = (q.get('authProfiles.store') as { value_json?: unknown } | undefined)?.value_json;
    const state = (q.get('authProfiles.state') as { value_json?: unknown } | undefined)?.value_json;
    return { pointer, store, state };
  });
  if (read.kind === 'missing') return { where: legacy, stateDb: { kind: 'missing', path: paths.stateDb } };
  if (read.kind === 'error')
    return {
      where: legacy,
      stateDb: { kind: 'error', path: paths.stateDb, message: read.message, schema: read.schema },
    };
  const v = read.value;
  let inStateDb = false;
  if (v && typeof v.pointer === 'string') {
    try {
      inStateDb = (JSON.parse(v.pointer) as { location?: unknown }).location === 'state-db';
    } catch {
      inStateDb = false;
    }
  }
  if (!inStateDb || !v)
    return {
      where: legacy,
      stateDb: { kind: 'ok', path: paths.stateDb, cells: { store: null, state: null, unreadable: null } },
    };
  return {
    where: { location: 'state-db', path: paths.stateDb },
    stateDb: { kind: 'ok', path: paths.stateDb, cells: cells(v.store, v.state, paths.stateDb) },
  };
}

/** One agent database's `primary` rows. A database without the tables holds no store. */
export function readAgentDb(path: string): StoreRead {
  const read = readDatabase(path, (db: DatabaseSync) => {
    const store = tableExists(db, 'auth_profile_store')
      ? (
          db.prepare("SELECT store_json FROM auth_profile_store WHERE store_key = 'primary'").get() as
            { store_json?: unknown } | undefined
        )?.store_json
      : undefined;
    const state = tableExists(db, 'auth_profile_state')
      ? (
          db.prepare("SELECT state_json FROM auth_profile_state WHERE state_key = 'primary'").get() as
            { state_json?: unknown } | undefined
        )?.state_json
      : undefined;
    return { store, state };
  });
  if (read.kind === 'missing') return { kind: 'missing', path };
  if (read.kind === 'error') return { kind: 'error', path, message: read.message, schema: read.schema };
  return { kind: 'ok', path, cells: cells(read.value.store, read.value.state, path) };
}

/** The shape health is judged on: OpenClaw's merged store for one agent. */
export interface MergedStore {
  profiles: Record<string, unknown>;
  order: Record<string, unknown>;
  lastGood: Record<string, unknown>;
  usageStats: Record<string, unknown>;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const providerKey = (v: unknown): string => (typeof v === 'string' ? providerId(v) : '');
const orderKeyFor = (order: Record<string, unknown>, provider: string): string | undefined =>
  Object.keys(order).find((k) => providerKey(k) === provider);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The agent's own rows over the shared ones, as OpenClaw 2026.9.6 merges them
 * (mergeAuthProfileStores): the agent's profiles first, then the shared ones it does not
 * override; for each provider the agent holds profiles of, its own order if it has one,
 * else its profiles ahead of the shared order (so a shared order naming one id does not hide
 * the agent's other profiles of that provider); lastGood only where the profile exists.
 */
export function mergeStores(shared: AuthCells | null, own: AuthCells | null): MergedStore {
  const layer = (c: AuthCells | null) => ({
    profiles: rec(c?.store?.['profiles']),
    order: rec(c?.state?.['order'] ?? c?.store?.['order']),
    lastGood: rec(c?.state?.['lastGood'] ?? c?.store?.['lastGood']),
    usageStats: rec(c?.state?.['usageStats'] ?? c?.store?.['usageStats']),
  });
  const base = layer(shared);
  const over = layer(own);
  const profiles: Record<string, unknown> = { ...over.profiles };
  for (const [id, p] of Object.entries(base.profiles)) if (!Object.hasOwn(over.profiles, id)) profiles[id] = p;

  const order: Record<string, unknown> = { ...base.order, ...over.order };
  const byProvider = new Map<string, string[]>();
  for (const [id, p] of Object.entries(over.profiles)) {
    const key = providerKey(rec(p)['provider']);
    byProvider.set(key, [...(byProvider.get(key) ?? []), id]);
  }
  for (const [provider, ownIds] of byProvider) {
    const baseKey = orderKeyFor(base.order, provider);
    const overKey = orderKeyFor(over.order, provider);
    const key = overKey ?? baseKey;
    if (key === undefined) continue;
    for (const k of Object.keys(order)) if (k !== key && providerKey(k) === provider) delete order[k];
    order[key] =
      overKey !== undefined
        ? [...new Set(ids(over.order[overKey]))]
        : [
            ...new Set([
              ...ownIds,
              ...ids(baseKey !== undefined ? base.order[baseKey] : undefined),
              ...ids(order[key]),
            ]),
          ];
  }
  const lastGood = Object.fromEntries(
    Object.entries({ ...base.lastGood, ...over.lastGood }).filter(
      ([, id]) => typeof id === 'string' && Object.hasOwn(profiles, id),
    ),
  );
  return { profiles, order, lastGood, usageStats: { ...base.usageStats, ...over.usageStats } };
}
