/**
 * What the differential tests compare, and the book-keeping of known divergences: a mismatch
 * is either on a test's explicit list (a predicate over the state description, with the
 * issue item that fixes it) or it fails the test with the replay seed/index and both answers.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeSnapshot, type Entry } from './tree.js';
import { summarise, type StateDesc } from './state-gen.js';

/** Which comparison a mismatch is in. */
export type Aspect = 'strict' | 'rows' | 'headline' | 'tree';

export interface Mismatch {
  aspect: Aspect;
  /** AuthBar's answer and the gateway's (or, for headline/tree, what was wrong). */
  authbar: string;
  gateway: string;
}

export interface KnownDivergence {
  aspect: Aspect;
  /** The issue item that fixes it, e.g. "13: tokenRef resolution". */
  item: string;
  when: (d: StateDesc) => boolean;
}

export interface StateOutcome {
  desc: StateDesc;
  mismatches: Array<Mismatch & { known: KnownDivergence | null }>;
  /** `status --check` (not strict) exited otherwise than the gateway: allowed, counted. */
  plainDiffers: boolean;
  /** The gateway's own code (the worst over the agents). */
  gatewayCode: number;
  /** How many profile rows were compared. */
  rows: number;
}

const LEVEL = { ok: 0, soon: 1, NOW: 2 } as const;
const HEADLINES: Array<[RegExp, number]> = [
  [/^All credentials healthy\./, 0],
  [/^Attention soon:/, 1],
  [/^Action needed now:/, 2],
];

/**
 * Rows of the plain `authbar status` table worse than its headline: "All credentials
 * healthy." over a row marked NOW is a contradiction.
 */
export function headlineContradictions(plain: string): string[] {
  const lines = plain.split('\n');
  let level = -1;
  let headline = '';
  for (const l of lines) {
    const hit = HEADLINES.find(([re]) => re.test(l));
    if (hit) {
      level = hit[1];
      headline = l.trim();
      break;
    }
  }
  if (level === -1) return [`no headline in: ${plain.slice(0, 300)}`];
  const header = lines.findIndex((l) => /^AGENT\s+PROFILE\s+/.test(l));
  if (header === -1) return [];
  const out: string[] = [];
  for (const row of lines.slice(header + 1)) {
    if (row.trim() === '') break;
    const word = row.trim().split(/\s+/).at(-1) as keyof typeof LEVEL;
    const rowLevel = LEVEL[word];
    if (rowLevel === undefined) out.push(`unreadable row: ${row.trim()}`);
    else if (rowLevel > level) out.push(`row "${row.trim().replace(/\s+/g, ' ')}" under "${headline}"`);
  }
  return out;
}

export interface ProfileRow {
  profileId: string;
  provider: string;
  type: string;
  status: string;
}

export function rowsText(rows: readonly ProfileRow[]): string {
  return (
    [...rows]
      .map((r) => `${r.profileId} ${r.type} ${r.status}`)
      .sort()
      .join(', ') || '(none)'
  );
}

/** Every path under a dir, content, mode and file mtimes, as comparable strings. */
export function treeOf(dir: string): Map<string, string> {
  const m = existsSync(dir) ? treeSnapshot(dir, { mtime: 'files' }) : new Map<string, Entry>();
  return new Map([...m].map(([k, v]) => [join(dir, k), JSON.stringify(v)]));
}

export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => (!before.has(k) ? `+${k}` : !after.has(k) ? `-${k}` : `~${k}`));
}

export function classify(
  desc: StateDesc,
  found: Mismatch[],
  known: readonly KnownDivergence[],
  counts: { plainDiffers: boolean; gatewayCode: number; rows: number },
): StateOutcome {
  const outcome: StateOutcome = {
    desc,
    ...counts,
    mismatches: found.map((m) => ({ ...m, known: known.find((k) => k.aspect === m.aspect && k.when(desc)) ?? null })),
  };
  // STATES_REPORT=<file>: every mismatch, known or not, one JSON line per state as it is judged (for triage).
  const out = process.env['STATES_REPORT'];
  if (out && found.length > 0)
    appendFileSync(
      out,
      JSON.stringify({
        state: summarise(desc),
        mismatches: outcome.mismatches.map((m) => ({ ...m, known: m.known?.item ?? null })),
      }) + '\n',
    );
  return outcome;
}

/** The one-line summary, and the failures (unknown mismatches) with everything to replay them. */
export function report(
  gateway: string,
  outcomes: readonly StateOutcome[],
): { line: string; failures: string[]; codes: Record<number, number>; rows: number } {
  const codes: Record<number, number> = {};
  for (const o of outcomes) codes[o.gatewayCode] = (codes[o.gatewayCode] ?? 0) + 1;
  const rows = outcomes.reduce((n, o) => n + o.rows, 0);
  const agree = outcomes.filter((o) => o.mismatches.length === 0).length;
  const deliberate = outcomes.filter((o) => o.mismatches.length > 0 && o.mismatches.every((m) => m.known)).length;
  const plain = outcomes.filter((o) => o.plainDiffers).length;
  const failures = outcomes.flatMap((o) =>
    o.mismatches
      .filter((m) => m.known === null)
      .map(
        (m) =>
          `${m.aspect}: authbar ${m.authbar} / ${gateway} ${m.gateway}\n    replay: STATES_SEED=${o.desc.seed} STATES_INDEX=${o.desc.index}\n    state: ${summarise(o.desc)}`,
      ),
  );
  const byItem = new Map<string, number>();
  for (const o of outcomes)
    for (const m of o.mismatches) if (m.known) byItem.set(m.known.item, (byItem.get(m.known.item) ?? 0) + 1);
  const line =
    `differential ${gateway}: ${outcomes.length} states (exit ${Object.entries(codes)
      .map(([c, n]) => `${c}×${n}`)
      .join(' ')}, ${rows} profile rows), ${agree} agree, ${deliberate} with known divergences` +
    `${byItem.size ? ` (${[...byItem].map(([k, n]) => `${k}: ${n}`).join('; ')})` : ''}` +
    `, ${failures.length} unknown mismatches; plain status --check differs from the gateway in ${plain} (allowed)`;
  const dir = process.env['STATES_SUMMARY_DIR'];
  if (dir) writeFileSync(join(dir, `${gateway}.txt`), line + '\n');
  return { line, failures, codes, rows };
}
