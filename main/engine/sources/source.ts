/** What every source shares: the descriptor the registry lists, and the shape of one read. */
import type { AuthBarError } from '../errors.js';
import type { Paths } from '../paths.js';
import type { Env, Keychain } from '../ports.js';
import type { OAuthCredential, TokenCredential } from '../schemas.js';

export type SourceId = 'claude-code' | 'codex-cli' | 'qwen-code';

/**
 * `absent`: no file or item; `logged-out`: the file exists without a login in it;
 * `invalid`/`unreadable`: the file is broken; `unavailable`: the keychain would not answer.
 */
export type SourceStatus = 'ok' | 'absent' | 'logged-out' | 'invalid' | 'unreadable' | 'unavailable';

export interface SourceRead {
  id: SourceId;
  kind: 'file' | 'keychain';
  /** File path, or `keychain:<service>` for a Keychain item. */
  location: string;
  status: SourceStatus;
  profileId: string;
  credential?: OAuthCredential | TokenCredential;
  /** Where the expiry came from when it is not stored as such (Codex: JWT or guess). */
  expirySource?: 'stored' | 'jwt' | 'mtime';
  mtimeMs?: number;
  error?: string;
  /** Facts worth showing that are not secrets. */
  detail?: { scopes?: string[]; subscriptionType?: string };
}

export interface SourceContext {
  paths: Paths;
  env: Env;
  platform: NodeJS.Platform;
  keychain: Keychain;
  now: number;
  /** True only when a user's click asked for this read. */
  interactive: boolean;
}

/** A file that is there but damaged is `invalid`; one that cannot be read at all, `unreadable`. */
export function statusOfReadError(error: AuthBarError): SourceStatus {
  return error.code === 'unparsable' || error.code === 'too-large' ? 'invalid' : 'unreadable';
}

/** What the registry knows of one source: a program whose login AuthBar reads. */
export interface SourceDescriptor {
  /** `claude-code`, `codex-cli`, `qwen-code`. */
  readonly id: string;
  /** Display name: `Claude Code`. */
  readonly label: string;
  /** The profile id its login takes in a gateway that copies it. */
  readonly profileId: string;
  /** The provider of that profile. */
  readonly provider: string;
  /** The command that logs it in again: `claude`, `codex login`. */
  readonly fix: string;
  /** The same, as a phrase a notice ends with: `log in again with claude (then /login)`. */
  readonly loginPhrase: string;
  /** Gateway kinds whose sync copies this login (OpenClaw copies none). */
  readonly usedBy: readonly string[];
  /** Reads the login as it stands now. */
  read(ctx: SourceContext): Promise<SourceRead>;
}
