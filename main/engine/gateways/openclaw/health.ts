/**
 * OpenClaw 2026.9.6's own health rules, pure: each profile's status as `openclaw models
 * status --json` reports it, and the exit code of `openclaw models status --check` per model
 * route (default, fallbacks, image, utility). AuthBar's attention is judged elsewhere.
 */
import type { HealthStatus } from '../../health.js';
import { configuredRuntime, type ModelRoute, type OpenClawConfig } from './config.js';
import { secretRef, selectProfile } from './order.js';
import type { MergedStore } from './stores.js';
import { providerId } from './policy.js';

export const OPENCLAW_WARN_MS = 24 * 3_600_000;
const MAX_EXPIRES = 864e13;
export const REFRESH_FENCE_PREFIX = 'openclaw-oauth-refresh-fence:';

export interface OpenClawProfileHealth {
  profileId: string;
  provider: string;
  type: 'api_key' | 'token' | 'oauth';
  status: HealthStatus;
  expiresAt: number | null;
  remainingMs: number | null;
  /** Why it cannot be used, OpenClaw's reason code (`expired`, `missing_credential`, …). */
  reasonCode: string | null;
  eligible: boolean;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function hasString(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}
/** A secret reference OpenClaw can parse (an unparsable one counts as no credential). */
function hasRef(v: unknown): boolean {
  return secretRef(v) !== null;
}

type ExpiryState = 'missing' | 'invalid' | 'expired' | 'expiring' | 'valid';
function expiryState(expires: unknown, now: number, warnMs = 0): ExpiryState {
  if (expires === undefined) return 'missing';
  if (typeof expires !== 'number' || !Number.isFinite(expires) || expires <= 0 || expires > MAX_EXPIRES)
    return 'invalid';
  const left = expires - now;
  if (left <= 0) return 'expired';
  if (warnMs > 0 && left <= warnMs) return 'expiring';
  return 'valid';
}

export function isRefreshFence(cred: Record<string, unknown>): boolean {
  return [cred['access'], cred['refresh']].some((v) => typeof v === 'string' && v.startsWith(REFRESH_FENCE_PREFIX));
}

/** Entries OpenClaw loads as profiles: a known `type` and a `provider`. */
export function isProfileEntry(v: unknown): boolean {
  const r = rec(v);
  return (r['type'] === 'api_key' || r['type'] === 'token' || r['type'] === 'oauth') && hasString(r['provider']);
}

/** One profile's health, OpenClaw's buildProfileHealth. */
export function profileHealth(profileId: string, raw: unknown, now: number): OpenClawProfileHealth {
  const c = rec(raw);
  const type = c['type'] as OpenClawProfileHealth['type'];
  const provider = providerId(String(c['provider']));
  const base = { profileId, provider, type, expiresAt: null, remainingMs: null };
  const timed = (
    expires: number,
    warnMs: number,
  ): Pick<OpenClawProfileHealth, 'status' | 'expiresAt' | 'remainingMs'> => {
    const s = expiryState(expires, now, warnMs);
    const status: HealthStatus =
      s === 'expired' ? 'expired' : s === 'expiring' ? 'expiring' : s === 'valid' ? 'ok' : 'missing';
    return s === 'missing' || s === 'invalid'
      ? { status, expiresAt: null, remainingMs: null }
      : { status, expiresAt: expires, remainingMs: expires - now };
  };
  if (type === 'api_key') {
    const malformed =
      typeof c['key'] === 'string' && /^openclaw\s+onboard(?:\s+.*)?\s+--auth-choice(?:\s|=|$)/i.test(c['key'].trim());
    if (malformed) return { ...base, status: 'missing', reasonCode: 'malformed_api_key', eligible: false };
    if (!hasString(c['key']) && !hasRef(c['keyRef']))
      return { ...base, status: 'missing', reasonCode: 'missing_credential', eligible: false };
    return { ...base, status: 'static', reasonCode: null, eligible: true };
  }
  if (type === 'token') {
    if (!hasString(c['token']) && !hasRef(c['tokenRef']))
      return { ...base, status: 'missing', reasonCode: 'missing_credential', eligible: false };
    const s = expiryState(c['expires'], now);
    if (s === 'invalid') return { ...base, status: 'missing', reasonCode: 'invalid_expires', eligible: false };
    // The recorded expiry is kept once it passes: it is what says when the token died.
    if (s === 'expired')
      return { ...base, ...timed(c['expires'] as number, 0), reasonCode: 'expired', eligible: false };
    if (s === 'missing') return { ...base, status: 'static', reasonCode: null, eligible: true };
    return { ...base, ...timed(c['expires'] as number, OPENCLAW_WARN_MS), reasonCode: null, eligible: true };
  }
  // oauth
  if (isRefreshFence(c)) return { ...base, status: 'expired', reasonCode: 'expired', eligible: false };
  if (!hasString(c['access']) && !hasString(c['refresh'])) {
    return {
      ...base,
      status: 'missing',
      reasonCode: hasRef(c['oauthRef']) ? 'unresolved_ref' : 'missing_credential',
      eligible: false,
    };
  }
  const t = timed(c['expires'] as number, OPENCLAW_WARN_MS);
  // An access token past its expiry counts as expired even with a refresh token (DESIGN §2b).
  return { ...base, ...t, reasonCode: t.status === 'expired' ? 'expired' : null, eligible: true };
}

/** Every profile of a merged store, sorted as OpenClaw sorts them (provider, then id). */
export function storeHealth(store: MergedStore, now: number): OpenClawProfileHealth[] {
  return Object.entries(store.profiles)
    .filter(([, v]) => isProfileEntry(v))
    .map(([id, v]) => profileHealth(id, v, now))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.profileId.localeCompare(b.profileId));
}

/** Environment variables OpenClaw takes as a provider's key. */
const ENV_KEYS: Record<string, string[]> = {
  anthropic: ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  xai: ['XAI_API_KEY'],
  groq: ['GROQ_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
};
export function openClawEnvKey(
  provider: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return (ENV_KEYS[provider] ?? []).find((k) => (env[k] ?? '').trim() !== '');
}

/** `indeterminate`: OpenClaw cannot confirm the credential without resolving it (an unresolved ref): its --check fails. */
export type RouteHealth = 'ok' | 'expiring' | 'missing' | 'indeterminate' | 'unavailable';

export interface RouteVerdict {
  route: ModelRoute;
  health: RouteHealth;
  /** The runtime the route runs on when it is not OpenClaw's own (`claude-cli`, `codex`). */
  runtime: string | null;
  selectedProfileId: string | null;
  message: string;
}

export interface CheckInputs {
  cfg: OpenClawConfig;
  agentId: string;
  store: MergedStore;
  profiles: readonly OpenClawProfileHealth[];
  env: Readonly<Record<string, string | undefined>>;
  providersWithConfigKeys: readonly string[];
  /** The agent dir holds a legacy file (or a store row is unreadable): OpenClaw refuses to run. */
  refuses: string | null;
}

export function judgeRoute(inp: CheckInputs, route: ModelRoute, now: number): RouteVerdict {
  const runtime = route.runtimeRoute ? configuredRuntime(inp.cfg, inp.agentId, route.provider, route.model) : undefined;
  // The claude-cli runtime: `models status --check` judges it by the Anthropic profiles
  // alone (verified: with none it is "indeterminate" → 1, whether Claude Code is logged in
  // or not). Claude Code's own login is AuthBar's view of the runtime, not part of the code.
  if (route.runtimeRoute && runtime === 'claude-cli' && route.provider === 'anthropic') {
    const viaProfile = judgeRoute(inp, { ...route, runtimeRoute: false }, now);
    return { ...viaProfile, runtime, message: `runs through the claude-cli runtime; ${viaProfile.message}` };
  }
  // OpenAI's text routes run on the Codex harness by default, which needs its plugin.
  if (route.runtimeRoute && route.provider === 'openai' && runtime !== 'openclaw' && runtime !== 'pi') {
    return {
      route,
      health: 'unavailable',
      runtime: 'codex',
      selectedProfileId: null,
      message: 'runs on the Codex runtime, which no enabled plugin provides',
    };
  }
  const verdict = (health: RouteHealth, selectedProfileId: string | null, message: string): RouteVerdict => ({
    route,
    health,
    runtime: null,
    selectedProfileId,
    message,
  });
  const pick = selectProfile(inp, route.provider, now);
  const envKey = openClawEnvKey(route.provider, inp.env) !== undefined;
  const configKey = inp.providersWithConfigKeys.includes(route.provider);
  if (pick.kind === 'none' || (pick.kind === 'unusable' && pick.why === 'unavailable')) {
    // An environment key serves only where no profile is declared; a config key always can.
    if (configKey || (pick.kind === 'none' && envKey)) return verdict('ok', null, 'key from the environment or config');
    return pick.kind === 'none'
      ? verdict('missing', null, `no usable ${route.provider} credential`)
      : verdict('missing', pick.profileId, `${pick.profileId} cannot be used`);
  }
  if (pick.kind === 'unusable')
    return verdict(
      'missing',
      pick.profileId,
      pick.why === 'cooldown'
        ? `every ${route.provider} profile is cooling down after failures`
        : `the auth order for ${route.provider} names no usable profile`,
    );
  const chosen = inp.profiles.find((p) => p.profileId === pick.profileId)!;
  if (pick.readiness === 'unknown')
    return verdict(
      'indeterminate',
      chosen.profileId,
      `OpenClaw cannot confirm ${chosen.profileId} (its secret reference does not resolve here, or its login needs a refresh only the gateway can do)`,
    );
  if (chosen.status === 'expired' || chosen.status === 'missing')
    return verdict('missing', chosen.profileId, `${chosen.profileId} is ${chosen.status}`);
  if (chosen.status === 'expiring')
    return verdict('expiring', chosen.profileId, `${chosen.profileId} expires within 24 h`);
  return verdict('ok', chosen.profileId, `uses ${chosen.profileId}`);
}

/** A route `models status --check` fails on. */
export function routeFails(v: RouteVerdict): boolean {
  return v.health === 'missing' || v.health === 'indeterminate' || v.health === 'unavailable';
}

/** `openclaw models status --check` for one agent: 1 missing/indeterminate/unavailable, 2 expiring, else 0. */
export function checkCode(verdicts: readonly RouteVerdict[], refuses: string | null): 0 | 1 | 2 {
  if (refuses) return 1;
  if (verdicts.some(routeFails)) return 1;
  if (verdicts.some((v) => v.health === 'expiring')) return 2;
  return 0;
}
