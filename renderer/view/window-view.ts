/**
 * The whole window's view: pure functions from a snapshot (and the clock) to the words and
 * rows the window shows. No DOM here, so node's test runner covers it.
 */
import type { AgentView, Snapshot, SourceView } from '../../common/snapshot.js';
import { dataViaLabel, gatewayLabel, SOURCE_STATUS_LABEL } from './labels.js';
import { credentialText, profileRow, type ProfileRow } from './profile.js';
import {
  absoluteDate,
  absoluteTime,
  duration,
  plural,
  relativeTime,
  shown,
  STALE_AFTER_MS,
  toneOf,
  type Attention,
  type Line,
  type TimeFormat,
  type Tone,
} from './text.js';
import { MINUTE_MS as MINUTE } from '../../common/duration.js';
import { hostRenewText } from '../../common/host-renew.js';

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

export function lastSyncLine(a: AgentView, generatedAt: number, now: number, host?: string): Line {
  const when = relativeTime(generatedAt, now);
  if (a.sync.error) return { text: `Sync failed ${when}: ${shown(a.sync.error, 240)}`, tone: 'now' };
  if (a.sync.mode === 'skipped') return { text: 'Not synced: this agent is not managed', tone: 'muted' };
  if (a.sync.mode === 'dry-run') {
    return a.outOfStep.length > 0
      ? {
          text: `${plural(a.outOfStep.length, 'change')} waiting: ${host === undefined ? 'Resync' : `run authbar sync on ${host}`} to apply`,
          tone: 'soon',
        }
      : { text: `In step with its sources (checked ${when})`, tone: 'ok' };
  }
  return a.sync.wrote
    ? { text: `Synced ${when}: ${plural(a.sync.changes.length, 'change')} written`, tone: 'ok' }
    : { text: `Synced ${when}: already up to date`, tone: 'ok' };
}

function agentSection(a: AgentView, snapshot: Snapshot, now: number, fmt: TimeFormat, host?: string): AgentSection {
  const notes: Line[] = [];
  const said = (text: string) => (host === undefined ? text : hostRenewText(text, host));
  if (a.error) notes.push({ text: shown(said(a.error)), tone: 'now' });
  if (a.passive) notes.push({ text: shown(said(a.passive)), tone: 'muted' });
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
    lastSync: lastSyncLine(a, snapshot.generatedAt, now, host),
    notes,
    profiles: a.profiles.map((p) => profileRow(a.agentId, p, snapshot, now, fmt, host)),
    emptyText:
      a.storeStatus === 'error'
        ? 'Its profiles are unknown until the store can be read.'
        : a.storeStatus === 'missing'
          ? 'No store yet: no profiles.'
          : 'No profiles in this store yet.',
  };
}

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
    name: `${shown(s.label ?? s.id, 40)} (${s.kind === 'keychain' ? 'Keychain' : shown(s.path, 120)})`,
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

/** `host`: the remote host the snapshot is from (its commands are worded for this machine). */
export function buildView(snapshot: Snapshot, now: number, fmt: TimeFormat = {}, host?: string): WindowView {
  const g = snapshot.gateway;
  const gatewayLines: Line[] = [
    { text: `Detected: ${shown(g.detectedBy)}`, tone: 'muted' },
    {
      text: `Reading ${dataViaLabel(g)}`,
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
      reasons: snapshot.overall.reasons.map((r) => shown(host === undefined ? r : hostRenewText(r, host))),
    },
    freshness: freshness(snapshot, now, fmt),
    gateway: {
      title: `${gatewayLabel(g)} ${g.version === null ? '(version unknown)' : shown(g.version, 40)}`,
      lines: gatewayLines,
    },
    agents: snapshot.agents.map((a) => agentSection(a, snapshot, now, fmt, host)),
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
