/**
 * The window's Usage card, from `snapshot.live` only: where the answer came from, the
 * gateway's state when it is not a plain answer (with its fix), profiles the files and the
 * running gateway judge differently, and one bar per usage window. Pure, no DOM. Every
 * gateway-supplied string goes through `shown()`: it comes from a network peer.
 */
import {
  clockText,
  liveProblem,
  percentText,
  providerName,
  resetText,
  usageFraction,
  usageLevel,
  windowLabel,
} from '../../common/live-usage.js';
import type { LiveView } from '../../common/snapshot.js';
import { shown, type Line, type TimeFormat, type Tone } from './text.js';

export interface UsageBar {
  label: string;
  /** The bar's filled share, 0–100. */
  fill: number;
  /** `42 %` or `used up`. */
  percent: string;
  /** `resets 14:30`, or '' when the gateway does not say. */
  reset: string;
  tone: Tone;
}

export interface UsageGroup {
  name: string;
  /** The running gateway's own verdict for the provider: `gateway: ok`, `gateway: expiring`. */
  verdict: string;
  /** `Max plan`, or ''. */
  plan: string;
  bars: UsageBar[];
  /** Why there are no bars, or ''. */
  note: string;
}

export interface LiveDisagreementRow {
  profileId: string;
  verdicts: string;
  text: string;
  fix: string;
}

export interface LiveSection {
  /** `OpenClaw 2026.9.6 · live` */
  title: string;
  /** `checked 12:30 · ws://127.0.0.1:18789` */
  detail: string;
  /** The state and its fix when it is not a plain answer; empty otherwise. */
  lines: Line[];
  disagreements: LiveDisagreementRow[];
  usage: UsageGroup[];
}

const LEVEL_TONE = { ok: 'ok', warn: 'soon', critical: 'now' } as const;
const PROBLEM_TONE = { info: 'muted', warn: 'soon', error: 'now' } as const;

/** The card, or null when there is nothing to show (no live view, or `off`). */
export function liveSection(live: LiveView | null | undefined, now: number, fmt: TimeFormat = {}): LiveSection | null {
  if (!live || live.state === 'off') return null;
  const clock = fmt.timeZone ? { timeZone: fmt.timeZone } : {};
  const version = live.gateway?.version ? ` ${shown(live.gateway.version, 40)}` : '';
  const lines: Line[] = [];
  const problem = liveProblem(live);
  if (problem) {
    lines.push({
      text: problem.headline,
      tone: PROBLEM_TONE[problem.level],
      ...(problem.message ? { detail: shown(problem.message, 240) } : {}),
    });
    if (problem.fix) lines.push({ text: `Fix: ${shown(problem.fix, 240)}`, tone: 'muted' });
  }
  const connected = live.state === 'connected';
  return {
    title: `OpenClaw${version} · live`,
    detail: [
      live.checkedAt !== null ? `checked ${clockText(live.checkedAt, now, clock)}` : null,
      live.gateway ? shown(live.gateway.url, 120) : null,
    ]
      .filter((x): x is string => x !== null)
      .join(' · '),
    lines,
    disagreements: connected
      ? live.disagreements.map((d) => ({
          profileId: shown(d.profileId, 120),
          verdicts: `files: ${shown(d.files, 20)} · gateway: ${shown(d.gateway, 20)}`,
          text: shown(d.text, 240),
          fix: shown(d.fix, 240),
        }))
      : [],
    usage: connected
      ? live.providers.map((p) => ({
          name: shown(providerName(p), 60),
          verdict: `gateway: ${shown(p.status, 20)}`,
          plan: p.plan ? `${shown(p.plan, 40)} plan` : '',
          note: p.usage.length === 0 ? shown(p.usageNote, 240) : '',
          bars: p.usage.map((w) => ({
            label: shown(windowLabel(w.label), 40),
            fill: usageFraction(w.usedPercent),
            percent: percentText(w.usedPercent),
            reset: resetText(w.resetsAt, now, clock) ?? '',
            tone: LEVEL_TONE[usageLevel(w.usedPercent)],
          })),
        }))
      : [],
  };
}
