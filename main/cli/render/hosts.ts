/**
 * Remote hosts on a terminal: the configured list, what `hosts test` found, and the heading of
 * each host's section in `status --host` / `--all-hosts`. Everything a host sent (versions,
 * gateway names, messages, ssh's own lines) goes through `t`: escaped, secrets masked.
 */
import { clockText } from '../../../common/live-usage.js';
import { LOCAL_HOST_NAME, type HostEntry } from '../../../common/host-entry.js';
import type { HostReport } from '../../../common/hosts.js';
import { forTerminal as t } from '../../engine/secrets/scrub.js';
import { headlineLevel, headlineText, paint, statusRows, type Style } from './status.js';
import { renderTable } from './table.js';

export function renderHostList(hosts: readonly HostEntry[]): string {
  if (hosts.length === 0)
    return 'No remote hosts: add one with `authbar hosts add NAME SSH` (e.g. `vps user@vps.example`).\n';
  const rows = [
    ['NAME', 'SSH', 'AUTHBAR'],
    ...hosts.map((h) => [t(h.name), t(h.ssh), t(h.authbar ?? 'authbar (on PATH)')]),
  ];
  return renderTable(rows).join('\n') + '\n';
}

/** `vps (ssh user@vps)`, or `this machine`. */
export function hostTitle(r: Pick<HostReport, 'name' | 'ssh'>): string {
  return r.ssh === null ? (r.name === LOCAL_HOST_NAME ? 'this machine' : t(r.name)) : `${t(r.name)} (ssh ${t(r.ssh)})`;
}

/** `ok`, `unreachable since 14:02`: a state with the time it began, in the user's clock. */
export function stateText(r: HostReport, now: number): string {
  const word = r.state === 'ok' ? 'ok' : r.state;
  return r.state !== 'ok' && r.since !== null ? `${word} since ${clockText(r.since, now)}` : word;
}

/** `OpenClaw 2026.9.6`: the gateway the host's snapshot names, with its version when known. */
export function gatewayText(r: HostReport): string | null {
  const g = r.snapshot?.gateway;
  if (!g) return null;
  return t(g.label ?? `${g.name ?? g.kind}${g.version ? ` ${g.version}` : ''}`);
}

/**
 * The heading of a host's section: its title and state; for a host AuthBar could not read,
 * the sentence saying why and the command that fixes it.
 */
export function renderHostHeading(r: HostReport, now: number, style: Style): string {
  const colour = r.state === 'ok' ? 'bold' : 'red';
  const version = r.authbarVersion !== null && r.ssh !== null ? `, AuthBar ${t(r.authbarVersion)}` : '';
  // `ok` here is the connection, not the credentials (the headline below says those): words that cannot be misread.
  const state = r.state === 'ok' ? (r.ssh === null ? '' : `: reached${version}`) : `: ${stateText(r, now)}${version}`;
  const lines = [paint(style, colour, `== ${hostTitle(r)}${state} ==`)];
  if (r.state !== 'ok') {
    if (r.message) lines.push(`  ${t(r.message)}.`);
    if (r.fix) lines.push(`  fix: ${t(r.fix)}`);
    lines.push(paint(style, 'red', '  Not known to be healthy: AuthBar could not read its credentials.'));
  }
  return lines.join('\n') + '\n';
}

/** What `authbar hosts test NAME` prints. */
export function renderHostTest(
  r: HostReport,
  now: number,
  style: Style,
  gateway: { name: string; version: string } | null = null,
): string {
  if (r.state !== 'ok' || r.snapshot === null) {
    const lines = [
      paint(style, 'red', `${hostTitle(r)}: ${stateText(r, now)}.`),
      ...(r.message ? [`  ${t(r.message)}.`] : []),
      ...(r.fix ? [`  fix: ${t(r.fix)}`] : []),
      ...(r.authbarVersion !== null ? [`  AuthBar ${t(r.authbarVersion)} answered there.`] : []),
      ...(gateway ? [`  Gateway: ${t(gateway.name)} ${t(gateway.version)} is there (its own CLI answered).`] : []),
    ];
    return lines.join('\n') + '\n';
  }
  const level = headlineLevel(r.snapshot.overall.attention, statusRows(r.snapshot));
  const agents = r.snapshot.agents.length;
  return (
    [
      paint(style, 'green', `${hostTitle(r)}: connected.`),
      `  AuthBar ${t(r.authbarVersion ?? 'unknown')} answered there.`,
      `  Gateway: ${gatewayText(r) ?? 'none'} (${t(r.snapshot.stateDir)}), ${agents} agent${agents === 1 ? '' : 's'}.`,
      `  ${headlineText(level)}${level === 'none' ? '' : ` see \`authbar status --host ${t(r.name)}\`.`}`,
    ].join('\n') + '\n'
  );
}
