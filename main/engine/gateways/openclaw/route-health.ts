/**
 * Under OpenClaw, route health depends on things AuthBar does not read (plugins, the
 * `claude-cli` runtime): ask the gateway itself with `openclaw models status --json`.
 * ONLY with --json: the text mode refreshes expired logins and writes OpenClaw's store.
 * And --json still records config health in state/openclaw.sqlite (2026.9.6, unlike DESIGN
 * §2b says), so the probe runs it against a private copy of the state (private-copy.ts).
 * The monitor runs this through a SingleFlight (never concurrently, at most every few minutes).
 */
import * as z from 'zod/mini';
import { findGatewayCli, gatewayCli, type GatewayCli } from '../cli-runner.js';
import { makePrivateCopy, type PrivateCopy } from './private-copy.js';
import type { Env } from '../../ports.js';
import type { Settings } from '../../settings.js';

import type { RouteHealth, RouteHealthProbe } from '../types.js';

export type { RouteHealth, RouteHealthContext, RouteHealthProbe } from '../types.js';

export const MODELS_STATUS_ARGS = ['models', 'status', '--json'] as const;

const StatusJson = z.looseObject({
  auth: z.optional(
    z.looseObject({
      missingProvidersInUse: z.catch(z.optional(z.array(z.string())), undefined),
      modelRouteIssues: z.catch(z.optional(z.array(z.unknown())), undefined),
      runtimeAuthRoutes: z.catch(z.optional(z.array(z.unknown())), undefined),
    }),
  ),
});

/** One short line for a route issue, whatever its shape; never the raw object (it could hold anything). */
function issueLine(issue: unknown): string {
  if (typeof issue === 'string') return issue.slice(0, 200);
  if (issue && typeof issue === 'object') {
    const o = issue as Record<string, unknown>;
    const parts = ['route', 'model', 'provider', 'status', 'issue', 'reason', 'message']
      .map((k) => (typeof o[k] === 'string' ? `${k}: ${(o[k] as string).slice(0, 120)}` : null))
      .filter((s): s is string => s !== null);
    return parts.length > 0 ? parts.join(', ') : 'a route issue (run openclaw models status --json for details)';
  }
  return 'a route issue';
}

const HEALTHY_ROUTE = new Set(['ok', 'available', 'ready', 'static', 'expiring']);

/** A runtime route (`provider` through a `runtime` such as claude-cli or codex) that cannot serve, as one line. */
function runtimeIssue(route: unknown): string | null {
  if (!route || typeof route !== 'object') return null;
  const r = route as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string).slice(0, 160) : null);
  const status = str('status');
  if (status === null || HEALTHY_ROUTE.has(status)) return null;
  const via = str('runtime');
  const why = str('runtimeDetail') ?? str('runtimeReason');
  return `${str('provider') ?? 'a provider'}${via ? ` via ${via}` : ''}: ${status}${why ? ` (${why})` : ''}`;
}

/** Reads `openclaw models status --json` output into the monitor's view. */
export function parseModelsStatus(stdout: string, exitCode: number | null, at: number): RouteHealth {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return {
      at,
      exitCode,
      missingProviders: [],
      issues: [],
      error: 'openclaw models status --json did not print JSON: run it in a terminal to see why.',
    };
  }
  const parsed = StatusJson.safeParse(value);
  const auth = parsed.success ? parsed.data.auth : undefined;
  const runtime = (auth?.runtimeAuthRoutes ?? []).map(runtimeIssue).filter((s): s is string => s !== null);
  return {
    at,
    exitCode,
    missingProviders: auth?.missingProvidersInUse ?? [],
    issues: [...(auth?.modelRouteIssues ?? []).map(issueLine), ...runtime],
    error: null,
  };
}

/** The default probe: the OpenClaw CLI found on PATH or in the settings. `cliFor` lets tests hand in a runner. */
export function openclawStatusProbe(
  cliFor: (env: Env, settings: Settings) => GatewayCli | null = defaultCli,
): RouteHealthProbe {
  return async ({ env, settings, snapshot, now }) => {
    const cli = cliFor(env, settings);
    if (cli === null) {
      return {
        at: now(),
        exitCode: null,
        missingProviders: [],
        issues: [],
        error: 'The openclaw command was not found: put it on PATH or set gatewayCli in the AuthBar settings.',
      };
    }
    let copy: PrivateCopy;
    try {
      copy = await makePrivateCopy(
        env,
        (snapshot.agents ?? []).map((a) => a.agentDir),
      ); // ?? : callers without a scan hand in a bare snapshot
    } catch (err) {
      return {
        at: now(),
        exitCode: null,
        missingProviders: [],
        issues: [],
        error: `OpenClaw's state could not be copied aside for a check that leaves it untouched (${err instanceof Error ? err.message : String(err)}): check that AuthBar can read OpenClaw's state dir.`,
      };
    }
    try {
      const r = await cli.run(MODELS_STATUS_ARGS, { timeoutMs: 60_000, env: copy.env });
      if (r.timedOut)
        return {
          at: now(),
          exitCode: null,
          missingProviders: [],
          issues: [],
          error: 'openclaw models status --json did not finish within 60 s.',
        };
      return parseModelsStatus(copy.mapBack(r.stdout), r.code, now());
    } finally {
      copy.dispose();
    }
  };
}

function defaultCli(env: Env, settings: Settings): GatewayCli | null {
  const bin = findGatewayCli('openclaw', env, settings.gatewayCli);
  return bin === null ? null : gatewayCli('openclaw', bin, env);
}
