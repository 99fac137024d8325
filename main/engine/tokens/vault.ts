/**
 * The Vault port: AuthBar's own secrets in the OS keychain (macOS Keychain, Secret Service
 * on Linux, Windows Credential Manager) under service `AuthBar`, one entry per profile id.
 * Only the secret lives here; everything else about a token is in the state file.
 *
 * macOS: reading an item can raise a Keychain prompt, so only commands a user ran (`token`,
 * `setup-token`, `sync`, the tray's Resync) ever call `get`; status and watch read the
 * state file only.
 */
import { AuthBarError } from '../errors.js';
import { loadNative } from '../native-module.js';
import type { Env } from '../ports.js';

export const VAULT_SERVICE = 'AuthBar';

/**
 * `reason`: one sentence for the CLI. `cause` and `detail` let other callers (the tray app,
 * which has no --no-vault) word their own sentence: `off` is AUTHBAR_KEYCHAIN=off,
 * `unloadable` the keyring library, `unreachable` the keyring itself (detail: why).
 */
export type VaultCheck = { ok: true } | { ok: false; reason: string; cause?: VaultProblem; detail?: string };
export type VaultProblem = 'off' | 'unloadable' | 'unreachable';

export interface Vault {
  readonly name: 'keyring' | 'none';
  /** Whether secrets can be stored here; the reason in one sentence when not. */
  check(): Promise<VaultCheck>;
  get(profileId: string): Promise<string | null>;
  /** Stores the secret and reads it back; throws `keyring-unavailable` when it cannot. */
  set(profileId: string, secret: string): Promise<void>;
  remove(profileId: string): Promise<boolean>;
}

/** The keytar-compatible calls AuthBar uses. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** What makes the OS keyring work again, per platform (no CLI flags in it). */
export function keyringFixAdvice(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'unlock your login keychain';
  if (platform === 'win32') return 'check that Windows Credential Manager works for your user';
  return 'install and unlock a Secret Service keyring (gnome-keyring, or KeePassXC with Secret Service on) in this login session';
}

export function noKeyringAdvice(platform: NodeJS.Platform): string {
  return `${keyringFixAdvice(platform)}, or run with --no-vault to land the token in the gateway only`;
}

export class NoVault implements Vault {
  readonly name = 'none' as const;
  constructor(
    private readonly reason: string,
    private readonly problem?: { cause: VaultProblem; detail: string },
  ) {}
  async check(): Promise<VaultCheck> {
    return { ok: false, reason: this.reason, ...(this.problem ?? {}) };
  }
  async get(): Promise<string | null> {
    return null;
  }
  async set(): Promise<void> {
    throw new AuthBarError('keyring-unavailable', this.reason);
  }
  async remove(): Promise<boolean> {
    return false;
  }
}

const CHECK_TIMEOUT_MS = 10_000;

/** The library's message names the D-Bus / Keychain failure; it never contains a secret. */
function shortDetail(detail: string): string {
  return detail.replace(/\s+/g, ' ').slice(0, 160);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

export class KeyringVault implements Vault {
  readonly name = 'keyring' as const;
  constructor(
    private readonly keytar: KeytarLike,
    private readonly platform: NodeJS.Platform,
  ) {}

  private unavailable(detail: string): string {
    return `No OS keyring is available to AuthBar (${shortDetail(detail)}): ${noKeyringAdvice(this.platform)}.`;
  }

  async check(): Promise<VaultCheck> {
    // Listing a service that has no items reads no secret (no Keychain prompt) but does
    // reach the keyring, so a missing D-Bus session or Secret Service shows up here.
    try {
      await withTimeout(
        this.keytar.findCredentials(`${VAULT_SERVICE}.availability-check`),
        CHECK_TIMEOUT_MS,
        'the keyring',
      );
      return { ok: true };
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: this.unavailable(detail), cause: 'unreachable', detail: shortDetail(detail) };
    }
  }

  async get(profileId: string): Promise<string | null> {
    // keytar's getPassword answers null on a failure as well as on a missing entry.
    return withTimeout(this.keytar.getPassword(VAULT_SERVICE, profileId), CHECK_TIMEOUT_MS, 'the keyring');
  }

  async set(profileId: string, secret: string): Promise<void> {
    try {
      await withTimeout(this.keytar.setPassword(VAULT_SERVICE, profileId, secret), CHECK_TIMEOUT_MS, 'the keyring');
    } catch (err) {
      throw new AuthBarError('keyring-unavailable', this.unavailable(err instanceof Error ? err.message : String(err)));
    }
    const back = await this.get(profileId).catch(() => null);
    if (back !== secret)
      throw new AuthBarError(
        'keyring-unavailable',
        this.unavailable('the secret could not be read back after storing it'),
      );
  }

  async remove(profileId: string): Promise<boolean> {
    try {
      return await withTimeout(this.keytar.deletePassword(VAULT_SERVICE, profileId), CHECK_TIMEOUT_MS, 'the keyring');
    } catch (err) {
      throw new AuthBarError('keyring-unavailable', this.unavailable(err instanceof Error ? err.message : String(err)));
    }
  }
}

/** True when `AUTHBAR_KEYCHAIN=off`: AuthBar then touches no OS keychain at all. */
export function keychainOff(env: Env): boolean {
  return (env['AUTHBAR_KEYCHAIN'] ?? '').trim().toLowerCase() === 'off';
}

export const KEYCHAIN_OFF_REASON =
  'The OS keyring is turned off (AUTHBAR_KEYCHAIN=off): unset it to keep tokens in the keyring, or run with --no-vault to land the token in the gateway only.';

/** The vault for this environment: the OS keyring through @napi-rs/keyring, or none. */
export async function openVault(env: Env, platform: NodeJS.Platform = process.platform): Promise<Vault> {
  if (keychainOff(env)) return new NoVault(KEYCHAIN_OFF_REASON, { cause: 'off', detail: 'AUTHBAR_KEYCHAIN=off' });
  let keytar: KeytarLike;
  try {
    // Loaded on demand (a native addon): status and watch never load it.
    keytar = loadNative<KeytarLike>('@napi-rs/keyring/keytar.js');
  } catch (err) {
    const detail = err instanceof Error ? (err.message.split('\n')[0] ?? 'error') : 'error';
    return new NoVault(
      `The OS keyring library could not be loaded (${detail}): reinstall AuthBar, or run with --no-vault to land the token in the gateway only.`,
      { cause: 'unloadable', detail },
    );
  }
  return new KeyringVault(keytar, platform);
}
