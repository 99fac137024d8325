/**
 * `authbar watch --all-hosts`: this machine's watch (tagged `host: "this"`) plus every host of
 * the settings over ssh (HostsWatch), each event with its `host`. A host's state changes are
 * `host` events; its own events (snapshot, error, started, stopped) pass through as parsed (never
 * raw), escaped like every other line. Notices about a host are made here (HostNotices) and go
 * through the same deliveries as this machine's.
 */
import { LOCAL_HOST_NAME, type HostEntry, type HostReport } from '../../../common/hosts.js';
import type { EngineDeps } from '../../engine/engine.js';
import { describeError } from '../../engine/errors.js';
import { HostNotices } from '../../engine/hosts/host-notices.js';
import { HostsWatch, type HostsWatchEvent } from '../../engine/hosts/hosts-watch.js';
import { remoteLiveAsk } from '../../engine/hosts/remote-live.js';
import { authbarVersion } from '../../engine/version.js';
import { resolvePaths } from '../../engine/paths.js';
import { systemClock } from '../../engine/ports.js';
import { readSettings, type Settings } from '../../engine/settings.js';
import { EXIT, type CliIO } from '../io.js';
import type { WatchEvent } from '../render/watch.js';
import { runWatch, type Alongside, type AlongsideContext, type WatchFlags, type WatchOptions } from './watch.js';

/** The `host` event a report becomes; printed only when what it says changed. */
function hostEvent(r: HostReport, at: number): WatchEvent {
  return {
    type: 'host',
    host: r.name,
    at,
    state: r.state,
    since: r.since,
    authbarVersion: r.authbarVersion,
    message: r.message ?? null,
    fix: r.fix ?? null,
  };
}

export function hostsAlongside(env: EngineDeps['env'], hosts: readonly HostEntry[], notify: boolean): Alongside {
  const settingsPath = resolvePaths(env).settings;
  let watch: HostsWatch | null = null;
  let notices: HostNotices | null = null;
  const said = new Map<string, string>();
  return {
    start(ctx: AlongsideContext) {
      const w = new HostsWatch({
        env,
        hosts,
        remoteLive: remoteLiveAsk({
          platform: process.platform,
          now: () => Date.now(),
          clientVersion: authbarVersion(),
          owner: 'cli',
        }),
      });
      watch = w;
      if (notify)
        notices = new HostNotices({
          settingsPath,
          clock: systemClock,
          context: ctx.policyContext,
          deliver: (host, notice) => {
            const event: WatchEvent = { type: 'notice', host, at: notice.at, notice };
            ctx.print(event);
            ctx.deliver(notice, event);
          },
          onError: (message) => ctx.print({ type: 'error', at: Date.now(), message }),
        });
      w.subscribe((e: HostsWatchEvent) => {
        notices?.onEvent(e);
        if (e.type === 'line') ctx.print({ ...e.line, host: e.host });
        else if (e.type === 'problem') ctx.print({ type: 'error', host: e.host, at: e.at, message: e.message });
        else if (e.type === 'report') {
          const event = hostEvent(e.report, Date.now());
          const key = JSON.stringify({ ...event, at: 0 });
          if (said.get(e.host) === key) return;
          said.set(e.host, key);
          ctx.print(event);
        }
      });
      for (const r of w.current()) {
        said.set(r.name, JSON.stringify({ ...hostEvent(r, 0) }));
        ctx.print(hostEvent(r, Date.now()));
      }
      w.start();
    },
    settingsChanged(settings: Settings) {
      watch?.setHosts(settings.hosts);
    },
    async stop() {
      await watch?.stop();
      await notices?.stop();
    },
  };
}

export async function runWatchAllHosts(
  flags: WatchFlags,
  io: CliIO,
  deps: EngineDeps,
  opts: WatchOptions = {},
): Promise<number> {
  let hosts: readonly HostEntry[];
  try {
    hosts = (await readSettings(resolvePaths(deps.env).settings)).settings.hosts;
  } catch (err) {
    io.stderr(`authbar watch: ${describeError(err)}\n`);
    return EXIT.config;
  }
  if (hosts.length === 0)
    io.stderr('authbar watch: no hosts yet (add one with `authbar hosts add NAME SSH`): watching this machine only.\n');
  return runWatch(flags, io, deps, {
    ...opts,
    host: LOCAL_HOST_NAME,
    alongside: hostsAlongside(deps.env, hosts, flags.notify),
  });
}
