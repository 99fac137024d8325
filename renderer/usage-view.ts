/**
 * The Usage card, drawn: the running gateway's state with its fix, disagreements with the
 * files, and a bar per usage window (renderer/view/live.ts says what; this only builds
 * elements, text always as text nodes).
 */
import type { Snapshot } from '../common/snapshot.js';
import { byId, h, lineEl } from './dom.js';
import { liveSection, type LiveSection, type UsageBar, type UsageGroup } from './view-model.js';

function barEl(b: UsageBar): HTMLElement {
  const fill = h('span', { class: 'usage-fill', tone: b.tone });
  // A style property, not a style attribute: the CSP allows no inline style attributes.
  fill.style.width = `${b.fill}%`;
  return h(
    'li',
    { class: 'usage-window', tone: b.tone, attrs: { 'data-window': b.label } },
    h(
      'div',
      { class: 'usage-head' },
      h('span', { class: 'usage-label' }, b.label),
      h('span', { class: 'usage-percent' }, b.percent),
      h('span', { class: 'spacer' }),
      h('span', { class: 'usage-reset' }, b.reset),
    ),
    h(
      'div',
      {
        class: 'usage-track',
        attrs: {
          role: 'meter',
          'aria-label': b.label,
          'aria-valuemin': '0',
          'aria-valuemax': '100',
          'aria-valuenow': String(Math.round(b.fill)),
          'aria-valuetext': b.percent,
        },
      },
      fill,
    ),
  );
}

function groupEl(g: UsageGroup): HTMLElement {
  return h(
    'div',
    { class: 'usage-group', attrs: { 'data-provider': g.name } },
    h(
      'div',
      { class: 'profile-head' },
      h('span', { class: 'usage-provider' }, g.name),
      h('span', { class: 'line-detail usage-verdict' }, g.verdict),
      g.plan ? h('span', { class: 'pill' }, g.plan) : null,
    ),
    g.bars.length > 0 ? h('ul', { class: 'usage-bars' }, ...g.bars.map(barEl)) : null,
    g.note ? h('p', { class: 'line', tone: 'muted' }, g.note) : null,
  );
}

/** Fills #live-section from the snapshot; hidden when the gateway was not asked or live is off. */
export function renderUsage(snapshot: Snapshot | null, now: number): void {
  const section = byId('live-section');
  const view = snapshot ? liveSection(snapshot.live, now) : null;
  section.hidden = view === null;
  if (view === null) {
    byId('live').replaceChildren();
    return;
  }
  byId('live').replaceChildren(...usageChildren(view));
}

/** The Usage card's contents (also a remote host's, hosts-view.ts). */
export function usageChildren(view: LiveSection): HTMLElement[] {
  return [
    h(
      'div',
      { class: 'agent-head' },
      h('h3', {}, view.title),
      h('span', { class: 'spacer' }),
      h('span', { class: 'line-detail live-checked' }, view.detail),
    ),
    ...view.lines.map((l) => lineEl(l, 'line live-state')),
    ...view.disagreements.map((d) =>
      h(
        'div',
        { class: 'live-disagreement', attrs: { 'data-profile': d.profileId } },
        h(
          'div',
          { class: 'profile-head' },
          h('span', { class: 'profile-id mono' }, d.profileId),
          h('span', { class: 'pill', tone: 'soon' }, d.verdicts),
        ),
        d.text ? h('p', { class: 'line', tone: 'muted' }, d.text) : null,
        h('p', { class: 'line live-fix' }, h('span', { class: 'line-text' }, 'Fix: ', h('code', {}, d.fix))),
      ),
    ),
    ...view.usage.map(groupEl),
  ];
}
