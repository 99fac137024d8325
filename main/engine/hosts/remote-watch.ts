/**
 * One host's connection: `ssh <host> authbar watch --json …`, its NDJSON read as untrusted
 * (watch-lines.ts), a version handshake on the first line, and a state (connecting → ok →
 * unreachable | host-key | auth | no-authbar | incompatible) with the instant it began. It reconnects with backoff (5 s … 5 min), drops a connection
 * that says no hello within 30 s, and reconnects at once after a sleep (a wall-clock jump seen by
 * its tick). The last snapshot is kept while the host is away; the state says it is stale.
 * Nothing the host sends is ever run: it is parsed, stored and shown (escaped) only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { HostEntry, HostReport, HostState } from '../../../common/hosts.js';
import type { LiveView } from '../../../common/live.js';
import type { Clock, Env } from '../ports.js';
import { sshArgv } from './ssh-command.js';
import { parseSshTarget, type SshTarget } from './ssh-target.js';
import {
  connectionOutcome,
  dropSharedConnection,
  helloProblem,
  remoteWatchWords,
  type HelloProblem,
} from './watch-outcome.js';
import { LineSplitter, MAX_LINE_BYTES, parseRemoteLine, type HelloLine, type RemoteLine } from './watch-lines.js';
import type { HostsWatchEvent, RemoteLiveAsk, WatchTimings } from './watch-types.js';

export interface RemoteWatchOptions {
  env: Env;
  clock: Clock;
  timings: WatchTimings;
  controlDir: string;
  emit: (e: HostsWatchEvent) => void;
  remoteLive?: RemoteLiveAsk;
  ssh?: string;
}

const definedEnv = (env: Env) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;

/** ssh's own lines are kept for the failure's sentence; only their tail matters. */
const STDERR_KEEP = 16 * 1024;

export class RemoteWatch {
  private readonly target: SshTarget | null;
  private readonly program: string;
  private state: HostState = 'connecting';
  private since: number;
  private lastSeenAt: number | null = null;
  private version: string | null = null;
  private message: string | null = null;
  private fix: string | null = null;
  private snapshot: HostReport['snapshot'] = null;
  private live: LiveView | null = null;

  private child: ChildProcess | null = null;
  private attempt = 0;
  private running = false;
  private retry: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private liveTimer: NodeJS.Timeout | null = null;
  private liveAbort: AbortController | null = null;
  private lastTick = 0;
  /** Set when this side ends the connection on purpose: reconnect at once, keep the state. */
  private restarting: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly entry: HostEntry,
    private readonly opts: RemoteWatchOptions,
  ) {
    this.since = opts.clock.now();
    this.program = entry.authbar ?? 'authbar';
    let target: SshTarget | null = null;
    try {
      target = parseSshTarget(entry.ssh);
    } catch (err) {
      this.state = 'unreachable';
      this.message = `${entry.name}'s ssh destination cannot be used: ${(err as Error).message}`;
      this.fix = `authbar hosts remove ${entry.name}, then add it again`;
    }
    this.target = target;
  }

  report(): HostReport {
    return {
      name: this.entry.name,
      ssh: this.entry.ssh,
      state: this.state,
      since: this.since,
      lastSeenAt: this.lastSeenAt,
      authbarVersion: this.version,
      message: this.message,
      fix: this.fix,
      snapshot: this.snapshot,
      live: this.live,
    };
  }

  start(): void {
    if (this.running || this.target === null) return;
    this.running = true;
    this.lastTick = this.opts.clock.now();
    this.ticker = setInterval(() => this.tick(), this.opts.timings.tickMs);
    this.ticker.unref();
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of [this.retry, this.liveTimer]) if (t) clearTimeout(t);
    if (this.ticker) clearInterval(this.ticker);
    this.retry = this.liveTimer = this.ticker = null;
    this.liveAbort?.abort();
    this.child?.kill('SIGTERM');
    await this.exited;
  }

  /** Connect again now (the user asked, or the machine woke up), without waiting for the backoff. */
  reconnectNow(dropShared = false): void {
    if (!this.running) return;
    this.attempt = 0;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    // The session running now ends on purpose: its end reconnects at once and keeps the state.
    const old = this.child;
    this.restarting = old;
    const go = () => {
      if (!this.running) return;
      if (old !== null && this.child === old) old.kill('SIGTERM');
      else if (this.child === null && this.retry === null) this.connect();
    };
    // After a sleep the shared connection's TCP is likely dead, and a new session over it would
    // hang until ssh's keepalive gives up: end it first, so the next ssh dials afresh.
    if (dropShared && this.target)
      void dropSharedConnection(this.target, this.opts.controlDir, definedEnv(this.opts.env), this.opts.ssh).then(go);
    else go();
  }

  private tick(): void {
    const now = this.opts.clock.now();
    const late = now - this.lastTick - this.opts.timings.tickMs;
    this.lastTick = now;
    if (late > this.opts.timings.jumpMs || late < -this.opts.timings.jumpMs) this.reconnectNow(true);
  }

  private setState(state: HostState, message: string | null = null, fix: string | null = null): void {
    if (state !== this.state) this.since = this.opts.clock.now();
    if (state === 'ok') this.live = null; // its own snapshot carries the gateway's live view
    this.state = state;
    this.message = message;
    this.fix = fix;
    this.changed();
    if (state === 'no-authbar') this.pollLive(0);
    else if (this.liveTimer) {
      clearTimeout(this.liveTimer);
      this.liveTimer = null;
    }
  }

  private changed(): void {
    this.opts.emit({ type: 'report', host: this.entry.name, report: this.report() });
  }

  private connect(): void {
    const target = this.target;
    if (!this.running || target === null || this.child) return;
    const name = this.entry.name;
    const sshOpts = { controlDir: this.opts.controlDir, batch: true, persist: false };
    const argv = sshArgv(target, sshOpts, remoteWatchWords(this.program));
    const child = spawn(this.opts.ssh ?? 'ssh', argv, {
      env: definedEnv(this.opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    let hello: HelloLine | null = null;
    let refused: HelloProblem | null = null;
    let timedOut = false;
    let saidBad = false;
    let stderr = '';
    const bad = (why: string) => {
      if (saidBad) return;
      saidBad = true;
      const message = `${name} sent ${why}; it was skipped (further ones are skipped quietly)`;
      this.opts.emit({ type: 'problem', host: name, at: this.opts.clock.now(), message });
    };
    const handshake = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, this.opts.timings.handshakeMs);
    const onLine = (line: RemoteLine) => {
      this.lastSeenAt = this.opts.clock.now();
      if (refused) return;
      if (hello === null) {
        const problem = helloProblem(name, line.type === 'hello' ? line : null);
        if (problem) {
          refused = problem;
          child.kill('SIGTERM');
          return;
        }
        hello = line as HelloLine;
        clearTimeout(handshake);
        this.attempt = 0;
        this.version = hello.authbar;
        this.changed();
        return;
      }
      if (line.type === 'snapshot') {
        this.snapshot = line.snapshot;
        if (this.state === 'ok') this.changed();
        else this.setState('ok');
      }
      this.opts.emit({ type: 'line', host: name, line });
    };
    const splitter = new LineSplitter(
      (raw) => {
        const parsed = parseRemoteLine(raw);
        if (parsed.kind === 'line') onLine(parsed.line);
        else if (parsed.kind === 'bad') bad(parsed.why);
      },
      () => bad(`a line longer than ${MAX_LINE_BYTES} bytes`),
    );
    child.stdout?.on('data', (c: Buffer) => splitter.push(c));
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.stdin?.on('error', () => {});
    let spawnError: string | null = null;
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code === 'ENOENT' ? 'the ssh program (OpenSSH) is not installed or not on PATH' : err.message;
    });
    this.exited = new Promise((resolve) => {
      let ended = false;
      // A ControlPersist master forked from this ssh may hold its pipes open for minutes, so
      // `close` (pipes drained) gets a moment after `exit` and no more.
      const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
        if (ended) return;
        ended = true;
        clearTimeout(handshake);
        this.child = null;
        resolve();
        if (!this.running) return;
        if (this.restarting === child) {
          this.restarting = null;
          this.connect();
          return;
        }
        const o = connectionOutcome({
          name,
          target,
          program: this.program,
          refused,
          spawnError,
          timedOutAfterMs: timedOut ? this.opts.timings.handshakeMs : null,
          helloSeen: hello !== null,
          code,
          signal,
          stderr,
        });
        this.setState(o.state, o.message, o.fix);
        this.scheduleRetry();
      };
      child.on('close', onEnd);
      child.on('exit', (code, signal) => setTimeout(() => onEnd(code, signal), 300).unref());
    });
    // Left open on purpose: when it closes (this side or the connection ends), the remote watch stops.
    child.stdin?.write('');
  }

  private scheduleRetry(): void {
    if (!this.running || this.retry) return;
    const steps = this.opts.timings.backoffMs;
    const wait = steps[Math.min(this.attempt, steps.length - 1)] ?? 300_000;
    this.attempt++;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, wait);
    this.retry.unref();
  }

  /** A host without AuthBar may still run a gateway that answers (remote-live.ts): ask it now and then. */
  private pollLive(delay: number): void {
    const ask = this.opts.remoteLive;
    if (!ask || this.liveTimer || !this.running) return;
    this.liveTimer = setTimeout(() => {
      this.liveAbort = new AbortController();
      const signal = this.liveAbort.signal;
      void ask(this.entry, { env: this.opts.env, controlDir: this.opts.controlDir, signal })
        .catch(() => null)
        .then((live) => {
          this.liveTimer = null;
          if (signal.aborted || this.state !== 'no-authbar') return;
          this.live = live;
          this.lastSeenAt = this.opts.clock.now();
          this.changed();
          this.pollLive(this.opts.timings.livePollMs);
        });
    }, delay);
    this.liveTimer.unref();
  }
}
