/**
 * Snapshot → the tray menu, as plain descriptors (GitHub Desktop's lesson: the menu is built
 * by a pure function; the app turns descriptors into Electron's template and actions into
 * calls). Every file-derived word passes through safeLabel.
 */
import type { AgentView, ProfileView, Snapshot } from '../../common/snapshot.js';
import { safeLabel } from './safe-label.js';
import type { EngineState } from './engine-service.js';
import { gatewayName } from './tray-model.js';
import { roughDuration } from '../../common/duration.js';
import { liveMenuItems } from './menu-live.js';
import { hostsMenuItems } from './menu-hosts.js';

export type MenuAction =
  | { kind: 'resync' }
  | { kind: 'setup-token' }
  /** `authbar setup-token --host NAME` in a terminal; NAME is a configured host's, checked again on use. */
  | { kind: 'setup-token-host'; host: string }
  | { kind: 'add-token' }
  | { kind: 'show-details' }
  | { kind: 'show-profile'; agentId: string; profileId: string }
  | { kind: 'open-store'; agentId: string }
  | { kind: 'toggle-login-item' }
  | { kind: 'pause'; until: 'hour' | 'tomorrow' }
  | { kind: 'resume' }
  | { kind: 'quit' };

export interface MenuItemModel {
  id: string;
  type: 'normal' | 'separator' | 'checkbox' | 'submenu';
  label: string;
  enabled: boolean;
  checked: boolean;
  action: MenuAction | null;
  submenu?: MenuItemModel[];
}

export interface MenuContext {
  now: number;
  /** A resync is running: the item says so and waits. */
  resyncing: boolean;
  loginItem: { supported: boolean; enabled: boolean; note: string | null };
  /** Epoch ms notifications are paused until, or null. */
  pausedUntil: number | null;
  /** Locale-formatted time of day for "paused until 08:00"; injected to keep this pure. */
  formatTime: (epochMs: number) => string;
  /** The zone usage reset times are shown in ("resets 14:30"); the system's when unset. */
  timeZone?: string;
}

export const sep = (id: string): MenuItemModel => ({
  id,
  type: 'separator',
  label: '',
  enabled: true,
  checked: false,
  action: null,
});
/** A disabled line that informs (also the live section's, menu-live.ts). */
export const info = (id: string, label: string): MenuItemModel => ({
  id,
  type: 'normal',
  label,
  enabled: false,
  checked: false,
  action: null,
});
export const item = (id: string, label: string, action: MenuAction, enabled = true): MenuItemModel => ({
  id,
  type: 'normal',
  label,
  enabled,
  checked: false,
  action,
});

/** The words for one profile's state: what it does by itself, or what the user must do. */
export function profilePhrase(p: ProfileView, now: number, renewOverride?: string): string {
  const own = p.token?.renewCommand ?? (p.provider === 'anthropic' && p.type === 'token' ? 'claude setup-token' : null);
  // A remote host's setup token is renewed from here, by the command that names the host.
  const setupToken = p.provider === 'anthropic' && p.type === 'token';
  const renew = setupToken && renewOverride !== undefined ? renewOverride : own;
  const expiresAt = p.expiresAt ?? p.token?.expiresAt ?? null;
  if (p.disabledUntil !== null && p.disabledUntil > now)
    return `disabled${p.disabledReason ? ` (${safeLabel(p.disabledReason, 30)})` : ''} for ${roughDuration(p.disabledUntil - now)}`;
  if (p.type === 'api_key') return 'API key, does not expire';
  if (p.refreshable) {
    if (p.attention === 'none') return 'refreshes by itself';
    return safeLabel(p.reason, 60);
  }
  if (expiresAt !== null && expiresAt <= now)
    return `expired ${roughDuration(now - expiresAt)} ago${renew ? ` — run ${renew}` : ''}`;
  if (p.cooldownUntil !== null && p.cooldownUntil > now)
    return `cooling down for ${roughDuration(p.cooldownUntil - now)}`;
  if (expiresAt !== null) {
    const estimated = p.expiresAt === null && p.token?.expiryKind === 'estimated';
    return `${estimated ? 'about ' : ''}expires in ${roughDuration(expiresAt - now)}${p.attention !== 'none' && renew ? ` — run ${renew}` : ''}`;
  }
  if (p.status === 'static') return 'no expiry recorded';
  return safeLabel(p.reason, 60);
}

const MARK = { none: '✓', soon: '⚠', now: '✕' } as const;

function profileItem(agent: AgentView, p: ProfileView, now: number, renew?: string): MenuItemModel {
  const label = `${MARK[p.attention]} ${safeLabel(p.profileId, 50)} — ${profilePhrase(p, now, renew)}`;
  return item(`profile:${agent.agentId}/${p.profileId}`, label, {
    kind: 'show-profile',
    agentId: agent.agentId,
    profileId: p.profileId,
  });
}

export function headline(snapshot: Snapshot): string {
  const name = gatewayName(snapshot);
  const version = snapshot.gateway.version ? ` ${safeLabel(snapshot.gateway.version, 20)}` : '';
  const verdict =
    snapshot.overall.attention === 'none'
      ? 'all credentials healthy'
      : snapshot.overall.attention === 'soon'
        ? 'attention soon'
        : 'needs action now';
  return `${name}${version} — ${verdict}`;
}

/** `renew`: the command a host's tokens are renewed with (`authbar setup-token --host vps`). */
export function agentLines(snapshot: Snapshot, now: number, renew?: string): MenuItemModel[] {
  const several = snapshot.agents.length > 1;
  return snapshot.agents.flatMap((agent) => {
    const lines: MenuItemModel[] = [];
    if (several) lines.push(info(`agent:${agent.agentId}`, `Agent ${safeLabel(agent.agentId, 40)}`));
    if (agent.error)
      lines.push(info(`agent-error:${agent.agentId}`, `✕ store unreadable: ${safeLabel(agent.error, 70)}`));
    for (const p of agent.profiles) lines.push(profileItem(agent, p, now, renew));
    for (const provider of agent.missingProviders) {
      lines.push(
        info(
          `missing:${agent.agentId}/${provider}`,
          `✕ ${safeLabel(provider, 30)} — no credential, but a model uses it`,
        ),
      );
    }
    if (!agent.error && agent.profiles.length === 0 && agent.missingProviders.length === 0)
      lines.push(info(`empty:${agent.agentId}`, 'no profiles yet'));
    return lines;
  });
}

function storeItem(snapshot: Snapshot | null): MenuItemModel {
  const agents = snapshot?.agents ?? [];
  if (agents.length <= 1) {
    const only = agents[0];
    return item(
      'open-store',
      'Open the auth store folder',
      { kind: 'open-store', agentId: only?.agentId ?? 'main' },
      only !== undefined,
    );
  }
  return {
    ...item('open-store', 'Open the auth store folder', { kind: 'show-details' }),
    type: 'submenu',
    action: null,
    submenu: agents.map((a) =>
      item(`open-store:${a.agentId}`, `Agent ${safeLabel(a.agentId, 40)}`, { kind: 'open-store', agentId: a.agentId }),
    ),
  };
}

function pauseItem(ctx: MenuContext): MenuItemModel {
  const paused = ctx.pausedUntil !== null && ctx.pausedUntil > ctx.now;
  return {
    ...item(
      'pause',
      paused ? `Notifications paused until ${ctx.formatTime(ctx.pausedUntil as number)}` : 'Pause notifications',
      { kind: 'resume' },
    ),
    type: 'submenu',
    action: null,
    submenu: [
      item('pause:hour', 'For 1 hour', { kind: 'pause', until: 'hour' }),
      item('pause:tomorrow', 'Until tomorrow', { kind: 'pause', until: 'tomorrow' }),
      item('pause:resume', 'Resume notifications', { kind: 'resume' }, paused),
    ],
  };
}

export function menuModel(state: EngineState, ctx: MenuContext): MenuItemModel[] {
  const snap = state.snapshot;
  const hosts = state.hosts ?? [];
  const top: MenuItemModel[] = [];
  // With remote hosts the menu groups by machine: this one first, then each host.
  if (hosts.length > 0) top.push(info('machine:this', 'This machine'));
  if (snap) {
    top.push(info('headline', headline(snap)));
    snap.overall.reasons.slice(0, 3).forEach((r, i) => top.push(info(`reason:${i}`, safeLabel(r, 90))));
    if (state.error)
      top.push(info('stale', `Last check failed — showing data from ${roughDuration(ctx.now - snap.generatedAt)} ago`));
    top.push(sep('sep:profiles'), ...agentLines(snap, ctx.now));
    // What the running gateway says (state, disagreements, usage windows), beside the files' verdicts.
    const live = liveMenuItems(snap.live, ctx.now, ctx.timeZone);
    if (live.length > 0) top.push(sep('sep:live'), ...live);
  } else {
    top.push(
      info('headline', state.error ? `AuthBar — ${safeLabel(state.error, 90)}` : 'AuthBar — checking credentials…'),
    );
  }
  if (hosts.length > 0) top.push(...hostsMenuItems(hosts, ctx));
  const login: MenuItemModel = {
    ...item(
      'launch-at-login',
      ctx.loginItem.note ? `Launch at login (${safeLabel(ctx.loginItem.note, 60)})` : 'Launch at login',
      { kind: 'toggle-login-item' },
      ctx.loginItem.supported,
    ),
    type: 'checkbox',
    checked: ctx.loginItem.enabled,
  };
  return [
    ...top,
    sep('sep:actions'),
    item('resync', ctx.resyncing ? 'Resyncing…' : 'Resync now', { kind: 'resync' }, !ctx.resyncing),
    item('setup-token', 'Run `claude setup-token` in a terminal…', { kind: 'setup-token' }),
    item('add-token', 'Add token…', { kind: 'add-token' }),
    item('show-details', 'Show details…', { kind: 'show-details' }),
    storeItem(snap),
    sep('sep:prefs'),
    login,
    pauseItem(ctx),
    sep('sep:quit'),
    item('quit', 'Quit AuthBar', { kind: 'quit' }),
  ];
}

/** Depth-first list of every item, submenus included (for lookups by id). */
export function flattenMenu(items: readonly MenuItemModel[]): MenuItemModel[] {
  return items.flatMap((i) => [i, ...(i.submenu ? flattenMenu(i.submenu) : [])]);
}

/** "Until tomorrow": 08:00 local time on the next day. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}
