/**
 * `authbar watch [--json] [--notify-cmd CMD] [--no-notify]`: the monitor, headless. One line
 * per event (or NDJSON), notices through the notification policy, delivered with notify-send
 * where a desktop session exists and to --notify-cmd. Stops cleanly (exit 0) on SIGINT/SIGTERM.
 */
import type { EngineDeps } from '../../engine/engine.js';
import { describeError } from '../../engine/errors.js';
import type { Monitor, MonitorEvent } from '../../engine/monitor/monitor.js';
import type { Notice } from '../../engine/notify/notices.js';
import type { PolicyContext, PolicyState, PolicyStep } from '../../engine/notify/policy.js';
import { resolvePaths } from '../../engine/paths.js';
import { WATCH_PROTOCOL } from '../../../common/hosts.js';
import type { Settings } from '../../engine/settings.js';
import { jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { defineCommand } from '../command.js';
import { authbarVersion } from '../../engine/version.js';
import { EXIT, type CliIO } from '../io.js';
import type { Delivery } from '../notify-deliver.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export { humanLine, liveWords, safeLine, type WatchEvent } from '../render/watch.js';
import { humanLine, type WatchEvent } from '../render/watch.js';

export interface WatchOptions {
  /** Resolves to stop (tests); by default SIGINT and SIGTERM stop. */
  stop?: Promise<string>;
  /** Tags this machine's events with a host name (`this`, for --all-hosts). */
  host?: string;
  /** More to watch beside this machine (the hosts, watch-hosts.ts), started after it. */
  alongside?: Alongside;
}

/** What runWatch lends to what it watches alongside: its printer, its deliveries, its policy settings. */
export interface AlongsideContext {
  print: (e: WatchEvent) => void;
  deliver: (notice: Notice, event: WatchEvent) => void;
  policyContext: () => Omit<PolicyContext, 'now'>;
}
export interface Alongside {
  start(ctx: AlongsideContext): Promise<void> | void;
  settingsChanged(settings: Settings): void;
  stop(): Promise<void>;
}

export const watchCommand = defineCommand({
  name: 'watch',
  summary: 'keep watching: a line (or NDJSON) per change, notifications',
  usage: `usage: authbar watch [--json] [--notify-cmd CMD] [--no-notify] [--all-hosts] [--stop-on-stdin-close]

Keep watching the credentials and the gateway's stores (syncing as status does): one line per
change, and a notification when something needs action. Stops on Ctrl-C (exit 0).

  --json            one JSON object per line (NDJSON)
  --notify-cmd CMD  also run CMD (by /bin/sh) for each notice; the event is in $AUTHBAR_EVENT
  --no-notify       no notifications at all
  --all-hosts       also every host of \`authbar hosts\`, over ssh: each event gets a "host" field
  --stop-on-stdin-close
                    stop when stdin closes (how a watch run over ssh ends with its connection)

With --json the first line is {"type":"hello","authbar":VERSION,"protocol":N}: the watch
protocol, which a remote AuthBar's reader checks before it trusts the rest.`,
  options: {
    json: { type: 'boolean' },
    'notify-cmd': { type: 'string' },
    'no-notify': { type: 'boolean' },
    'all-hosts': { type: 'boolean' },
    'stop-on-stdin-close': { type: 'boolean' },
  },
  run: ({ values }, io, deps) => {
    const flags = {
      json: values.json === true,
      notify: values['no-notify'] !== true,
      notifyCmd: values['notify-cmd'],
      stopOnStdinClose: values['stop-on-stdin-close'] === true,
    };
    return values['all-hosts'] === true
      ? import('./watch-hosts.js').then((m) => m.runWatchAllHosts(flags, io, deps))
      : runWatch(flags, io, deps);
  },
});

export interface WatchFlags {
  json: boolean;
  notify: boolean;
  notifyCmd: string | undefined;
  stopOnStdinClose?: boolean;
}

/** Resolves when stdin ends: the ssh session that runs a remote watch has closed. */
export function stdinClosed(): Promise<string> {
  return new Promise((resolve) => {
    const done = () => resolve('stdin closed');
    process.stdin.on('end', done);
    process.stdin.on('close', done);
    process.stdin.on('error', done);
    process.stdin.on('data', () => {}); // read and drop: only its end matters
  });
}

/** What ends a watch: a signal (or the test's promise), stdout closing, stdin closing when asked. */
export function stopWhen(flags: WatchFlags, io: CliIO, signalled: Promise<string>): Promise<string> {
  const ends = [signalled];
  if (io.stdoutClosed) ends.push(io.stdoutClosed.then(() => 'stdout closed'));
  if (flags.stopOnStdinClose === true) ends.push(stdinClosed());
  return Promise.race(ends);
}

export async function runWatch(
  flags: WatchFlags,
  io: CliIO,
  deps: EngineDeps,
  opts: WatchOptions = {},
): Promise<number> {
  // The first line says which protocol follows, before anything slow (a remote reader waits for it).
  const hello: WatchEvent = { type: 'hello', at: Date.now(), authbar: authbarVersion(), protocol: WATCH_PROTOCOL };
  if (flags.json) io.stdout(jsonText(hello) + '\n');
  // Loaded here, with chokidar: one-shot commands never pay for them.
  const [{ Monitor }, { emptyPolicyState, observe, tick }, policyFile, { Snapshot: SnapshotSchema }, deliveries] =
    await Promise.all([
      import('../../engine/monitor/monitor.js'),
      import('../../engine/notify/policy.js'),
      import('../../engine/notify/state.js'),
      import('../../../common/snapshot.js'),
      import('../notify-deliver.js'),
    ]);
  const { json, notify, notifyCmd } = flags;
  const env = deps.env;

  // Every event is scrubbed as a whole (paths, agent dir names, messages): anything
  // credential-like and each copy of a secret value the monitor read.
  let monitor: Monitor | null = null;
  const known = () => monitor?.secrets;
  const print = (e: WatchEvent) => io.stdout((json ? jsonText(scrubDeep(e, known())) : humanLine(e, known())) + '\n');
  const printLocal = (e: WatchEvent) => print(opts.host === undefined ? e : { ...e, host: opts.host });
  const printError = (message: string) => printLocal({ type: 'error', at: Date.now(), message });

  // Deliveries run one at a time, in order; a failing one is reported, never fatal.
  const commands: Delivery[] = [];
  const desktop = notify ? deliveries.notifySendDelivery(env) : null;
  // A desktop without notify-send: said once, when the first notice would have gone there.
  let desktopMissing = notify && desktop === null && deliveries.notifySendMissing(env);
  if (notify && notifyCmd !== undefined) commands.push(deliveries.notifyCmdDelivery(notifyCmd, env));
  let queue: Promise<void> = Promise.resolve();
  const deliver = (notice: Notice, event: WatchEvent, settings: Settings | null) => {
    if (desktopMissing && settings?.notifications !== false) {
      desktopMissing = false;
      io.stderr(deliveries.NOTIFY_SEND_MISSING);
    }
    const targets = [...(desktop && settings?.notifications !== false ? [desktop] : []), ...commands];
    const eventJson = jsonText(scrubDeep(event, known()));
    for (const d of targets) {
      queue = queue
        .then(() => d.deliver(scrubDeep(notice, known()), eventJson))
        .catch((err: unknown) => printError(describeError(err)));
    }
  };

  // The notification policy and its memory.
  const statePath = policyFile.notifyStatePath(resolvePaths(env).settings);
  let policy: PolicyState = emptyPolicyState();
  let savedJson = '';
  let settings: Settings | null = null;
  let wake: NodeJS.Timeout | null = null;
  if (notify) {
    const loaded = await policyFile.loadPolicyState(statePath, Date.now());
    policy = loaded.state;
    savedJson = JSON.stringify(policy);
    if (loaded.warning) printError(loaded.warning);
  }
  const save = async () => {
    const text = JSON.stringify(policy);
    if (text === savedJson) return;
    try {
      await policyFile.savePolicyState(statePath, policy);
      savedJson = text;
    } catch (err) {
      printError(describeError(err));
    }
  };
  const ctx = (now: number) => ({
    now,
    repeatMs: (settings?.notifyRepeatHours ?? 24) * HOUR,
    tokenReminderMs: (settings?.tokenReminderDays ?? 30) * DAY,
    // Times of day in notices ("resets 14:30") in the local zone.
    utcOffsetMinutes: -new Date(now).getTimezoneOffset(),
  });
  const apply = (step: PolicyStep) => {
    policy = step.state;
    for (const notice of step.notices) {
      const event: WatchEvent = { type: 'notice', at: notice.at, notice };
      printLocal(event);
      deliver(notice, event, settings);
    }
    if (wake) clearTimeout(wake);
    wake = null;
    if (step.wakeAt !== null) {
      wake = setTimeout(
        () => {
          wake = null;
          apply(tick(policy, ctx(Date.now())));
        },
        Math.min(Math.max(0, step.wakeAt - Date.now()), 2 ** 31 - 1),
      );
    }
    void save();
  };

  monitor = new Monitor({ deps, clientVersion: authbarVersion() });
  monitor.subscribe((e: MonitorEvent) => {
    try {
      if (e.type === 'snapshot') {
        settings = e.settings;
        opts.alongside?.settingsChanged(e.settings);
        printLocal({
          type: 'snapshot',
          at: e.at,
          trigger: e.trigger,
          paths: e.paths,
          wrote: e.wrote,
          snapshot: SnapshotSchema.parse(e.snapshot),
        });
        if (notify) apply(observe(policy, e.snapshot, ctx(e.at)));
      } else if (e.type === 'error') {
        printLocal(e);
      }
    } catch (err) {
      printError(`authbar watch could not handle an event: ${describeError(err)}`);
    }
  });

  // Stop on a signal (or the test's promise); a pending promise alone would not keep Node up.
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  let onSignal: ((sig: NodeJS.Signals) => void) | null = null;
  const signalled =
    opts.stop ??
    new Promise<string>((resolve) => {
      // `on`, not `once`: proper-lockfile's signal-exit re-raises a signal when it sees no
      // other listener left, which would kill us mid-shutdown.
      onSignal = (sig) => resolve(sig);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  // Nobody reads our lines any more (`authbar watch | head -1`): stop quietly, exit 0.
  const stopped = stopWhen(flags, io, signalled);

  const first = await monitor.start();
  printLocal({
    type: 'started',
    at: Date.now(),
    watching: [...monitor.watching],
    gateway: first?.gateway.kind ?? 'unknown',
    pid: process.pid,
  });

  const policyContext = () => {
    const c = ctx(Date.now());
    return { repeatMs: c.repeatMs, tokenReminderMs: c.tokenReminderMs, utcOffsetMinutes: c.utcOffsetMinutes };
  };
  await opts.alongside?.start({ print, deliver: (n, e) => deliver(n, e, settings), policyContext });

  const reason = await stopped;
  await opts.alongside?.stop();
  await monitor.stop();
  if (wake) clearTimeout(wake);
  await Promise.race([queue, new Promise((r) => setTimeout(r, 5_000).unref())]);
  if (notify) await save();
  if (onSignal) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  clearInterval(keepAlive);
  printLocal({
    type: 'stopped',
    at: Date.now(),
    reason: reason === 'SIGINT' || reason === 'SIGTERM' ? `on ${reason}` : reason,
  });
  return EXIT.ok;
}
