/**
 * The sync decision: which source credentials go into one agent's store. Pure, and the
 * rules are Clawdbot's own (external-cli-sync in 2026.1.24), so a sink AuthBar writes is
 * the sink Clawdbot would write: write when the sink has none, when its copy has expired,
 * or when the source's expires later; upgrade token → oauth, never downgrade; skip when equal.
 * Unlike Clawdbot, keys of a replaced profile that neither program owns are kept.
 */
import { sourceById, sourceLabel } from '../../sources/registry.js';
import { RawNumber, setOwn } from '../../fs/lossless-json.js';
import { StoredProfile, type AuthStore, type OAuthCredential, type TokenCredential } from '../../schemas.js';
import { SOURCE_PROFILE, type SourceId, type SourceRead } from '../../sources/sources.js';

export type SyncChangeKind = 'create' | 'update' | 'upgrade' | 'remove-duplicate';

export interface SyncChange {
  profileId: string;
  source: SourceId;
  kind: SyncChangeKind;
  /** Why, in words, without secrets. */
  reason: string;
}

/** A source's login not written because its profile id holds a credential AuthBar did not put there. */
export interface SyncHeld {
  profileId: string;
  source: SourceId;
  /** What is there and what to do, without secrets. */
  reason: string;
}

export interface SyncDecision {
  /** The store to write, or null when nothing changes. */
  next: AuthStore | null;
  changes: SyncChange[];
  held: SyncHeld[];
}

/** The fields a credential's owner defines; anything else on a stored profile is someone else's. */
const CREDENTIAL_KEYS = new Set([
  'type',
  'provider',
  'access',
  'refresh',
  'expires',
  'email',
  'accountId',
  'projectId',
  'enterpriseUrl',
  'token',
  'key',
]);

export function decideSync(current: AuthStore | undefined, sources: readonly SourceRead[], now: number): SyncDecision {
  const profiles: Record<string, unknown> = { ...(current?.profiles ?? {}) };
  const changes: SyncChange[] = [];
  const held: SyncHeld[] = [];

  for (const source of sources) {
    const profileId = SOURCE_PROFILE[source.id];
    const foreign = source.status === 'ok' ? foreignEntry(profiles[profileId], source.id) : null;
    if (foreign !== null) {
      // Never drop a credential AuthBar did not put there: leave it and say so.
      held.push({
        profileId,
        source: source.id,
        reason: `${profileId} holds ${foreign}, which AuthBar did not write and will not replace; move it to another profile id (or remove it) so the ${SOURCE_NAME(source.id)} login can be synced`,
      });
      continue;
    }
    const change =
      source.id === 'claude-code' ? syncClaude(profiles, source, now) : syncOAuthSource(profiles, source, now);
    changes.push(...change);
  }
  if (changes.length === 0) return { next: null, changes, held };
  const base: AuthStore = current ?? { version: 1, profiles: {} };
  return { next: { ...base, version: base.version ?? 1, profiles }, changes, held };
}

const SOURCE_NAME = (id: SourceId): string => sourceLabel(id);

/** The provider each source's profile carries when AuthBar (or Clawdbot's own sync) wrote it. */
const SOURCE_PROVIDER = (id: SourceId): string => sourceById(id)?.provider ?? id;

/**
 * What sits under a source's profile id when it is not something a sync wrote there (an
 * oauth or token credential of the source's provider): described in words, never values.
 * Null when the id is free or holds a synced credential.
 */
function foreignEntry(raw: unknown, source: SourceId): string | null {
  if (raw === undefined) return null;
  const cred = asCredential(raw);
  if (!cred) return 'an entry that is not a credential Clawdbot reads';
  if (cred.type === 'api_key') return `an API key (provider ${cred.provider})`;
  if (cred.provider !== SOURCE_PROVIDER(source))
    return `a ${cred.type} credential of another provider (${cred.provider})`;
  return null;
}

/** Numbers kept as written (RawNumber) read as their nearest double, so a decision sees what JSON.parse would. */
function asCredential(value: unknown): StoredProfile | undefined {
  let input = value;
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).some((v) => v instanceof RawNumber)
  ) {
    input = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v instanceof RawNumber ? v.valueOf() : v]));
  }
  const parsed = StoredProfile.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

/** The new credential, with every key of the old entry that neither program owns kept as it was (`__proto__` too). */
function withForeignKeys(existing: unknown, next: OAuthCredential | TokenCredential): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (existing && typeof existing === 'object' && !Array.isArray(existing)) {
    for (const [k, v] of Object.entries(existing as Record<string, unknown>)) {
      if (!CREDENTIAL_KEYS.has(k)) setOwn(out, k, v);
    }
  }
  for (const [k, v] of Object.entries(next)) out[k] = v;
  return out;
}

function sameOAuth(a: StoredProfile | undefined, b: OAuthCredential): boolean {
  return (
    a?.type === 'oauth' &&
    a.provider === b.provider &&
    a.access === b.access &&
    a.refresh === b.refresh &&
    a.expires === b.expires &&
    a.email === b.email &&
    a.enterpriseUrl === b.enterpriseUrl &&
    a.projectId === b.projectId &&
    a.accountId === b.accountId
  );
}

function sameToken(a: StoredProfile | undefined, b: TokenCredential): boolean {
  return (
    a?.type === 'token' &&
    a.provider === b.provider &&
    a.token === b.token &&
    a.expires === b.expires &&
    a.email === b.email
  );
}

function syncClaude(profiles: Record<string, unknown>, source: SourceRead, now: number): SyncChange[] {
  const incoming = source.status === 'ok' ? source.credential : undefined;
  if (!incoming) return [];
  const profileId = SOURCE_PROFILE['claude-code'];
  const raw = profiles[profileId];
  const existing = asCredential(raw);
  const incomingExpires = incoming.expires ?? 0;
  let write: boolean;
  let equal: boolean;
  let kind: SyncChangeKind = existing ? 'update' : 'create';
  let reason: string;

  if (incoming.type === 'oauth') {
    const stored = existing?.type === 'oauth' ? existing : undefined;
    equal = sameOAuth(stored, incoming);
    write =
      !stored ||
      stored.provider !== 'anthropic' ||
      (stored.expires ?? 0) <= now ||
      (incomingExpires > now && incomingExpires > (stored.expires ?? 0));
    reason = !stored
      ? 'the agent had no Claude login'
      : (stored.expires ?? 0) <= now
        ? 'the stored login had expired'
        : 'Claude Code holds a newer login';
    if (existing && existing.type !== 'oauth') {
      write = true;
      equal = false;
      kind = 'upgrade';
      reason = `upgraded a ${existing.type} credential to Claude Code's refreshable OAuth login`;
    }
  } else {
    const stored = existing?.type === 'token' ? existing : undefined;
    const storedExpires = stored?.expires ?? 0;
    equal = sameToken(stored, incoming);
    write =
      !stored ||
      stored.provider !== 'anthropic' ||
      storedExpires <= now ||
      (incomingExpires > now && incomingExpires > storedExpires);
    reason = !stored
      ? 'the agent had no Claude token'
      : storedExpires <= now
        ? 'the stored token had expired'
        : 'Claude Code holds a newer token';
    // Never trade a refreshable login for a bare token.
    if (existing?.type === 'oauth') write = false;
  }
  if (!write || equal) return [];
  profiles[profileId] = withForeignKeys(raw, incoming);
  return [{ profileId, source: 'claude-code', kind, reason }];
}

/** Codex CLI and Qwen Code: OAuth only, with Clawdbot's duplicate rule for Codex. */
function syncOAuthSource(profiles: Record<string, unknown>, source: SourceRead, now: number): SyncChange[] {
  const profileId = SOURCE_PROFILE[source.id];
  const changes: SyncChange[] = [];
  const incoming = source.status === 'ok' && source.credential?.type === 'oauth' ? source.credential : undefined;

  if (source.id === 'codex-cli') {
    // A user who added the same Codex login under their own id keeps theirs, not a twin.
    const stored = asCredential(profiles[profileId]);
    const twinOfStored = stored?.type === 'oauth' ? findCodexTwin(profiles, stored) : undefined;
    const twinOfIncoming = incoming ? findCodexTwin(profiles, incoming) : undefined;
    const twin = twinOfStored ?? twinOfIncoming;
    if (twin && profileId in profiles) {
      delete profiles[profileId];
      changes.push({
        profileId,
        source: source.id,
        kind: 'remove-duplicate',
        reason: `the same Codex login is already stored as ${twin}`,
      });
    }
    if (twinOfIncoming) return changes;
  }
  if (!incoming) return changes;
  const raw = profiles[profileId];
  const existing = asCredential(raw);
  const stored = existing?.type === 'oauth' ? existing : undefined;
  const storedExpires = stored?.expires ?? 0;
  const write =
    !stored || stored.provider !== incoming.provider || storedExpires <= now || incoming.expires > storedExpires;
  if (!write || sameOAuth(stored, incoming)) return changes;
  // The same login, expired on both sides, differing only in how its expiry was worked out
  // (Codex: AuthBar reads the JWT, Clawdbot guesses mtime + 1 h). Rewriting it fixes nothing,
  // and each program would undo the other's write on every load.
  if (stored && stored.access === incoming.access && stored.refresh === incoming.refresh && incoming.expires <= now)
    return changes;
  profiles[profileId] = withForeignKeys(raw, incoming);
  const reason = !stored
    ? 'the agent had no login from this source'
    : storedExpires <= now
      ? 'the stored login had expired'
      : 'the source holds a newer login';
  changes.push({ profileId, source: source.id, kind: stored ? 'update' : 'create', reason });
  return changes;
}

function findCodexTwin(
  profiles: Record<string, unknown>,
  cred: { access?: string | undefined; refresh?: string | undefined },
): string | undefined {
  if (!cred.access || !cred.refresh) return undefined;
  for (const [id, value] of Object.entries(profiles)) {
    if (id === SOURCE_PROFILE['codex-cli']) continue;
    const other = asCredential(value);
    if (
      other?.type === 'oauth' &&
      other.provider === 'openai-codex' &&
      other.access === cred.access &&
      other.refresh === cred.refresh
    )
      return id;
  }
  return undefined;
}
