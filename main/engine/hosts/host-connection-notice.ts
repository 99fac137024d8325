/**
 * The notice about a host's connection, pure: said once when the host needs something (its host
 * key, a key that works, AuthBar, a newer AuthBar) or has been unreachable for 5 minutes, once
 * when it is back, and never the same twice within the repeat window (as the policy does).
 */
import * as z from 'zod/mini';
import type { HostReport, HostState } from '../../../common/hosts.js';
import type { Notice, NoticeAction } from '../notify/notices.js';

/** A short outage (a reboot, a roaming laptop) is not news: only one this long is. */
export const UNREACHABLE_NOTICE_MS = 5 * 60_000;

export const ConnectionMemory = z.object({
  /** The state last announced (null: none, or it was followed by a recovery). */
  announced: z.nullable(z.string()),
  /** `<state>` or `recovered` → when last notified. */
  lastNotified: z.record(z.string(), z.number()),
});
export type ConnectionMemory = z.infer<typeof ConnectionMemory>;

export const emptyConnectionMemory = (): ConnectionMemory => ({ announced: null, lastNotified: {} });

export interface ConnectionStep {
  memory: ConnectionMemory;
  notice: Notice | null;
  /** Look again at this instant (an outage that becomes worth a notice), else null. */
  recheckAt: number | null;
}

const NEEDS: Partial<Record<HostState, { what: string; action: NoticeAction }>> = {
  'host-key': { what: 'its host key needs checking', action: 'open-details' },
  auth: { what: 'ssh was not let in', action: 'open-details' },
  'no-authbar': { what: 'AuthBar is not installed there', action: 'open-details' },
  incompatible: { what: 'its AuthBar speaks another watch protocol', action: 'open-details' },
  unreachable: { what: 'unreachable', action: 'resync' },
};

function hhmm(at: number, utcOffsetMinutes: number): string {
  return new Date(at + utcOffsetMinutes * 60_000).toISOString().slice(11, 16);
}

export function connectionStep(
  prev: ConnectionMemory,
  report: HostReport,
  ctx: { now: number; repeatMs: number; utcOffsetMinutes?: number; unreachableMs?: number },
): ConnectionStep {
  const memory: ConnectionMemory = { announced: prev.announced, lastNotified: { ...prev.lastNotified } };
  const host = report.name;
  const since = report.since ?? ctx.now;
  const outageMs = ctx.unreachableMs ?? UNREACHABLE_NOTICE_MS;
  const subject = { agentId: null, profileId: null, provider: null };
  const notify = (key: string, notice: Omit<Notice, 'key' | 'subject' | 'at'>): Notice | null => {
    const last = memory.lastNotified[key];
    if (last !== undefined && ctx.now - last < ctx.repeatMs) return null;
    memory.lastNotified[key] = ctx.now;
    return { key: `host:${host}/connection:${key}`, subject, at: ctx.now, ...notice };
  };
  for (const [k, at] of Object.entries(memory.lastNotified))
    if (ctx.now - at >= ctx.repeatMs) delete memory.lastNotified[k];

  if (report.state === 'ok') {
    if (memory.announced === null) return { memory, notice: null, recheckAt: null };
    memory.announced = null;
    const notice = notify('recovered', {
      state: 'recovered',
      title: `${host}: connected again`,
      body: 'Nothing to do.',
      action: 'none',
    });
    return { memory, notice, recheckAt: null };
  }
  const need = NEEDS[report.state];
  if (need === undefined || memory.announced === report.state) return { memory, notice: null, recheckAt: null };
  if (report.state === 'unreachable' && ctx.now - since < outageMs)
    return { memory, notice: null, recheckAt: since + outageMs };
  memory.announced = report.state;
  const title =
    report.state === 'unreachable'
      ? `${host}: unreachable since ${hhmm(since, ctx.utcOffsetMinutes ?? 0)}`
      : `${host}: ${need.what}`;
  const said = [report.message, report.fix ? `To fix: ${report.fix}` : null].filter((s) => s);
  const body = said.length > 0 ? `${said.join('. ')}.` : `Run authbar hosts test ${host}.`;
  return { memory, notice: notify(report.state, { state: 'now', title, body, action: need.action }), recheckAt: null };
}
