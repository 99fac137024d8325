/**
 * A REAL OpenClaw gateway (`openclaw gateway run`) for tests: a temp HOME, a free loopback port,
 * a shared token, logs kept in the home (never /tmp/openclaw), and an RPC helper that speaks
 * the gateway's WebSocket protocol as a device-signed operator (DESIGN §2d).
 *
 * The RPC client runs on OpenClaw's own Node 24 (which has a global WebSocket) in a child
 * process, so it works the same when the test process is Node 20. Start one gateway per test
 * file (before) and stop it in after(): it takes ~10–40 s and ~1 GB on a 2-core machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './home.js';
import { NODE24, OPENCLAW, SKIP_OPENCLAW, ocEnv } from './openclaw-peer.js';

export { OPENCLAW, NODE24, SKIP_OPENCLAW };

/** A skip reason for tests that need the real gateway, or false when it can run. */
export const SKIP_GATEWAY: string | false = OPENCLAW && NODE24 ? false : SKIP_OPENCLAW;

const DEFAULT_START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
/** Output kept for logText(): the tail, so a chatty gateway cannot grow the test's memory. */
const MAX_LOG_CHARS = 1_000_000;

export interface GatewayHome {
  home: string;
  /** The environment every `openclaw` command for this home should use (HOME etc.). */
  env: Record<string, string>;
  /** Where the gateway's file log goes (`logging.file`), when the harness wrote the config. */
  logFile: string | null;
  /** True when the harness made the temp dir (stop({ removeHome }) may remove it). */
  ownsHome: boolean;
}

/**
 * A home for OpenClaw: the given one or a new temp dir. When no OpenClaw config exists yet
 * (no `.openclaw/openclaw.json`, no `.clawdbot`), it writes one whose only setting is
 * `logging.file` inside the home, so the gateway and the CLI log there instead of
 * /tmp/openclaw. A config the caller made is never touched. Call it before the first
 * `openclaw` command (e.g. paste-token), which would otherwise log to /tmp/openclaw.
 */
export function prepareGatewayHome(home?: string, extraEnv: Record<string, string> = {}): GatewayHome {
  const ownsHome = home === undefined;
  const dir = home ?? mkdtempSync(join(tmpdir(), 'authbar-ocgw-'));
  const env = ocEnv(dir, extraEnv);
  const stateDir = join(dir, '.openclaw');
  const configPath = join(stateDir, 'openclaw.json');
  let logFile: string | null = null;
  const untouched = !existsSync(configPath) && !existsSync(join(dir, '.clawdbot'));
  if (untouched && extraEnv['OPENCLAW_CONFIG_PATH'] === undefined && extraEnv['OPENCLAW_STATE_DIR'] === undefined) {
    logFile = join(dir, 'openclaw-gateway.log');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // As OpenClaw's own `config set logging.file` writes it (checked offline); JSON here saves
    // its ~6 s and its first log line, which would go to /tmp/openclaw.
    writeFileSync(configPath, JSON.stringify({ logging: { file: logFile } }, null, 2) + '\n', { mode: 0o600 });
  } else if (existsSync(configPath)) {
    try {
      const cfg = JSON.parse(readFileSync(configPath, 'utf8')) as { logging?: { file?: unknown } };
      if (typeof cfg.logging?.file === 'string') logFile = cfg.logging.file;
    } catch {
      // JSON5 or broken: the harness only reads it for logText().
    }
  }
  return { home: dir, env, logFile, ownsHome };
}

export interface GatewayOptions {
  /** A home from prepareGatewayHome (or a path: prepared here). Default: a new temp home. */
  home?: GatewayHome | string;
  /** The shared token (`--auth token --token T`). Default: random. */
  token?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Extra environment for the gateway (e.g. proxyEnv(proxy) from usage-proxy.ts). */
  env?: Record<string, string>;
  /** Startup budget per start(); default 120 s (a hang guard: a loaded 2-core machine took 53 s). */
  startTimeoutMs?: number;
}

export interface RpcError {
  code: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface RpcAnswer<T = unknown> {
  ok: boolean;
  payload?: T;
  error?: RpcError;
}

export interface RpcCall {
  method: string;
  params?: unknown;
}

export interface HelloInfo {
  protocol: number;
  serverVersion: string | null;
  role: string | null;
  scopes: string[];
  /** Whether hello-ok carried a device token (its value is never returned). */
  deviceTokenIssued: boolean;
}

export interface RpcSession {
  hello: HelloInfo;
  answers: RpcAnswer[];
}

export interface RpcOptions {
  /** Default ['operator.read']. */
  scopes?: string[];
  /** One of OpenClaw's fixed client ids; default 'cli'. */
  clientId?: string;
  /** Default 'cli'. */
  mode?: string;
  /** Send the device identity (default true). false: token only, no device. */
  device?: boolean;
  /** Whole-session budget; default 30 s. */
  timeoutMs?: number;
}

/** Why a session failed before or during the handshake (the harness retries some). */
export class RpcSessionError extends Error {
  constructor(
    readonly stage: 'socket' | 'challenge' | 'connect' | 'closed' | 'timeout' | 'child',
    message: string,
    readonly error?: RpcError,
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = 'RpcSessionError';
  }
}

export interface DeviceIdentity {
  id: string;
  publicKeyRaw: string;
  privateKeyPem: string;
}

/** An Ed25519 device identity as OpenClaw expects: id = hex sha256 of the raw public key. */
export function newDeviceIdentity(): DeviceIdentity {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    id: createHash('sha256').update(raw).digest('hex'),
    publicKeyRaw: raw.toString('base64url'),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/**
 * The client, run by Node 24 with its request as JSON on stdin; one JSON line on stdout. It
 * signs OpenClaw's v3 device payload
 * `v3|deviceId|clientId|mode|role|scopes,csv|signedAt|token|nonce|platform|deviceFamily` with the
 * challenge's nonce and ts, then sends the calls one after another on the same socket.
 */
const CLIENT_SOURCE = String.raw`
import crypto from 'node:crypto';
let input = '';
for await (const c of process.stdin) input += c;
const r = JSON.parse(input);
const out = (o) => { process.stdout.write(JSON.stringify(o) + '\n'); process.exit(0); };
const role = 'operator';
const platform = 'linux';
const ws = new WebSocket(r.url);
const timer = setTimeout(() => out({ stage: 'timeout', message: 'no answer within ' + r.timeoutMs + ' ms' }), r.timeoutMs);
let hello = null;
const answers = [];
let next = 0;
let settled = false;
const sendNext = () => {
  if (next >= r.calls.length) { settled = true; clearTimeout(timer); ws.close(1000); out({ hello, answers }); return; }
  const c = r.calls[next];
  ws.send(JSON.stringify({ type: 'req', id: 'r' + next, method: c.method, params: c.params ?? {} }));
};
ws.onmessage = (ev) => {
  let m;
  try { m = JSON.parse(String(ev.data)); } catch { return; }
  if (m.type === 'event' && m.event === 'connect.challenge') {
    const { nonce, ts } = m.payload ?? {};
    const params = {
      minProtocol: 4, maxProtocol: 4,
      client: { id: r.clientId, version: '0.0.0-test', platform, mode: r.mode },
      role, scopes: r.scopes, caps: [], auth: { token: r.token },
    };
    if (r.device) {
      const payload = ['v3', r.device.id, r.clientId, r.mode, role, r.scopes.join(','), String(ts), r.token, nonce, platform, ''].join('|');
      const key = crypto.createPrivateKey(r.device.privateKeyPem);
      const signature = crypto.sign(null, Buffer.from(payload), key).toString('base64url');
      params.device = { id: r.device.id, publicKey: r.device.publicKeyRaw, signature, signedAt: ts, nonce };
    }
    ws.send(JSON.stringify({ type: 'req', id: 'connect', method: 'connect', params }));
    return;
  }
  if (m.type !== 'res') return;
  if (m.id === 'connect') {
    if (!m.ok) { settled = true; out({ stage: 'connect', message: m.error?.message ?? 'connect refused', error: m.error }); return; }
    const p = m.payload ?? {};
    hello = {
      protocol: p.protocol, serverVersion: p.server?.version ?? null, role: p.auth?.role ?? null,
      scopes: p.auth?.scopes ?? [], deviceTokenIssued: typeof p.auth?.deviceToken === 'string',
    };
    sendNext();
    return;
  }
  if (m.id === 'r' + next) {
    answers.push(m.ok ? { ok: true, payload: m.payload } : { ok: false, error: m.error });
    next++;
    sendNext();
  }
};
ws.onerror = (e) => { if (!settled) out({ stage: hello ? 'closed' : 'socket', message: String(e?.message ?? 'socket error') }); };
ws.onclose = (e) => { if (!settled) out({ stage: hello ? 'closed' : (e.code === 1013 ? 'connect' : 'challenge'), message: 'closed ' + e.code + ' ' + e.reason, closeCode: e.code }); };
`;

/**
 * One WebSocket session with any OpenClaw gateway: connect (token + device identity), then the
 * calls in order. Throws RpcSessionError when the handshake fails; a call's own error is an
 * answer with ok:false.
 */
export async function gatewaySession(
  target: { url: string; token: string; device?: DeviceIdentity },
  calls: readonly RpcCall[],
  opts: RpcOptions = {},
): Promise<RpcSession> {
  if (!NODE24) throw new Error(SKIP_OPENCLAW);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const request = {
    url: target.url,
    token: target.token,
    clientId: opts.clientId ?? 'cli',
    mode: opts.mode ?? 'cli',
    scopes: opts.scopes ?? ['operator.read'],
    device: opts.device === false ? null : (target.device ?? newDeviceIdentity()),
    calls,
    timeoutMs,
  };
  const r = await runProcess(
    NODE24,
    ['--no-warnings', '--input-type=module', '-e', CLIENT_SOURCE],
    { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    { stdin: JSON.stringify(request), timeoutMs: timeoutMs + 15_000 },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let parsed: {
    hello?: HelloInfo;
    answers?: RpcAnswer[];
    stage?: RpcSessionError['stage'];
    message?: string;
    error?: RpcError;
    closeCode?: number;
  };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    throw new RpcSessionError('child', `the RPC client exited ${r.code}: ${r.stderr.slice(-800)}`);
  }
  if (parsed.stage !== undefined || !parsed.hello || !parsed.answers) {
    throw new RpcSessionError(parsed.stage ?? 'child', parsed.message ?? 'no answer', parsed.error, parsed.closeCode);
  }
  return { hello: parsed.hello, answers: parsed.answers };
}

export interface OpenClawGateway {
  port: number;
  /** `ws://127.0.0.1:<port>/` */
  url: string;
  token: string;
  home: string;
  /**
   * The environment for `openclaw` commands against this home (no proxy variables), with
   * OPENCLAW_GATEWAY_PORT naming this gateway so a command never reaches another one on 18789.
   */
  env: Record<string, string>;
  /** env plus OPENCLAW_GATEWAY_TOKEN: what a client (e.g. authbar) needs to find and join it. */
  clientEnv: Record<string, string>;
  /** This harness's device identity (stable, so the gateway pairs it once). */
  device: DeviceIdentity;
  /** Milliseconds the last start() took until hello-ok. */
  lastStartMs: number;
  /** Milliseconds from spawn until the gateway printed `[gateway] ready` (diagnostics). */
  lastReadyLogMs: number | null;
  running(): boolean;
  /** Starts the gateway again on the same port (after stop()); resolves when it says hello-ok. */
  start(): Promise<void>;
  /**
   * SIGTERM to the whole process group, SIGKILL after 15 s; resolves when it and every helper
   * it spawned (some in sessions of their own) have exited.
   */
  stop(opts?: { removeHome?: boolean }): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** stdout+stderr of every start so far (ANSI stripped), then the file log if any. */
  logText(): string;
  /** One call on a fresh session; throws RpcSessionError when the handshake fails. */
  call<T = unknown>(method: string, params?: unknown, opts?: RpcOptions): Promise<RpcAnswer<T>>;
  /** Several calls on one session, in order. */
  session(calls: readonly RpcCall[], opts?: RpcOptions): Promise<RpcSession>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(2000, () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty
  }
}

interface ProcId {
  pid: number;
  /** /proc/<pid>/stat's start time, so a reused pid is never taken for the helper. */
  start: string;
}

function procStat(pid: number): { ppid: number; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), start: f[19] ?? '' };
  } catch {
    return null;
  }
}

/** Every live descendant of pid (Linux /proc; empty elsewhere). */
function descendants(pid: number): ProcId[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, ProcId[]>();
  for (const e of entries) {
    const st = procStat(Number(e));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push({ pid: Number(e), start: st.start });
    children.set(st.ppid, list);
  }
  const out: ProcId[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

const isSame = (p: ProcId) => procStat(p.pid)?.start === p.start;

/** Starts the real gateway and waits for protocol readiness (challenge + hello-ok). */
export async function startOpenClawGateway(opts: GatewayOptions = {}): Promise<OpenClawGateway> {
  if (!OPENCLAW || !NODE24) throw new Error(SKIP_OPENCLAW);
  const bin = OPENCLAW;
  const gh = typeof opts.home === 'object' ? opts.home : prepareGatewayHome(opts.home);
  const token = opts.token ?? `gw-test-${randomBytes(18).toString('base64url')}`;
  const port = opts.port ?? (await freePort());
  const url = `ws://127.0.0.1:${port}/`;
  const device = newDeviceIdentity();
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const env: Record<string, string> = {
    ...gh.env,
    OPENCLAW_DISABLE_BONJOUR: '1',
    OPENCLAW_SKIP_CHANNELS: '1',
    OPENCLAW_NO_RESPAWN: '1',
    OPENCLAW_EXEC_SHELL_SNAPSHOT: '0',
    ...(opts.env ?? {}),
  };

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let exitInfo: string | null = null;
  let output = '';
  let startedAt = 0;
  const append = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (gw.lastReadyLogMs === null && stripAnsi(text).includes('[gateway] ready')) {
      gw.lastReadyLogMs = Date.now() - startedAt;
    }
    output += text;
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };

  const logText = () => {
    let text = stripAnsi(output);
    if (gh.logFile && existsSync(gh.logFile)) {
      text += `\n--- ${gh.logFile} ---\n` + readFileSync(gh.logFile, 'utf8').slice(-MAX_LOG_CHARS);
    }
    return text;
  };

  const session = (calls: readonly RpcCall[], o?: RpcOptions) => gatewaySession({ url, token, device }, calls, o);

  const stop = async () => {
    const c = child;
    if (!c || c.pid === undefined) return;
    const pgid = c.pid;
    // Its spawn broker runs in a session of its own: find such helpers before they are orphaned.
    const helpers = descendants(pgid);
    if (c.exitCode === null && c.signalCode === null) {
      killGroup(pgid, 'SIGTERM');
      const killer = setTimeout(() => killGroup(pgid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    }
    killGroup(pgid, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while (helpers.some(isSame) && Date.now() < deadline) await sleep(100);
    for (const h of helpers.filter(isSame)) {
      try {
        process.kill(h.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    child = null;
  };

  const start = async () => {
    if (child) throw new Error('the gateway is already running: stop() it first');
    const t0 = Date.now();
    startedAt = t0;
    gw.lastReadyLogMs = null;
    exitInfo = null;
    output += `\n--- start ${new Date().toISOString()} port ${port} ---\n`;
    const c = spawn(
      bin,
      ['gateway', 'run', '--allow-unconfigured', '--bind', 'loopback', '--auth', 'token', '--token', token].concat([
        '--port',
        String(port),
      ]),
      { env, cwd: gh.home, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    c.stdout?.on('data', append);
    c.stderr?.on('data', append);
    exited = new Promise<void>((resolve) => {
      c.once('exit', (code, signal) => {
        exitInfo = `exited ${code ?? signal}`;
        resolve();
      });
      c.once('error', (err) => {
        exitInfo = `could not start: ${err.message}`;
        resolve();
      });
    });
    const deadline = t0 + startTimeoutMs;
    let last = 'no TCP listener yet';
    while (Date.now() < deadline) {
      if (exitInfo !== null) break;
      if (!(await tcpOpen(port))) {
        await sleep(300);
        continue;
      }
      try {
        const s = await session([], { timeoutMs: Math.max(5_000, Math.min(20_000, deadline - Date.now())) });
        if (s.hello.protocol !== 4) last = `unexpected protocol ${s.hello.protocol}`;
        else {
          gw.lastStartMs = Date.now() - t0;
          return;
        }
      } catch (err) {
        const e = err as RpcSessionError;
        last = `${e.stage ?? 'error'}: ${e.message}`;
        const d = e.error?.details as { reason?: string } | undefined;
        const retryable =
          e.stage === 'socket' ||
          e.stage === 'challenge' ||
          e.stage === 'timeout' ||
          e.closeCode === 1013 ||
          (e.error?.code === 'UNAVAILABLE' && d?.reason === 'startup-sidecars');
        if (!retryable) {
          await stop();
          throw new Error(`the OpenClaw gateway refused the test client: ${last}\n${logText().slice(-4000)}`, {
            cause: err,
          });
        }
        await sleep(Math.min(2_000, Math.max(100, e.error?.retryAfterMs ?? 500)));
      }
    }
    const why = exitInfo ?? `not ready after ${startTimeoutMs} ms (${last})`;
    await stop();
    throw new Error(`the OpenClaw gateway did not start: ${why}\n${logText().slice(-4000)}`);
  };

  const gw: OpenClawGateway = {
    port,
    url,
    token,
    home: gh.home,
    env: { ...gh.env, OPENCLAW_GATEWAY_PORT: String(port) },
    clientEnv: { ...gh.env, OPENCLAW_GATEWAY_PORT: String(port), OPENCLAW_GATEWAY_TOKEN: token },
    device,
    lastStartMs: 0,
    lastReadyLogMs: null,
    running: () => child !== null && child.pid !== undefined && alive(child.pid) && exitInfo === null,
    start,
    async stop(o) {
      await stop();
      if (o?.removeHome && gh.ownsHome) rmSync(gh.home, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await start();
    },
    logText,
    async call<T>(method: string, params?: unknown, o?: RpcOptions) {
      const s = await session([{ method, params }], o);
      return s.answers[0] as RpcAnswer<T>;
    },
    session,
  };
  await start();
  return gw;
}
