/**
 * The ports the engine depends on instead of globals, so tests and the long-running
 * app can replace each one.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Result of asking an OS keychain for a generic password. */
export type KeychainRead =
  { kind: 'found'; secret: string } | { kind: 'not-found' } | { kind: 'unavailable'; reason: string };

/**
 * An OS keychain. `interactive` is true only when a user's click asked for the read:
 * background work must never cause a prompt.
 */
export interface Keychain {
  readonly name: string;
  readGenericPassword(service: string, account: string, opts: { interactive: boolean }): Promise<KeychainRead>;
}

export const noKeychain: Keychain = {
  name: 'off',
  readGenericPassword: async () => ({ kind: 'unavailable', reason: 'the keychain is turned off' }),
};
