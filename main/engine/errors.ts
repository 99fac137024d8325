/**
 * Errors the engine reports to its callers. Every message is one plain sentence that
 * names the file or step and what to do; none ever carries a secret.
 */
export type AuthBarErrorCode =
  | 'unparsable'
  | 'invalid'
  | 'unreadable'
  | 'too-large'
  | 'not-a-file'
  | 'lock-failed'
  | 'write-failed'
  | 'keychain'
  | 'config'
  | 'usage'
  /** No OS keyring to keep a secret in (no Secret Service, locked, or AUTHBAR_KEYCHAIN=off). */
  | 'keyring-unavailable'
  /** The gateway's own CLI is missing or refused to take a token. */
  | 'gateway-cli'
  /** A secret handed in (stdin, `claude setup-token`) is not usable. */
  | 'bad-secret';

export class AuthBarError extends Error {
  readonly code: AuthBarErrorCode;
  readonly path: string | undefined;
  /** The file system refused by owner or permission: running the same step again cannot help. */
  readonly denied: boolean;

  constructor(code: AuthBarErrorCode, message: string, path?: string, opts: { denied?: boolean } = {}) {
    super(message);
    this.name = 'AuthBarError';
    this.code = code;
    this.path = path;
    this.denied = opts.denied ?? false;
  }
}

/**
 * The code a failed step reports in a snapshot (`AgentView.sync.errorCode`): the error's own,
 * `not-permitted` for a refusal by owner or permission, `unexpected` for anything else.
 */
export function errorCodeOf(err: unknown): string {
  if (err instanceof AuthBarError) return err.denied ? 'not-permitted' : err.code;
  if (isNodeError(err) && (err.code === 'EACCES' || err.code === 'EPERM')) return 'not-permitted';
  return 'unexpected';
}

export function isNodeError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

export function describeError(err: unknown): string {
  if (err instanceof AuthBarError) return err.message;
  // A file-system error no path above mapped: still one sentence, without Node's wording.
  if (isNodeError(err) && /^E[A-Z]+$/.test(err.code ?? '')) {
    const on = err.path ? ` on ${err.path}` : '';
    return `A file operation (${err.syscall ?? 'unknown'})${on} failed with ${err.code}: check that path and its permissions, then run the command again.`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
