/**
 * Adding one token: validate it, keep it in AuthBar's vault (the OS keyring), land it in the
 * gateway (Clawdbot: locked store writes; OpenClaw: `openclaw models auth paste-token`) and
 * record it in the state file. What `authbar token add`, `authbar setup-token` and the tray's
 * "Add token…" all do. Prints nothing: the result says what happened, and the callers word it.
 * No message in a result ever holds the secret.
 */
import { AuthBarError } from '../errors.js';
import type { DetectedGateway } from '../gateways/types.js';
import { checkProfileId, type Landing } from './land.js';
import { hostOf, type EngineDeps, type Host } from '../host.js';
import { systemClock } from '../ports.js';
import { fingerprint, maskSecret } from '../secrets/mask.js';
import { TOKEN_LIFETIME_MS } from './age.js';
import { readTokenState, statePath, updateTokenState, type TokenRecord } from './state.js';
import {
  checkProfileId as profileIdProblem,
  TOKEN_PROVIDERS,
  type ProfileIdProblem,
  type SecretKind,
  type SecretProblem,
} from '../../../common/rules.js';
import { checkSecret } from '../../../common/rules.js';
import { describeSecretProblem } from './secret.js';
import { openVault, type VaultProblem } from './vault.js';

export interface AddTokenInput {
  provider: string;
  secret: string;
  /** Default: `<provider>:setup-token` or `<provider>:api-key`, by the kind of secret. */
  profileId?: string | undefined;
  /** An explicit lifetime from now, in ms (`--expires-in`). */
  expiresInMs?: number | undefined;
  /** When the token was minted (captured by `authbar setup-token`). */
  mintedAt?: number | null | undefined;
  /** Keep it in the OS keyring (false: `--no-vault`, the gateway only). */
  vault: boolean;
}

export { TOKEN_PROVIDERS, type TokenProvider } from '../../../common/rules.js';

export type AddTokenRefusal =
  /** A provider not in TOKEN_PROVIDERS. */
  | 'bad-provider'
  /** The secret is not usable; `message` says precisely why. */
  | 'bad-secret'
  /** The profile id is malformed, of another provider, or one `authbar sync` owns. */
  | 'bad-profile-id'
  /** The vault was asked for and there is no usable OS keyring. */
  | 'keyring-unavailable'
  /** AuthBar's state file cannot be read (unparsable, invalid) or updated. */
  | 'state-file';

export type AddTokenResult =
  | {
      ok: true;
      record: TokenRecord;
      /** One per target (Clawdbot agent or `openclaw`); outcomes may include `failed`. */
      landings: Landing[];
      /** False when the same token was already kept and landed: nothing was written. */
      changed: boolean;
      gateway: Pick<DetectedGateway, 'kind' | 'stateDir'> & { label?: string };
      now: number;
    }
  | {
      ok: false;
      reason: AddTokenRefusal;
      /** One sentence (CLI wording: it may name a flag). */
      message: string;
      error: Error;
      /** For `bad-secret`: what is wrong with it (no CLI wording), e.g. "the setup token is too short by 3 characters …". */
      problem?: string;
      /** For `bad-secret`: the same, typed, for callers that word their own sentence. */
      secretProblem?: SecretProblem;
      /** For `bad-profile-id`: what is wrong with the id, typed, and the id and provider it was for. */
      profileIdProblem?: ProfileIdProblem;
      profileId?: string;
      provider?: string;
      /** For `keyring-unavailable`: what is wrong, for callers that word their own sentence. */
      keyring?: { cause: VaultProblem; detail: string };
    }
  | {
      ok: false;
      /** Landing threw (e.g. no `openclaw` command); the record says whether the vault kept it. */
      reason: 'not-landed';
      message: string;
      error: unknown;
      /** Recorded in the state file (kept in the vault, `sync` lands it later), or null: nothing kept. */
      record: TokenRecord | null;
    };

export function defaultProfileId(provider: string, kind: SecretKind): string {
  return `${provider}:${kind === 'setup-token' ? 'setup-token' : 'api-key'}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function refused(
  reason: AddTokenRefusal,
  error: Error,
  extra: {
    problem?: string;
    secretProblem?: SecretProblem;
    profileIdProblem?: ProfileIdProblem;
    profileId?: string;
    provider?: string;
    keyring?: { cause: VaultProblem; detail: string };
  } = {},
): AddTokenResult {
  return { ok: false, reason, message: error.message, error, ...extra };
}

/** Validates, stores and lands one secret. Throws only for what no caller can word (bugs). */
export async function addToken(deps: EngineDeps | Host, input: AddTokenInput): Promise<AddTokenResult> {
  const now = (deps.clock ?? systemClock).now();
  if (!(TOKEN_PROVIDERS as readonly string[]).includes(input.provider)) {
    return refused(
      'bad-provider',
      new AuthBarError(
        'usage',
        `AuthBar cannot add a token for provider "${input.provider.slice(0, 40)}": it takes ${TOKEN_PROVIDERS.join(', ')} tokens only`,
      ),
    );
  }
  const checked = checkSecret(input.secret);
  if (!checked.ok) {
    const problem = describeSecretProblem(checked.problem);
    return refused(
      'bad-secret',
      new AuthBarError('bad-secret', `The token read from stdin was not stored: ${problem}.`),
      { problem, secretProblem: checked.problem },
    );
  }
  const { secret, kind } = checked;
  const profileId = input.profileId ?? defaultProfileId(input.provider, kind);
  const idProblem = checkProfileId(profileId, input.provider);
  if (idProblem)
    return refused('bad-profile-id', new AuthBarError('usage', idProblem), {
      profileIdProblem: profileIdProblem(profileId, input.provider) ?? 'malformed',
      profileId,
      provider: input.provider,
    });
  const fp = fingerprint(secret);
  const host = await hostOf(deps);
  if (host.settingsRead.kind === 'error') throw host.settingsRead.error;
  const { settings, gateway } = host;
  const path = statePath(deps.env);
  const read = await readTokenState(path);
  if (read.kind === 'error') return refused('state-file', read.error);
  const previous = read.state.tokens[profileId];
  const same = previous !== undefined && previous.fingerprint === fp;
  const requestedMint = input.mintedAt ?? null;

  // The same token again keeps what was recorded the first time: nothing changes.
  const mintedAt = same ? previous.mintedAt : requestedMint;
  let expiresAt =
    same && previous.expiresAt !== null
      ? previous.expiresAt
      : input.expiresInMs !== undefined
        ? now + input.expiresInMs
        : requestedMint !== null && kind === 'setup-token'
          ? requestedMint + TOKEN_LIFETIME_MS
          : null;

  let inVault = false;
  let vaultWrote = false;
  if (input.vault) {
    const vault = await openVault(deps.env, deps.platform ?? process.platform);
    const check = await vault.check();
    if (!check.ok)
      return refused('keyring-unavailable', new AuthBarError('keyring-unavailable', check.reason), {
        keyring: { cause: check.cause ?? 'unreachable', detail: check.detail ?? 'unknown reason' },
      });
    try {
      const held = same && previous.inVault ? await vault.get(profileId) : null;
      if (held !== secret) {
        await vault.set(profileId, secret);
        vaultWrote = true;
      }
    } catch (err) {
      const error = err instanceof AuthBarError ? err : new AuthBarError('keyring-unavailable', messageOf(err));
      return refused('keyring-unavailable', error, {
        keyring: { cause: 'unreachable', detail: 'storing the token in it failed' },
      });
    }
    inVault = true;
  }

  let landings: Landing[];
  let landError: unknown = null;
  try {
    landings = await host.adapter.landToken(
      { env: deps.env, settings, now },
      { provider: input.provider, profileId, kind, secret, expiresAt },
      'always',
    );
  } catch (err) {
    // Kept in the vault but not landed: record it, so `token list` shows it and `sync` lands it later.
    landings = [];
    landError = err;
  }
  const landedIn = landings.filter((l) => l.outcome === 'written' || l.outcome === 'unchanged').map((l) => l.target);
  // OpenClaw dated the token by its own clock: record its date, so both say the same.
  const stored = landings.find((l) => typeof l.storedExpiresAt === 'number')?.storedExpiresAt;
  if (typeof stored === 'number' && expiresAt !== null && Math.abs(stored - expiresAt) < 10 * 60_000)
    expiresAt = stored;

  const record: TokenRecord = {
    provider: input.provider,
    profileId,
    kind,
    fingerprint: fp,
    masked: maskSecret(secret),
    addedAt: same ? previous.addedAt : now,
    mintedAt,
    expiresAt,
    inVault: inVault || (same && previous.inVault),
    landedIn: [...new Set([...(same ? previous.landedIn : []), ...landedIn])].sort(),
  };
  // Nothing holds it (no vault, not landed): nothing to record.
  if (landError !== null && !inVault && !same)
    return { ok: false, reason: 'not-landed', message: messageOf(landError), error: landError, record: null };
  let stateWrote: boolean;
  try {
    stateWrote = (
      await updateTokenState(path, (current) => ({
        next: { ...current, tokens: { ...current.tokens, [profileId]: record } },
        result: undefined,
      }))
    ).wrote;
  } catch (err) {
    if (err instanceof AuthBarError) return refused('state-file', err);
    throw err;
  }
  if (landError !== null)
    return { ok: false, reason: 'not-landed', message: messageOf(landError), error: landError, record };
  const changed = vaultWrote || stateWrote || landings.some((l) => l.outcome === 'written');
  return {
    ok: true,
    record,
    landings,
    changed,
    gateway: { kind: gateway.kind, label: gateway.label, stateDir: gateway.stateDir },
    now,
  };
}
