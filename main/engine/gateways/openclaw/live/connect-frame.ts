/** The `connect` request AuthBar sends: who it is (a read-only probe), its credential, and the signed device proof. */
import { signConnect, type DeviceIdentity } from './device.js';
import { PLATFORM_NAMES } from './transport.js';

/** OpenClaw's fixed client list has no third-party id; a read-only probe is what AuthBar is. */
export const CLIENT_ID = 'openclaw-probe';
export const CLIENT_MODE = 'probe';
export const READ_SCOPES = ['operator.read'] as const;

/** `connect`'s params: a read-only probe, its auth, and the device proof signed over the challenge. */
export function connectParams(
  identity: DeviceIdentity,
  o: {
    token: string | null;
    password: string | null;
    platform: NodeJS.Platform;
    clientVersion: string;
    deviceToken: string | null;
    nonce: string;
    ts: number;
  },
): Record<string, unknown> {
  const auth: Record<string, string> = {};
  if (o.token !== null) auth['token'] = o.token;
  if (o.password !== null) auth['password'] = o.password;
  if (o.deviceToken !== null) auth['deviceToken'] = o.deviceToken;
  const platform = PLATFORM_NAMES[o.platform] ?? o.platform;
  const signature = signConnect(identity, {
    clientId: CLIENT_ID,
    clientMode: CLIENT_MODE,
    role: 'operator',
    scopes: READ_SCOPES,
    signedAtMs: o.ts,
    token: o.token ?? o.deviceToken ?? '',
    nonce: o.nonce,
    platform,
    deviceFamily: '',
  });
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: CLIENT_ID, displayName: 'AuthBar', version: o.clientVersion, platform, mode: CLIENT_MODE },
    role: 'operator',
    scopes: [...READ_SCOPES],
    caps: [],
    ...(Object.keys(auth).length > 0 ? { auth } : {}),
    userAgent: `authbar/${o.clientVersion}`,
    device: { id: identity.deviceId, publicKey: identity.publicKey, signature, signedAt: o.ts, nonce: o.nonce },
  };
}
