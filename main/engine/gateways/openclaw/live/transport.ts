/**
 * The plumbing under the live client: the WebSocket it needs, whether anything listens on a
 * loopback port, gateway text made safe to show, and OpenClaw's refusal codes in AuthBar's words.
 */
import { connect as tcpConnect } from 'node:net';
import type { DeviceSecrets } from './device.js';

/** The parts of the WHATWG WebSocket AuthBar uses (Node ≥ 22 has it built in). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macos',
  win32: 'windows',
  linux: 'linux',
};

/** Gateway-supplied text, safe to show: one line, no control characters, capped, secrets masked. */
export function cleanGatewayText(text: unknown, secrets: ReadonlyArray<string | null>): string {
  let s = typeof text === 'string' ? text : '';
  for (const secret of secrets) if (secret !== null && secret.length >= 4) s = s.split(secret).join('…');

  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

export function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function isLoopback(url: string): { host: string; port: number } | null {
  const m = /^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\]):(\d+)(\/|$)/i.exec(url);
  if (!m) return null;
  return { host: m[1] === '[::1]' ? '::1' : m[1]!, port: Number(m[2]) };
}

/** A TCP connect first: "nothing listens" is then certain and fast, and no keyring is touched. */
export function listening(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; detail: string }> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (r: { ok: true } | { ok: false; detail: string }) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: true }), timeoutMs); // slow, not refused: let the WebSocket decide
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({
        ok: false,
        detail: err.code === 'ECONNREFUSED' ? `nothing listens on ${host}:${port}` : (err.code ?? err.message),
      }),
    );
  });
}

export function refusedCode(detailCode: string, gatewayCode: string): string {
  if (detailCode === 'AUTH_TOKEN_MISMATCH' || detailCode === 'AUTH_PASSWORD_MISMATCH') return 'token-mismatch';
  if (detailCode.startsWith('AUTH_DEVICE_TOKEN') || detailCode === 'DEVICE_TOKEN_MISMATCH') return 'device-token';
  if (detailCode === 'AUTH_REQUIRED' || detailCode === 'AUTH_TOKEN_MISSING' || detailCode === 'AUTH_PASSWORD_MISSING')
    return 'no-credentials';
  if (detailCode === 'PAIRING_REQUIRED' || gatewayCode === 'NOT_PAIRED') return 'pairing-required';
  if (detailCode === 'AUTH_SCOPE_MISMATCH') return 'scope';
  // Another code of the gateway's, kept for code to branch on when it is a plain word.
  const other = (detailCode || gatewayCode).toLowerCase();
  return /^[a-z0-9_.-]{1,64}$/.test(other) ? other : 'refused';
}

/** What one question to the gateway ends with: an answer, or the state that stopped it. */
export type LiveAnswer =
  | { kind: 'answer'; payload: unknown; serverVersion: string | null }
  | { kind: 'not-running'; detail: string }
  | {
      kind: 'refused';
      /** `token-mismatch`, `pairing-required`, `scope`, `no-credentials`, `device-token`, or the gateway's own code. */
      code: string;
      message: string;
      /** For `pairing-required`: the request to approve with `openclaw devices approve <id>`. */
      requestId: string | null;
    }
  | { kind: 'unavailable'; code: 'timeout' | 'protocol' | 'no-websocket' | 'no-keyring' | 'starting'; message: string };

export interface AskOptions {
  url: string;
  /**
   * The address the device token is kept under (default: `url`). A gateway reached through a
   * port forwarded over ssh gets a new local port each time: it is keyed by its host instead.
   */
  deviceKey?: string;
  token: string | null;
  password: string | null;
  /** Opened only once the gateway has answered (a down gateway costs no keyring access). */
  secrets: () => DeviceSecrets | { unavailable: string };
  clientVersion: string;
  platform: NodeJS.Platform;
  params: { refresh?: boolean; agentId?: string };
  timeoutMs: number;
  WebSocket?: WebSocketCtor | undefined;
}
