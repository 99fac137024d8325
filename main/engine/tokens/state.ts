/**
 * AuthBar's own state file: non-secret facts about tokens — what the vault holds (provider,
 * profile id, fingerprint, masked form, when added / minted, expiry, where it landed) and
 * when AuthBar first saw each token it found in a gateway (by fingerprint). Never a secret.
 *
 * Location: `$AUTHBAR_STATE`, else `state.json` beside the settings file
 * (`~/.config/authbar/state.json` by default). 0600, written atomically under a lock; a file
 * that does not parse is reported and never overwritten.
 */
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic.js';
import { AuthBarError, isNodeError } from '../errors.js';
import { readJsonFile, MiB } from '../fs/jsonfile.js';
import { expandUserPath, resolvePaths } from '../paths.js';
import type { Env } from '../ports.js';
import { describeIssues } from '../schemas.js';

const epochMs = z.number().check(z.refine(Number.isFinite, 'must be a finite number of epoch milliseconds'));

export const TokenRecord = z.object({
  provider: z.string().check(z.minLength(1)),
  profileId: z.string().check(z.minLength(1)),
  kind: z.enum(['setup-token', 'api-key']),
  /** First 12 hex of SHA-256: tells two tokens apart without holding either. */
  fingerprint: z.string().check(z.regex(/^[0-9a-f]{12}$/)),
  masked: z.string(),
  addedAt: epochMs,
  /** When it was minted (captured by `authbar setup-token`), else null. */
  mintedAt: z.nullable(epochMs),
  /** The expiry AuthBar gave the gateway (`--expires-in`, or minted + 1 year), else null. */
  expiresAt: z.nullable(epochMs),
  /** True when the secret sits in the OS keyring (false after `--no-vault`). */
  inVault: z.boolean(),
  /** Where it landed: Clawdbot agent ids, or `openclaw`. */
  landedIn: z.array(z.string()),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

export const TokenState = z.object({
  version: z.literal(1),
  /** Tokens handed to AuthBar, by profile id. */
  tokens: z._default(z.record(z.string(), TokenRecord), {}),
  /** When AuthBar first saw each token in a gateway store, by fingerprint. */
  firstSeen: z._default(z.record(z.string(), epochMs), {}),
});
export type TokenState = z.infer<typeof TokenState>;

export const EMPTY_STATE: TokenState = { version: 1, tokens: {}, firstSeen: {} };

export const STATE_LABEL = 'AuthBar state file';
const STATE_REMEDY =
  'fix it, or move it aside (AuthBar then forgets when it first saw each token and which tokens its vault holds; the vault itself is untouched)';

/** `$AUTHBAR_STATE`, else `state.json` beside the settings file. */
export function statePath(env: Env): string {
  const paths = resolvePaths(env);
  const raw = env['AUTHBAR_STATE'];
  return raw !== undefined && raw.trim() !== ''
    ? expandUserPath(raw, paths.home)
    : join(dirname(paths.settings), 'state.json');
}

export type StateRead = { kind: 'ok'; state: TokenState; exists: boolean } | { kind: 'error'; error: AuthBarError };

export async function readTokenState(path: string): Promise<StateRead> {
  const read = await readJsonFile(path, { label: STATE_LABEL, remedy: STATE_REMEDY, maxBytes: 4 * MiB });
  if (read.kind === 'missing') return { kind: 'ok', state: EMPTY_STATE, exists: false };
  if (read.kind === 'error') return { kind: 'error', error: read.error };
  const parsed = TokenState.safeParse(read.value);
  if (!parsed.success) {
    return {
      kind: 'error',
      error: new AuthBarError(
        'invalid',
        `The ${STATE_LABEL} ${path} is not valid (${describeIssues(parsed.error)}): ${STATE_REMEDY}.`,
        path,
      ),
    };
  }
  return { kind: 'ok', state: parsed.data, exists: true };
}

function serialize(state: TokenState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

/**
 * Locked read-modify-write of the state file. `update` returns the new state, or null to
 * leave the file alone; an unchanged state is not rewritten.
 */
export async function updateTokenState<T>(
  path: string,
  update: (current: TokenState) => { next: TokenState | null; result: T },
): Promise<{ wrote: boolean; state: TokenState; result: T }> {
  await ensurePrivateDir(dirname(path));
  const lockfile = (await import('proper-lockfile')).default;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      stale: 30_000,
      realpath: false,
      retries: { retries: 10, factor: 2, minTimeout: 50, maxTimeout: 2_000 },
    });
  } catch (err) {
    throw new AuthBarError(
      'lock-failed',
      `Could not update the ${STATE_LABEL} ${path}: its lock could not be taken (${isNodeError(err) ? err.code : 'error'}); try again.`,
      path,
    );
  }
  try {
    const read = await readTokenState(path);
    if (read.kind === 'error') throw read.error;
    const { next, result } = update(read.state);
    if (next === null) return { wrote: false, state: read.state, result };
    const text = serialize(next);
    if (read.exists && text === serialize(read.state)) return { wrote: false, state: read.state, result };
    await writeFileAtomic(path, text, 0o600);
    return { wrote: true, state: next, result };
  } finally {
    await release().catch(() => undefined);
  }
}

/** The vault record holding this token, by fingerprint. */
export function recordByFingerprint(state: TokenState, fp: string): TokenRecord | undefined {
  return Object.values(state.tokens).find((t) => t.fingerprint === fp);
}
