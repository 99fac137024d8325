/**
 * How old each setup token is and when it dies. Gateways store a pasted token without an
 * expiry unless told, and show it as `static` until the day it stops working; AuthBar
 * remembers when it first saw each token (by fingerprint, in its state file) and warns
 * ahead of the one-year mark. Pure, except `assessTokens`, which reads the state file and
 * writes it only when it saw a token for the first time.
 */
import { worst, type Attention } from '../health.js';
import type { Env } from '../ports.js';
import type { Settings } from '../settings.js';
import type { AgentView, ProfileView, TokenAgeView, VaultView } from '../../../common/snapshot.js';
import {
  readTokenState,
  recordByFingerprint,
  statePath,
  updateTokenState,
  type TokenRecord,
  type TokenState,
} from './state.js';
import { KEYCHAIN_OFF_REASON, keychainOff } from './vault.js';
import { SETUP_TOKEN_PREFIX, checkProfileId } from '../../../common/rules.js';

export const DAY_MS = 86_400_000;
/** A setup token from `claude setup-token` is valid for about one year. */
export const TOKEN_LIFETIME_MS = 365 * DAY_MS;
export const RENEW_COMMAND = 'authbar setup-token';
const DEFAULT_SETUP_PROFILE = 'anthropic:setup-token';

/**
 * The command that replaces this profile's token: `authbar setup-token` lands in
 * `anthropic:setup-token`, so any other profile id is named, or the expired one stays.
 */
export function renewCommandFor(profileId: string): string {
  if (profileId === DEFAULT_SETUP_PROFILE || checkProfileId(profileId, 'anthropic') !== null) return RENEW_COMMAND;
  return `${RENEW_COMMAND} --profile-id ${profileId}`;
}

/**
 * An Anthropic setup token (`sk-ant-oat01-…`, provider anthropic, kept in the store by hand):
 * the only kind with a one-year life and `authbar setup-token` as its renewal. Another
 * provider's token, or a login a source keeps current, has neither.
 */
export function isSetupTokenProfile(p: Pick<ProfileView, 'type' | 'provider' | 'source' | 'masked'>): boolean {
  return (
    p.type === 'token' &&
    p.provider === 'anthropic' &&
    p.source === 'store' &&
    (p.masked ?? '').startsWith(SETUP_TOKEN_PREFIX)
  );
}

export interface TokenAgeInput {
  /** The profile's own expiry in the gateway's store, when it has one. */
  storedExpires: number | null;
  /** The profile it is stored as (names the renewal command). */
  profileId?: string;
  /** True when the gateway already judged it expired: then no estimate may put its end ahead. */
  gatewayExpired?: boolean;
  /** When AuthBar first saw this token. */
  firstSeenAt: number;
  /** The vault's record of the same token (same fingerprint), when AuthBar holds it. */
  record: TokenRecord | undefined;
  now: number;
  reminderDays: number;
}

export interface TokenAge {
  view: TokenAgeView;
  attention: Attention;
  /** Why, when attention is not `none`. */
  reason: string | null;
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "12 days old", or "at least 12 days old" when only the first sighting is known; "made today" or "first seen today" at day 0. */
export function ageWords(ageMs: number, minted: boolean): string {
  const n = days(ageMs);
  if (n === 0) return minted ? 'made today' : 'first seen today';
  return minted ? `${plural(n, 'day')} old` : `at least ${plural(n, 'day')} old`;
}

export function tokenAge(input: TokenAgeInput): TokenAge {
  const { now, record } = input;
  const mintedAt = record?.mintedAt ?? null;
  // The recorded time always wins over an estimate; a gateway's "expired" without a time
  // (it did not say when) is still expired: no estimate may move it a year ahead.
  const recorded = input.storedExpires ?? record?.expiresAt ?? null;
  const born = mintedAt ?? Math.min(input.firstSeenAt, record?.addedAt ?? input.firstSeenAt);
  const expiresAt = recorded ?? (input.gatewayExpired ? null : born + TOKEN_LIFETIME_MS);
  const expiryKind = recorded !== null ? 'recorded' : input.gatewayExpired ? 'unknown' : 'estimated';
  const renewCommand = input.profileId !== undefined ? renewCommandFor(input.profileId) : RENEW_COMMAND;
  const ageMs = Math.max(0, now - born);
  const view: TokenAgeView = {
    firstSeenAt: input.firstSeenAt,
    ageMs,
    mintedAt,
    expiresAt,
    expiryKind,
    inVault: record?.inVault ?? false,
    renewCommand,
  };
  const left = expiresAt === null ? 0 : expiresAt - now;
  const age = ageWords(ageMs, mintedAt !== null);
  const renew = `renew with \`${renewCommand}\``;
  if (left <= 0) {
    const what =
      expiryKind === 'estimated'
        ? `is ${age}, past its one-year mark`
        : expiryKind === 'unknown'
          ? 'has expired'
          : `expired ${plural(days(-left), 'day')} ago`;
    return { view, attention: 'now', reason: `setup token ${what}: ${renew}` };
  }
  // The reminder is for the one-year mark: an estimated expiry, or a token AuthBar holds.
  // A store's own recorded expiry on a token AuthBar never held keeps the warn window alone.
  if (left <= input.reminderDays * DAY_MS && (expiryKind === 'estimated' || record !== undefined)) {
    const when =
      expiryKind === 'estimated'
        ? `reaches its one-year mark in about ${plural(Math.max(1, days(left)), 'day')}`
        : `expires in ${plural(Math.max(1, days(left)), 'day')}`;
    return { view, attention: 'soon', reason: `setup token is ${age} and ${when}: ${renew}` };
  }
  return { view, attention: 'none', reason: null };
}

export interface AppliedTokenAges {
  agents: AgentView[];
  /** Fingerprints seen for the first time now: to record in the state file. */
  newlySeen: string[];
}

/**
 * Adds `token` to every token profile and moves attention by the token's age. A passive
 * store (one AuthBar only reads) gets the view but no attention, as for everything else.
 */
export function applyTokenAges(
  agents: readonly AgentView[],
  state: TokenState,
  reminderDays: number,
  now: number,
): AppliedTokenAges {
  const newlySeen = new Set<string>();
  const out = agents.map((agent) => {
    let attention = agent.attention;
    const profiles = agent.profiles.map((p): ProfileView => {
      if (!isSetupTokenProfile(p) || p.fingerprint === null) return p;
      const record = recordByFingerprint(state, p.fingerprint);
      let firstSeenAt = state.firstSeen[p.fingerprint];
      if (firstSeenAt === undefined) {
        firstSeenAt = record?.mintedAt ?? record?.addedAt ?? now;
        if (record === undefined) newlySeen.add(p.fingerprint);
      }
      const age = tokenAge({
        storedExpires: p.expiresAt,
        profileId: p.profileId,
        gatewayExpired: p.status === 'expired',
        firstSeenAt,
        record,
        now,
        reminderDays,
      });
      if (agent.passive !== null || worst(p.attention, age.attention) === p.attention) return { ...p, token: age.view };
      attention = worst(attention, age.attention);
      return { ...p, token: age.view, attention: age.attention, reason: age.reason ?? p.reason };
    });
    return { ...agent, profiles, attention };
  });
  return { agents: out, newlySeen: [...newlySeen] };
}

export function vaultView(state: TokenState, env: Env): VaultView {
  const off = keychainOff(env);
  return {
    // Not probed here (status must stay cold-start fast and never touch the keychain):
    // `authbar token add` finds out for real.
    available: !off,
    reason: off ? KEYCHAIN_OFF_REASON : null,
    entries: Object.values(state.tokens)
      .filter((t) => t.inVault)
      .map((t) => ({
        profileId: t.profileId,
        provider: t.provider,
        masked: t.masked,
        fingerprint: t.fingerprint,
        addedAt: t.addedAt,
        mintedAt: t.mintedAt,
        expiresAt: t.expiresAt,
        landedIn: t.landedIn,
      }))
      .sort((a, b) => a.profileId.localeCompare(b.profileId)),
  };
}

export interface AssessedTokens {
  agents: AgentView[];
  vault: VaultView;
  /** One sentence when the state file cannot be used (ages are then counted from now). */
  stateError: string | null;
}

/**
 * The engine's collect path, for either gateway: token ages on every token profile, the
 * vault view, and first sightings recorded in the state file (written only when a token was
 * seen for the first time, so a routine status does not write at all).
 */
export async function assessTokens(
  agents: readonly AgentView[],
  env: Env,
  settings: Pick<Settings, 'tokenReminderDays'>,
  now: number,
  opts: { record: boolean },
): Promise<AssessedTokens> {
  const path = statePath(env);
  const read = await readTokenState(path);
  const state = read.kind === 'ok' ? read.state : { version: 1 as const, tokens: {}, firstSeen: {} };
  const applied = applyTokenAges(agents, state, settings.tokenReminderDays, now);
  let stateError = read.kind === 'error' ? read.error.message : null;
  if (read.kind === 'ok' && opts.record && applied.newlySeen.length > 0) {
    try {
      await updateTokenState(path, (current) => {
        const firstSeen = { ...current.firstSeen };
        let changed = false;
        for (const fp of applied.newlySeen) {
          if (firstSeen[fp] === undefined) {
            firstSeen[fp] = now;
            changed = true;
          }
        }
        return { next: changed ? { ...current, firstSeen } : null, result: undefined };
      });
    } catch (err) {
      stateError = err instanceof Error ? err.message : String(err);
    }
  }
  return { agents: applied.agents, vault: vaultView(state, env), stateError };
}
