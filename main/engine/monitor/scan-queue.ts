/**
 * One scan at a time: requests that arrive while a scan runs fold into the next one (the
 * strongest trigger wins, paths and interactivity add up), and every requester is answered
 * with the snapshot the scan that covered its request produced.
 */
import { describeError } from '../errors.js';
import type { Snapshot } from '../../../common/snapshot.js';
import { TRIGGER_RANK, type ScanJob, type ScanTrigger } from './types.js';

export interface ScanQueueOptions {
  scan: (job: ScanJob) => Promise<Snapshot | null>;
  isRunning: () => boolean;
  /** The latest snapshot: the answer when nothing new could be read. */
  current: () => Snapshot | null;
  onError: (message: string) => void;
}

export class ScanQueue {
  private queued: ScanJob | null = null;
  private draining: Promise<void> | null = null;

  constructor(private readonly opts: ScanQueueOptions) {}

  request(trigger: ScanTrigger, paths: Iterable<string> = [], interactive = false): Promise<Snapshot | null> {
    if (!this.opts.isRunning()) return Promise.resolve(this.opts.current());
    const job = (this.queued ??= { trigger, paths: new Set(), interactive: false, waiters: [] });
    if (TRIGGER_RANK[trigger] > TRIGGER_RANK[job.trigger]) job.trigger = trigger;
    for (const p of paths) job.paths.add(p);
    job.interactive ||= interactive;
    const done = new Promise<Snapshot | null>((resolve) => job.waiters.push(resolve));
    this.draining ??= this.drain();
    return done;
  }

  /** Answers the queued requests with the current snapshot, then waits for a scan in flight. */
  async stop(): Promise<void> {
    const pending = this.queued;
    this.queued = null;
    for (const w of pending?.waiters ?? []) w(this.opts.current());
    await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued !== null && this.opts.isRunning()) {
        const job = this.queued;
        this.queued = null;
        let snapshot: Snapshot | null;
        try {
          snapshot = await this.opts.scan(job);
        } catch (err) {
          // Nothing may kill the monitor: an unexpected failure is an event, and it goes on.
          this.opts.onError(`Re-reading the credentials failed unexpectedly: ${describeError(err)}`);
          snapshot = this.opts.current();
        }
        for (const w of job.waiters) w(snapshot);
      }
    } finally {
      this.draining = null;
    }
  }
}
