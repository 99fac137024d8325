/**
 * Claude's usage endpoint, offline, for a real OpenClaw gateway (DESIGN §2d "Usage windows
 * offline"): an HTTP CONNECT proxy on loopback that tunnels only `api.anthropic.com:443`,
 * terminates that TLS itself with a leaf from a throwaway CA (made with openssl), and serves
 * `GET /api/oauth/usage` with canned JSON the test can change while the gateway runs. Every
 * other host is refused, so the gateway's telemetry goes nowhere.
 *
 * The gateway runs with `proxyEnv(proxy)`: HTTPS_PROXY, NO_PROXY for loopback (its own
 * WebSocket and the test's), and NODE_EXTRA_CA_CERTS naming the CA.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const USAGE_HOST = 'api.anthropic.com';
export const USAGE_PATH = '/api/oauth/usage';

/** One window as Anthropic's usage endpoint sends it (`resets_at` an ISO date). */
export interface UsageWindowJson {
  utilization?: number;
  resets_at?: string | null;
}

/** The body shape OpenClaw 2026.9.6 parses (provider-usage.fetch.claude); loose on purpose. */
export interface ClaudeUsageJson {
  five_hour?: UsageWindowJson | null;
  seven_day?: UsageWindowJson | null;
  seven_day_sonnet?: UsageWindowJson | null;
  seven_day_opus?: UsageWindowJson | null;
  limits?: Array<{
    is_active?: boolean;
    percent?: number;
    resets_at?: string | null;
    scope?: { model?: { display_name?: string; id?: string } };
  }>;
  extra_usage?: {
    is_enabled?: boolean;
    monthly_limit?: number;
    used_credits?: number;
    utilization?: number;
    currency?: string;
  } | null;
  [key: string]: unknown;
}

/** What the proxy saw: counts and yes/no facts only, never a header's value. */
export interface UsageRequests {
  /** `GET /api/oauth/usage` requests served (any answer). */
  count: number;
  /** Whether the last usage request carried an `Authorization: Bearer …` header. */
  lastHadBearer: boolean | null;
  /** Other requests inside the tunnel (wrong method or path): answered 404. */
  otherPaths: number;
  /** CONNECT or plain-HTTP targets refused (host:port), e.g. telemetry. */
  refused: string[];
}

export type UsageFailure = number | 'bad-json' | null;

export interface UsageProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** PEM of the throwaway CA, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The JSON the endpoint serves from now on (while no failure is set: see setFailure). */
  setUsage(body: ClaudeUsageJson): void;
  /** Answer with this HTTP status (JSON error body), or a 200 whose body is not JSON; null clears. */
  setFailure(failure: UsageFailure): void;
  /** Live counters (read them when you need them: the object updates in place). */
  readonly requests: UsageRequests;
  /** Resolves once `count` reaches n (or rejects after timeoutMs). */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The environment a gateway needs to reach the proxy (and only the proxy) for HTTPS. */
export function proxyEnv(proxy: Pick<UsageProxy, 'url' | 'caFile'>): Record<string, string> {
  return {
    HTTPS_PROXY: proxy.url,
    https_proxy: proxy.url,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    NODE_EXTRA_CA_CERTS: proxy.caFile,
  };
}

/** A CA and a leaf for USAGE_HOST, both short-lived, in `dir`. */
function makeCertificates(dir: string): { caFile: string; key: string; cert: string } {
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key'].concat([
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=AuthBar test CA',
    ]),
  );
  ssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key'].concat([
      '-out',
      'leaf.csr',
      '-subj',
      `/CN=${USAGE_HOST}`,
    ]),
  );
  writeFileSync(
    join(dir, 'leaf.ext'),
    `subjectAltName=DNS:${USAGE_HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  ssl(
    ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-out',
      'leaf.pem',
      '-days',
      '2',
      '-extfile',
      'leaf.ext',
    ]),
  );
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
  };
}

export async function startUsageProxy(initial: ClaudeUsageJson = {}): Promise<UsageProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-usage-proxy-'));
  let certs: ReturnType<typeof makeCertificates>;
  try {
    certs = makeCertificates(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make the test CA: ${(err as Error).message}`, { cause: err });
  }

  let body: ClaudeUsageJson = initial;
  let failure: UsageFailure = null;
  const requests: UsageRequests = { count: 0, lastHadBearer: null, otherPaths: 0, refused: [] };
  const waiters: Array<{ n: number; resolve: () => void }> = [];

  const serveUsage = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== USAGE_PATH) {
      requests.otherPaths++;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    requests.count++;
    requests.lastHadBearer = /^Bearer \S+/.test(req.headers.authorization ?? '');
    if (typeof failure === 'number') {
      res
        .writeHead(failure, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'error', error: { type: 'test_failure', message: `canned ${failure}` } }));
    } else if (failure === 'bad-json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"five_hour": {');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    for (const w of waiters.filter((x) => requests.count >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  // Never listens: each tunnelled socket is handed to it and it does the TLS handshake.
  const tlsServer = createHttpsServer({ key: certs.key, cert: certs.cert }, serveUsage);
  const tunnels = new Set<Socket>();

  const proxy = createHttpServer((req, res) => {
    requests.refused.push(req.headers.host ?? req.url ?? '?');
    res.writeHead(403).end();
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    if (target !== `${USAGE_HOST}:443`) {
      requests.refused.push(target);
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit('connection', socket);
  });
  proxy.on('clientError', (_err, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (proxy.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    caFile: certs.caFile,
    setUsage(next) {
      body = next;
    },
    setFailure(next) {
      failure = next;
    },
    requests,
    waitForRequests(n, timeoutMs = 30_000) {
      if (requests.count >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`the usage endpoint saw ${requests.count} requests, not ${n}, within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    async close() {
      for (const s of tunnels) s.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      tlsServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
