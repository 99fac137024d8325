/**
 * The notification subjects of the running gateway's live view: each usage window from 80 %
 * (at 80 %, 95 % and used up, then once when it resets), and the gateway being down or refusing
 * AuthBar. Pure. A snapshot without a live answer says nothing about them: `liveUndecided` tells
 * the policy to keep such subjects as they were rather than call them recovered.
 */
import type { LiveProviderView, LiveUsageWindowView, Snapshot } from '../../../common/snapshot.js';
import { formatDuration } from '../../../common/duration.js';
import { usageWindowName } from '../../../common/live-usage.js';
import type { Draft, SubjectEval } from './subjects.js';

/** A window's stages: the level it puts its subject in, and the stage that tells 80 % from 95 %. */
export const USAGE_STAGES: ReadonlyArray<{ percent: number; level: 'soon' | 'now' }> = [
  { percent: 100, level: 'now' },
  { percent: 95, level: 'soon' },
  { percent: 80, level: 'soon' },
];

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time of day as a notice says it: `14:30` today, `Tue 14:30` within the week, `Dec 20 14:30`
 * beyond. Local when the zone's offset (minutes east of UTC) is given, else UTC, and then says so.
 */
export function clockTime(at: number, now: number, utcOffsetMinutes?: number): string {
  const off = (utcOffsetMinutes ?? 0) * 60_000;
  const local = new Date(at + off);
  const hm = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const days = Math.floor((at + off) / DAY) - Math.floor((now + off) / DAY);
  const text =
    days === 0
      ? hm
      : days > 0 && days < 7
        ? `${WEEKDAYS[local.getUTCDay()] as string} ${hm}`
        : `${MONTHS[local.getUTCMonth()] as string} ${local.getUTCDate()} ${hm}`;
  return utcOffsetMinutes === undefined ? `${text} UTC` : text;
}

const providerKey = (p: string) => p.trim().toLowerCase();

/** A live answer to judge live subjects by: connected, its catalog loaded. */
function answered(snapshot: Snapshot): boolean {
  const live = snapshot.live;
  return live != null && live.state === 'connected' && live.reasonCode !== 'loading';
}

function usageSubject(
  p: LiveProviderView,
  w: LiveUsageWindowView,
  ctx: { now: number; utcOffsetMinutes?: number },
): SubjectEval | null {
  const now = ctx.now;
  // A reset already passed: the gateway answered from its cache of the old window.
  if (w.resetsAt !== null && w.resetsAt <= now) return null;
  const stage = USAGE_STAGES.find((s) => w.usedPercent >= s.percent);
  if (stage === undefined) return null;
  const provider = providerKey(p.provider);
  const name = usageWindowName(p.displayName ?? p.provider, w.label);
  // Down, not to the nearest: "80 %" never stands for 79.6.
  const pct = Math.floor(w.usedPercent);
  const resets = w.resetsAt === null ? '' : ` · resets ${clockTime(w.resetsAt, now, ctx.utcOffsetMinutes)}`;
  const inTime = w.resetsAt === null ? '' : ` in ${formatDuration(w.resetsAt - now)}`;
  const draft: Draft = {
    subject: { agentId: null, profileId: null, provider },
    title: stage.percent >= 100 ? `${name} used up${resets}` : `${name} at ${pct} %${resets}`,
    body:
      stage.percent >= 100
        ? `Used up until it resets${inTime}. Run authbar status for every window.`
        : `${pct} % used${w.resetsAt === null ? '' : `; it resets${inTime}`}. Run authbar status for every window.`,
    action: 'open-details',
    recovered: `${name} is below 80 % again`,
    ended: `${name} has reset`,
  };
  return { key: `usage:${provider}/${w.label}`, level: stage.level, stage: stage.percent, endsAt: w.resetsAt, draft };
}

/** Usage windows at 80 % or more, and the gateway down or refusing AuthBar. */
export function liveSubjectsOf(snapshot: Snapshot, ctx: { now: number; utcOffsetMinutes?: number }): SubjectEval[] {
  const live = snapshot.live;
  if (live == null) return [];
  const gateway = `The ${snapshot.gateway?.name ?? 'OpenClaw'} gateway`;
  const host = { agentId: null, profileId: null, provider: null };
  const out: SubjectEval[] = [];
  if (live.state === 'not-running') {
    out.push({
      key: 'live:not-running',
      level: 'soon',
      draft: {
        subject: host,
        title: `${gateway} is not running`,
        body: live.fix ?? live.message ?? 'Start it, then run authbar status.',
        action: 'open-details',
        recovered: `${gateway} is running again`,
      },
    });
  } else if (live.state === 'refused') {
    out.push({
      key: 'live:refused',
      level: 'soon',
      draft: {
        subject: host,
        title: `${gateway} refused AuthBar`,
        body: [live.message, live.fix].filter((x) => x !== null).join(' ') || 'Run authbar status for details.',
        action: 'open-details',
        recovered: `${gateway} accepts AuthBar again`,
      },
    });
  }
  if (answered(snapshot))
    for (const p of live.providers)
      for (const w of p.usage) {
        const s = usageSubject(p, w, ctx);
        if (s) out.push(s);
      }
  return out;
}

/**
 * True when a live subject absent from this snapshot may still hold: no answer (not asked,
 * live view off, AuthBar could not ask), the catalog still loading, or a provider whose usage
 * the gateway has not (or could not) fetch. Other subjects: false.
 */
export function liveUndecided(snapshot: Snapshot, key: string, provider: string | null): boolean {
  const live = snapshot.live;
  if (key.startsWith('live:')) return live == null || live.state === 'unavailable' || live.state === 'off';
  if (!key.startsWith('usage:')) return false;
  if (!answered(snapshot)) return true;
  const p = live?.providers.find((x) => providerKey(x.provider) === provider);
  return p !== undefined && p.usage.length === 0;
}
