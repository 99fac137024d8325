/** Presenting a snapshot on a terminal: a table for people, tab-separated lines for scripts. */
import { formatDuration } from '../../engine/health.js';
import { forTerminal } from '../../engine/secrets/scrub.js';
import type { AgentView, GatewayView, Snapshot } from '../../../common/snapshot.js';
import { isoTime } from '../../engine/time.js';
import { renderTable } from './table.js';
import { renderLive } from './live.js';

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
/** The one word the table uses for a verdict (`none` in --json and --plain). */
const attentionWord = { none: 'ok', soon: 'soon', now: 'NOW' } as const;
type Level = keyof typeof attentionWord;
const rank: Record<Level, number> = { none: 0, soon: 1, now: 2 };

/** "in 7 h 59 m", "2 h ago", "-": when, never a verdict (the HEALTH column is the verdict). */
export function whenPhrase(remainingMs: number | null): string {
  if (remainingMs === null) return '-';
  return remainingMs <= 0 ? formatDuration(remainingMs) : `in ${formatDuration(remainingMs)}`;
}

/** One row of the status table; `health` null for a store the gateway does not read (shown `-`). */
export interface StatusRow {
  agentId: string;
  profileId: string;
  type: string;
  source: string;
  expires: string;
  health: Level | null;
  note: string;
}

/** The table's rows, each with the verdict it shows: the same verdicts the headline is made from. */
export function statusRows(snapshot: Snapshot): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const agent of snapshot.agents) {
    // A store the gateway does not read (the legacy one) is shown, but judges nothing.
    const judged = agent.passive === null || agent.passiveCode === 'no-state-dir';
    const base = { agentId: agent.agentId, type: '-', source: '-', expires: '-' };
    if (agent.error) {
      rows.push({
        ...base,
        profileId: agent.errorCode === 'no-reader' ? '(not read)' : '(store unusable)',
        health: agent.attention,
        note:
          agent.errorCode === 'no-reader'
            ? 'AuthBar cannot read it on this Node (see above)'
            : 'store cannot be used (see above)',
      });
      continue;
    }
    if (agent.profiles.length === 0) {
      const note =
        agent.passive ??
        (agent.missingProviders.length > 0 ? `no usable ${agent.missingProviders.join(', ')} credential` : '-');
      rows.push({ ...base, profileId: '(no profiles)', health: judged ? agent.attention : null, note });
    }
    for (const p of agent.profiles) {
      rows.push({
        agentId: agent.agentId,
        profileId: p.profileId,
        type: p.type,
        source: p.source,
        expires: whenPhrase(p.remainingMs),
        health: judged ? p.attention : null,
        note: judged ? p.reason : (agent.passive ?? '-'),
      });
    }
  }
  return rows;
}

/**
 * The headline's level: the overall verdict, raised to the worst row shown, so the headline
 * can never read better than a row beneath it.
 */
export function headlineLevel(overall: Level, rows: readonly StatusRow[]): Level {
  return rows.reduce<Level>((a, r) => (r.health !== null && rank[r.health] > rank[a] ? r.health : a), overall);
}

export function headlineText(level: Level): string {
  return level === 'none' ? 'All credentials healthy.' : level === 'soon' ? 'Attention soon:' : 'Action needed now:';
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
  const via =
    g.dataVia === 'gateway-cli'
      ? ', read via its own `models status --json`'
      : g.dataVia === 'none'
        ? ', not read: AuthBar has no way to read it here'
        : '';
  const line =
    paint(style, 'bold', `Gateway: ${name}`) +
    ` (${t(tildePath(g.stateDir, style.home))}, detected: ${t(g.detectedBy)}${via})`;
  return g.note ? `${line}\n${paint(style, 'dim', `  note: ${t(g.note)}`)}` : line;
}

export function renderStatusTable(snapshot: Snapshot, style: Style): string {
  const lines: string[] = [gatewayLine(snapshot.gateway, style)];
  const rowsOf = statusRows(snapshot);
  const level = headlineLevel(snapshot.overall.attention, rowsOf);
  lines.push(paint(style, attentionColour[level], headlineText(level)));
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

  // One vocabulary: HEALTH is the verdict (ok / soon / NOW), NOTE says why; EXPIRES only says when.
  const rows: string[][] = [['AGENT', 'PROFILE', 'TYPE', 'SOURCE', 'EXPIRES', 'HEALTH', 'NOTE']];
  for (const r of rowsOf)
    rows.push([
      t(r.agentId),
      t(r.profileId),
      r.type,
      t(r.source),
      r.expires,
      r.health === null ? '-' : attentionWord[r.health],
      t(r.note),
    ]);
  lines.push(
    ...renderTable(rows, (r, c, cell) => {
      if (r === 0) return paint(style, 'bold', cell);
      const h = rowsOf[r - 1]?.health;
      return c === 5 && h ? paint(style, attentionColour[h], cell) : cell;
    }),
  );

  // What the running gateway says, after the files' verdicts it never hides.
  const live = renderLive(snapshot, style);
  if (live) lines.push(live);

  // A source a profile is copied from stays listed when it is logged out: that is the fix.
  const needed = new Set(snapshot.agents.flatMap((a) => a.profiles.map((p) => p.source)));
  const sources = snapshot.sources.filter((s) => s.status !== 'absent' || needed.has(s.id));
  if (sources.length > 0) {
    lines.push('');
    lines.push(paint(style, 'bold', 'Sources'));
    for (const s of sources) {
      const loggedOut = s.status === 'absent' || s.status === 'logged-out';
      const word = loggedOut ? 'logged out' : s.status;
      const what =
        s.status === 'ok'
          ? `${s.type ?? ''} ${s.masked ?? ''}, ${s.remainingMs !== null && s.remainingMs <= 0 ? 'expired' : 'expires'} ${whenPhrase(s.remainingMs)}${s.expirySource === 'mtime' ? ' (guessed)' : ''}`
          : loggedOut
            ? `no login at ${tildePath(s.path, style.home)}: log in with \`${s.fix ?? s.id}\``
            : (s.error ?? s.status);
      lines.push(`  ${t(s.id).padEnd(12)} ${word.padEnd(11)} ${t(what)}`);
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

/** Broken stores and sources, for stderr: one sentence each, whatever the output format. */
export function renderProblems(snapshot: Snapshot): string {
  const out: string[] = [];
  const say = (sentence: string) => out.push(`authbar: ${t(sentence)}\n`);
  for (const a of snapshot.agents) {
    if (a.error) say(a.error);
    if (a.sync.error) say(a.sync.error);
  }
  for (const s of snapshot.sources) if (s.error && s.status !== 'logged-out') say(s.error);
  if (snapshot.configError) say(snapshot.configError);
  for (const problem of snapshot.settingsProblems ?? []) say(problem);
  if (snapshot.clockProblem) say(snapshot.clockProblem);
  return out.join('');
}
