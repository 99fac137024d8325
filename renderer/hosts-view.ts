/**
 * The remote hosts, drawn: a card per host (renderer/view/hosts.ts says what) with its state,
 * the fix, its agents' profiles and its gateway's usage. Text always as text nodes. A host's
 * agents have no "Open folder" (the folder is on the host) and its rows are not routes.
 */
import { bridge, state } from './bridge.js';
import { byId, h, lineEl } from './dom.js';
import { profileEl } from './snapshot-view.js';
import { run } from './status.js';
import { usageChildren } from './usage-view.js';
import { hostSections, type AgentSection, type HostSection } from './view-model.js';

function hostAgentEl(a: AgentSection): HTMLElement {
  return h(
    'div',
    { class: 'agent host-agent', attrs: { 'data-attention': a.attention, 'data-agent': a.agentId } },
    h(
      'div',
      { class: 'agent-head' },
      h('span', { class: 'dot small-dot', attrs: { 'aria-hidden': 'true' } }),
      h('h4', {}, a.title),
    ),
    ...a.notes.map((n) => lineEl(n, 'line note')),
    a.profiles.length > 0
      ? h('ul', { class: 'profiles' }, ...a.profiles.map(profileEl))
      : h('p', { class: 'empty' }, a.emptyText),
  );
}

function hostEl(s: HostSection): HTMLElement {
  let renew: HTMLButtonElement | null = null;
  if (s.renewName !== null) {
    const name = s.renewName;
    renew = h(
      'button',
      { class: 'small', attrs: { type: 'button', 'data-focus-key': `renew:${name}` } },
      'Renew token…',
    );
    renew.setAttribute('aria-label', `Renew the token on ${s.name}`);
    const button = renew;
    button.addEventListener('click', () => void run(button, 'Opening a terminal…', () => bridge.renewOnHost(name)));
  }
  return h(
    'article',
    { class: 'card host', attrs: { 'data-attention': s.attention, 'data-host': s.name } },
    h(
      'div',
      { class: 'agent-head' },
      h('span', { class: 'dot small-dot', attrs: { 'aria-hidden': 'true' } }),
      h('h3', {}, s.name),
      h('span', { class: 'pill host-state', tone: s.state.tone }, s.state.text),
      s.since ? h('span', { class: 'line-detail host-since' }, s.since) : null,
      h('span', { class: 'spacer' }),
      renew,
    ),
    ...s.lines.map((l) => lineEl(l, 'line host-line')),
    s.fix ? h('p', { class: 'line host-fix' }, h('span', { class: 'line-text' }, 'Fix: ', h('code', {}, s.fix))) : null,
    ...(s.agents.length > 0 ? s.agents.map(hostAgentEl) : [h('p', { class: 'empty' }, s.emptyText)]),
    s.usage ? h('div', { class: 'host-usage live' }, ...usageChildren(s.usage)) : null,
  );
}

/** Fills #hosts-section; hidden when no host is configured. This machine's part is titled so. */
export function renderHosts(): void {
  const hosts = state.hosts;
  const any = hosts.length > 0;
  byId('hosts-section').hidden = !any;
  byId('agents-title').textContent = any ? 'This machine' : 'Agents';
  // Rebuilding replaces a focused Renew button: focus its successor, as the agents' buttons do.
  const focusKey =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset['focusKey'] : undefined;
  const list = byId('hosts');
  list.replaceChildren(...hostSections(hosts, Date.now()).map(hostEl));
  if (focusKey)
    [...list.querySelectorAll<HTMLElement>('[data-focus-key]')]
      .find((el) => el.dataset['focusKey'] === focusKey)
      ?.focus();
}
