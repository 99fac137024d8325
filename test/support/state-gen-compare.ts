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

// How bad a headline says things are: 0 fine, 1 act soon, 2 act now. Matched loosely, so a
// rewording keeps its meaning here.
const HEADLINES: Array<[RegExp, number]> = [
  [/\b(now|broken|fail(ed|s)?|cannot|can't)\b/i, 2],
  [/\b(soon|attention|warn(ing)?)\b/i, 1],
  [/\b(healthy|all .*\bok|fine|nothing to do)\b/i, 0],
];
const ATTENTION_LEVEL: Record<string, number> = { none: 0, soon: 1, now: 2 };
const TABLE_HEALTH_LEVEL: Record<string, number> = { ok: 0, soon: 1, NOW: 2 };

/** What the contradiction check reads of `status --json`. */
export interface SnapRows {
  agents: Array<{
    agentId: string;
    storeStatus: string;
    attention: string;
    passive?: string | null;
    passiveCode?: string | null;
    profiles: Array<{ profileId: string; status: string; attention: string }>;
  }>;
}

/**
 * Rows worse than the plain `authbar status` headline (the first unindented line after
 * "Gateway: …"). A row's verdict is what the table shows in its HEALTH column (`ok`, `soon`,
 * `NOW`; `-` for a store the gateway does not read), and, from `status --json` on the same
 * files, each judged profile's attention. The gateway's own status word (`expired` for an
 * access token its owner refreshes) is a fact in --json, not a verdict: the table does not
 * show it, so it cannot contradict the headline.
 */
export function headlineContradictions(plain: string, snap: SnapRows): string[] {
  const lines = plain.split('\n');
  const line = lines.find((l) => l.trim() !== '' && !/^Gateway:/.test(l) && !/^\s/.test(l));
  const level = line === undefined ? undefined : HEADLINES.find(([re]) => re.test(line))?.[1];
  if (line === undefined || level === undefined) return [`no headline in: ${plain.slice(0, 300)}`];
  const out: string[] = [];
  const header = lines.findIndex((l) => /^AGENT\s+PROFILE\s.*\bHEALTH\b/.test(l));
  if (header === -1) out.push(`no table in: ${plain.slice(0, 300)}`);
  else {
    const col = (lines[header] as string).indexOf('HEALTH');
    for (const row of lines.slice(header + 1)) {
      if (row.trim() === '') break;
      const word = row.slice(col).split(/\s+/)[0] ?? '';
      const rowLevel = word === '-' ? 0 : (TABLE_HEALTH_LEVEL[word] ?? 2);
      if (rowLevel > level) out.push(`table row "${row.trim()}" under "${line.trim()}"`);
    }
  }
  for (const a of snap.agents) {
    if (a.storeStatus === 'error' && (ATTENTION_LEVEL[a.attention] ?? 2) > level)
      out.push(`agent ${a.agentId}'s unusable store (${a.attention}) under "${line.trim()}"`);
    if (a.passive && a.passiveCode !== 'no-state-dir') continue;
    for (const p of a.profiles) {
      const rowLevel = ATTENTION_LEVEL[p.attention] ?? 2;
      if (rowLevel > level) out.push(`${a.agentId} ${p.profileId} ${p.status}/${p.attention} under "${line.trim()}"`);
    }
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
