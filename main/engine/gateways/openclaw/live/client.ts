/**
 * One question to the running OpenClaw gateway over its WebSocket (protocol v4): wait for
 * `connect.challenge`, answer `connect` as a read-only operator with a signed device
 * identity, ask `models.authStatus`, close. Nothing is written through the gateway: the
 * only scope asked for is `operator.read`.
 *
 * Every outcome is a value, never a throw: an answer, nothing listening (`not-running`), the
 * gateway saying no (`refused`: wrong token, pairing, scope), or AuthBar unable to ask here
 * (`unavailable`: no WebSocket in this Node, no keyring, a timeout, an unreadable answer).
 * Gateway-supplied text is cleaned (no control characters, capped, known secrets masked).
 */
import {
  loadDeviceToken,
  loadOrCreateIdentity,
  storeDeviceToken,
  forgetDeviceToken,
  type DeviceSecrets,
} from './device.js';
import { connectParams } from './connect-frame.js';
import { displayUrl } from './connection.js';
import {
  cleanGatewayText,
  isLoopback,
  listening,
  rec,
  refusedCode,
  type AskOptions,
  type LiveAnswer,
  type WebSocketCtor,
  type WebSocketLike,
} from './transport.js';
export { cleanGatewayText, type WebSocketCtor, type WebSocketLike } from './transport.js';

export type { AskOptions, LiveAnswer } from './transport.js';

export async function askAuthStatus(opts: AskOptions): Promise<LiveAnswer> {
  const deadline = Date.now() + opts.timeoutMs;
  const loop = isLoopback(opts.url);
  if (loop !== null) {
    const probe = await listening(loop.host, loop.port, Math.min(2_000, opts.timeoutMs));
    if (!probe.ok) return { kind: 'not-running', detail: probe.detail };
  }
  const Ctor = opts.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketCtor }).WebSocket ?? undefined;
  if (Ctor === undefined)
    return {
      kind: 'unavailable',
      code: 'no-websocket',
      message: `This Node (${process.version}) has no built-in WebSocket, so AuthBar cannot ask the running gateway (Node 22 or later can).`,
    };
  // A gateway still starting its sidecars answers `connect` with a retryable UNAVAILABLE.
  // A shared token the gateway no longer takes gets one retry with the device token it issued
  // earlier, on loopback only (as OpenClaw's own client does).
  let current = opts;
  for (let tries = 1; ; tries++) {
    const left = deadline - Date.now();
    if (left <= 0)
      return {
        kind: 'unavailable',
        code: 'timeout',
        message: `The gateway did not answer within ${Math.round(opts.timeoutMs / 1000)} s.`,
      };
    const r = await attempt(Ctor, current, left);
    if (
      r.kind === 'refused' &&
      r.code === 'token-mismatch' &&
      loop !== null &&
      current === opts &&
      opts.token !== null
    ) {
      const secrets = opts.secrets();
      const stored =
        'unavailable' in secrets ? null : await loadDeviceToken(secrets, opts.deviceKey ?? opts.url).catch(() => null);
      if (stored !== null) {
        current = { ...opts, token: null, password: null };
        const retried = await attempt(Ctor, current, Math.max(0, deadline - Date.now()));
        return retried.kind === 'answer' || retried.kind === 'retry' ? (retried.kind === 'retry' ? r : retried) : r;
      }
    }
    if (r.kind === 'retry' && tries < MAX_TRIES) {
      await new Promise((res) => setTimeout(res, Math.min(r.afterMs, Math.max(0, deadline - Date.now()))));
      continue;
    }
    if (r.kind === 'retry')
      return {
        kind: 'unavailable',
        code: 'starting',
        message: 'The gateway is still starting; it did not take the connection yet.',
      };
    return r;
  }
}

type Attempt = LiveAnswer | { kind: 'retry'; afterMs: number };

/** Connections per question while the gateway is starting: it says when to come back, a few times at most. */
const MAX_TRIES = 3;

function attempt(Ctor: WebSocketCtor, opts: AskOptions, budgetMs: number): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    let ws: WebSocketLike;
    let deviceToken: string | null = null;
    // One challenge per connection: a gateway sending more must not start more key loads.
    let challenged = false;
    let serverVersion: string | null = null;
    let secrets: DeviceSecrets | null = null;
    const clean = (t: unknown) => cleanGatewayText(t, [opts.token, opts.password, deviceToken]);
    const finish = (r: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        ws.close(1000, 'done');
      } catch {
        // already closed
      }
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        finish({
          kind: 'unavailable',
          code: 'timeout',
          message: `The gateway did not answer within ${Math.round(opts.timeoutMs / 1000)} s.`,
        }),
      budgetMs,
    );
    try {
      ws = new Ctor(opts.url);
    } catch (err) {
      clearTimeout(timer);
      resolve({
        kind: 'unavailable',
        code: 'protocol',
        message: `AuthBar cannot open ${opts.url}: ${clean(err instanceof Error ? err.message : err)}`,
      });
      return;
    }
    const send = (id: string, method: string, params: unknown) =>
      ws.send(JSON.stringify({ type: 'req', id, method, params }));

    const onChallenge = async (payload: Record<string, unknown>) => {
      const nonce = payload['nonce'];
      const ts = payload['ts'];
      if (typeof nonce !== 'string' || nonce === '' || typeof ts !== 'number' || !Number.isInteger(ts) || ts < 0) {
        finish({
          kind: 'unavailable',
          code: 'protocol',
          message: 'The gateway sent a connect challenge AuthBar cannot read.',
        });
        return;
      }
      const opened = opts.secrets();
      if ('unavailable' in opened) {
        finish({
          kind: 'unavailable',
          code: 'no-keyring',
          message: `AuthBar keeps its device identity for the gateway in the OS keyring, and ${opened.unavailable}.`,
        });
        return;
      }
      secrets = opened;
      try {
        const identity = await loadOrCreateIdentity(opened);
        const stored =
          opts.token === null && opts.password === null
            ? await loadDeviceToken(opened, opts.deviceKey ?? opts.url)
            : null;
        deviceToken = stored?.token ?? null;
        if (settled) return;
        send('connect', 'connect', connectParams(identity, { ...opts, deviceToken, nonce, ts }));
      } catch (err) {
        finish({
          kind: 'unavailable',
          code: 'no-keyring',
          message: `AuthBar could not keep its device identity for the gateway in the OS keyring (${clean(err instanceof Error ? err.message : err)}).`,
        });
      }
    };

    const onConnectResult = async (frame: Record<string, unknown>) => {
      const payload = rec(frame['payload']);
      if (frame['ok'] === true) {
        serverVersion =
          typeof rec(payload['server'])['version'] === 'string' ? (rec(payload['server'])['version'] as string) : null;
        const auth = rec(payload['auth']);
        const issued = auth['deviceToken'];
        if (typeof issued === 'string' && issued !== '' && issued !== deviceToken && secrets !== null) {
          const scopes = Array.isArray(auth['scopes'])
            ? auth['scopes'].filter((x): x is string => typeof x === 'string')
            : [];
          // Kept for a later run that has no shared token (the gateway's own token can change).
          await storeDeviceToken(secrets, opts.deviceKey ?? opts.url, { token: issued, scopes }).catch(() => undefined);
          deviceToken = issued;
        }
        send('status', 'models.authStatus', opts.params);
        return;
      }
      const error = rec(frame['error']);
      const details = rec(error['details']);
      const gatewayCode = typeof error['code'] === 'string' ? error['code'] : '';
      const detailCode = typeof details['code'] === 'string' ? details['code'] : '';
      if (details['reason'] === 'startup-sidecars' || (gatewayCode === 'UNAVAILABLE' && error['retryable'] === true)) {
        const after = typeof error['retryAfterMs'] === 'number' ? error['retryAfterMs'] : 500;
        finish({ kind: 'retry', afterMs: Math.min(Math.max(after, 100), 2_000) });
        return;
      }
      const code = refusedCode(detailCode, gatewayCode);
      if (code === 'device-token' && secrets !== null)
        await forgetDeviceToken(secrets, opts.deviceKey ?? opts.url).catch(() => undefined);
      // It ends up in a command the user is told to run: only a plain id is taken.
      const rawId = details['requestId'];
      const requestId = typeof rawId === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(rawId) ? rawId : null;
      finish({
        kind: 'refused',
        code,
        message: clean(error['message']) || 'The gateway refused the connection.',
        requestId,
      });
    };

    const onStatusResult = (frame: Record<string, unknown>) => {
      if (frame['ok'] === true) {
        finish({ kind: 'answer', payload: frame['payload'], serverVersion });
        return;
      }
      const error = rec(frame['error']);
      const message = clean(error['message']);
      if (/scope/i.test(message)) finish({ kind: 'refused', code: 'scope', message, requestId: null });
      else
        finish({
          kind: 'unavailable',
          code: 'protocol',
          message: `The gateway could not answer models.authStatus${message ? `: ${message}` : ''}.`,
        });
    };

    ws.onmessage = (ev) => {
      if (settled) return;
      let frame: Record<string, unknown>;
      try {
        frame = rec(JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)));
      } catch {
        finish({ kind: 'unavailable', code: 'protocol', message: 'The gateway sent a frame that is not JSON.' });
        return;
      }
      if (frame['type'] === 'event' && frame['event'] === 'connect.challenge') {
        if (challenged) return;
        challenged = true;
        void onChallenge(rec(frame['payload']));
      } else if (frame['type'] === 'res' && frame['id'] === 'connect') void onConnectResult(frame);
      else if (frame['type'] === 'res' && frame['id'] === 'status') onStatusResult(frame);
    };
    ws.onerror = () => {
      // The close event follows with the code; an error before any frame means no gateway here.
    };
    ws.onclose = (ev) => {
      if (settled) return;
      const reason = clean(ev.reason);
      if (ev.code === 1013 || ev.code === 1012) finish({ kind: 'retry', afterMs: 1_000 });
      else if (ev.code === 1008)
        finish({
          kind: 'refused',
          code: 'policy',
          message: reason || 'The gateway closed the connection (policy).',
          requestId: null,
        });
      else if (serverVersion === null && ev.code === 1006)
        finish(
          isLoopback(opts.url) !== null
            ? // Something listens (the TCP probe said so) but the WebSocket or TLS handshake failed.
              {
                kind: 'unavailable',
                code: 'protocol',
                message: opts.url.startsWith('wss:')
                  ? 'The gateway is listening, but its TLS certificate is not one this system trusts (a self-signed gateway.tls certificate): AuthBar cannot verify it.'
                  : 'Something listens there, but it did not complete a WebSocket handshake (is it the gateway?).',
              }
            : { kind: 'not-running', detail: `no OpenClaw gateway answered at ${displayUrl(opts.url)}` },
        );
      else
        finish({
          kind: 'unavailable',
          code: 'protocol',
          message: `The gateway closed the connection (${ev.code}${reason ? `: ${reason}` : ''}).`,
        });
    };
  });
}
