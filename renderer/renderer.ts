/**
 * The details window. Draws the view model (view-model.ts) with DOM calls and textContent
 * only — never innerHTML: every string may come from a file and can hold anything. Talks to
 * the main process only through `window.authbar` (main/app/bridge.ts).
 */
import type { AuthBarBridge, CommandResult } from '../common/ipc-contract.js';
import { parseRouteHash, type WindowRoute } from '../common/window-route.js';
import type { Snapshot } from '../common/snapshot.js';
import type { Settings } from '../common/settings.js';
import {
  buildView,
  checkExpiresInDays,
  checkProfileId,
  checkToken,
  settingsPatch,
  shown,
  type AgentSection,
  type Line,
  type ProfileRow,
  type SettingsForm,
  type Tone,
} from './view-model.js';

declare global {
  interface Window {
    authbar: AuthBarBridge;
  }
}

const bridge = window.authbar;
let snapshot: Snapshot | null = null;
let settings: Settings | null = null;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The details window lacks #${id}.`);
  return el as T;
}

type Child = Node | string | null | undefined | false;

/** A tiny element builder: text goes in as text nodes, never as markup. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; tone?: Tone; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.tone) el.dataset['tone'] = props.tone;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function lineEl(line: Line, cls = 'line'): HTMLElement {
  return h(
    'p',
    { class: cls, tone: line.tone ?? 'muted' },
    h('span', { class: 'line-text' }, line.text),
    line.detail ? h('span', { class: 'line-detail' }, line.detail) : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Status messages

const statusEl = byId<HTMLParagraphElement>('status');

function say(text: string, tone: Tone): void {
  statusEl.textContent = shown(text);
  statusEl.dataset['tone'] = tone;
}

/** Runs a bridge command with its button disabled, and says how it went. */
async function run(
  button: HTMLButtonElement,
  busyLabel: string,
  command: () => Promise<CommandResult>,
): Promise<CommandResult | null> {
  const label = button.textContent ?? '';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyLabel;
  say(busyLabel, 'muted');
  try {
    const result = await command();
    if (result.ok) say(result.message, 'ok');
    else say(result.error, 'now');
    return result;
  } catch (err) {
    say(`The app did not answer: ${err instanceof Error ? err.message : String(err)}`, 'now');
    return null;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
    // A button that was focused keeps focus after its label changes back.
  }
}

// ---------------------------------------------------------------------------------------------
// The snapshot

function profileEl(p: ProfileRow): HTMLElement {
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

function renderSnapshot(): void {
  const summary = byId('summary');
  if (snapshot === null) {
    summary.dataset['attention'] = 'unknown';
    byId('headline').textContent = 'Waiting for the first scan…';
    byId('overall-summary').textContent = 'AuthBar has not read the stores yet.';
    byId('freshness').textContent = '';
    byId('agents').replaceChildren(h('p', { class: 'empty' }, 'Nothing to show yet.'));
    return;
  }
  const view = buildView(snapshot, Date.now());
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

  renderAgentChoices();
  if (focusKey) {
    const next = [...document.querySelectorAll<HTMLElement>('[data-focus-key]')].find(
      (el) => el.dataset['focusKey'] === focusKey,
    );
    next?.focus();
  }
  if (focusedRow !== undefined) rowsByRoute.get(focusedRow)?.focus({ preventScroll: true });
  applyPendingRoute();
}

// ---------------------------------------------------------------------------------------------
// Route: the app opens the window at `#profile=<agent/profile>` or `#add-token`.

/** A profile route waiting for a snapshot that holds its row. */
let pendingProfile: Extract<WindowRoute, { kind: 'profile' }> | null = null;

function applyRoute(): void {
  const route = parseRouteHash(window.location.hash);
  pendingProfile = route.kind === 'profile' ? route : null;
  if (route.kind === 'add-token') showAddForm(true);
  else applyPendingRoute();
}

function applyPendingRoute(): void {
  if (pendingProfile === null) return;
  const row = rowsByRoute.get(routeKey(pendingProfile.agentId, pendingProfile.profileId));
  if (!row) return;
  pendingProfile = null;
  for (const el of document.querySelectorAll<HTMLElement>('.profile[data-routed]')) delete el.dataset['routed'];
  row.dataset['routed'] = 'true';
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------
// Actions

const resyncButton = byId<HTMLButtonElement>('resync');
resyncButton.addEventListener('click', () => void run(resyncButton, 'Resyncing…', () => bridge.resync()));
const setupButton = byId<HTMLButtonElement>('setup-token');
setupButton.addEventListener(
  'click',
  () => void run(setupButton, 'Opening a terminal…', () => bridge.openSetupToken()),
);

const addToggle = byId<HTMLButtonElement>('add-token-toggle');
// Not `add-token`: that is the route's hash, and a hash naming an element moves focus to it on load.
const addForm = byId<HTMLFormElement>('add-token-sheet');
const tokenInput = byId<HTMLInputElement>('token-input');
const tokenProfile = byId<HTMLInputElement>('token-profile');
const tokenDays = byId<HTMLInputElement>('token-days');
const tokenError = byId<HTMLParagraphElement>('token-error');
const addSubmit = byId<HTMLButtonElement>('add-token-submit');

function showAddForm(open: boolean): void {
  if (open && !addForm.hidden) {
    tokenInput.focus();
    return;
  }
  addForm.hidden = !open;
  addToggle.setAttribute('aria-expanded', String(open));
  tokenInput.value = '';
  tokenError.textContent = '';
  tokenInput.removeAttribute('aria-invalid');
  if (open) tokenInput.focus();
  else addToggle.focus();
}

addToggle.addEventListener('click', () => showAddForm(addForm.hidden));
byId<HTMLButtonElement>('add-token-cancel').addEventListener('click', () => showAddForm(false));
addForm.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') showAddForm(false);
});

function fieldError(input: HTMLInputElement, message: string): void {
  tokenError.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

addForm.addEventListener('submit', (e) => {
  e.preventDefault();
  tokenInput.removeAttribute('aria-invalid');
  tokenProfile.removeAttribute('aria-invalid');
  tokenDays.removeAttribute('aria-invalid');
  const token = checkToken(tokenInput.value);
  if (!token.ok) return fieldError(tokenInput, token.error);
  const profile = checkProfileId(tokenProfile.value);
  if (!profile.ok) return fieldError(tokenProfile, profile.error);
  const days = checkExpiresInDays(tokenDays.value);
  if (!days.ok) return fieldError(tokenDays, days.error);
  tokenError.textContent = '';
  // The secret leaves the field at once: it lives only in this request from here on.
  tokenInput.value = '';
  const req = {
    provider: 'anthropic' as const,
    token: token.token,
    ...(profile.profileId ? { profileId: profile.profileId } : {}),
    ...(days.days ? { expiresInDays: days.days } : {}),
  };
  void run(addSubmit, 'Adding…', () => bridge.addToken(req)).then((result) => {
    if (result?.ok) {
      tokenProfile.value = '';
      tokenDays.value = '';
      addForm.hidden = true;
      addToggle.setAttribute('aria-expanded', 'false');
      addToggle.focus();
    } else {
      tokenInput.focus();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Settings

const settingsForm = byId<HTMLFormElement>('settings');
const warnHours = byId<HTMLInputElement>('warn-hours');
const reminderDays = byId<HTMLInputElement>('reminder-days');
const notifications = byId<HTMLInputElement>('notifications');
const terminal = byId<HTMLInputElement>('terminal');
const allAgents = byId<HTMLInputElement>('all-agents');
const agentChoices = byId<HTMLDivElement>('agent-choices');
const settingsError = byId<HTMLParagraphElement>('settings-error');
const settingsSave = byId<HTMLButtonElement>('settings-save');

function chosenAgents(): string[] {
  return [...agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
    .filter((c) => c.checked)
    .map((c) => c.value);
}

/** One checkbox per agent known from the snapshot or the settings; checked state survives redraws. */
function renderAgentChoices(): void {
  const ids = new Set<string>([...(snapshot?.agents.map((a) => a.agentId) ?? []), ...(settings?.agents ?? [])]);
  const existing = new Map(
    [...agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].map((c) => [c.value, c.checked]),
  );
  if (existing.size === ids.size && [...ids].every((id) => existing.has(id))) return;
  agentChoices.replaceChildren(
    ...[...ids].map((id) => {
      const box = h('input', { attrs: { type: 'checkbox' } });
      box.value = id;
      box.checked =
        existing.get(id) ??
        (settings?.agents === null || settings?.agents === undefined ? true : settings.agents.includes(id));
      box.disabled = allAgents.checked;
      return h('label', { class: 'check' }, box, ` ${shown(id, 80)}`);
    }),
  );
}

function fillSettings(s: Settings): void {
  settings = s;
  warnHours.value = String(s.warnHours);
  reminderDays.value = String(s.tokenReminderDays);
  notifications.checked = s.notifications;
  terminal.value = s.terminal ?? '';
  allAgents.checked = s.agents === null;
  agentChoices.replaceChildren();
  renderAgentChoices();
}

allAgents.addEventListener('change', () => {
  for (const box of agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
    box.disabled = allAgents.checked;
});

settingsForm.addEventListener('submit', (e) => {
  e.preventDefault();
  if (settings === null) {
    settingsError.textContent = 'The settings have not loaded yet: close and reopen the window.';
    return;
  }
  for (const el of [warnHours, reminderDays, terminal]) el.removeAttribute('aria-invalid');
  const form: SettingsForm = {
    warnHours: warnHours.value,
    notifications: notifications.checked,
    allAgents: allAgents.checked,
    agents: chosenAgents(),
    terminal: terminal.value,
    tokenReminderDays: reminderDays.value,
  };
  const result = settingsPatch(settings, form);
  if (!result.ok) {
    settingsError.textContent = result.error;
    const field = { warnHours, tokenReminderDays: reminderDays, terminal, agents: allAgents, notifications, allAgents }[
      result.field
    ];
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    return;
  }
  settingsError.textContent = '';
  if (Object.keys(result.patch).length === 0) {
    say('Nothing to save: the settings are unchanged.', 'muted');
    return;
  }
  void run(settingsSave, 'Saving…', () => bridge.setSettings(result.patch)).then(async (r) => {
    if (r && !r.ok) settingsError.textContent = shown(r.error);
    if (r?.ok) fillSettings(await bridge.getSettings());
  });
});

// ---------------------------------------------------------------------------------------------
// Start

bridge.onSnapshot((s) => {
  snapshot = s;
  renderSnapshot();
});
// Relative times ("updated 3 min ago") move on while the window is open.
setInterval(renderSnapshot, 30_000);

void (async () => {
  try {
    const [s, current] = await Promise.all([bridge.getSnapshot(), bridge.getSettings()]);
    // A pushed snapshot may have arrived while waiting: keep the newer one.
    const pushed = snapshot as Snapshot | null;
    if (s && (pushed === null || s.generatedAt > pushed.generatedAt)) snapshot = s;
    fillSettings(current);
  } catch (err) {
    say(`Could not load the current state: ${err instanceof Error ? err.message : String(err)}`, 'now');
  }
  renderSnapshot();
  applyRoute();
})();
window.addEventListener('hashchange', applyRoute);
