/**
 * Materialises a state description (state-gen.ts) into a real temp HOME. A few base homes are
 * built once with each gateway's own commands (`models set`, `models aliases add`, `agents
 * add`, OpenClaw's `models auth paste-token`); each state is a copy of one (cpSync), its
 * absolute paths moved to the copy, then changed in the gateway's own store format: JSON
 * files for Clawdbot, the state db rows and agent databases for OpenClaw (written with
 * OpenClaw's own Node, as OpenClaw writes them).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { claudeCredentials, runProcess, secret } from './home.js';
import { mkTemp, NODE24, ocEnv, openclawOk, SKIP_OPENCLAW } from './openclaw-peer.js';
import type { Limiter } from './peers.js';
import { HOUR, MODELS, type ProfileDesc, type StateDesc, type StoreDesc } from './state-gen.js';

export interface BuiltHome {
  home: string;
  env: Record<string, string>;
  /** The gateway's state dir. */
  stateDir: string;
}

type Json = Record<string, unknown>;

const homes: string[] = [];
/** Every home this module made, for the test's cleanup. */
export function madeHomes(): readonly string[] {
  return homes;
}

function newHome(prefix: string): string {
  const h = mkTemp(prefix);
  homes.push(h);
  return h;
}

/** A copy of a base home whose config names the copy's paths, not the base's. */
export function copyBase(base: BuiltHome, prefix: string, configRel: string): BuiltHome {
  const home = newHome(prefix);
  cpSync(base.home, home, { recursive: true, verbatimSymlinks: true });
  const config = join(home, configRel);
  writeFileSync(config, readFileSync(config, 'utf8').split(base.home).join(home));
  return { home, env: { ...base.env, HOME: home }, stateDir: base.stateDir.split(base.home).join(home) };
}

function editJson(path: string, edit: (v: Json) => void): void {
  const v = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(v);
  writeFileSync(path, JSON.stringify(v, null, 2) + '\n');
}

function obj(parent: Json, key: string): Json {
  const v = parent[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json;
  const fresh: Json = {};
  parent[key] = fresh;
  return fresh;
}

/** The env variable an OpenClaw tokenRef names, per profile. */
export function tokenRefVar(profileId: string): string {
  return `AUTHBAR_DIFF_${profileId.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

function credential(p: ProfileDesc, now: number, env: Record<string, string>): Json {
  const expires = p.expiresIn === null ? {} : { expires: now + p.expiresIn };
  if (p.type === 'api_key') return { type: 'api_key', provider: p.provider, key: secret('api') };
  if (p.type === 'token') {
    if (p.tokenRef) {
      const name = tokenRefVar(p.id);
      if (p.tokenRef === 'set') env[name] = secret('setup');
      return {
        type: 'token',
        provider: p.provider,
        tokenRef: { source: 'env', provider: 'default', id: name },
        ...expires,
      };
    }
    return { type: 'token', provider: p.provider, token: secret('setup'), ...expires };
  }
  return { type: 'oauth', provider: p.provider, access: secret('access'), refresh: secret('refresh'), ...expires };
}

function profilesOf(s: StoreDesc, now: number, env: Record<string, string>): Json {
  return Object.fromEntries(s.profiles.map((p) => [p.id, credential(p, now, env)]));
}

/** The `order`/`lastGood`/`usageStats` part of a store, or null when it has none. */
function stateOf(s: StoreDesc, now: number): Json | null {
  const out: Json = {};
  if (s.order) out['order'] = s.order;
  if (s.lastGood) out['lastGood'] = s.lastGood;
  if (s.usage) {
    out['usageStats'] = Object.fromEntries(
      Object.entries(s.usage).map(([id, u]) => [
        id,
        {
          ...(u.lastUsedAgo !== undefined ? { lastUsed: now - u.lastUsedAgo } : {}),
          ...(u.cooldownIn !== undefined ? { cooldownUntil: now + u.cooldownIn, errorCount: 1 } : {}),
          ...(u.disabledIn !== undefined
            ? { disabledUntil: now + u.disabledIn, disabledReason: u.disabledReason ?? 'billing' }
            : {}),
        },
      ]),
    );
  }
  return Object.keys(out).length > 0 ? out : null;
}

function modelConfig(defaults: Json, d: StateDesc): void {
  defaults['model'] = { primary: d.primary, ...(d.fallbacks.length > 0 ? { fallbacks: d.fallbacks } : {}) };
  if (d.imageModel) defaults['imageModel'] = { primary: d.imageModel };
  else delete defaults['imageModel'];
}

function writeClaude(home: string, d: StateDesc): void {
  if (d.claude === 'absent') return;
  const path = join(home, '.claude', '.credentials.json');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const content = d.claude === 'login' ? claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }) : { mcpOAuth: {} };
  writeFileSync(path, JSON.stringify(content), { mode: 0o600 });
}

// ---------------------------------------------------------------- OpenClaw

export const OC_CONFIG = join('.openclaw', 'openclaw.json');

/**
 * A base OpenClaw home, made with OpenClaw's own commands: paste-token and models set; the
 * second agent with agents add and paste-token --agent, on a copy of the first base. The
 * alias is written as `openclaw models aliases add fast …` writes it (that command has
 * hung past five minutes on a loaded machine).
 */
export async function openclawBase(kind: StateDesc['base'], one?: Promise<BuiltHome>): Promise<BuiltHome> {
  if (kind === 'two-agents') {
    const built = copyBase(await (one ?? openclawBase('one-agent')), 'authbar-diff-oc-two-agents-', OC_CONFIG);
    const { home, env } = built;
    await openclawOk(['agents', 'add', 'work', '--non-interactive', '--workspace', join(home, 'ws-work')], env);
    // Creates the agent's own database (with its override store) the way OpenClaw does.
    await openclawOk(
      ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--agent', 'work', '--profile-id', 'anthropic:work'],
      env,
      secret('setup') + '\n',
    );
    return built;
  }
  const home = newHome(`authbar-diff-oc-${kind}-`);
  const env = ocEnv(home);
  await openclawOk(['models', 'auth', 'paste-token', '--provider', 'anthropic'], env, secret('setup') + '\n');
  await openclawOk(['models', 'set', MODELS.openclaw.anthropic], env);
  editJson(join(home, OC_CONFIG), (cfg) => {
    const models = obj(obj(obj(cfg, 'agents'), 'defaults'), 'models');
    models[MODELS.openclaw.aliases.fast] = { ...obj(models, MODELS.openclaw.aliases.fast), alias: 'fast' };
  });
  return { home, env, stateDir: join(home, '.openclaw') };
}

const WRITE_ROWS = `
const {DatabaseSync}=require('node:sqlite');
const spec=JSON.parse(require('fs').readFileSync(0,'utf8'));
const now=Date.now();
{
  const db=new DatabaseSync(spec.stateDb);db.exec('PRAGMA busy_timeout=5000');
  const up=db.prepare('INSERT INTO config_machine_state(state_key,value_json,updated_at_ms) VALUES(?,?,?) ON CONFLICT(state_key) DO UPDATE SET value_json=excluded.value_json, updated_at_ms=excluded.updated_at_ms');
  up.run('authProfiles.store',JSON.stringify(spec.shared.store),now);
  if(spec.shared.state) up.run('authProfiles.state',JSON.stringify(spec.shared.state),now);
  else db.prepare("DELETE FROM config_machine_state WHERE state_key='authProfiles.state'").run();
  db.close();
}
for(const a of spec.agents){
  const db=new DatabaseSync(a.db);db.exec('PRAGMA busy_timeout=5000');
  if(a.store===null){db.exec("DELETE FROM auth_profile_store WHERE store_key='primary'; DELETE FROM auth_profile_state WHERE state_key='primary'");}
  else{
    db.prepare("INSERT INTO auth_profile_store(store_key,store_json,updated_at) VALUES('primary',?,?) ON CONFLICT(store_key) DO UPDATE SET store_json=excluded.store_json, updated_at=excluded.updated_at").run(JSON.stringify(a.store),now);
    if(a.state) db.prepare("INSERT INTO auth_profile_state(state_key,state_json,updated_at) VALUES('primary',?,?) ON CONFLICT(state_key) DO UPDATE SET state_json=excluded.state_json, updated_at=excluded.updated_at").run(JSON.stringify(a.state),now);
    else db.exec("DELETE FROM auth_profile_state WHERE state_key='primary'");
  }
  db.close();
}`;

/** A copy of the base home holding the described OpenClaw state. */
export async function materialiseOpenClaw(base: BuiltHome, d: StateDesc): Promise<BuiltHome> {
  if (!NODE24) throw new Error(SKIP_OPENCLAW);
  const built = copyBase(base, `authbar-diff-oc-${d.index}-`, OC_CONFIG);
  const now = Date.now();
  const env = built.env;
  const shared = d.shared ?? { profiles: [] };
  const spec = {
    stateDb: join(built.stateDir, 'state', 'openclaw.sqlite'),
    shared: { store: { version: 1, profiles: profilesOf(shared, now, env) }, state: withVersion(stateOf(shared, now)) },
    // Only the base's second agent has a database of its own (made by paste-token --agent).
    agents: d.agents
      .filter((a) => a.id !== 'main')
      .map((a) => ({
        db: join(built.stateDir, 'agents', a.id, 'agent', 'openclaw-agent.sqlite'),
        store: a.store ? { version: 1, profiles: profilesOf(a.store, now, env) } : null,
        state: a.store ? withVersion(stateOf(a.store, now)) : null,
      })),
  };
  const r = await runProcess(NODE24, ['-e', WRITE_ROWS], {}, { stdin: JSON.stringify(spec) });
  if (r.code !== 0) throw new Error(`could not write the state's rows: ${r.stderr}`);
  editJson(join(built.home, OC_CONFIG), (cfg) => {
    const defaults = obj(obj(cfg, 'agents'), 'defaults');
    modelConfig(defaults, d);
    // `models set` adds each model it routes to the allowlist; do the same for every ref.
    const models = obj(defaults, 'models');
    for (const ref of [d.primary, ...d.fallbacks, ...(d.imageModel ? [d.imageModel] : [])])
      if (ref.includes('/') && !(ref in models)) models[ref] = {};
    if (d.claudeRuntime)
      for (const [ref, entry] of Object.entries(models))
        if (ref.startsWith('anthropic/')) models[ref] = { ...(entry as Json), agentRuntime: { id: 'claude-cli' } };
    const profiles: Json = {};
    for (const [id, mode] of Object.entries(d.modes)) profiles[id] = { provider: id.split(':')[0], mode };
    obj(cfg, 'auth')['profiles'] = profiles;
  });
  if (d.legacyFile) {
    const stray = join(built.stateDir, 'agents', 'main', 'agent', 'auth-profiles.json');
    mkdirSync(dirname(stray), { recursive: true, mode: 0o700 });
    writeFileSync(stray, JSON.stringify({ version: 1, profiles: {} }), { mode: 0o600 });
  }
  writeClaude(built.home, d);
  return built;
}

function withVersion(state: Json | null): Json | null {
  return state ? { version: 1, ...state } : null;
}

// ---------------------------------------------------------------- Clawdbot

export const CB_CONFIG = join('.clawdbot', 'clawdbot.json');

/** A base Clawdbot home, made with Clawdbot's own commands (its paste-token needs a terminal). */
export async function clawdbotBase(bin: string, limiter: Limiter, kind: StateDesc['base']): Promise<BuiltHome> {
  const home = newHome(`authbar-diff-cb-${kind}-`);
  const env = ocEnv(home);
  const ok = async (args: string[]) => {
    const r = await limiter.run(() => runProcess(bin, args, env, { timeoutMs: 180_000 }));
    if (r.code !== 0) throw new Error(`clawdbot ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-400)}`);
  };
  await ok(['models', 'set', MODELS.clawdbot.anthropic]);
  await ok(['models', 'aliases', 'add', 'fast', MODELS.clawdbot.aliases.fast]);
  if (kind === 'two-agents')
    await ok(['agents', 'add', 'work', '--non-interactive', '--workspace', join(home, 'ws-work')]);
  // Keeps Clawdbot's sync log line off stdout (its JSON follows it otherwise).
  editJson(join(home, CB_CONFIG), (cfg) => {
    cfg['logging'] = { consoleLevel: 'warn' };
  });
  return { home, env, stateDir: join(home, '.clawdbot') };
}

export const clawdbotStoreRel = (agentId: string): string =>
  join('.clawdbot', 'agents', agentId, 'agent', 'auth-profiles.json');

/** A copy of the base home holding the described Clawdbot state. */
export function materialiseClawdbot(base: BuiltHome, d: StateDesc): BuiltHome {
  const built = copyBase(base, `authbar-diff-cb-${d.index}-`, CB_CONFIG);
  const now = Date.now();
  editJson(join(built.home, CB_CONFIG), (cfg) => modelConfig(obj(obj(cfg, 'agents'), 'defaults'), d));
  const writeStore = (rel: string, s: StoreDesc) => {
    const path = join(built.home, rel);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const store = { version: 1, profiles: profilesOf(s, now, built.env), ...(stateOf(s, now) ?? {}) };
    writeFileSync(path, JSON.stringify(store, null, 2) + '\n', { mode: 0o600 });
  };
  for (const a of d.agents) if (a.store) writeStore(clawdbotStoreRel(a.id), a.store);
  if (d.legacyFile)
    writeStore(join('.clawdbot', 'agent', 'auth-profiles.json'), {
      profiles: [{ id: 'anthropic:default', provider: 'anthropic', type: 'token', expiresIn: null }],
    });
  writeClaude(built.home, d);
  return built;
}
