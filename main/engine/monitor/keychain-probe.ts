/**
 * macOS: Claude Code's Keychain item is re-read gently — one silent read every few minutes,
 * once a first silent read succeeded; never a prompt. A change (or an item gone) asks the
 * monitor for a full re-read; a read that would have to ask pauses the probe until a user's
 * click (an interactive resync) resumes it.
 */
import { describeError } from '../errors.js';
import { resolvePaths } from '../paths.js';
import type { Env, Keychain } from '../ports.js';
import { readClaudeItemSilently } from '../sources/claude-code.js';
import type { TimerHandle, TimerPort } from './scheduler.js';
import type { Snapshot } from '../../../common/snapshot.js';

export interface KeychainProbeOptions {
  timers: TimerPort;
  intervalMs: number;
  keychain: Keychain;
  platform: NodeJS.Platform;
  env: Env;
  isRunning: () => boolean;
  /** The fingerprint of the item's access token in the current snapshot. */
  known: () => string | null;
  current: () => Snapshot | null;
  rescan: () => Promise<void>;
  onError: (message: string) => void;
}

export class KeychainProbe {
  private timer: TimerHandle | null = null;
  private paused = false;

  constructor(private readonly opts: KeychainProbeOptions) {}

  /** Arms the next probe when the snapshot's Claude Code login came from the Keychain. */
  plan(snapshot: Snapshot): void {
    const claude = snapshot.sources.find((s) => s.id === 'claude-code');
    const eligible =
      this.opts.platform === 'darwin' &&
      this.opts.keychain.name !== 'off' &&
      !this.paused &&
      claude?.kind === 'keychain' &&
      claude.status === 'ok';
    if (!eligible) {
      this.stop();
      return;
    }
    if (this.timer !== null) return;
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = null;
      void this.probe();
    }, this.opts.intervalMs);
  }

  /** A user's click allows a prompt again: the silent re-reads resume. */
  resume(): void {
    this.paused = false;
  }

  stop(): void {
    if (this.timer !== null) this.opts.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One silent read of Claude Code's item; a full re-read only when it changed. */
  private async probe(): Promise<void> {
    if (!this.opts.isRunning()) return;
    try {
      const read = await readClaudeItemSilently(this.opts.keychain, resolvePaths(this.opts.env), this.opts.env);
      if (read.kind === 'unavailable') {
        // It would have to ask: stop until a user's click (resync with interactive) allows it.
        this.paused = true;
        this.opts.onError(
          `The Keychain item of Claude Code could not be read silently (${read.reason}); re-reading is paused until you choose Resync.`,
        );
        await this.opts.rescan();
        return;
      }
      if (read.kind === 'not-found' || read.fingerprint !== this.opts.known()) {
        await this.opts.rescan();
        return;
      }
    } catch (err) {
      this.opts.onError(`Reading the Keychain failed: ${describeError(err)}`);
    }
    const snapshot = this.opts.current();
    if (snapshot) this.plan(snapshot);
  }
}
