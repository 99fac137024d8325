/**
 * `authbar watch`'s events and their one-line human form (every string escaped for a terminal).
 */
import type { Notice } from '../../engine/notify/notices.js';
import type { Snapshot } from '../../../common/snapshot.js';
import type { HostState } from '../../../common/hosts.js';
import { forTerminal, type KnownSecrets } from '../../engine/secrets/scrub.js';

/** One terminal-safe line: the engine's `forTerminal` (secrets and known secret values masked, controls, bidi and invisible characters escaped). */
export function safeLine(text: string, known?: KnownSecrets): string {
  return forTerminal(text, known);
}

function iso(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The running gateway's view in a few words: its state, disagreements, and each usage window. */
export function liveWords(live: NonNullable<Snapshot['live']>): string {
  if (live.state === 'off') return 'live: off';
  if (live.state !== 'connected') return `live: ${live.state}${live.reasonCode ? ` (${live.reasonCode})` : ''}`;
  const parts = ['live: connected'];
  if (live.disagreements.length > 0) parts.push(`${live.disagreements.length} disagreement(s) with the files`);
  for (const p of live.providers)
    for (const w of p.usage) parts.push(`${p.displayName ?? p.provider} ${w.label} ${Math.round(w.usedPercent)} %`);
  return parts.join(', ');
}

/** The human line for one event (without a trailing newline); a host's event starts with `[host]`. */
export function humanLine(e: WatchEvent, known?: KnownSecrets): string {
  const line = eventLine(e, known);
  return e.host === undefined ? line : `[${forTerminal(e.host, known)}] ${line}`;
}

function eventLine(e: WatchEvent, known?: KnownSecrets): string {
  const safeLine = (text: string) => forTerminal(text, known);
  switch (e.type) {
    case 'host': {
      const since = e.since === null ? '' : ` since ${iso(e.since)}`;
      const version = e.authbarVersion === null ? '' : ` (AuthBar ${safeLine(e.authbarVersion)})`;
      const said = e.message ? ` — ${safeLine(e.message)}` : '';
      const fix = e.fix ? ` — to fix: ${safeLine(e.fix)}` : '';
      return `${iso(e.at)} host      ${e.state}${since}${version}${said}${fix}`;
    }
    case 'hello':
      return `${iso(e.at)} hello     AuthBar ${safeLine(e.authbar)}, watch protocol ${e.protocol}`;
    case 'started':
      return `${iso(e.at)} started   watching ${e.watching.length} paths (gateway ${safeLine(e.gateway)})`;
    case 'stopped':
      return `${iso(e.at)} stopped   ${safeLine(e.reason)}`;
    case 'error':
      return `${iso(e.at)} error     ${safeLine(e.message)}`;
    case 'notice':
      return `${iso(e.at)} notice    ${safeLine(e.notice.state.toUpperCase())}: ${safeLine(e.notice.title)} — ${safeLine(e.notice.body)}`;
    case 'snapshot': {
      const s = e.snapshot;
      const word = { none: 'ok', soon: 'soon', now: 'NOW' }[s.overall.attention];
      const reasons =
        s.overall.reasons.length === 0
          ? 'all credentials healthy'
          : s.overall.reasons.slice(0, 3).join('; ') +
            (s.overall.reasons.length > 3 ? `; and ${s.overall.reasons.length - 3} more` : '');
      const synced = e.wrote.length > 0 ? ` — synced ${e.wrote.join(', ')}` : '';
      const next = s.monitor?.nextDeadlineAt ? ` — next check ${iso(s.monitor.nextDeadlineAt)}` : '';
      const live = s.live ? ` — ${liveWords(s.live)}` : '';
      return `${iso(e.at)} snapshot  ${word.padEnd(4)} ${safeLine(reasons)}${safeLine(synced)}${safeLine(live)} (${e.trigger})${next}`;
    }
  }
}

/** With --all-hosts every event names its host (`this` for this machine). */
export type WatchEvent = WatchEventBody & { host?: string };

type WatchEventBody =
  | {
      type: 'host';
      at: number;
      state: HostState;
      since: number | null;
      authbarVersion: string | null;
      message: string | null;
      fix: string | null;
    }
  | { type: 'hello'; at: number; authbar: string; protocol: number }
  | { type: 'started'; at: number; watching: string[]; gateway: string; pid: number }
  | { type: 'snapshot'; at: number; trigger: string; paths: string[]; wrote: string[]; snapshot: Snapshot }
  | { type: 'notice'; at: number; notice: Notice }
  | { type: 'error'; at: number; message: string }
  | { type: 'stopped'; at: number; reason: string };
