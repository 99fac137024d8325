/**
 * The tray menu's remote hosts: one group per host after this machine's, each with its state
 * line ("vps — unreachable since 14:02"), what happened and the fix, its profiles as this
 * machine's are shown, the gateway's live lines, and "Renew token on vps…". More than
 * INLINE_HOSTS hosts fold into one submenu each, so the menu stays glanceable. Everything a
 * host sent goes through safeLabel; the renew action carries the name from the settings only.
 */
import { hostAttention, hostStateLine } from '../../common/host-status.js';
import { hostNameProblem, type HostReport } from '../../common/hosts.js';
import { roughDuration } from '../../common/duration.js';
import { liveMenuItems } from './menu-live.js';
import { agentLines, headline, info, item, sep, type MenuContext, type MenuItemModel } from './menu-model.js';
import { safeLabel } from './safe-label.js';

/** Up to this many hosts are shown inline; more each get a submenu. */
export const INLINE_HOSTS = 3;

const MARK = { none: '✓', unknown: '…', soon: '⚠', now: '✕' } as const;

/** The host's first line: its state, or, when connected, its gateway's verdict. */
export function hostHeadline(h: HostReport, now: number, formatTime: (ms: number) => string): string {
  const mark = MARK[hostAttention(h)];
  const line =
    h.state === 'ok' && h.snapshot ? `${h.name} — ${headline(h.snapshot)}` : hostStateLine(h, now, formatTime);
  return `${mark} ${safeLabel(line, 90)}`;
}

/** Re-ids a host's lines (ids stay unique across machines); its profiles open the window's overview. */
function underHost(name: string, items: MenuItemModel[]): MenuItemModel[] {
  return items.map((i) => ({
    ...i,
    id: `host:${name}:${i.id}`,
    action: i.action?.kind === 'show-profile' ? { kind: 'show-details' } : i.action,
  }));
}

function hostBody(h: HostReport, ctx: MenuContext): MenuItemModel[] {
  const lines: MenuItemModel[] = [];
  if (h.state !== 'ok') {
    if (h.message) lines.push(info('message', `    ${safeLabel(h.message, 90)}`));
    if (h.fix) lines.push(info('fix', `    Fix: ${safeLabel(h.fix, 90)}`));
    if (h.snapshot)
      lines.push(info('stale', `    Showing its data from ${roughDuration(ctx.now - h.snapshot.generatedAt)} ago`));
  }
  const renew = hostNameProblem(h.name) === null ? `authbar setup-token --host ${h.name}` : 'Renew token on the host';
  if (h.snapshot) lines.push(...agentLines(h.snapshot, ctx.now, renew));
  lines.push(...liveMenuItems(h.live ?? h.snapshot?.live, ctx.now, ctx.timeZone));
  return underHost(h.name, lines);
}

/** "Renew token on vps…": only for a name the settings rules allow (it becomes an argv word). */
function renewItem(h: HostReport): MenuItemModel[] {
  if (hostNameProblem(h.name) !== null) return [];
  return [item(`host:${h.name}:renew`, `Renew token on ${h.name}…`, { kind: 'setup-token-host', host: h.name })];
}

export function hostsMenuItems(hosts: readonly HostReport[], ctx: MenuContext): MenuItemModel[] {
  const inline = hosts.length <= INLINE_HOSTS;
  const groups = hosts.flatMap((h) => {
    const head = info(`host:${h.name}`, hostHeadline(h, ctx.now, ctx.formatTime));
    const body = [...hostBody(h, ctx), ...renewItem(h)];
    if (inline) return [sep(`sep:host:${h.name}`), head, ...body];
    return [{ ...head, type: 'submenu' as const, enabled: true, submenu: body }];
  });
  return inline ? groups : [sep('sep:hosts'), ...groups];
}
