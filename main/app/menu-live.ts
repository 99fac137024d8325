/**
 * The tray menu's live section, from `snapshot.live` only: the gateway's state when it is not
 * a plain answer (with what to do), profiles the files and the running gateway judge
 * differently (with the fix), each provider's live verdict, one line per usage window ("Claude 5 h: 42 % · resets
 * 14:30"). All lines are disabled items: they inform. Pure; every gateway-supplied word goes
 * through safeLabel (it comes from a network peer).
 */
import { liveProblem, providerName, usageLevel, usagePhrase, windowLabel } from '../../common/live-usage.js';
import type { LiveView } from '../../common/snapshot.js';
import { info, type MenuItemModel } from './menu-model.js';
import { safeLabel } from './safe-label.js';

/** The most usage lines the menu shows: a menu is glanced at, the window lists them all. */
export const MAX_USAGE_LINES = 10;

const PROBLEM_MARK = { info: '…', warn: '⚠', error: '✕' } as const;

/** The state line and its fix: "⚠ Gateway not running — Start it: openclaw gateway run". */
function stateLines(live: LiveView): MenuItemModel[] {
  const problem = liveProblem(live);
  if (!problem) return [];
  const mark = PROBLEM_MARK[problem.level];
  // Not running says only what to do; the others say what happened, then what to do.
  if (live.state === 'not-running')
    return [info('live:state', `${mark} ${problem.headline} — ${safeLabel(problem.fix ?? 'start it', 80)}`)];
  const lines = [
    info('live:state', `${mark} ${problem.headline}${problem.message ? ` — ${safeLabel(problem.message, 80)}` : ''}`),
  ];
  if (problem.fix) lines.push(info('live:fix', `    ${safeLabel(problem.fix, 90)}`));
  return lines;
}

function disagreementLines(live: LiveView): MenuItemModel[] {
  return live.disagreements.flatMap((d, i) => [
    info(
      `live:disagree:${i}`,
      `⚠ ${safeLabel(d.profileId, 50)} — files: ${safeLabel(d.files, 12)}, gateway: ${safeLabel(d.gateway, 12)}`,
    ),
    info(`live:disagree-fix:${i}`, `    Fix: ${safeLabel(d.fix, 80)}`),
  ]);
}

function usageLines(live: LiveView, now: number, timeZone: string | undefined): MenuItemModel[] {
  if (live.state !== 'connected') return [];
  const fmt = timeZone ? { timeZone } : {};
  const lines: MenuItemModel[] = [];
  for (const p of live.providers) {
    const name = safeLabel(providerName(p), 30);
    // The running gateway's own verdict first: what the agents actually use right now.
    lines.push(info(`live:verdict:${p.provider}`, `${name} — running gateway: ${safeLabel(p.status, 20)}`));
    p.usage.forEach((w, i) => {
      const mark = usageLevel(w.usedPercent) === 'ok' ? '' : '⚠ ';
      lines.push(
        info(
          `live:usage:${p.provider}/${i}`,
          `${mark}${name} ${safeLabel(windowLabel(w.label), 30)}: ${usagePhrase(w, now, fmt)}`,
        ),
      );
    });
    if (p.usage.length === 0 && p.usageNote)
      lines.push(info(`live:usage-note:${p.provider}`, `${name} usage: ${safeLabel(p.usageNote, 80)}`));
  }
  return lines.slice(0, MAX_USAGE_LINES);
}

/** The live section's items (no separator); empty when there is nothing to show. */
export function liveMenuItems(live: LiveView | null | undefined, now: number, timeZone?: string): MenuItemModel[] {
  if (!live || live.state === 'off') return [];
  return [...stateLines(live), ...disagreementLines(live), ...usageLines(live, now, timeZone)];
}
