/**
 * AuthBar's device identity towards OpenClaw gateways: one Ed25519 key pair, kept in the OS
 * keyring, so a gateway pairs AuthBar once (silently on loopback) and knows it afterwards —
 * a fresh key per run would leave a new paired device behind every time. Also the device
 * token each gateway issues on pairing (per gateway URL).
 *
 * Formats as OpenClaw 2026.9.6 checks them: the device id is the SHA-256 (hex) of the raw
 * 32-byte public key; the key and the signature travel as base64url; the signed text is the
 * `v3` payload `v3|deviceId|clientId|clientMode|role|scopes,joined|signedAtMs|token|nonce|
 * platform|deviceFamily` (metadata trimmed and lower-cased).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { loadNative } from '../../../native-module.js';
import type { Env } from '../../../ports.js';
import { keychainOff, type KeytarLike } from '../../../tokens/vault.js';

/** Apart from the vault's service, so `authbar token list` never sees these entries. */
export const DEVICE_SERVICE = 'AuthBar.gateway-device';
const IDENTITY_ACCOUNT = 'identity';
/** Below the question's whole budget, so a frozen keyring is named as the keyring, not the gateway. */
const KEYRING_TIMEOUT_MS = 3_000;
const SLOW_READ_MS = 1_000;

/** Where the identity and device tokens are kept: the OS keyring, or a map in tests. */
export interface DeviceSecrets {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  remove(account: string): Promise<void>;
}

export interface DeviceIdentity {
  deviceId: string;
  /** The raw public key, base64url. */
  publicKey: string;
  privateKey: KeyObject;
}

export interface ConnectSignature {
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  signedAtMs: number;
  /** The token the connect carries (shared or device), or '' when none. */
  token: string;
  nonce: string;
  platform: string;
  deviceFamily: string;
}

function timed<T>(p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`the keyring did not answer within ${KEYRING_TIMEOUT_MS / 1000} s`)),
      KEYRING_TIMEOUT_MS,
    );
    t.unref();
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/**
 * The OS keyring as DeviceSecrets, or why not. `owner` keeps the CLI's and the tray app's
 * entries apart: on macOS an item one program created prompts when another reads it, so each
 * keeps (and pairs) its own identity rather than ever raising a Keychain prompt.
 */
export function keyringDeviceSecrets(env: Env, owner: 'cli' | 'app'): DeviceSecrets | { unavailable: string } {
  if (keychainOff(env)) return { unavailable: 'the OS keyring is turned off (AUTHBAR_KEYCHAIN=off)' };
  let keytar: KeytarLike;
  try {
    keytar = loadNative<KeytarLike>('@napi-rs/keyring/keytar.js');
  } catch (err) {
    return {
      unavailable: `the OS keyring library could not be loaded (${err instanceof Error ? (err.message.split('\n')[0] ?? '') : 'error'})`,
    };
  }
  const account = (a: string) => `${owner} ${a}`;
  return {
    get: (a) => timed(keytar.getPassword(DEVICE_SERVICE, account(a))),
    set: (a, value) => timed(keytar.setPassword(DEVICE_SERVICE, account(a), value)),
    remove: async (a) => {
      await timed(keytar.deletePassword(DEVICE_SERVICE, account(a)));
    },
  };
}

function identityFrom(privateKey: KeyObject): DeviceIdentity {
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    deviceId: createHash('sha256').update(raw).digest('hex'),
    publicKey: raw.toString('base64url'),
    privateKey,
  };
}

/**
 * The stored identity, or a new one stored first (and read back: an identity the keyring
 * cannot keep would pair a new device on every run). Throws when the keyring fails.
 */
export async function loadOrCreateIdentity(secrets: DeviceSecrets): Promise<DeviceIdentity> {
  const started = Date.now();
  const stored = await secrets.get(IDENTITY_ACCOUNT);
  // The keyring library answers null on a failure too: a slow "nothing there" is a keyring in
  // trouble, not a missing identity, and replacing the identity would pair a new device.
  if (stored === null && Date.now() - started > SLOW_READ_MS)
    throw new Error('the keyring answered slowly and without the device identity; it was not replaced');
  if (stored !== null) {
    try {
      const key = createPrivateKey(stored);
      if (key.asymmetricKeyType === 'ed25519') return identityFrom(key);
    } catch {
      // Not a key we can use: replaced below (the gateway then pairs a new device once).
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await secrets.set(IDENTITY_ACCOUNT, pem);
  if ((await secrets.get(IDENTITY_ACCOUNT)) !== pem) throw new Error('the keyring did not keep the device identity');
  return identityFrom(privateKey);
}

function normalizedMeta(v: string): string {
  return v.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Signs the `v3` connect payload; the signature as base64url. */
export function signConnect(identity: DeviceIdentity, s: ConnectSignature): string {
  const text = [
    'v3',
    identity.deviceId,
    s.clientId,
    s.clientMode,
    s.role,
    s.scopes.join(','),
    String(s.signedAtMs),
    s.token,
    s.nonce,
    normalizedMeta(s.platform),
    normalizedMeta(s.deviceFamily),
  ].join('|');
  return sign(null, Buffer.from(text, 'utf8'), identity.privateKey).toString('base64url');
}

const StoredDeviceToken = z.object({ token: z.string().check(z.minLength(1)), scopes: z.array(z.string()) });
export type StoredDeviceToken = z.infer<typeof StoredDeviceToken>;

/** One device token per gateway, keyed by a digest of its address (an account name is visible in keyring UIs). */
function tokenAccount(url: string): string {
  let where = url;
  try {
    const u = new URL(url);
    where = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // keyed by the text as given
  }
  return `token ${createHash('sha256').update(where).digest('hex').slice(0, 32)}`;
}

export async function loadDeviceToken(secrets: DeviceSecrets, url: string): Promise<StoredDeviceToken | null> {
  const raw = await secrets.get(tokenAccount(url));
  if (raw === null) return null;
  try {
    const parsed = StoredDeviceToken.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function storeDeviceToken(secrets: DeviceSecrets, url: string, token: StoredDeviceToken): Promise<void> {
  await secrets.set(tokenAccount(url), JSON.stringify(token));
}

export async function forgetDeviceToken(secrets: DeviceSecrets, url: string): Promise<void> {
  await secrets.remove(tokenAccount(url));
}
