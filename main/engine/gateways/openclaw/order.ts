/**
 * Which auth profile OpenClaw 2026.9.6's `models status --check` picks for a provider, pure
 * (its resolveAuthProfileOrderWithMetadata and source plan, read from its dist and checked by
 * running it): the stored order, else the config's `auth.order`, else the profiles the config
 * declares, else every stored profile; only eligible ones; without an explicit order sorted by
 * type (oauth, token, api_key), an expired oauth last, then least recently used first. It
 * never looks at `lastGood`, and the retired `anthropic:claude-cli` is a profile like any other.
 */
import type { OpenClawConfig } from './config.js';
import type { OpenClawProfileHealth } from './health.js';
import type { MergedStore } from './stores.js';
import { providerId } from './policy.js';

/** Whether OpenClaw can tell, without resolving secrets, that a profile works. */
export type Readiness = 'ready' | 'unknown' | 'unavailable';

export type ProfileSelection =
  /** A profile serves the route; `unknown` readiness makes the check indeterminate (1). */
  | { kind: 'profile'; profileId: string; readiness: Readiness }
  /** Every ordered profile is unusable, or an explicit order names none that is usable. */
  | { kind: 'unusable'; profileId: string | null; why: 'unavailable' | 'cooldown' | 'explicit-order' }
  /** No profile for the provider: an env or config key may serve; `profilesDeclared` blocks an env key. */
  | { kind: 'none'; profilesDeclared: boolean };

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}
function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}
/** Keys of a provider map compared as OpenClaw normalizes provider ids (trimmed, lower case). */
function forProvider(map: Record<string, unknown>, provider: string): unknown {
  const key = Object.keys(map).find((k) => providerId(k) === provider);
  return key === undefined ? undefined : map[key];
}

export interface SecretRef {
  source: 'env' | 'file' | 'exec';
  provider: string;
  id: string;
}
const ENV_TEMPLATE = /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/;
/** OpenClaw's coerceSecretRef: `{source, provider, id}`, `{source, id}` (provider `default`), or `${VAR}`. */
export function secretRef(v: unknown): SecretRef | null {
  if (typeof v === 'string') {
    const m = ENV_TEMPLATE.exec(v.trim());
    return m ? { source: 'env', provider: 'default', id: m[1]! } : null;
  }
  const r = rec(v);
  const source = r['source'];
  if ((source !== 'env' && source !== 'file' && source !== 'exec') || !nonEmpty(r['id'])) return null;
  if (r['provider'] === undefined) return { source, provider: 'default', id: r['id'] };
  return nonEmpty(r['provider']) ? { source, provider: r['provider'], id: r['id'] } : null;
}

/** OpenClaw's read-only secret check: an env ref is ready when its variable is set, else it cannot tell. */
function refReadiness(
  ref: SecretRef,
  cfg: OpenClawConfig,
  env: Readonly<Record<string, string | undefined>>,
): Readiness {
  const declared = rec(rec(rec(cfg.raw['secrets'])['providers'])[ref.provider]);
  if (ref.source === 'env') {
    const allow = strList(declared['allowlist']);
    const resolvable =
      declared['source'] === 'env'
        ? !allow || allow.includes(ref.id)
        : declared['source'] === undefined && ref.provider === 'default';
    if (!resolvable) return 'unavailable';
    return nonEmpty(env[ref.id]) ? 'ready' : 'unknown';
  }
  return declared['source'] === ref.source ? 'unknown' : 'unavailable';
}

function secretReadiness(
  value: unknown,
  refValue: unknown,
  cfg: OpenClawConfig,
  env: Readonly<Record<string, string | undefined>>,
): Readiness {
  const ref = secretRef(refValue) ?? secretRef(value);
  if (ref) return refReadiness(ref, cfg, env);
  if (!nonEmpty(value)) return 'unavailable';
  const t = value.trim();
  return t.startsWith('secretref-env:') || t.startsWith('__env__:') || t.startsWith('$') ? 'unavailable' : 'ready';
}

const OAUTH_REFRESH_MARGIN_MS = 5 * 60_000;

/** OpenClaw's resolveStoredCredentialReadOnlyAvailability. */
export function readiness(
  raw: unknown,
  h: OpenClawProfileHealth,
  cfg: OpenClawConfig,
  env: Readonly<Record<string, string | undefined>>,
  now: number,
): Readiness {
  const c = rec(raw);
  if (h.type === 'api_key') return secretReadiness(c['key'], c['keyRef'], cfg, env);
  if (h.type === 'token') {
    if (h.reasonCode === 'expired' || h.reasonCode === 'invalid_expires') return 'unavailable';
    return secretReadiness(c['token'], c['tokenRef'], cfg, env);
  }
  const expires = c['expires'];
  const fence = [c['access'], c['refresh']].some(
    (v) => typeof v === 'string' && v.startsWith('openclaw-oauth-refresh-fence:'),
  );
  if (fence) return 'unavailable';
  const fresh = typeof expires === 'number' && expires <= 864e13 && expires - now > OAUTH_REFRESH_MARGIN_MS;
  if (nonEmpty(c['access']) && fresh) return 'ready';
  // Only OpenAI's (and external CLIs') logins are refreshable without a runtime.
  if (nonEmpty(c['refresh'])) return h.provider === 'openai' ? 'ready' : 'unknown';
  return c['oauthRef'] !== undefined && !nonEmpty(c['access']) ? 'unknown' : 'unavailable';
}

/** OpenClaw's resolveAuthProfileEligibility, read-only (an unresolved ref still counts). */
function eligible(cfg: OpenClawConfig, h: OpenClawProfileHealth | undefined, provider: string): boolean {
  if (!h || h.provider !== provider) return false;
  const entry = rec(rec(cfg.raw['auth'])['profiles'])[h.profileId];
  if (entry) {
    const declared = rec(entry);
    if (nonEmpty(declared['provider']) && providerId(declared['provider']) !== provider) return false;
    const mode = declared['mode'];
    // A config mode `oauth` accepts a stored `token` (OpenClaw's one exception).
    if (mode !== h.type && !(mode === 'oauth' && h.type === 'token')) return false;
  }
  return h.eligible || h.reasonCode === 'unresolved_ref';
}

function inCooldown(store: MergedStore, profileId: string, now: number): number | null {
  const u = rec(store.usageStats[profileId]);
  const until = [u['disabledUntil'], u['cooldownUntil']].filter((x): x is number => typeof x === 'number' && x > now);
  return until.length > 0 ? Math.max(...until) : null;
}

export interface SelectInputs {
  cfg: OpenClawConfig;
  store: MergedStore;
  profiles: readonly OpenClawProfileHealth[];
  env: Readonly<Record<string, string | undefined>>;
}

/** The profiles OpenClaw would try for a provider, in its order, and whether an explicit order owns it. */
export function profileOrder(inp: SelectInputs, provider: string, now: number): { ids: string[]; explicit: boolean } {
  const byId = new Map(inp.profiles.map((p) => [p.profileId, p]));
  // OpenClaw drops an empty stored list when it loads the state (a config one stays, and refuses).
  const stored0 = strList(forProvider(rec(inp.store.order), provider))
    ?.map((x) => x.trim())
    .filter((x) => x !== '');
  const storeOrder = stored0 && stored0.length > 0 ? stored0 : undefined;
  const explicitOrder = storeOrder ?? strList(forProvider(rec(rec(inp.cfg.raw['auth'])['order']), provider));
  const declared = Object.entries(rec(rec(inp.cfg.raw['auth'])['profiles']))
    .filter(([, v]) => nonEmpty(rec(v)['provider']) && (rec(v)['provider'] as string).trim().toLowerCase() === provider)
    .map(([id]) => id);
  // The store's own insertion order, which OpenClaw's sort keeps among equals.
  const stored = Object.keys(inp.store.profiles).filter((id) => byId.get(id)?.provider === provider);
  const base = explicitOrder ?? (declared.length > 0 ? declared : stored);
  const valid = (id: string) => eligible(inp.cfg, byId.get(id), provider);
  let ids = [...new Set(base.filter(valid))];
  let repaired = false;
  // An order or declaration naming only profiles that are gone falls back to the stored ones.
  if (
    ids.length === 0 &&
    base.length > 0 &&
    base.every((id) => inp.store.profiles[id] === undefined) &&
    (storeOrder !== undefined || declared.length > 0)
  ) {
    ids = [...new Set(stored.filter(valid))];
    repaired = true;
  }
  const cooling = ids
    .map((id) => ({ id, until: inCooldown(inp.store, id, now) }))
    .filter((x): x is { id: string; until: number } => x.until !== null)
    .sort((a, b) => a.until - b.until)
    .map((x) => x.id);
  const open = ids.filter((id) => !cooling.includes(id));
  if (explicitOrder && explicitOrder.length > 0 && !repaired) return { ids: [...open, ...cooling], explicit: true };
  const typeScore = { oauth: 0, token: 1, api_key: 2 } as const;
  const lastUsed = (id: string) => {
    const v = rec(inp.store.usageStats[id])['lastUsed'];
    return typeof v === 'number' ? v : 0;
  };
  const sorted = open
    .map((id) => {
      const h = byId.get(id)!;
      return { id, t: typeScore[h.type], x: h.type === 'oauth' && h.status === 'expired' ? 1 : 0, u: lastUsed(id) };
    })
    .sort((a, b) => a.t - b.t || a.x - b.x || a.u - b.u)
    .map((e) => e.id);
  return { ids: [...sorted, ...cooling], explicit: explicitOrder !== undefined };
}

/** The profile the route gets, as OpenClaw's source plan decides it. */
export function selectProfile(inp: SelectInputs, provider: string, now: number): ProfileSelection {
  const { ids, explicit } = profileOrder(inp, provider, now);
  const byId = new Map(inp.profiles.map((p) => [p.profileId, p]));
  const facts = ids.map((id) => ({
    id,
    ready: readiness(inp.store.profiles[id], byId.get(id)!, inp.cfg, inp.env, now),
    cooling: inCooldown(inp.store, id, now) !== null,
  }));
  if (facts.length === 0)
    return explicit
      ? { kind: 'unusable', profileId: null, why: 'explicit-order' }
      : { kind: 'none', profilesDeclared: false };
  const available = facts.filter((f) => f.ready !== 'unavailable');
  if (available.length === 0)
    return { kind: 'unusable', profileId: facts[0]!.id, why: explicit ? 'explicit-order' : 'unavailable' };
  const open = available.filter((f) => !f.cooling);
  if (open.length === 0) return { kind: 'unusable', profileId: available[0]!.id, why: 'cooldown' };
  // The first, unless OpenClaw cannot tell for it and a later one is surely ready.
  const winner = open[0]!.ready !== 'unknown' ? open[0]! : (open.find((f) => f.ready === 'ready') ?? open[0]!);
  return { kind: 'profile', profileId: winner.id, readiness: winner.ready };
}
