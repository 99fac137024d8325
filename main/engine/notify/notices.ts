/**
 * What the notification policy hands to whoever delivers notifications (the tray app's
 * Electron `Notification`, `authbar watch`'s notify-send / --notify-cmd). Types only: the
 * policy itself lives in notify-policy.ts.
 */
import type { Attention } from '../health.js';

/** The action a notification offers; the app maps each to a button or a click. */
export type NoticeAction = 'setup-token' | 'resync' | 'open-details' | 'open-store' | 'none';

export interface Notice {
  /** Stable key of the subject and state (`profile:main/anthropic:default:now`): dedupe and snooze use it. */
  key: string;
  /** What the notice is about: a profile of an agent, a provider in use, a source, or the whole host. */
  subject: { agentId: string | null; profileId: string | null; provider: string | null };
  /** The state entered; `recovered` once when a subject is healthy again. */
  state: Attention | 'recovered';
  /** Short title, e.g. "anthropic setup token expires in 5 days". Never a secret. */
  title: string;
  /** What to do, e.g. "Run authbar setup-token to renew it." Never a secret. */
  body: string;
  action: NoticeAction;
  /** Epoch ms the notice was made. */
  at: number;
  /** Set on a summary notice: the notices a burst was coalesced from. */
  items?: Notice[];
}
