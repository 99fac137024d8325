/**
 * The snapshot, drawn: summary, gateway, agents with their profile rows, sources, vault. A
 * route (`#profile=<agent/profile>`) scrolls to and focuses its row once a snapshot holds it.
 */
import type { WindowRoute } from '../common/window-route.js';
import { bridge, state } from './bridge.js';
import { byId, h, lineEl } from './dom.js';
import { run } from './status.js';
import { renderUsage } from './usage-view.js';
import { buildView, type AgentSection, type ProfileRow } from './view-model.js';

export function profileEl(p: ProfileRow): HTMLElement {
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Type'),
    h('dd', {}, p.type),
    h('dt', {}, 'Source'),
    h('dd', {}, p.source),
    p.account ? h('dt', {}, 'Account') : null,
    p.account ? h('dd', {}, p.account) : null,
    h('dt', {}, 'Credential'),
    h('dd', { class: 'mono' }, p.credential),
  );
  return h(
    'li',
    { class: 'profile', tone: p.status.tone, attrs: { 'data-profile': p.profileId } },
    h(
      'div',
      { class: 'profile-head' },
      h('span', { class: 'profile-id mono' }, p.profileId),
      h('span', { class: 'pill', tone: p.status.tone }, p.status.text),
    ),
    lineEl(p.expiry, 'line expiry'),
    p.tokenAge ? lineEl(p.tokenAge, 'line token-age') : null,
    p.lastRefresh ? lineEl(p.lastRefresh) : null,
    ...p.notes.map((n) => lineEl(n, 'line note')),
    facts,
  );
}

/** Profile rows of the last render by route key (`agent/profile`, raw ids kept out of the DOM). */
let rowsByRoute = new Map<string, HTMLElement>();
let routeOfRow = new WeakMap<HTMLElement, string>();
const routeKey = (agentId: string, profileId: string) => `${agentId}\u0000${profileId}`;

function agentEl(a: AgentSection): HTMLElement {
  const reveal = h(
    'button',
    {
      class: 'small',
      attrs: {
        type: 'button',
        'data-focus-key': `reveal:${a.rawAgentId}`,
        'aria-label': `Open folder of agent ${a.agentId}`,
      },
    },
    'Open folder',
  );
  reveal.addEventListener('click', () => void run(reveal, 'Opening…', () => bridge.revealStore(a.rawAgentId)));
  return h(
    'article',
    { class: 'card agent', attrs: { 'data-attention': a.attention, 'data-agent': a.agentId } },
    h(
      'div',
      { class: 'agent-head' },
      h('span', { class: 'dot small-dot', attrs: { 'aria-hidden': 'true' } }),
      h('h3', {}, a.title),
      h('span', { class: 'spacer' }),
      reveal,
    ),
    h('p', { class: 'path mono', attrs: { title: a.storePath } }, a.storePath),
    h('div', { class: 'agent-lines' }, lineEl(a.storeLine, 'line store'), lineEl(a.lastSync, 'line last-sync')),
    ...a.notes.map((n) => lineEl(n, 'line note')),
    a.profiles.length > 0
      ? h(
          'ul',
          { class: 'profiles' },
          ...a.profiles.map((p) => {
            const row = profileEl(p);
            // Focusable by script only (a route lands here), not a tab stop.
            row.tabIndex = -1;
            const key = routeKey(a.rawAgentId, p.rawProfileId);
            rowsByRoute.set(key, row);
            routeOfRow.set(row, key);
            return row;
          }),
        )
      : h('p', { class: 'empty' }, a.emptyText),
  );
}

export function renderSnapshot(): void {
  const summary = byId('summary');
  if (state.snapshot === null) {
    summary.dataset['attention'] = 'unknown';
    byId('headline').textContent = 'Waiting for the first scan…';
    byId('overall-summary').textContent = 'AuthBar has not read the stores yet.';
    byId('freshness').textContent = '';
    byId('agents').replaceChildren(h('p', { class: 'empty' }, 'Nothing to show yet.'));
    renderUsage(null, Date.now());
    return;
  }
  const view = buildView(state.snapshot, Date.now());
  renderUsage(state.snapshot, Date.now());
  // Rebuilding replaces the focused button: remember it by key and focus its successor.
  const focusKey =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset['focusKey'] : undefined;
  const focusedRow = document.activeElement instanceof HTMLElement ? routeOfRow.get(document.activeElement) : undefined;
  rowsByRoute = new Map();
  routeOfRow = new WeakMap();

  summary.dataset['attention'] = view.overall.attention;
  byId('headline').textContent = view.overall.headline;
  byId('overall-summary').textContent = `${view.overall.summary} ·`;
  const fresh = byId('freshness');
  fresh.textContent = view.freshness.text;
  fresh.title = view.freshness.detail;
  fresh.dataset['stale'] = String(view.freshness.stale);
  byId('reasons').replaceChildren(...view.overall.reasons.map((r) => h('li', {}, r)));
  byId('gateway-title').textContent = view.gateway.title;
  byId('gateway-lines').replaceChildren(...view.gateway.lines.map((l) => h('li', {}, lineEl(l))));

  byId('agents').replaceChildren(
    ...(view.agents.length > 0 ? view.agents.map(agentEl) : [h('p', { class: 'empty' }, 'No agents found.')]),
  );
  const sources = view.sources;
  byId('sources-section').hidden = sources.length === 0;
  byId('sources').replaceChildren(
    ...sources.map((s) =>
      h(
        'li',
        { class: 'source' },
        h(
          'div',
          { class: 'profile-head' },
          h('span', { class: 'source-name' }, s.name),
          h('span', { class: 'pill', tone: s.status.tone }, s.status.text),
        ),
        h('p', { class: 'line mono-ish' }, s.detail),
      ),
    ),
  );
  const vault = view.vault;
  byId('vault-section').hidden = vault === null;
  byId('vault-reason').textContent =
    vault && !vault.available
      ? `Unavailable: ${vault.reason}`
      : vault && vault.rows.length === 0
        ? 'No tokens kept.'
        : '';
  byId('vault').replaceChildren(
    ...(vault?.rows ?? []).map((r) =>
      h(
        'li',
        { class: 'source' },
        h('span', { class: 'source-name mono' }, r.profileId),
        h('p', { class: 'line mono-ish' }, `${r.credential} · ${r.detail}`),
      ),
    ),
  );

  if (focusKey) {
    const next = [...document.querySelectorAll<HTMLElement>('[data-focus-key]')].find(
      (el) => el.dataset['focusKey'] === focusKey,
    );
    next?.focus();
  }
  if (focusedRow !== undefined) rowsByRoute.get(focusedRow)?.focus({ preventScroll: true });
  applyPendingRoute();
}

/** A profile route waiting for a snapshot that holds its row. */
export const route: { pending: Extract<WindowRoute, { kind: 'profile' }> | null } = { pending: null };

export function applyPendingRoute(): void {
  const pending = route.pending;
  if (pending === null) return;
  const row = rowsByRoute.get(routeKey(pending.agentId, pending.profileId));
  if (!row) return;
  route.pending = null;
  for (const el of document.querySelectorAll<HTMLElement>('.profile[data-routed]')) delete el.dataset['routed'];
  row.dataset['routed'] = 'true';
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
}
