/**
 * The window's remote hosts: one section per host with its state, since when, its AuthBar
 * version, what happened and the fix, then its agents and profiles and the gateway's usage as
 * this machine's are shown. Pure, no DOM. Everything a host sent goes through `shown()`; the
 * name is passed back to `renewOnHost` only when it is a valid host name.
 */
import { HOST_STATE_WORDS, hostAttention, sinceWords, type HostAttention } from '../../common/host-status.js';
import { HOST_NAME } from '../../common/host-name.js';
import type { HostReport } from '../../common/hosts.js';
import { liveSection, type LiveSection } from './live.js';
import { absoluteTime, relativeTime, shown, type Line, type TimeFormat, type Tone } from './text.js';
import { buildView, type AgentSection } from './window-view.js';

export interface HostSection {
  name: string;
  /** The name for `renewOnHost`, or null when it is not a valid host name (then no button). */
  renewName: string | null;
  attention: HostAttention;
  /** `connected`, `unreachable`…, with the connection's tone for the pill. */
  state: { text: string; tone: Tone };
  /** `since 14:02`, `for 3 d`, or ''. */
  since: string;
  /** ssh destination, AuthBar and gateway versions, what happened, when last heard from. */
  lines: Line[];
  /** The exact command that fixes the state, or ''. */
  fix: string;
  agents: AgentSection[];
  usage: LiveSection | null;
  /** What to say in place of the agents when the host has sent none. */
  emptyText: string;
}

const TONE: Record<HostAttention, Tone> = { none: 'ok', unknown: 'muted', soon: 'soon', now: 'now' };

function clock(fmt: TimeFormat): (ms: number) => string {
  const f = new Intl.DateTimeFormat(fmt.locale, { timeStyle: 'short', timeZone: fmt.timeZone });
  return (ms) => f.format(ms);
}

export function hostSection(h: HostReport, now: number, fmt: TimeFormat = {}): HostSection {
  const attention = hostAttention(h);
  const snap = h.snapshot;
  const lines: Line[] = [];
  if (h.ssh) lines.push({ text: `ssh ${shown(h.ssh, 120)}`, tone: 'muted' });
  lines.push({
    text: h.authbarVersion ? `AuthBar ${shown(h.authbarVersion, 40)}` : 'AuthBar version unknown',
    tone: 'muted',
    ...(snap
      ? { detail: `${shown(snap.gateway.name ?? snap.gateway.kind, 40)} ${shown(snap.gateway.version ?? '', 40)}` }
      : {}),
  });
  if (h.state !== 'ok' && h.message) lines.push({ text: shown(h.message, 240), tone: TONE[attention] });
  if (h.state !== 'ok' && h.lastSeenAt)
    lines.push({
      text: `Last heard from ${relativeTime(h.lastSeenAt, now)}`,
      tone: 'muted',
      detail: absoluteTime(h.lastSeenAt, fmt),
    });
  if (h.state !== 'ok' && snap) lines.push({ text: 'Its profiles below are from then, not current.', tone: 'soon' });
  const view = snap ? buildView(snap, now, fmt) : null;
  return {
    name: shown(h.name, 40),
    renewName: HOST_NAME.test(h.name) ? h.name : null,
    attention,
    // The pill says how the connection is; the dot, what the host's credentials need.
    state: {
      text: HOST_STATE_WORDS[h.state],
      tone: h.state === 'ok' ? (snap ? 'ok' : 'muted') : h.state === 'connecting' ? 'muted' : 'soon',
    },
    since: h.state === 'ok' ? '' : sinceWords(h.since, now, clock(fmt)),
    lines,
    fix: h.state !== 'ok' && h.fix ? shown(h.fix, 240) : '',
    agents: view?.agents ?? [],
    usage: liveSection(h.live ?? snap?.live, now, fmt),
    emptyText:
      h.state === 'connecting'
        ? 'Not heard from yet.'
        : snap
          ? 'No agents found.'
          : 'Nothing heard from this host yet.',
  };
}

export function hostSections(hosts: readonly HostReport[], now: number, fmt: TimeFormat = {}): HostSection[] {
  return hosts.map((h) => hostSection(h, now, fmt));
}
