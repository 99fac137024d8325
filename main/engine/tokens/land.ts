/**
 * Landing a token in the gateway: what every gateway's adapter takes and returns
 * (`adapter.landToken`). How each lands it is its own: Clawdbot by AuthBar's locked store
 * write (gateways/clawdbot/land.ts), OpenClaw only through its own CLI (gateways/openclaw/land.ts).
 */
import type { Env } from '../ports.js';
import { SOURCE_PROFILE_IDS } from '../sources/registry.js';
import type { Settings } from '../settings.js';
import type { SecretKind } from '../../../common/token-rules.js';

export interface TokenToLand {
  provider: string;
  profileId: string;
  kind: SecretKind;
  secret: string;
  /** Epoch ms, or null when nobody knows. */
  expiresAt: number | null;
}

/** `always`: the user handed this token in now. `missing-or-older`: sync fills gaps only. */
export type LandPolicy = 'always' | 'missing-or-older';

/** Why a landing was skipped, for front ends to branch on (the detail words it). */
export type LandingSkip =
  /** A Clawdbot agent without a store yet: Clawdbot copies main's into it on first use. */
  | 'no-store-yet'
  /** No gateway state dir: AuthBar never creates one. */
  | 'no-state-dir'
  /** The profile id holds an OAuth login there. */
  | 'holds-oauth'
  /** Sync only: the gateway holds another credential that is not older than the vault's. */
  | 'not-older'
  /** A dry run: it would land. */
  | 'dry-run';

export interface Landing {
  /** A Clawdbot agent id, or the gateway's kind when it keeps one store (`openclaw`). */
  target: string;
  /** The target in words (`agent main`, `OpenClaw`); always set by the engine. */
  label?: string;
  outcome: 'written' | 'unchanged' | 'skipped' | 'failed';
  /** Set with `skipped`. */
  skip?: LandingSkip;
  /** One sentence for `skipped` / `failed`; never holds the secret. */
  detail: string | null;
  /**
   * The expiry the gateway stored, when it computed it itself (OpenClaw turns
   * `--expires-in` into a date by its own clock, a few seconds after AuthBar's).
   */
  storedExpiresAt?: number | null;
}

export interface LandDeps {
  env: Env;
  settings: Pick<Settings, 'agents' | 'gatewayCli'>;
  now: number;
  /** The clock at the moment of spawning a gateway CLI (defaults to Date.now). */
  clock?: () => number;
}

/** Profile ids AuthBar's own sync owns: a handed-in token must not take their place. */
const RESERVED = SOURCE_PROFILE_IDS;

export function checkProfileId(profileId: string, provider: string): string | null {
  if (!/^[A-Za-z0-9._-]+:[A-Za-z0-9._@-]+$/.test(profileId))
    return `--profile-id must look like ${provider}:<name> (letters, digits, . _ - @)`;
  if (!profileId.startsWith(`${provider}:`)) return `--profile-id must start with "${provider}:"`;
  if (RESERVED.has(profileId))
    return `${profileId} is kept in step with its own login by \`authbar sync\`: choose another --profile-id`;
  return null;
}

/** The detail a sync gives when the gateway's copy is not older than the vault's. */
export function notOlderDetail(profileId: string): string {
  return `${profileId} there holds another credential that is not older than the vault's; left alone`;
}
