import type { Keychain, KeychainRead } from '../ports.js';

/** `security` exits 44 when the item is not in any keychain. */
const SECURITY_NOT_FOUND = 44;
/**
 * A read that the item's ACL allows answers in milliseconds. One that takes this long is
 * waiting on a Keychain dialog: in the background, give up rather than leave it up.
 */
const BACKGROUND_TIMEOUT_MS = 4_000;
const INTERACTIVE_TIMEOUT_MS = 120_000;

/**
 * The macOS Keychain through `/usr/bin/security`, the program Claude Code itself writes its
 * item with, so the item's ACL trusts it and the read is normally silent.
 */
export class SecurityCliKeychain implements Keychain {
  readonly name = 'security';
  constructor(
    private readonly securityPath = '/usr/bin/security',
    private readonly timeouts = { background: BACKGROUND_TIMEOUT_MS, interactive: INTERACTIVE_TIMEOUT_MS },
  ) {}

  readGenericPassword(service: string, account: string, opts: { interactive: boolean }): Promise<KeychainRead> {
    const timeout = opts.interactive ? this.timeouts.interactive : this.timeouts.background;
    // child_process (and the net stack behind it) is loaded only on the one platform that
    // uses it, keeping it off every Linux server's start-up.
    const { execFile } = process.getBuiltinModule('node:child_process');
    return new Promise((resolve) => {
      execFile(
        this.securityPath,
        ['find-generic-password', '-s', service, '-a', account, '-w'],
        { timeout, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 2 * 1024 * 1024 },
        (err, stdout) => {
          if (!err) {
            resolve({ kind: 'found', secret: decodeSecurityOutput(stdout) });
            return;
          }
          const e = err as Error & { code?: number | string; killed?: boolean };
          if (e.code === SECURITY_NOT_FOUND) resolve({ kind: 'not-found' });
          else if (e.killed)
            resolve({
              kind: 'unavailable',
              reason: 'the Keychain did not answer in time (it may be waiting for approval)',
            });
          else if (e.code === 'ENOENT')
            resolve({ kind: 'unavailable', reason: `${this.securityPath} is not installed` });
          else resolve({ kind: 'unavailable', reason: `security exited with code ${String(e.code)}` });
        },
      );
    });
  }
}

/**
 * `security -w` prints the password followed by a newline, or as bare hex when it holds
 * bytes that are not printable (e.g. a newline inside the JSON).
 */
export function decodeSecurityOutput(stdout: string): string {
  const line = stdout.replace(/\r?\n$/, '');
  if (/^(?:[0-9a-f]{2})+$/.test(line) && line.length >= 4) {
    const decoded = Buffer.from(line, 'hex').toString('utf8');
    if (decoded.trimStart().startsWith('{')) return decoded;
  }
  return line;
}
