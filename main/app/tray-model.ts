/**
 * Snapshot → what the tray shows: which icon file, the short title beside it, the tooltip.
 * Pure (Stretchly's lesson): the icon choice has its own table-driven tests.
 *
 * Icon files (assets/tray, built on the app-window branch):
 * - macOS: `trayTemplate.png` when calm (a template image macOS recolours for light and dark
 *   bars); colour cannot ride on a template, so yellow / red are `tray-{soon,now}-{light,dark}.png`
 *   picked by the bar's theme; `tray-unknown.png` while nothing is known. Each has an `@2x`
 *   that Electron picks by itself.
 * - Linux, Windows: `tray-{ok,soon,now,unknown}.png`, ordinary coloured images.
 */
import type { ProfileView, Snapshot } from '../../common/snapshot.js';
import type { EngineState } from './engine-service.js';
import { safeLabel } from './safe-label.js';
import { compactDuration, DAY_MS, plural } from '../../common/duration.js';
import { HOST_STATE_WORDS, hostAttention, worseAttention, type HostAttention } from '../../common/host-status.js';
import type { HostReport } from '../../common/hosts.js';

export type TrayState = 'ok' | 'soon' | 'now' | 'unknown';

export interface TrayIcon {
  /** File name inside assets/tray. */
  file: string;
  /** True for macOS template images (black + alpha, recoloured by the system). */
  template: boolean;
}

export interface TrayModel {
  state: TrayState;
  icon: TrayIcon;
  /** Short text beside the icon ("5d", "3h"); empty when there is nothing worth saying. */
  title: string;
  tooltip: string;
}

export interface TrayContext {
  platform: NodeJS.Platform;
  /** `nativeTheme.shouldUseDarkColors`. */
  dark: boolean;
  now: number;
}

/** Every icon file the app may ask for, per platform (the icon test checks they exist). */
export function trayIconFiles(platform: NodeJS.Platform): string[] {
  return platform === 'darwin'
    ? [
        'trayTemplate.png',
        'tray-soon-light.png',
        'tray-soon-dark.png',
        'tray-now-light.png',
        'tray-now-dark.png',
        'tray-unknown.png',
      ]
    : ['tray-ok.png', 'tray-soon.png', 'tray-now.png', 'tray-unknown.png'];
}

export function trayIcon(state: TrayState, ctx: Pick<TrayContext, 'platform' | 'dark'>): TrayIcon {
  if (ctx.platform !== 'darwin') return { file: `tray-${state}.png`, template: false };
  switch (state) {
    case 'ok':
      return { file: 'trayTemplate.png', template: true };
    case 'unknown':
      return { file: 'tray-unknown.png', template: false };
    default:
      return { file: `tray-${state}-${ctx.dark ? 'dark' : 'light'}.png`, template: false };
  }
}

/** The worst of this machine and every remote host (a host not heard from is never ok). */
export function trayState(state: EngineState): TrayState {
  const local: HostAttention = state.snapshot ? state.snapshot.overall.attention : 'unknown';
  const a = (state.hosts ?? []).map(hostAttention).reduce(worseAttention, local);
  return a === 'none' ? 'ok' : a;
}

/** "vps: unreachable, lab: needs action now" for the hosts that need something, else "2 hosts ok". */
export function hostsTooltip(hosts: readonly HostReport[]): string | null {
  if (hosts.length === 0) return null;
  const bad = hosts.flatMap((h) => {
    const a = hostAttention(h);
    if (a === 'none') return [];
    const words = h.state !== 'ok' ? HOST_STATE_WORDS[h.state] : a === 'now' ? 'needs action now' : 'attention soon';
    return [`${safeLabel(h.name, 32)}: ${words}`];
  });
  return bad.length > 0 ? bad.join(', ') : `${plural(hosts.length, 'host')} ok`;
}

export function gatewayName(snapshot: Snapshot): string {
  return snapshot.gateway.name ?? snapshot.gateway.kind;
}

export function allProfiles(snapshot: Snapshot): Array<{ agentId: string; profile: ProfileView }> {
  return snapshot.agents.flatMap((a) => a.profiles.map((profile) => ({ agentId: a.agentId, profile })));
}

/**
 * The deadline that matters: the soonest expiry of a credential nobody refreshes (setup
 * tokens, static tokens) among those that need attention. A refreshable login's 8-hour access
 * token is not news (DESIGN §2a "Attention").
 */
export function soonestDeadline(
  snapshot: Snapshot,
): { agentId: string; profile: ProfileView; expiresAt: number } | null {
  let best: { agentId: string; profile: ProfileView; expiresAt: number } | null = null;
  for (const { agentId, profile } of allProfiles(snapshot)) {
    if (profile.refreshable || profile.attention === 'none') continue;
    const expiresAt = profile.expiresAt ?? profile.token?.expiresAt ?? null;
    if (expiresAt === null) continue;
    if (!best || expiresAt < best.expiresAt) best = { agentId, profile, expiresAt };
  }
  return best;
}

/** The setup token the user will have to renew next, with its days left (for the tooltip). */
function setupTokenLine(snapshot: Snapshot, now: number): string | null {
  let soonest: number | null = null;
  for (const { profile } of allProfiles(snapshot)) {
    if (profile.type !== 'token') continue;
    const at = profile.expiresAt ?? profile.token?.expiresAt ?? null;
    if (at !== null && (soonest === null || at < soonest)) soonest = at;
  }
  if (soonest === null) return null;
  const left = soonest - now;
  if (left <= 0) return 'setup token expired';
  const days = Math.floor(left / DAY_MS);
  return days >= 1 ? `setup token: ${plural(days, 'day')} left` : `setup token: expires in ${compactDuration(left)}`;
}

function profileCounts(snapshot: Snapshot): string {
  const profiles = allProfiles(snapshot).map((p) => p.profile);
  const now = profiles.filter((p) => p.attention === 'now').length;
  const soon = profiles.filter((p) => p.attention === 'soon').length;
  const ok = profiles.length - now - soon;
  if (profiles.length === 0) return 'no profiles';
  if (now === 0 && soon === 0) return `${plural(ok, 'profile')} ok`;
  return [now ? `${now} need${now === 1 ? 's' : ''} action now` : '', soon ? `${soon} soon` : '', ok ? `${ok} ok` : '']
    .filter(Boolean)
    .join(', ');
}

const TOOLTIP_MAX: Partial<Record<NodeJS.Platform, number>> = { win32: 127 };

export function trayModel(state: EngineState, ctx: TrayContext): TrayModel {
  const s = trayState(state);
  const icon = trayIcon(s, ctx);
  const snap = state.snapshot;
  const hosts = state.hosts ?? [];
  const hostsLine = hostsTooltip(hosts);
  if (!snap) {
    const tooltip = state.error ? `AuthBar · ${safeLabel(state.error, 100)}` : 'AuthBar · checking credentials…';
    const title = trayTitleOf(hostSnapshots(hosts), ctx.now);
    return { state: s, icon, title, tooltip: clip(hostsLine ? `${tooltip} · ${hostsLine}` : tooltip, ctx.platform) };
  }
  const parts = [gatewayName(snap), profileCounts(snap)];
  const missing = [...new Set(snap.agents.flatMap((a) => a.missingProviders))];
  if (missing.length) parts.push(`no credential for ${missing.map((p) => safeLabel(p, 30)).join(', ')}`);
  const token = setupTokenLine(snap, ctx.now);
  if (token) parts.push(token);
  // A stale snapshot is shown with its age rather than passed off as current.
  if (state.error) parts.push(`last check failed: ${safeLabel(state.error, 60)}`);
  if (hostsLine) parts.push(hostsLine);
  const title = trayTitleOf([snap, ...hostSnapshots(hosts)], ctx.now);
  return { state: s, icon, title, tooltip: clip(parts.join(' · '), ctx.platform) };
}

function hostSnapshots(hosts: readonly HostReport[]): Snapshot[] {
  return hosts.flatMap((h) => (h.snapshot ? [h.snapshot] : []));
}

/** The title over several machines: the soonest deadline among those that need attention. */
function trayTitleOf(snapshots: readonly Snapshot[], now: number): string {
  let soonest: number | null = null;
  for (const s of snapshots) {
    if (s.overall.attention === 'none') continue;
    const d = soonestDeadline(s);
    if (d && (soonest === null || d.expiresAt < soonest)) soonest = d.expiresAt;
  }
  if (soonest !== null) return soonest > now ? compactDuration(soonest - now) : 'expired';
  return snapshots.some((s) => s.overall.attention === 'now') ? '!' : '';
}

/** "5d" / "3h" beside the icon when a deadline is near or passed; nothing when calm. */
export function trayTitle(snapshot: Snapshot, now: number): string {
  if (snapshot.overall.attention === 'none') return '';
  const d = soonestDeadline(snapshot);
  if (d) return d.expiresAt > now ? compactDuration(d.expiresAt - now) : 'expired';
  return snapshot.overall.attention === 'now' ? '!' : '';
}

function clip(text: string, platform: NodeJS.Platform): string {
  const max = TOOLTIP_MAX[platform];
  return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
