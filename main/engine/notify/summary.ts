/** A burst of notices as one: which noun it counts, the worst state, the first few titles. */
import { worst, type Attention } from '../health.js';
import type { Notice, NoticeAction } from './notices.js';

/** What a summary counts: credentials (every notice but the live ones), usage windows, or both. */
function nounOf(items: readonly Notice[]): string {
  const usage = items.filter((n) => n.key.startsWith('usage:')).length;
  const live = items.filter((n) => n.key.startsWith('live:')).length;
  if (usage === items.length) return 'usage windows';
  return usage + live === 0 ? 'credentials' : 'items';
}

/** One notice standing for several. */
export function summarise(items: readonly Notice[], now: number): Notice {
  const bad = items.filter((n) => n.state !== 'recovered');
  const good = items.length - bad.length;
  const state: Notice['state'] = bad.length === 0 ? 'recovered' : worst(...bad.map((n) => n.state as Attention));
  const title =
    bad.length === 0
      ? `${good} ${nounOf(items)} ${nounOf(items) === 'usage windows' ? 'are below 80 % again' : 'are healthy again'}`
      : `${bad.length === 1 ? (bad[0] as Notice).title : `${bad.length} ${nounOf(bad)} need attention`}${good > 0 ? ` (${good} recovered)` : ''}`;
  const ordered = [
    ...bad.filter((n) => n.state === 'now'),
    ...bad.filter((n) => n.state === 'soon'),
    ...items.filter((n) => n.state === 'recovered'),
  ];
  const listed = ordered.slice(0, 3).map((n) => n.title);
  const body = `${listed.join('; ')}${ordered.length > 3 ? `; and ${ordered.length - 3} more` : ''}. Run authbar status for details.`;
  const actions = new Set(bad.map((n) => n.action));
  const action: NoticeAction =
    bad.length === 0 ? 'none' : actions.size === 1 ? (bad[0] as Notice).action : 'open-details';
  return {
    key: `summary:${state}`,
    subject: { agentId: null, profileId: null, provider: null },
    state,
    title,
    body,
    action,
    at: now,
    items: ordered,
  };
}
