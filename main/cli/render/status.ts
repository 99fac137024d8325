/** Presenting a snapshot on a terminal: a table for people, tab-separated lines for scripts. */
import { formatDuration } from '../../engine/health.js';
import { forTerminal } from '../../engine/secrets/scrub.js';
import type { AgentView, GatewayView, Snapshot } from '../../../common/snapshot.js';
import { isoTime } from '../../engine/time.js';

/**
 * Every piece of text that came from a file (ids, names, paths, messages) goes through
 * `t`: secrets masked, control characters escaped, so no file can drive the terminal or
 * forge a line of `--plain` / `sync` output.
 */
const t = forTerminal;

export interface Style {
  color: boolean;
  /** The user's home: paths under it are shown as `~/…`. */
  home?: string;
}

const codes = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1 } as const;
type Paint = keyof typeof codes;

export function paint(style: Style, colour: Paint, text: string): string {
  return style.color ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

const attentionColour = { none: 'green', soon: 'yellow', now: 'red' } as const;
const attentionWord = { none: 'ok', soon: 'soon', now: 'NOW' } as const;

function expiresIn(remainingMs: number | null): string {
  if (remainingMs === null) return '-';
  return remainingMs <= 0 ? `expired ${formatDuration(remainingMs)}` : formatDuration(remainingMs);
}

/** Pads cells to column widths; the colour codes are added after measuring. */
function table(rows: string[][], colourOf: (row: number, col: number, cell: string) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row, r) =>
    row
      .map((cell, c) =>
        c === row.length - 1 ? colourOf(r, c, cell) : colourOf(r, c, cell) + ' '.repeat((widths[c] ?? 0) - cell.length),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** `~/.openclaw` for a path under home; anything else as it is. */
function tildePath(path: string, home: string | undefined): string {
  if (!home || home === '/') return path;
  const h = home.endsWith('/') ? home.slice(0, -1) : home;
  return path === h ? '~' : path.startsWith(`${h}/`) ? `~${path.slice(h.length)}` : path;
}

/** `Gateway: OpenClaw 2026.9.6 (~/.openclaw, detected: …)`, with a note when data came a degraded way. */
export function gatewayLine(g: GatewayView, style: Style): string {
  const name = t(g.label ?? `${g.kind}${g.version ? ` ${g.version}` : ''}`);
  const via = g.dataVia === 'gateway-cli' ? ', read via openclaw models status --json' : '';
  const line =
    paint(style, 'bold', `Gateway: ${name}`) +
    ` (${t(tildePath(g.stateDir, style.home))}, detected: ${t(g.detectedBy)}${via})`;
  return g.note ? `${line}\n${paint(style, 'dim', `  note: ${t(g.note)}`)}` : line;
}

export function renderStatusTable(snapshot: Snapshot, style: Style): string {
  const lines: string[] = [gatewayLine(snapshot.gateway, style)];
  const overall = snapshot.overall.attention;
  const headline =
    overall === 'none' ? 'All credentials healthy.' : overall === 'soon' ? 'Attention soon:' : 'Action needed now:';
  lines.push(paint(style, attentionColour[overall], headline));
  for (const reason of snapshot.overall.reasons) lines.push(`  - ${t(reason)}`);
  for (const a of snapshot.agents) {
    if (!a.sync.wrote) continue;
    for (const c of a.sync.changes)
      lines.push(
        paint(
          style,
          'dim',
          `  synced: agent ${t(a.agentId)} ${changeVerb.applied[c.kind]} ${t(c.profileId)} from ${t(c.source)}`,
        ),
      );
  }
  // No gateway state dir: say why nothing was synced (AuthBar never creates it).
  const noState = snapshot.agents.find((a) => a.passiveCode === 'no-state-dir');
  if (noState?.passive) lines.push(paint(style, 'dim', `  ${t(noState.passive)}`));
  lines.push('');

  const header = ['AGENT', 'PROFILE', 'TYPE', 'SOURCE', 'STATUS', 'EXPIRES IN', 'ATTENTION'];
  const rows: string[][] = [header];
  const attentionOfRow: Array<keyof typeof attentionColour | null> = [null];
  for (const agent of snapshot.agents) {
    if (agent.error) {
      rows.push([t(agent.agentId), '(store unusable)', '-', '-', 'error', '-', attentionWord[agent.attention]]);
      attentionOfRow.push(agent.attention);
      continue;
    }
    if (agent.profiles.length === 0) {
      rows.push([t(agent.agentId), '(no profiles)', '-', '-', '-', '-', attentionWord[agent.attention]]);
      attentionOfRow.push(agent.attention);
    }
    for (const p of agent.profiles) {
      rows.push([
        t(agent.agentId),
        t(p.profileId),
        p.type,
        t(p.source),
        p.status,
        expiresIn(p.remainingMs),
        attentionWord[p.attention],
      ]);
      attentionOfRow.push(p.attention);
    }
  }
  lines.push(
    ...table(rows, (r, c, cell) => {
      if (r === 0) return paint(style, 'bold', cell);
      const a = attentionOfRow[r];
      return c === 6 && a ? paint(style, attentionColour[a], cell) : cell;
    }),
  );

  const sources = snapshot.sources.filter((s) => s.status !== 'absent');
  if (sources.length > 0) {
    lines.push('');
    lines.push(paint(style, 'bold', 'Sources'));
    for (const s of sources) {
      const what =
        s.status === 'ok'
          ? `${s.type ?? ''} ${s.masked ?? ''}, expires in ${expiresIn(s.remainingMs)}${s.expirySource === 'mtime' ? ' (guessed)' : ''}`
          : (s.error ?? s.status);
      lines.push(`  ${t(s.id).padEnd(12)} ${s.status.padEnd(11)} ${t(what)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * One line per profile, tab-separated: agent, profile, type, source, status, expiresAt (ISO or -),
 * remaining ms (or -), attention; then, for setup tokens (else -): age in days, expiry kind
 * (recorded / estimated), in AuthBar's vault (yes / no).
 */
export function renderStatusPlain(snapshot: Snapshot): string {
  const out: string[] = [];
  for (const agent of snapshot.agents) {
    if (agent.error) {
      out.push([t(agent.agentId), '-', '-', '-', 'error', '-', '-', agent.attention].join('\t'));
      continue;
    }
    for (const p of agent.profiles) {
      out.push(
        [
          t(agent.agentId),
          t(p.profileId),
          p.type,
          t(p.source),
          p.status,
          p.expiresAt === null ? '-' : isoTime(p.expiresAt),
          p.remainingMs === null ? '-' : String(p.remainingMs),
          p.attention,
          ...(p.token
            ? [String(Math.floor(p.token.ageMs / 86_400_000)), p.token.expiryKind, p.token.inVault ? 'yes' : 'no']
            : ['-', '-', '-']),
        ].join('\t'),
      );
    }
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

const changeVerb = {
  applied: { create: 'added', update: 'updated', upgrade: 'upgraded', 'remove-duplicate': 'removed' },
  'dry-run': {
    create: 'would add',
    update: 'would update',
    upgrade: 'would upgrade',
    'remove-duplicate': 'would remove',
  },
  skipped: {
    create: 'would add',
    update: 'would update',
    upgrade: 'would upgrade',
    'remove-duplicate': 'would remove',
  },
} as const;

export function renderSync(agents: readonly AgentView[]): string {
  const lines: string[] = [];
  for (const a of agents) {
    if (a.error) {
      lines.push(`${t(a.agentId)}: not synced: ${t(a.error)}`);
      continue;
    }
    if (a.sync.error) {
      lines.push(`${t(a.agentId)}: not synced: ${t(a.sync.error)}`);
      continue;
    }
    if (a.passive !== null) {
      lines.push(`${t(a.agentId)}: skipped: ${t(a.passive)} (${t(a.storePath)})`);
      continue;
    }
    // A login held back is not "up to date": the sync did not do what was asked there.
    for (const h of a.heldBack ?? []) lines.push(`${t(a.agentId)}: held back: ${t(h.reason)} (${t(a.storePath)})`);
    if (a.sync.changes.length === 0) {
      if ((a.heldBack ?? []).length === 0) lines.push(`${t(a.agentId)}: up to date (${t(a.storePath)})`);
      continue;
    }
    for (const c of a.sync.changes) {
      lines.push(
        `${t(a.agentId)}: ${changeVerb[a.sync.mode][c.kind]} ${t(c.profileId)} from ${t(c.source)}: ${t(c.reason)} (${t(a.storePath)})`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
