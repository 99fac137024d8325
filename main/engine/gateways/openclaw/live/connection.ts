/**
 * Where the running OpenClaw gateway listens and which shared secret it takes, found the way
 * OpenClaw's own CLI finds them (docs/gateway/config-gateway.md, 2026.9.6):
 * - URL: `OPENCLAW_GATEWAY_URL` (then only the environment's credentials count); else
 *   `gateway.mode: "remote"` with `gateway.remote.url`; else the local port, from
 *   `OPENCLAW_GATEWAY_PORT`, then `gateway.port`, then 18789, on 127.0.0.1 (`wss:` with
 *   `gateway.tls.enabled`).
 * - Token: `gateway.auth.token` → `OPENCLAW_GATEWAY_TOKEN` → `gateway.remote.token` (local);
 *   remote mode reads `gateway.remote.token` first. The password likewise. A config value may
 *   be `${VAR}` or an env SecretRef; file and exec SecretRefs are not resolved here (said so).
 * Pure: the config and the environment come in, nothing is read.
 */
import type { Env } from '../../../ports.js';
import type { OpenClawConfig } from '../config.js';

export const DEFAULT_GATEWAY_PORT = 18789;

export interface GatewayTarget {
  url: string;
  /** Where the URL came from, for messages: `OPENCLAW_GATEWAY_URL`, `gateway.port in the OpenClaw config`, `OpenClaw's default port`. */
  urlSource: string;
  token: string | null;
  password: string | null;
  /** Where the secret came from (`gateway.auth.token`, `OPENCLAW_GATEWAY_TOKEN`), never the secret. */
  authSource: string | null;
  /** `none` when the config turns shared-secret auth off. */
  authMode: string | null;
  /** A config secret AuthBar could not resolve, one sentence; null when none. */
  authProblem: string | null;
  remote: boolean;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function nonEmpty(v: string | undefined): string | null {
  return v !== undefined && v.trim() !== '' ? v.trim() : null;
}

function validPort(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
}

type Resolved = { value: string | null; problem: string | null };

/** A config secret: a string (with `${VAR}` expanded from the environment) or an env SecretRef. */
function configSecret(v: unknown, field: string, env: Env): Resolved {
  if (typeof v === 'string') {
    let missing: string | null = null;
    const value = v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const got = env[name];
      if (got === undefined) missing = name;
      return got ?? '';
    });
    if (missing !== null)
      return {
        value: null,
        problem: `${field} names the environment variable ${missing}, which is not set for AuthBar`,
      };
    return { value: nonEmpty(value), problem: null };
  }
  const ref = rec(v);
  if (typeof ref['source'] === 'string') {
    if (ref['source'] === 'env' && typeof ref['id'] === 'string') {
      const got = nonEmpty(env[ref['id']]);
      return got !== null
        ? { value: got, problem: null }
        : {
            value: null,
            problem: `${field} names the environment variable ${ref['id']}, which is not set for AuthBar`,
          };
    }
    return {
      value: null,
      problem: `${field} is a ${String(ref['source'])} secret reference, which AuthBar does not resolve`,
    };
  }
  return { value: null, problem: null };
}

export function gatewayTarget(cfg: OpenClawConfig, env: Env): GatewayTarget {
  const gateway = rec(cfg.raw['gateway']);
  const auth = rec(gateway['auth']);
  const remoteCfg = rec(gateway['remote']);
  const authMode = typeof auth['mode'] === 'string' ? auth['mode'] : null;
  const envToken = nonEmpty(env['OPENCLAW_GATEWAY_TOKEN']);
  const envPassword = nonEmpty(env['OPENCLAW_GATEWAY_PASSWORD']);

  const envUrl = nonEmpty(env['OPENCLAW_GATEWAY_URL']);
  if (envUrl !== null) {
    return {
      url: envUrl,
      urlSource: 'OPENCLAW_GATEWAY_URL',
      token: envToken,
      password: envPassword,
      authSource:
        envToken !== null ? 'OPENCLAW_GATEWAY_TOKEN' : envPassword !== null ? 'OPENCLAW_GATEWAY_PASSWORD' : null,
      authMode,
      authProblem: null,
      remote: !/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/i.test(envUrl),
    };
  }

  const remoteUrl = typeof remoteCfg['url'] === 'string' ? nonEmpty(remoteCfg['url']) : null;
  const remote = gateway['mode'] === 'remote' && remoteUrl !== null;
  const problems: string[] = [];
  const pick = (chain: Array<[string, () => Resolved]>): { value: string | null; source: string | null } => {
    for (const [source, get] of chain) {
      const r = get();
      if (r.value !== null) return { value: r.value, source };
      if (r.problem !== null) problems.push(r.problem);
    }
    return { value: null, source: null };
  };
  const fromEnv = (v: string | null) => (): Resolved => ({ value: v, problem: null });
  const local = (f: 'token' | 'password') => (): Resolved => configSecret(auth[f], `gateway.auth.${f}`, env);
  const rem = (f: 'token' | 'password') => (): Resolved => configSecret(remoteCfg[f], `gateway.remote.${f}`, env);
  const token = remote
    ? pick([
        ['gateway.remote.token', rem('token')],
        ['OPENCLAW_GATEWAY_TOKEN', fromEnv(envToken)],
        ['gateway.auth.token', local('token')],
      ])
    : pick([
        ['gateway.auth.token', local('token')],
        ['OPENCLAW_GATEWAY_TOKEN', fromEnv(envToken)],
        ['gateway.remote.token', rem('token')],
      ]);
  const password = remote
    ? pick([
        ['OPENCLAW_GATEWAY_PASSWORD', fromEnv(envPassword)],
        ['gateway.remote.password', rem('password')],
        ['gateway.auth.password', local('password')],
      ])
    : pick([
        ['gateway.auth.password', local('password')],
        ['OPENCLAW_GATEWAY_PASSWORD', fromEnv(envPassword)],
        ['gateway.remote.password', rem('password')],
      ]);

  let url: string;
  let urlSource: string;
  if (remote && remoteUrl !== null) {
    url = remoteUrl;
    urlSource = 'gateway.remote.url';
  } else {
    const envPort = validPort(env['OPENCLAW_GATEWAY_PORT']);
    const cfgPort = validPort(gateway['port']);
    const port = envPort ?? cfgPort ?? DEFAULT_GATEWAY_PORT;
    urlSource =
      envPort !== null
        ? 'OPENCLAW_GATEWAY_PORT'
        : cfgPort !== null
          ? 'gateway.port in the OpenClaw config'
          : "OpenClaw's default port";
    const tls = rec(gateway['tls'])['enabled'] === true;
    url = `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/`;
  }
  const haveSecret = token.value !== null || password.value !== null;
  return {
    url,
    urlSource,
    token: token.value,
    password: password.value,
    authSource: token.source ?? password.source,
    authMode,
    authProblem: haveSecret || problems.length === 0 ? null : problems[0]!,
    remote,
  };
}

/** A private, link-local, loopback or Tailscale (CGNAT 100.64/10) IPv4 literal. */
function privateIPv4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * Why AuthBar will not send the gateway's secret to this URL, or null when it may. As OpenClaw's
 * own client (docs/gateway/config-gateway.md, `remote.url`): plaintext `ws://` only to loopback,
 * LAN, link-local, `.local`, `.ts.net` and Tailscale hosts, else `wss://`; and never a URL with
 * a user name or password in it (it would be shown and kept as it is).
 */
export function unsafeGatewayUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return 'is not a ws:// or wss:// URL';
  if (u.username !== '' || u.password !== '') return 'carries a user name or password';
  if (u.protocol === 'wss:') return null;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local =
    host === 'localhost' ||
    host === '::1' ||
    /^f[cd][0-9a-f]{2}:/.test(host) ||
    /^fe80:/.test(host) ||
    privateIPv4(host) ||
    host.endsWith('.local') ||
    host.endsWith('.ts.net');
  return local ? null : 'uses plaintext ws:// to a public address (the token would travel unencrypted)';
}

/** The URL as it may be shown: scheme, host, port and path; no user, password, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
