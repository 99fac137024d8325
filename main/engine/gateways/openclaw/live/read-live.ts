/**
 * The live view of one host: asks the running OpenClaw gateway (client.ts) where it listens
 * (connection.ts) and turns whatever happened into a LiveView: the gateway's answer beside the
 * file verdicts (live-view.ts), or a state of its own with what to do. Never throws: a live
 * problem must never hide the file verdict.
 */
import type { LiveView, Snapshot } from '../../../../../common/snapshot.js';
import type { Env } from '../../../ports.js';
import { keyringFixAdvice } from '../../../tokens/vault.js';
import { readOpenClawConfig } from '../config.js';
import { pasteAgents } from '../land.js';
import { AuthStatusPayload } from './auth-status.js';
import { askAuthStatus, type LiveAnswer, type WebSocketCtor } from './client.js';
import { displayUrl, gatewayTarget, unsafeGatewayUrl, type GatewayTarget } from './connection.js';
import { keyringDeviceSecrets, type DeviceSecrets } from './device.js';
import { liveView } from './live-view.js';

export interface LiveDeps {
  env: Env;
  platform: NodeJS.Platform;
  now: () => number;
  clientVersion: string;
  /** Which program asks (`cli`, `app`): each keeps its own identity in the keyring. */
  owner: 'cli' | 'app';
  /** Where the device identity is kept (default: the OS keyring). */
  secrets?: () => DeviceSecrets | { unavailable: string };
  WebSocket?: WebSocketCtor;
  /** Default 8 s: a gateway that answers at all answers in well under a second. */
  timeoutMs?: number;
  /** `{refresh: true}` asks the gateway to refetch usage in the background. */
  refresh?: boolean;
}

const RESTART_HINT = 'start it: `openclaw gateway run`, or `openclaw gateway restart` where it runs as a service';

function tokenFix(target: GatewayTarget): string {
  const where = target.remote ? 'gateway.remote.token' : 'gateway.auth.token';
  return `give AuthBar the gateway's token: set OPENCLAW_GATEWAY_TOKEN (\`openclaw gateway auth-token\` shows it) or ${where} in the OpenClaw config`;
}

function stateOf(
  answer: Exclude<LiveAnswer, { kind: 'answer' }>,
  target: GatewayTarget,
  platform: NodeJS.Platform,
  at: number,
): LiveView {
  const url = displayUrl(target.url);
  const base = { checkedAt: at, gateway: { url, version: null }, providers: [], disagreements: [] };
  if (answer.kind === 'not-running')
    return {
      ...base,
      state: 'not-running',
      reasonCode: null,
      message: `AuthBar found no gateway at ${url} (${answer.detail}; the address comes from ${target.urlSource}); the verdicts come from the files alone.`,
      fix: target.remote ? `check that the remote gateway at ${url} is up` : RESTART_HINT,
    };
  if (answer.kind === 'refused') {
    const said = answer.message ? ` (${answer.message})` : '';
    switch (answer.code) {
      case 'token-mismatch':
        return {
          ...base,
          state: 'refused',
          reasonCode: 'token-mismatch',
          message: `The gateway refused AuthBar's ${target.token === null ? 'password' : 'token'}${target.authSource ? ` from ${target.authSource}` : ''}${said}.`,
          fix: tokenFix(target),
        };
      case 'no-credentials':
      case 'device-token':
      case 'policy':
        return {
          ...base,
          state: 'refused',
          reasonCode: answer.code === 'policy' ? 'refused' : 'no-credentials',
          message: `The gateway refused AuthBar: ${target.authProblem ?? (target.token === null && target.password === null ? 'AuthBar has no token for it' : 'it did not accept the credentials')}${said}.`,
          fix: tokenFix(target),
        };
      case 'pairing-required':
        return {
          ...base,
          state: 'refused',
          reasonCode: 'pairing-required',
          message: `The gateway has not paired AuthBar yet${said}.`,
          fix: `approve it on the gateway host: \`openclaw devices approve ${answer.requestId ?? '<requestId>'}\` (\`openclaw devices list\` shows the request)`,
        };
      case 'scope':
        return {
          ...base,
          state: 'refused',
          reasonCode: 'scope',
          message: `The gateway did not grant AuthBar read access${said}.`,
          fix: "approve AuthBar's read scope on the gateway host: `openclaw devices list`, then `openclaw devices approve <requestId>`",
        };
      default:
        return {
          ...base,
          state: 'refused',
          reasonCode: answer.code,
          message: `The gateway refused AuthBar${said}.`,
          fix: tokenFix(target),
        };
    }
  }
  const fixes: Record<typeof answer.code, string | null> = {
    'no-websocket': 'run AuthBar with Node 22 or later to see the live status',
    'no-keyring': `${keyringFixAdvice(platform)}, or turn live status off (setting liveGateway: false)`,
    timeout: 'check the gateway: `openclaw gateway health`',
    starting: 'wait: the gateway is still starting',
    protocol: 'check the gateway: `openclaw gateway health`',
  };
  return { ...base, state: 'unavailable', reasonCode: answer.code, message: answer.message, fix: fixes[answer.code] };
}

/** Asks the running gateway and builds the live view (the registry has checked the setting). */
export async function readLive(snapshot: Snapshot, deps: LiveDeps): Promise<LiveView> {
  let target: GatewayTarget;
  // The answer is for one agent: the gateway's default, named so the files compared are the same agent's.
  let agentId: string | null = null;
  try {
    const cfg = await readOpenClawConfig(snapshot.gateway.configPath);
    target = gatewayTarget(cfg, deps.env);
    agentId = pasteAgents(cfg, deps.env).defaultId;
  } catch {
    target = gatewayTarget({ path: snapshot.gateway.configPath, exists: false, error: null, raw: {} }, deps.env);
  }
  return askLive(target, agentId, snapshot, deps);
}

/**
 * Asks the gateway at `target` about `agentId` and builds the live view, compared with the
 * files of `files` (null: no files to compare, e.g. a remote host without AuthBar). `deviceKey`
 * keeps the device token under a stable address when `target.url` is a forwarded port.
 */
export async function askLive(
  target: GatewayTarget,
  agentId: string | null,
  files: Snapshot | null,
  deps: LiveDeps & { deviceKey?: string },
): Promise<LiveView> {
  const unsafe = unsafeGatewayUrl(target.url);
  if (unsafe !== null)
    return {
      state: 'unavailable',
      reasonCode: 'insecure-url',
      message: `AuthBar will not send the gateway's token to ${displayUrl(target.url)} (from ${target.urlSource}): it ${unsafe}.`,
      fix: 'use a wss:// URL (or an SSH tunnel to a loopback port), without a user name or password in it',
      checkedAt: deps.now(),
      gateway: { url: displayUrl(target.url), version: null },
      providers: [],
      disagreements: [],
    };
  let answer: LiveAnswer;
  try {
    answer = await askAuthStatus({
      url: target.url,
      ...(deps.deviceKey !== undefined ? { deviceKey: deps.deviceKey } : {}),
      token: target.token,
      password: target.password,
      secrets: deps.secrets ?? (() => keyringDeviceSecrets(deps.env, deps.owner)),
      clientVersion: deps.clientVersion,
      platform: deps.platform,
      params: { ...(agentId !== null ? { agentId } : {}), ...(deps.refresh ? { refresh: true } : {}) },
      timeoutMs: deps.timeoutMs ?? 8_000,
      WebSocket: deps.WebSocket,
    });
  } catch (err) {
    answer = {
      kind: 'unavailable',
      code: 'protocol',
      message: `Asking the gateway failed: ${err instanceof Error ? err.message : String(err)}.`,
    };
  }
  const at = deps.now();
  if (answer.kind !== 'answer') return stateOf(answer, target, deps.platform, at);
  const parsed = AuthStatusPayload.safeParse(answer.payload);
  if (!parsed.success)
    return stateOf(
      {
        kind: 'unavailable',
        code: 'protocol',
        message: 'The gateway answered models.authStatus in a shape AuthBar cannot read.',
      },
      target,
      deps.platform,
      at,
    );
  try {
    return liveView(parsed.data, files, {
      url: displayUrl(target.url),
      version: answer.serverVersion,
      checkedAt: at,
      agentId,
    });
  } catch (err) {
    // A live problem must never hide the file verdicts.
    return stateOf(
      {
        kind: 'unavailable',
        code: 'protocol',
        message: `AuthBar could not read the gateway's answer (${err instanceof Error ? err.message : String(err)}).`,
      },
      target,
      deps.platform,
      at,
    );
  }
}
