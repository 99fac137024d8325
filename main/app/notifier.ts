/**
 * Notices as native notifications. Where notifications are unsupported, or one fails (an
 * unsigned macOS app), the tray carries its title instead. A click opens the details window
 * at the notice's profile.
 */
import type { Notice } from '../engine/notify/notices.js';
import type { ElectronPorts, NotificationPort } from './electron-ports.js';
import { safeLabel } from './safe-label.js';
import type { WindowRoute } from '../../common/window-route.js';
import type { HostNotice } from './engine-service.js';

/** A host's notice names the host first ("vps: …"), whether or not its maker already did. */
export function noticeTitle(notice: Notice | HostNotice): string {
  if (!('host' in notice)) return notice.title;
  const prefix = `${notice.host}: `;
  return notice.title.startsWith(prefix) ? notice.title : `${prefix}${notice.title}`;
}

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

  notify(notice: Notice | HostNotice): void {
    if (!this.opts.enabled()) return;
    const { Notification } = this.opts.electron;
    const title = noticeTitle(notice);
    if (!Notification.isSupported()) {
      this.opts.fallback(title);
      return;
    }
    const n = new Notification({ title: safeLabel(title, 80), body: safeLabel(notice.body, 200) });
    this.live.add(n);
    const { agentId, profileId } = notice.subject;
    // A host's profile ids are not this machine's routes: its notice opens the overview.
    const local = !('host' in notice);
    n.on('click', () => {
      this.live.delete(n);
      this.opts.open(local && agentId && profileId ? { kind: 'profile', agentId, profileId } : { kind: 'overview' });
    });
    n.on('failed', () => {
      this.live.delete(n);
      this.opts.fallback(title);
    });
    n.on('close', () => this.live.delete(n));
    n.show();
  }

  closeAll(): void {
    for (const n of this.live) n.close();
    this.live.clear();
  }
}
