/**
 * Notices as native notifications. Where notifications are unsupported, or one fails (an
 * unsigned macOS app), the tray carries its title instead. A click opens the details window
 * at the notice's profile.
 */
import type { Notice } from '../engine/notify/notices.js';
import type { ElectronPorts, NotificationPort } from './electron-ports.js';
import { safeLabel } from './safe-label.js';
import type { WindowRoute } from '../../common/window-route.js';

export interface NotifierOptions {
  electron: Pick<ElectronPorts, 'Notification'>;
  /** False while notifications are off in the settings or paused from the menu. */
  enabled: () => boolean;
  /** What the tray shows when a notification cannot be. */
  fallback: (title: string) => void;
  open: (route: WindowRoute) => void;
}

export class Notifier {
  /** Notifications on screen: one garbage-collected before its click would lose the click. */
  private readonly live = new Set<NotificationPort>();

  constructor(private readonly opts: NotifierOptions) {}

  notify(notice: Notice): void {
    if (!this.opts.enabled()) return;
    const { Notification } = this.opts.electron;
    if (!Notification.isSupported()) {
      this.opts.fallback(notice.title);
      return;
    }
    const n = new Notification({ title: safeLabel(notice.title, 80), body: safeLabel(notice.body, 200) });
    this.live.add(n);
    const { agentId, profileId } = notice.subject;
    n.on('click', () => {
      this.live.delete(n);
      this.opts.open(agentId && profileId ? { kind: 'profile', agentId, profileId } : { kind: 'overview' });
    });
    n.on('failed', () => {
      this.live.delete(n);
      this.opts.fallback(notice.title);
    });
    n.on('close', () => this.live.delete(n));
    n.show();
  }

  closeAll(): void {
    for (const n of this.live) n.close();
    this.live.clear();
  }
}
