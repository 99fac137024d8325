/**
 * `authbar status`'s live part: what the running gateway itself says (its state, its verdict
 * per provider beside the files', disagreements with their fix) and a Usage
 * section, one line per usage window. Every gateway-supplied string goes through `t`: it
 * comes from a network peer.
 */
import {
  clockText,
  liveProblem,
  percentText,
  providerName,
  resetText,
  usageLevel,
  windowLabel,
  type ClockFormat,
} from '../../../common/live-usage.js';
import type { LiveProviderView, LiveView, Snapshot } from '../../../common/snapshot.js';
import { forTerminal as t } from '../../engine/secrets/scrub.js';
import { paint, whenPhrase, type Style } from './status.js';
import { renderTable } from './table.js';

/** The status style plus the zone clock times are shown in (the system's when unset). */
export type LiveStyle = Style & ClockFormat;

const STATUS_RANK: Record<string, number> = { ok: 0, static: 0, expiring: 1, expired: 2, missing: 3 };

/**
 * AuthBar's file verdict for a provider in the agent the gateway answered for: its best
 * profile's status (the gateway uses the best one it has), `missing` when it has none.
 */
export function fileVerdict(snapshot: Snapshot, provider: string, agentId: string | null | undefined): string {
  const agent = snapshot.agents.find((a) => a.agentId === (agentId ?? 'main')) ?? snapshot.agents[0];
  const statuses = (agent?.profiles ?? []).filter((p) => p.provider === provider).map((p) => p.status);
  if (statuses.length === 0) return 'missing';
  return statuses.reduce((best, s) => ((STATUS_RANK[s] ?? 9) < (STATUS_RANK[best] ?? 9) ? s : best));
}

/** `Gateway (live): OpenClaw 2026.9.6 at ws://127.0.0.1:18789 · checked 12:30`, without the prefix. */
function connectedText(live: LiveView, now: number, style: LiveStyle): string {
  const version = live.gateway?.version ? ` ${t(live.gateway.version)}` : '';
  const at = live.gateway ? ` at ${t(live.gateway.url)}` : '';
  const checked = live.checkedAt !== null ? ` · checked ${clockText(live.checkedAt, now, style)}` : '';
  return `OpenClaw${version}${at}${checked}`;
}

/** Each provider's live verdict beside the files' (the issue's "next to"): and whether they differ. */
function providerLine(
  snapshot: Snapshot,
  live: LiveView,
  p: LiveProviderView,
  now: number,
): { line: string; differs: boolean } {
  const files = fileVerdict(snapshot, p.provider, live.agentId);
  const when = p.expiresAt !== null ? ` (expires ${whenPhrase(p.expiresAt - now)})` : '';
  const name = providerName(p) === p.provider ? t(p.provider) : `${t(providerName(p))} (${t(p.provider)})`;
  return { line: `  ${name} — gateway: ${t(p.status)}${when}, files: ${files}`, differs: files !== p.status };
}

/** The `Gateway (live)` lines: state, provider verdicts that differ, disagreements. Empty for nothing to say. */
export function renderLiveLines(snapshot: Snapshot, style: LiveStyle): string[] {
  const live = snapshot.live;
  if (!live) return [];
  const now = snapshot.generatedAt;
  const label = paint(style, 'bold', 'Gateway (live):');
  if (live.state === 'off') {
    // Turned off by the user: one dim line, so nobody wonders where it went. Not OpenClaw: nothing.
    return live.reasonCode === 'setting'
      ? [paint(style, 'dim', `Gateway (live): off${live.message ? ` — ${t(live.message)}` : ' in the settings'}`)]
      : [];
  }
  const problem = liveProblem(live);
  const lines: string[] = [];
  if (live.state === 'connected') {
    const tail = problem ? ` — ${t(problem.message ?? problem.headline)}` : '';
    lines.push(`${label} ${connectedText(live, now, style)}${tail}`);
  } else if (problem) {
    const colour = problem.level === 'error' ? 'red' : 'yellow';
    const checked = live.checkedAt !== null ? ` (checked ${clockText(live.checkedAt, now, style)})` : '';
    const sentence = problem.message ? `: ${t(problem.message)}` : '';
    lines.push(`${label} ${paint(style, colour, problem.headline.replace(/^Gateway /, ''))}${sentence}${checked}`);
  }
  if (problem?.fix) lines.push(`  Fix: ${t(problem.fix)}`);
  if (live.state !== 'connected') return lines;

  let agree = true;
  const head = lines.length;
  for (const p of live.providers) {
    const { line, differs } = providerLine(snapshot, live, p, now);
    if (differs) agree = false;
    lines.push(line);
  }
  for (const d of live.disagreements) {
    agree = false;
    lines.push(
      paint(style, 'yellow', `  ${t(d.profileId)} — files: ${t(d.files)}, gateway: ${t(d.gateway)}.`) +
        ` Fix: ${t(d.fix)}`,
    );
    if (d.text) lines.push(paint(style, 'dim', `    ${t(d.text)}`));
  }
  if (agree && live.providers.length > 0 && head === 1) lines[0] += ' · agrees with the files';
  return lines;
}

/**
 * The Usage section: `Claude 5 h    42 %  resets 14:30`, one line per window, the provider's
 * usage note when it has no windows. Empty when the gateway gave no usage at all.
 */
export function renderUsageLines(snapshot: Snapshot, style: LiveStyle): string[] {
  const live = snapshot.live;
  if (!live || live.state !== 'connected') return [];
  const now = snapshot.generatedAt;
  const rows: string[][] = [];
  const levels: Array<ReturnType<typeof usageLevel>> = [];
  const notes: string[] = [];
  for (const p of live.providers) {
    const name = t(providerName(p));
    for (const w of p.usage) {
      rows.push([
        `${name} ${t(windowLabel(w.label))}`,
        percentText(w.usedPercent),
        resetText(w.resetsAt, now, style) ?? '',
      ]);
      levels.push(usageLevel(w.usedPercent));
    }
    if (p.usage.length === 0 && p.usageNote) notes.push(`  ${name}: ${t(p.usageNote)}`);
  }
  if (rows.length === 0 && notes.length === 0) return [];
  const colour = { ok: null, warn: 'yellow', critical: 'red' } as const;
  const table = renderTable(rows, (r, c, cell) => {
    const tone = colour[levels[r] ?? 'ok'];
    return c === 1 && tone ? paint(style, tone, cell) : cell;
  });
  return [paint(style, 'bold', 'Usage'), ...table.map((l) => `  ${l}`), ...notes];
}

/** Both parts, ready to append after the status table (a blank line before each); '' for nothing. */
export function renderLive(snapshot: Snapshot, style: LiveStyle): string {
  const out: string[] = [];
  for (const part of [renderLiveLines(snapshot, style), renderUsageLines(snapshot, style)])
    if (part.length > 0) out.push('', ...part);
  return out.join('\n');
}
