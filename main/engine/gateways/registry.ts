/**
 * The gateways AuthBar knows, and which one runs on this host: the only place that switches on
 * a gateway's kind. Clawdbot's adapter is loaded with the engine; OpenClaw's (SQLite, its CLI,
 * its RPC) only on an OpenClaw host, so the CLI's cold start does not pay for it.
 */
import type { Env } from '../ports.js';
import { clawdbotAdapter } from './clawdbot/adapter.js';
import { detectBuiltInGateway, type DetectedGateway, type DetectOptions } from './detect.js';
import type { GatewayAdapter, RouteHealthProbe } from './types.js';

/** One gateway in the registry. */
export interface GatewayEntry {
  readonly kind: string;
  /**
   * This gateway's evidence on the host (its env variables, its files), cheap enough for every
   * `status --check`; null when there is none. The built-in pair ranks its own evidence.
   */
  detect(env: Env, opts: DetectOptions): DetectedGateway | null;
  /** The adapter, loaded on demand. */
  load(detected: DetectedGateway, env: Env): Promise<GatewayAdapter>;
}

const builtIn: Record<string, GatewayEntry['load']> = {
  clawdbot: async (detected, env) => clawdbotAdapter(detected, env),
  openclaw: async (detected, env) => (await import('./openclaw/adapter.js')).openClawAdapter(detected, env),
};

/** Gateways registered beside the built-in ones (a test's, or a future one's). */
const extra: GatewayEntry[] = [];

/** Adds a gateway: `AUTHBAR_GATEWAY=<kind>` or its evidence selects it. Returns the undo. */
export function registerGateway(entry: GatewayEntry): () => void {
  extra.push(entry);
  return () => {
    const i = extra.indexOf(entry);
    if (i !== -1) extra.splice(i, 1);
  };
}

/** Every gateway kind `AUTHBAR_GATEWAY` may name. */
export function gatewayKinds(): string[] {
  return [...Object.keys(builtIn), ...extra.map((e) => e.kind)];
}

/** Which gateway runs on this host, from files and env variables only. */
export function detectGateway(env: Env, opts: DetectOptions = {}): DetectedGateway {
  const forced = (env['AUTHBAR_GATEWAY'] ?? '').trim().toLowerCase();
  for (const entry of extra) {
    if (forced !== '' && forced !== entry.kind) continue;
    const found = entry.detect(env, opts);
    if (found) return found;
  }
  return detectBuiltInGateway(env, opts);
}

/** The adapter of a detected gateway. */
export async function adapterFor(detected: DetectedGateway, env: Env): Promise<GatewayAdapter> {
  const entry = extra.find((e) => e.kind === detected.kind);
  if (entry) return entry.load(detected, env);
  const load = Object.hasOwn(builtIn, detected.kind) ? builtIn[detected.kind] : undefined;
  if (!load) throw new Error(`no gateway adapter for "${detected.kind}"`);
  return load(detected, env);
}

/** The monitor's default route-health probe: the detected gateway's own, loaded when first asked. */
export function gatewayRouteHealth(): RouteHealthProbe {
  return async (ctx) => {
    const detected = detectGateway(ctx.env, { gatewayCli: ctx.settings.gatewayCli });
    const probe = (await adapterFor(detected, ctx.env)).routeHealth;
    if (probe) return probe(ctx);
    return {
      at: ctx.now(),
      exitCode: null,
      missingProviders: [],
      issues: [],
      error: `${detected.label} has no route-health check.`,
    };
  };
}
