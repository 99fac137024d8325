/**
 * What the monitor watches and how: a plan (directories to hand to the watcher, and which
 * event paths matter) from the paths a snapshot was built from and the gateway's agent
 * layout, and the default watcher (chokidar on native fs.watch, never polling).
 */
import { statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { detectGateway } from '../gateways/registry.js';
import { resolvePaths } from '../paths.js';
import type { Env } from '../ports.js';
import type { WatchLayout } from '../gateways/types.js';

export type { WatchLayout };

/** A running set of directory watches; the default is chokidar. */
export interface WatchHandle {
  close(): Promise<void>;
}

export interface WatchRequest {
  roots: string[];
  /** True for paths whose events matter (and directories on the way to them). */
  relevant: (path: string) => boolean;
  onEvent: (event: string, path: string) => void;
  onError: (err: unknown) => void;
}

export type WatchFactory = (req: WatchRequest) => Promise<WatchHandle>;

// ---------------------------------------------------------------------------------------
// What to watch

export interface WatchPlan {
  /** Existing directories to hand to the watcher. */
  roots: string[];
  /** The paths themselves (files or dirs). */
  targets: Set<string>;
  relevant: (path: string) => boolean;
}

function nearestExisting(dir: string): string {
  let d = dir;
  for (;;) {
    try {
      if (statSync(d).isDirectory()) return d;
    } catch {
      // absent: go up
    }
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
}

/**
 * From the paths a snapshot was built from: which directories to watch, and which event
 * paths matter — the paths, every directory on the way to them, and, under each agents dir
 * the gateway's layout names, `<id>`, `<id>/agent` and its store files (so a new agent is
 * picked up). The layout is the adapter's (`GatewayRead.watchLayout`); without one, only
 * the paths themselves.
 */
export function watchPlan(watch: readonly string[], layout: WatchLayout | null = null): WatchPlan {
  const targets = new Set(watch);
  const agentsDirs = layout?.agentsDirs ?? [];
  const storeNames = new Set<string>(layout?.storeNames ?? []);
  const ancestors = new Set<string>();
  for (const p of watch) {
    for (let d = dirname(p); ; d = dirname(d)) {
      ancestors.add(d);
      if (dirname(d) === d) break;
    }
  }
  const roots = new Set<string>();
  for (const p of watch) roots.add(nearestExisting(agentsDirs.includes(p) ? p : dirname(p)));
  const relevant = (path: string): boolean => {
    if (targets.has(path) || ancestors.has(path)) return true;
    for (const a of agentsDirs) {
      if (!path.startsWith(a + sep)) continue;
      const parts = relative(a, path).split(sep);
      if (parts.some((x) => x.startsWith('.'))) return false;
      if (parts.length === 1) return true;
      if (parts[1] !== 'agent') return false;
      return parts.length === 2 || (parts.length === 3 && storeNames.has(parts[2] as string));
    }
    return false;
  };
  return { roots: [...roots].sort(), targets, relevant };
}

/** The default watcher: chokidar on native fs.watch, never polling. Loaded on first use. */
export const chokidarWatch: WatchFactory = async (req) => {
  const { watch } = await import('chokidar');
  const w = watch(req.roots, {
    persistent: true,
    ignoreInitial: true,
    usePolling: false,
    followSymlinks: false,
    // Our own debounce gathers bursts; chokidar's unlink→add folding would only delay.
    atomic: false,
    ignored: (path: string) => !req.relevant(path),
  });
  w.on('all', (event, path) => req.onEvent(event, path));
  w.on('error', (err) => req.onError(err));
  await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return { close: () => w.close() };
};

/** Before the first scan succeeds: the well-known paths, so fixing the problem is noticed. */
export function fallbackWatchList(env: Env, gatewayCli: string | null): string[] {
  const p = resolvePaths(env);
  const gateway = detectGateway(env, { gatewayCli });
  return [
    p.settings,
    p.claudeCredentials,
    p.codexAuth,
    p.qwenCredentials,
    gateway.configPath,
    join(gateway.stateDir, 'agents'),
  ];
}
