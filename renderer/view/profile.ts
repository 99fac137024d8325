/**
 * One profile's row: its status, expiry, token age, last refresh, credential and notes.
 */
import { DAY_MS as DAY } from '../../common/duration.js';
import { hostRenewText, hostRenewWords } from '../../common/host-renew.js';
import type { ProfileView, Snapshot } from '../../common/snapshot.js';
import { sourceLabel, STATUS_LABEL, TYPE_LABEL } from './labels.js';
import {
  absoluteDate,
  absoluteTime,
  duration,
  relativeTime,
  shown,
  toneOf,
  type Line,
  type TimeFormat,
  type Tone,
} from './text.js';

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
export function tokenAgeLine(p: ProfileView, now: number, fmt: TimeFormat, host?: string): Line | null {
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
  // A host's own renew command would renew THIS machine's gateway: from here it names the host.
  const renew = host === undefined ? shown(t.renewCommand, 80) : shown(hostRenewWords(host, p.profileId), 120);
  return { text, detail: `renew with ${renew}`, tone: 'muted' };
}

export function credentialText(masked: string | null, fingerprint: string | null): string {
  const parts: string[] = [];
  if (masked !== null) parts.push(shown(masked, 48));
  if (fingerprint !== null) parts.push(`fingerprint ${shown(fingerprint, 24)}`);
  return parts.length > 0 ? parts.join(' · ') : 'No credential';
}

/** `host`: the remote host the profile is on; its words about commands are said for this machine. */
export function profileRow(
  agentId: string,
  p: ProfileView,
  snapshot: Snapshot,
  now: number,
  fmt: TimeFormat,
  host?: string,
): ProfileRow {
  const notes: Line[] = [];
  const said = (text: string) => (host === undefined ? text : hostRenewText(text, host));
  const reason = p.attention !== 'none' && p.reason ? shown(said(p.reason)) : '';
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
    notes.push({
      text: `Out of step with ${sourceLabel(p.source, snapshot)}: ${host === undefined ? 'Resync' : `run authbar sync on ${host}`} to take the newer login`,
      tone: 'soon',
    });
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
    source: sourceLabel(p.source, snapshot),
    status: { text: statusText(p, now), tone: profileTone(p) },
    expiry: expiryLine(p, now, fmt),
    tokenAge: tokenAgeLine(p, now, fmt, host),
    lastRefresh,
    credential: credentialText(p.masked, p.fingerprint),
    account: p.email ? shown(p.email, 120) : null,
    notes,
  };
}
