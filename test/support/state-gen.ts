/**
 * Seeded, pure descriptions of gateway states for the differential tests
 * (test/states/differential-*.test.ts): seed + index → one state, the same on every run.
 * A description holds no secret and no absolute time: expiries and usage times are relative
 * to the moment the state is materialised (test/support/state-gen-build.ts). Times stay
 * away from the 24 h warn window's edge, so a state built minutes before it is judged still
 * means the same.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** mulberry32: a small PRNG whose stream depends only on its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  /** A random subset, in random order. */
  some<T>(xs: readonly T[], p = 0.5): T[] {
    return this.shuffle(xs.filter(() => this.chance(p)));
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** Each state gets its own stream: replaying index i does not need states 0..i-1. */
export function stateRng(seed: number, index: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
}

export type Gateway = 'clawdbot' | 'openclaw';
export type CredType = 'oauth' | 'token' | 'api_key';

export interface ProfileDesc {
  id: string;
  provider: string;
  type: CredType;
  /** Expiry relative to materialisation, ms; null: no `expires` stored. */
  expiresIn: number | null;
  /** OpenClaw: the token given as an env SecretRef instead of inline; `set` when the variable is set. */
  tokenRef?: 'set' | 'unset';
}

export interface UsageDesc {
  lastUsedAgo?: number;
  /** Relative to materialisation: > 0 still cooling down, < 0 over. */
  cooldownIn?: number;
  disabledIn?: number;
  disabledReason?: string;
}

export interface StoreDesc {
  profiles: ProfileDesc[];
  order?: Record<string, string[]>;
  lastGood?: Record<string, string>;
  usage?: Record<string, UsageDesc>;
}

export interface AgentDesc {
  id: string;
  /** Clawdbot: the agent's auth-profiles.json. OpenClaw: the agent's override store (null: none). */
  store: StoreDesc | null;
}

export interface StateDesc {
  gateway: Gateway;
  seed: number;
  index: number;
  /** The base home (built once with the gateway's own commands) this state starts from. */
  base: 'one-agent' | 'two-agents';
  agents: AgentDesc[];
  /** OpenClaw's shared store (state db rows); null for Clawdbot. */
  shared: StoreDesc | null;
  /** Model refs as written in the config: a `provider/model` id or an alias. */
  primary: string;
  fallbacks: string[];
  imageModel: string | null;
  /** OpenClaw: the config's `auth.profiles.<id>.mode` per profile id, when written. */
  modes: Record<string, CredType>;
  /** Clawdbot: a legacy `<state>/agent/auth-profiles.json`; OpenClaw: a stray one in main's agent dir. */
  legacyFile: boolean;
  /** Claude Code's login: none at all, a credentials file without a login, or a valid login. */
  claude: 'absent' | 'logged-out' | 'login';
  /** OpenClaw: Anthropic models run through the `claude-cli` runtime. */
  claudeRuntime: boolean;
}

// Expiries kept clear of 0 and of the 24 h window's edge (see the file comment).
const PAST = [-2 * DAY, -HOUR];
const SOON = [2 * HOUR, 20 * HOUR];
const LATER = [30 * HOUR, 5 * DAY, 200 * DAY];

function expiryFor(r: Rng, type: CredType): number | null {
  if (type === 'api_key') return null;
  if (type === 'token' && r.chance(0.5)) return null;
  if (type === 'oauth' && r.chance(0.08)) return null;
  const band = r.next();
  return r.pick(band < 0.3 ? PAST : band < 0.6 ? SOON : LATER);
}

function profileType(r: Rng, provider: string): CredType {
  if (provider === 'openai') return r.chance(0.7) ? 'api_key' : 'oauth';
  const x = r.next();
  return x < 0.35 ? 'oauth' : x < 0.8 ? 'token' : 'api_key';
}

function usageFor(r: Rng, ids: readonly string[]): Record<string, UsageDesc> | undefined {
  const usage: Record<string, UsageDesc> = {};
  for (const id of ids) {
    if (!r.chance(0.35)) continue;
    const u: UsageDesc = {};
    if (r.chance(0.7)) u.lastUsedAgo = r.pick([HOUR, 2 * DAY, 9 * DAY]);
    if (r.chance(0.35)) u.cooldownIn = r.pick([2 * HOUR, -HOUR]);
    if (r.chance(0.2)) {
      u.disabledIn = r.pick([3 * HOUR, -HOUR]);
      u.disabledReason = r.pick(['billing', 'auth']);
    }
    usage[id] = u;
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function storeOf(r: Rng, gateway: Gateway, pool: readonly string[], maxProfiles: number): StoreDesc {
  const ids = r.some(pool, 0.45).slice(0, maxProfiles);
  const profiles: ProfileDesc[] = ids.map((id) => {
    const provider = id.split(':')[0] as string;
    // A synced Claude Code login is an oauth profile; OpenClaw's retired copy of one too.
    const type = id.endsWith(':claude-cli') ? 'oauth' : profileType(r, provider);
    const p: ProfileDesc = { id, provider, type, expiresIn: expiryFor(r, type) };
    if (gateway === 'openclaw' && type === 'token' && r.chance(0.15)) p.tokenRef = r.chance(0.5) ? 'set' : 'unset';
    return p;
  });
  const store: StoreDesc = { profiles };
  const anthropic = ids.filter((id) => id.startsWith('anthropic:'));
  if (r.chance(0.3)) {
    const named = r.chance(0.25)
      ? ['anthropic:gone']
      : r.shuffle([...anthropic, ...(r.chance(0.3) ? ['anthropic:gone'] : [])]);
    store.order = { anthropic: named };
  }
  if (anthropic.length > 0 && r.chance(0.3)) store.lastGood = { anthropic: r.pick(anthropic) };
  const usage = usageFor(r, ids);
  if (usage) store.usage = usage;
  return store;
}

const CLAWDBOT_POOL = ['anthropic:default', 'anthropic:work', 'anthropic:claude-cli', 'openai:default'];
const OPENCLAW_POOL = ['anthropic:manual', 'anthropic:backup', 'openai:default', 'anthropic:claude-cli'];

/** The models each gateway's base home knows (with the aliases its base commands made). */
export const MODELS = {
  clawdbot: {
    anthropic: 'anthropic/claude-opus-4-5',
    /** `models set anthropic/claude-opus-4-5` names it `opus`; the base adds `fast`. */
    aliases: { opus: 'anthropic/claude-opus-4-5', fast: 'anthropic/claude-sonnet-4-5' },
    others: ['anthropic/claude-sonnet-4-5', 'openai/gpt-5.2'],
  },
  openclaw: {
    anthropic: 'anthropic/claude-opus-4-6',
    /** `models set` names no alias here; the base adds `fast`. */
    aliases: { fast: 'anthropic/claude-sonnet-4-5' },
    others: ['anthropic/claude-sonnet-4-5', 'openai/gpt-5.2'],
  },
} as const;

/** The state `index` of the stream `seed` for a gateway. Pure. */
export function describeState(gateway: Gateway, seed: number, index: number): StateDesc {
  const r = stateRng(seed ^ (gateway === 'openclaw' ? 0x5eed : 0), index);
  const m = MODELS[gateway];
  const two = r.chance(0.35);
  const pool = gateway === 'clawdbot' ? CLAWDBOT_POOL : OPENCLAW_POOL;
  const primaryPick = r.next();
  const primary =
    primaryPick < 0.6 ? m.anthropic : primaryPick < 0.75 ? r.pick(Object.keys(m.aliases)) : r.pick(m.others);
  const fallbacks = r.some([...m.others, 'fast'], 0.25).filter((f) => f !== primary);
  const imageModel = r.chance(0.15) ? r.pick(m.others) : null;
  const desc: StateDesc = {
    gateway,
    seed,
    index,
    base: two ? 'two-agents' : 'one-agent',
    agents: [],
    shared: null,
    primary,
    fallbacks,
    imageModel,
    modes: {},
    legacyFile: r.chance(0.1),
    claude: 'absent',
    claudeRuntime: false,
  };
  if (gateway === 'clawdbot') {
    desc.agents.push({ id: 'main', store: storeOf(r, gateway, pool, 3) });
    if (two) desc.agents.push({ id: 'work', store: storeOf(r, gateway, pool, 2) });
    const c = r.next();
    desc.claude = c < 0.5 ? 'absent' : c < 0.8 ? 'logged-out' : 'login';
    if (desc.claude === 'login') {
      // Both programs copy the login in when the stored copy is missing or expired; where they
      // deliberately differ (a newer login over a live copy) is left to clawdbot.test.ts.
      for (const a of desc.agents)
        for (const p of a.store?.profiles ?? []) if (p.id === 'anthropic:claude-cli') p.expiresIn = -HOUR;
    }
  } else {
    desc.shared = storeOf(r, gateway, pool, 3);
    desc.agents.push({ id: 'main', store: null });
    if (two)
      desc.agents.push({
        id: 'work',
        store: r.chance(0.6) ? storeOf(r, gateway, ['anthropic:work', 'anthropic:manual', 'openai:default'], 2) : null,
      });
    for (const p of [...desc.shared.profiles, ...desc.agents.flatMap((a) => a.store?.profiles ?? [])]) {
      const x = r.next();
      // Mostly as OpenClaw writes it; sometimes no mode, sometimes one that disagrees.
      if (x < 0.7) desc.modes[p.id] = p.type;
      else if (x < 0.85) desc.modes[p.id] = r.pick(['oauth', 'token', 'api_key'] as const);
    }
    desc.claudeRuntime = r.chance(0.1);
    desc.claude = r.chance(0.5) ? 'absent' : 'logged-out';
  }
  return desc;
}

/** One line a person can read in a failure or in divergences.md. */
export function summarise(d: StateDesc): string {
  const fmt = (ms: number | null | undefined) =>
    ms === null || ms === undefined
      ? '-'
      : `${ms < 0 ? '-' : '+'}${Math.abs(ms) >= DAY ? `${Math.round(Math.abs(ms) / DAY)}d` : `${Math.round(Math.abs(ms) / HOUR)}h`}`;
  const store = (s: StoreDesc | null) =>
    s === null
      ? 'none'
      : `[${s.profiles.map((p) => `${p.id}:${p.type}${p.expiresIn === null ? '' : ` exp ${fmt(p.expiresIn)}`}${p.tokenRef ? ` tokenRef(${p.tokenRef})` : ''}`).join(', ')}]` +
        (s.order ? ` order ${JSON.stringify(s.order)}` : '') +
        (s.lastGood ? ` lastGood ${JSON.stringify(s.lastGood)}` : '') +
        (s.usage
          ? ` usage ${Object.entries(s.usage)
              .map(
                ([id, u]) =>
                  `${id}{${u.lastUsedAgo ? `used ${fmt(-u.lastUsedAgo)} ` : ''}${u.cooldownIn ? `cooldown ${fmt(u.cooldownIn)} ` : ''}${u.disabledIn ? `disabled ${fmt(u.disabledIn)} ${u.disabledReason}` : ''}}`,
              )
              .join(' ')}`
          : '');
  const parts = [
    `${d.gateway} seed ${d.seed} index ${d.index}`,
    `models ${d.primary}${d.fallbacks.length ? ` fallbacks ${d.fallbacks.join(',')}` : ''}${d.imageModel ? ` image ${d.imageModel}` : ''}`,
    ...(d.shared ? [`shared ${store(d.shared)}`] : []),
    ...d.agents.map((a) => `agent ${a.id} ${store(a.store)}`),
    ...(Object.keys(d.modes).length ? [`modes ${JSON.stringify(d.modes)}`] : []),
    ...(d.legacyFile ? ['legacy file'] : []),
    `claude ${d.claude}${d.claudeRuntime ? ' (claude-cli runtime)' : ''}`,
  ];
  return parts.join('; ');
}

/**
 * Which states: env STATES_SEED (default 13), STATES_COUNT (default 100) from STATES_FROM
 * (default 0), or just STATES_INDEX (a replay).
 */
export function stateStream(): { seed: number; indices: number[] } {
  const num = (name: string, dflt: number) => {
    const v = process.env[name];
    return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : dflt;
  };
  const only = process.env['STATES_INDEX'];
  const from = num('STATES_FROM', 0);
  return {
    seed: num('STATES_SEED', 13),
    indices:
      only !== undefined && /^\d+$/.test(only.trim())
        ? [Number(only.trim())]
        : Array.from({ length: num('STATES_COUNT', 100) }, (_, i) => from + i),
  };
}

/** Every store in a state (OpenClaw's shared store and each agent's). */
export function storesOf(d: StateDesc): StoreDesc[] {
  return [...(d.shared ? [d.shared] : []), ...d.agents.flatMap((a) => (a.store ? [a.store] : []))];
}

/** Every profile in a state, in any store. */
export function profilesIn(d: StateDesc): ProfileDesc[] {
  return storesOf(d).flatMap((s) => s.profiles);
}
