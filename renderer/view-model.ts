/**
 * The details window's view model: pure functions from a snapshot (and the clock) to the words
 * and rows the window shows, and the checks run on what the user types. No DOM here, so node's
 * test runner covers it; renderer.ts only turns these values into elements.
 *
 * Every string that comes from a file (profile ids, paths, errors, gateway notes) goes through
 * `shown()` first: it can hold anything, so secrets are masked and control characters are
 * escaped visibly before it reaches the page.
 */
import type { AgentView, ProfileView, Snapshot, SourceView } from '../common/snapshot.js';
import type { Settings } from '../main/engine/settings.js';
import { scrubSecrets } from '../main/engine/secrets/scrub.js';

export type Attention = 'none' | 'soon' | 'now';
export type Tone = 'ok' | 'soon' | 'now' | 'muted';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Data older than this is flagged as stale (still shown, with its age). */
export const STALE_AFTER_MS = 10 * MINUTE;
/** Longest file-derived string shown; the rest is cut with an ellipsis. */
export const MAX_SHOWN = 400;

/** Replaces every credential-shaped substring with its masked form (`sk-ant-oat01-…Xy12`): the engine's rule. */
export function redactSecrets(text: string): string {
  return scrubSecrets(text);
}

/**
 * Control characters (C0, DEL, C1), bidi overrides and invisible separators, written out as
 * escapes: a file name with a newline or a right-to-left override must not disguise itself.
 */
export function escapeControls(text: string): string {
  // The same class as the engine's `escapeControls` (main/engine/scrub.ts): zero-width,
  // soft hyphen, tag characters and fillers too, so no name reads like another.
  return text.replace(
    // eslint-disable-next-line no-misleading-character-class
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu,
    (c) => {
      const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      const code = c.codePointAt(0) ?? 0;
      if (code > 0xffff) return `\\u{${code.toString(16)}}`;
      return (
        named[c] ??
        (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
      );
    },
  );
}

/** How any file-derived string is shown: secrets masked, controls escaped, length capped. */
export function shown(text: string | null | undefined, max = MAX_SHOWN): string {
  if (text === null || text === undefined) return '';
  const safe = escapeControls(redactSecrets(text));
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** "3 d 4 h", "5 h 12 min", "42 min", "less than a minute" (sign ignored; to the nearest minute). */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'less than a minute';
  const m = Math.round(abs / MINUTE);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (d >= 2) return h % 24 === 0 || d >= 14 ? `${d} days` : `${d} d ${h % 24} h`;
  if (d === 1) return h % 24 === 0 ? '1 day' : `1 d ${h % 24} h`;
  if (h >= 1) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${m} min`;
}

/** "in 3 d 4 h" / "2 h ago" / "just now", relative to `now`. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < MINUTE) return 'just now';
  return delta > 0 ? `in ${duration(delta)}` : `${duration(delta)} ago`;
}

export interface TimeFormat {
  locale?: string;
  timeZone?: string;
}

/** "Mar 17, 2026, 9:30 AM" in the user's locale (tests pin locale and zone). */
export function absoluteTime(at: number, fmt: TimeFormat = {}): string {
  return new Intl.DateTimeFormat(fmt.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: fmt.timeZone,
  }).format(at);
}

function absoluteDate(at: number, fmt: TimeFormat): string {
  return new Intl.DateTimeFormat(fmt.locale, { dateStyle: 'medium', timeZone: fmt.timeZone }).format(at);
}

export function toneOf(attention: Attention): Tone {
  return attention === 'none' ? 'ok' : attention;
}

// ---------------------------------------------------------------------------------------------
// The view

export interface Line {
  text: string;
  tone?: Tone;
  /** Secondary text shown after the main one (absolute times, hints). */
  detail?: string;
}

export interface ProfileRow {
  profileId: string;
  /** The raw id, matched against the window's route (never rendered as-is). */
  rawProfileId: string;
  provider: string;
  type: string;
  source: string;
  status: { text: string; tone: Tone };
  expiry: Line;
  tokenAge: Line | null;
  lastRefresh: Line | null;
  credential: string;
  /** The account the login belongs to, when the store says. */
  account: string | null;
  notes: Line[];
}

export interface AgentSection {
  agentId: string;
  /** The raw id, passed back to `revealStore` (never rendered as-is). */
  rawAgentId: string;
  attention: Attention;
  title: string;
  storePath: string;
  storeLine: Line;
  lastSync: Line;
  notes: Line[];
  profiles: ProfileRow[];
  /** What to say in place of the profiles when there are none. */
  emptyText: string;
}

export interface SourceRow {
  name: string;
  status: { text: string; tone: Tone };
  detail: string;
}

export interface VaultRow {
  profileId: string;
  credential: string;
  detail: string;
}

export interface WindowView {
  overall: { attention: Attention; headline: string; summary: string; reasons: string[] };
  freshness: { text: string; stale: boolean; detail: string };
  gateway: { title: string; lines: Line[] };
  agents: AgentSection[];
  sources: SourceRow[];
  vault: { available: boolean; reason: string; rows: VaultRow[] } | null;
}

const TYPE_LABEL: Record<ProfileView['type'], string> = {
  oauth: 'OAuth login',
  token: 'Setup token',
  api_key: 'API key',
};
const STATUS_LABEL: Record<ProfileView['status'], string> = {
  ok: 'OK',
  expiring: 'Expiring',
  expired: 'Expired',
  missing: 'No expiry recorded',
  static: 'No expiry',
};
const SOURCE_LABEL: Record<string, string> = {
  'claude-code': 'Claude Code',
  'codex-cli': 'Codex CLI',
  'qwen-code': 'Qwen Code',
  store: 'Agent store',
  vault: 'AuthBar vault',
};
const GATEWAY_LABEL = { clawdbot: 'Clawdbot', openclaw: 'OpenClaw' } as const;
const DATA_VIA_LABEL = {
  'json-files': "Clawdbot's JSON stores",
  sqlite: "OpenClaw's SQLite store (read-only)",
  'gateway-cli': 'the output of openclaw models status --json',
} as const;
const SOURCE_STATUS_LABEL: Record<SourceView['status'], string> = {
  ok: 'OK',
  absent: 'Not installed',
  'logged-out': 'Logged out',
  invalid: 'Unreadable format',
  unreadable: 'Cannot read',
  unavailable: 'Unavailable',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? shown(source, 60);
}

/** A setup token is "static" to the gateway, but AuthBar knows its age: say what it means. */
function statusText(p: ProfileView, now: number): string {
  if (p.type !== 'token' || p.token === null || p.status !== 'static') return STATUS_LABEL[p.status];
  if (p.token.expiresAt !== null && p.token.expiresAt <= now) return 'Expired';
  return p.attention === 'none' ? 'OK' : p.attention === 'soon' ? 'Renew soon' : 'Renew now';
}

function profileTone(p: ProfileView): Tone {
  if (p.attention !== 'none') return p.attention;
  return p.status === 'expired' && !p.refreshable ? 'now' : 'ok';
}

export function expiryLine(p: ProfileView, now: number, fmt: TimeFormat): Line {
  const remaining = p.expiresAt === null ? null : p.expiresAt - now;
  const abs = p.expiresAt === null ? undefined : absoluteTime(p.expiresAt, fmt);
  if (p.refreshable) {
    if (remaining === null) return { text: 'Refreshes by itself', tone: 'ok' };
    return remaining > 0
      ? { text: `Refreshes by itself · access token for ${duration(remaining)}`, tone: 'ok', detail: `until ${abs}` }
      : { text: `Refreshes by itself · access token expired ${duration(remaining)} ago`, tone: 'ok', detail: abs };
  }
  if (remaining === null && p.token && p.token.expiresAt !== null) {
    // Gateways store no expiry for setup tokens: AuthBar's record or estimate stands in.
    const left = p.token.expiresAt - now;
    const estimated = p.token.expiryKind === 'estimated';
    const about = estimated ? 'about ' : '';
    const when = `${absoluteDate(p.token.expiresAt, fmt)}${estimated ? ' (estimated)' : ''}`;
    return left > 0
      ? { text: `Expires in ${about}${duration(left)}`, tone: profileTone(p), detail: when }
      : { text: `Expired ${about}${duration(left)} ago`, tone: 'now', detail: when };
  }
  if (remaining === null)
    return p.type === 'api_key' || p.status === 'static'
      ? { text: 'Never expires', tone: 'ok' }
      : { text: 'Expiry unknown', tone: 'soon' };
  const tone = profileTone(p);
  return remaining > 0
    ? { text: `Expires in ${duration(remaining)}`, tone, detail: abs }
    : { text: `Expired ${duration(remaining)} ago`, tone: 'now', detail: abs };
}

/**
 * Days, rounded down: a token first seen 41.9 days ago is "at least 41 days old" (it may be
 * older: gateways do not record when a token was minted). When it ends is the expiry line's job.
 */
export function tokenAgeLine(p: ProfileView, now: number, fmt: TimeFormat): Line | null {
  const t = p.token;
  if (t === null) return null;
  let text: string;
  if (t.mintedAt !== null) {
    const days = Math.max(0, Math.floor((now - t.mintedAt) / DAY));
    text = `Token ${days} ${days === 1 ? 'day' : 'days'} old · minted ${absoluteDate(t.mintedAt, fmt)}`;
  } else {
    const days = Math.max(0, Math.floor(t.ageMs / DAY));
    text = `Token at least ${days} ${days === 1 ? 'day' : 'days'} old · first seen ${absoluteDate(t.firstSeenAt, fmt)}`;
  }
  if (t.inVault) text += ' · kept in the AuthBar vault';
  return { text, detail: `renew with ${shown(t.renewCommand, 80)}`, tone: 'muted' };
}

function credentialText(masked: string | null, fingerprint: string | null): string {
  const parts: string[] = [];
  if (masked !== null) parts.push(shown(masked, 48));
  if (fingerprint !== null) parts.push(`fingerprint ${shown(fingerprint, 24)}`);
  return parts.length > 0 ? parts.join(' · ') : 'No credential';
}

function profileRow(agentId: string, p: ProfileView, snapshot: Snapshot, now: number, fmt: TimeFormat): ProfileRow {
  const notes: Line[] = [];
  const reason = p.attention !== 'none' && p.reason ? shown(p.reason) : '';
  if (reason) notes.push({ text: reason, tone: toneOf(p.attention) });
  if (p.cooldownUntil !== null && p.cooldownUntil > now)
    notes.push({ text: `Cooling down for ${duration(p.cooldownUntil - now)}`, tone: 'soon' });
  if (p.disabledUntil !== null && p.disabledUntil > now) {
    notes.push({
      text: `Disabled for ${duration(p.disabledUntil - now)}${p.disabledReason ? ` (${shown(p.disabledReason, 120)})` : ''}`,
      tone: 'now',
    });
  }
  if (p.inStepWithSource === false)
    notes.push({ text: `Out of step with ${sourceLabel(p.source)}: Resync to take the newer login`, tone: 'soon' });
  if (!p.usable && p.attention === 'none') notes.push({ text: 'Not usable right now', tone: 'soon' });
  const refresh = snapshot.refresh.find((r) => r.profileId === p.profileId);
  const lastRefresh: Line | null = refresh
    ? refresh.ok
      ? { text: `Last refresh ${relativeTime(refresh.at, now)}`, tone: 'muted', detail: absoluteTime(refresh.at, fmt) }
      : {
          text: `Refresh failed ${relativeTime(refresh.at, now)}${refresh.error ? `: ${shown(refresh.error, 200)}` : ''}`,
          tone: refresh.permanent ? 'now' : 'soon',
        }
    : null;
  return {
    profileId: shown(p.profileId, 120),
    rawProfileId: p.profileId,
    provider: shown(p.provider, 60),
    type: TYPE_LABEL[p.type],
    source: sourceLabel(p.source),
    status: { text: statusText(p, now), tone: profileTone(p) },
    expiry: expiryLine(p, now, fmt),
    tokenAge: tokenAgeLine(p, now, fmt),
    lastRefresh,
    credential: credentialText(p.masked, p.fingerprint),
    account: p.email ? shown(p.email, 120) : null,
    notes,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function lastSyncLine(a: AgentView, generatedAt: number, now: number): Line {
  const when = relativeTime(generatedAt, now);
  if (a.sync.error) return { text: `Sync failed ${when}: ${shown(a.sync.error, 240)}`, tone: 'now' };
  if (a.sync.mode === 'skipped') return { text: 'Not synced: this agent is not managed', tone: 'muted' };
  if (a.sync.mode === 'dry-run') {
    return a.outOfStep.length > 0
      ? { text: `${plural(a.outOfStep.length, 'change')} waiting: Resync to apply`, tone: 'soon' }
      : { text: `In step with its sources (checked ${when})`, tone: 'ok' };
  }
  return a.sync.wrote
    ? { text: `Synced ${when}: ${plural(a.sync.changes.length, 'change')} written`, tone: 'ok' }
    : { text: `Synced ${when}: already up to date`, tone: 'ok' };
}

function agentSection(a: AgentView, snapshot: Snapshot, now: number, fmt: TimeFormat): AgentSection {
  const notes: Line[] = [];
  if (a.error) notes.push({ text: shown(a.error), tone: 'now' });
  if (a.passive) notes.push({ text: shown(a.passive), tone: 'muted' });
  if (a.linkTarget) notes.push({ text: `Symlink to ${shown(a.linkTarget)}`, tone: 'muted' });
  for (const provider of a.missingProviders)
    notes.push({ text: `No usable credential for ${shown(provider, 60)}`, tone: 'now' });
  if (a.ignoredEntries.length > 0)
    notes.push({
      text: `${a.ignoredEntries.length === 1 ? '1 entry' : `${a.ignoredEntries.length} entries`} the gateway ignores: ${a.ignoredEntries.map((e) => shown(e, 60)).join(', ')}`,
      tone: 'muted',
    });
  const storeLine: Line =
    a.storeStatus === 'ok'
      ? { text: 'Store OK', tone: 'ok' }
      : a.storeStatus === 'missing'
        ? { text: 'No store yet', tone: 'muted' }
        : { text: 'Store unusable', tone: 'now' };
  return {
    agentId: shown(a.agentId, 80),
    rawAgentId: a.agentId,
    attention: a.attention,
    title: `Agent ${shown(a.agentId, 80)}`,
    storePath: shown(a.storePath),
    storeLine,
    lastSync: lastSyncLine(a, snapshot.generatedAt, now),
    notes,
    profiles: a.profiles.map((p) => profileRow(a.agentId, p, snapshot, now, fmt)),
    emptyText:
      a.storeStatus === 'error'
        ? 'Its profiles are unknown until the store can be read.'
        : a.storeStatus === 'missing'
          ? 'No store yet: no profiles.'
          : 'No profiles in this store yet.',
  };
}

const SOURCE_NAME: Record<string, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
  'codex-cli': 'Codex CLI',
  qwen: 'Qwen Code',
  'qwen-code': 'Qwen Code',
};

function sourceRow(s: SourceView, now: number, fmt: TimeFormat): SourceRow {
  let detail: string;
  if (s.status === 'ok') {
    const exp =
      s.remainingMs === null && s.expiresAt === null
        ? 'no expiry recorded'
        : s.expiresAt !== null && s.expiresAt - now <= 0
          ? `expired ${duration(s.expiresAt - now)} ago`
          : `expires in ${duration(s.expiresAt !== null ? s.expiresAt - now : (s.remainingMs ?? 0))}`;
    detail = `${credentialText(s.masked, s.fingerprint)} · ${exp}${s.expirySource === 'mtime' ? ' (guessed from the file date)' : ''}`;
    if (s.expiresAt !== null) detail += ` · ${absoluteTime(s.expiresAt, fmt)}`;
  } else {
    detail = s.error ? shown(s.error, 240) : shown(s.path);
  }
  return {
    name: `${SOURCE_NAME[s.id] ?? shown(s.id, 40)} (${s.kind === 'keychain' ? 'Keychain' : shown(s.path, 120)})`,
    status: {
      text: SOURCE_STATUS_LABEL[s.status],
      tone:
        s.status === 'ok' ? toneOf(s.attention) : s.status === 'absent' || s.status === 'logged-out' ? 'muted' : 'soon',
    },
    detail,
  };
}

function headline(attention: Attention): string {
  return attention === 'none'
    ? 'All credentials healthy'
    : attention === 'soon'
      ? 'Attention needed soon'
      : 'Action needed now';
}

export function freshness(snapshot: Snapshot, now: number, fmt: TimeFormat): WindowView['freshness'] {
  const at = Math.max(snapshot.generatedAt, snapshot.monitor?.lastScanAt ?? 0);
  const age = now - at;
  const stale = age > STALE_AFTER_MS;
  const text = age < MINUTE ? 'Updated just now' : `Updated ${duration(age)} ago`;
  let detail = absoluteTime(at, fmt);
  if (snapshot.monitor && !snapshot.monitor.running) detail += ' · the monitor is not running';
  return { text: stale ? `${text} — may be out of date` : text, stale, detail };
}

export function buildView(snapshot: Snapshot, now: number, fmt: TimeFormat = {}): WindowView {
  const g = snapshot.gateway;
  const gatewayLines: Line[] = [
    { text: `Detected: ${shown(g.detectedBy)}`, tone: 'muted' },
    {
      text: `Reading ${DATA_VIA_LABEL[g.dataVia]}`,
      tone: g.dataVia === 'gateway-cli' ? 'soon' : 'muted',
      detail: shown(g.stateDir),
    },
  ];
  if (g.note) gatewayLines.push({ text: shown(g.note), tone: 'soon' });
  if (snapshot.configError) gatewayLines.push({ text: shown(snapshot.configError), tone: 'now' });
  const profiles = snapshot.agents.reduce((n, a) => n + a.profiles.length, 0);
  const vault = snapshot.vault;
  return {
    overall: {
      attention: snapshot.overall.attention,
      headline:
        profiles === 0 && snapshot.overall.attention === 'none'
          ? 'No credentials found'
          : headline(snapshot.overall.attention),
      summary: `${plural(profiles, 'profile')} in ${plural(snapshot.agents.length, 'agent')}`,
      reasons: snapshot.overall.reasons.map((r) => shown(r)),
    },
    freshness: freshness(snapshot, now, fmt),
    gateway: {
      title: `${Object.hasOwn(GATEWAY_LABEL, g.kind) ? GATEWAY_LABEL[g.kind as keyof typeof GATEWAY_LABEL] : g.kind} ${g.version === null ? '(version unknown)' : shown(g.version, 40)}`,
      lines: gatewayLines,
    },
    agents: snapshot.agents.map((a) => agentSection(a, snapshot, now, fmt)),
    sources: snapshot.sources.map((s) => sourceRow(s, now, fmt)),
    vault:
      vault === null
        ? null
        : {
            available: vault.available,
            reason: shown(vault.reason),
            rows: vault.entries.map((e) => ({
              profileId: shown(e.profileId, 120),
              credential: credentialText(e.masked, e.fingerprint),
              detail: [
                `added ${absoluteDate(e.addedAt, fmt)}`,
                e.expiresAt !== null
                  ? e.expiresAt > now
                    ? `expires in ${duration(e.expiresAt - now)}`
                    : `expired ${duration(e.expiresAt - now)} ago`
                  : null,
                e.landedIn.length > 0 ? `in ${e.landedIn.map((x) => shown(x, 60)).join(', ')}` : 'not in any agent yet',
              ]
                .filter((x): x is string => x !== null)
                .join(' · '),
            })),
          },
  };
}

// ---------------------------------------------------------------------------------------------
// What the user types

export type TokenCheck = { ok: true; token: string; kind: 'setup-token' | 'api-key' } | { ok: false; error: string };

export const SETUP_TOKEN_PREFIX = 'sk-ant-oat01-';
export const API_KEY_PREFIX = 'sk-ant-api';
export const SETUP_TOKEN_MIN = 80;

/**
 * Checks a pasted token before anything is sent. Each message says exactly what is wrong and
 * never repeats the token (or any character of it).
 */
export function checkToken(raw: string): TokenCheck {
  const token = raw.trim();
  if (token.length === 0) return { ok: false, error: 'Paste a token first: the field is empty.' };
  const space = token.search(/\s/);
  if (space >= 0)
    return {
      ok: false,
      error: `The token has a space or line break at character ${space + 1}: paste it as one piece.`,
    };
  const kind = token.startsWith(SETUP_TOKEN_PREFIX)
    ? 'setup-token'
    : token.startsWith(API_KEY_PREFIX)
      ? 'api-key'
      : null;
  if (kind === null) {
    if (token.startsWith('sk-ant-ort'))
      return {
        ok: false,
        error:
          'This is a refresh token, not a setup token: run `claude setup-token` and paste the token it prints (sk-ant-oat01-…).',
      };
    return {
      ok: false,
      error: 'This is not an Anthropic setup token (sk-ant-oat01-…) or API key (sk-ant-api…): check what you copied.',
    };
  }
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0)
    return { ok: false, error: `Character ${bad + 1} is not allowed: a token holds only letters, digits, - and _.` };
  if (kind === 'setup-token' && token.length < SETUP_TOKEN_MIN) {
    return {
      ok: false,
      error: `Too short for a setup token: ${token.length} characters, at least ${SETUP_TOKEN_MIN} expected. It may have been cut off when copied.`,
    };
  }
  if (kind === 'api-key' && token.length < 40)
    return {
      ok: false,
      error: `Too short for an API key: ${token.length} characters. It may have been cut off when copied.`,
    };
  return { ok: true, token, kind };
}

/** The optional profile id of the Add-token form: empty leaves the choice to AuthBar. */
export function checkProfileId(
  raw: string,
): { ok: true; profileId: string | undefined } | { ok: false; error: string } {
  const id = raw.trim();
  if (id === '') return { ok: true, profileId: undefined };
  if (!/^anthropic:[A-Za-z0-9._@+-]{1,64}$/.test(id))
    return {
      ok: false,
      error: 'The profile must look like anthropic:name (letters, digits, . _ @ + -), or be left empty.',
    };
  return { ok: true, profileId: id };
}

export function checkExpiresInDays(raw: string): { ok: true; days: number | undefined } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === '') return { ok: true, days: undefined };
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > 366)
    return { ok: false, error: 'Expires in must be a whole number of days from 1 to 366, or be left empty.' };
  return { ok: true, days: Number(text) };
}

/** The settings form's fields, as typed. */
export interface SettingsForm {
  warnHours: string;
  notifications: boolean;
  allAgents: boolean;
  agents: string[];
  terminal: string;
  tokenReminderDays: string;
}

export type SettingsPatch = Partial<
  Pick<Settings, 'warnHours' | 'notifications' | 'agents' | 'terminal' | 'tokenReminderDays'>
>;

function sameAgents(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

/** The patch of what changed, or the first field that is wrong (named as on screen). */
export function settingsPatch(
  current: Settings,
  form: SettingsForm,
): { ok: true; patch: SettingsPatch } | { ok: false; error: string; field: keyof SettingsForm } {
  const warn = Number(form.warnHours.trim());
  if (form.warnHours.trim() === '' || !Number.isFinite(warn) || warn <= 0 || warn > 24 * 365) {
    return { ok: false, field: 'warnHours', error: 'Warn window must be a number of hours above 0 and at most 8760.' };
  }
  const days = Number(form.tokenReminderDays.trim());
  if (form.tokenReminderDays.trim() === '' || !Number.isInteger(days) || days < 1 || days > 365) {
    return {
      ok: false,
      field: 'tokenReminderDays',
      error: 'Token reminder must be a whole number of days from 1 to 365.',
    };
  }
  if (!form.allAgents && form.agents.length === 0)
    return { ok: false, field: 'agents', error: 'Choose at least one agent to manage, or manage all agents.' };
  const terminal = form.terminal.trim();
  if (/[\u0000-\u001f\u007f]/.test(terminal))
    return { ok: false, field: 'terminal', error: 'Terminal app must be a name or path on one line.' };
  const agents = form.allAgents ? null : [...form.agents];
  const patch: SettingsPatch = {};
  if (warn !== current.warnHours) patch.warnHours = warn;
  if (form.notifications !== current.notifications) patch.notifications = form.notifications;
  if (!sameAgents(agents, current.agents)) patch.agents = agents;
  if ((terminal === '' ? null : terminal) !== current.terminal) patch.terminal = terminal === '' ? null : terminal;
  if (days !== current.tokenReminderDays) patch.tokenReminderDays = days;
  return { ok: true, patch };
}
