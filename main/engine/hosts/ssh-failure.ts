/**
 * Why an ssh run failed, read from its exit code and what ssh printed: a typed state with one
 * sentence and, where there is one, the exact command that fixes it. ssh exits 255 for its own
 * errors; anything else is the remote command's exit (127: the shell found no such command).
 * ssh's lines come from the remote side too, so they are trimmed and shown only escaped.
 */
import type { HostState } from '../../../common/hosts.js';
import { shellQuote } from '../../../common/shell.js';
import { interactiveSshCommand, type SshTarget } from './ssh-target.js';

export interface SshFailure {
  state: Exclude<HostState, 'ok' | 'connecting' | 'incompatible'>;
  message: string;
  fix: string | null;
}

/** How to put AuthBar on a host; printed where a host has none. */
export const INSTALL_AUTHBAR =
  'install AuthBar there (from its source: `npm install && npm run build && npm link`), or give its path with `--authbar PATH` when `hosts add`';

/** The last line ssh printed that says something (its errors come last), at most 200 characters. */
export function lastSshLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^@+$/.test(l) && !l.startsWith('Warning: Permanently added'));
  const line = lines[lines.length - 1] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function classifySshFailure(
  target: SshTarget,
  hostName: string,
  exit: { code: number | null; signal: string | null; timedOutAfterS?: number },
  stderr: string,
  program = 'authbar',
): SshFailure {
  const reach = interactiveSshCommand(target);
  if (exit.timedOutAfterS !== undefined)
    return {
      state: 'unreachable',
      message: `${hostName} did not answer within ${exit.timedOutAfterS} s`,
      fix: `${reach} (to see whether it answers)`,
    };
  if (
    exit.code === 127 ||
    (exit.code !== 255 && /command not found|not found$|No such file or directory/m.test(stderr))
  )
    return {
      state: 'no-authbar',
      message: `${hostName} has no \`${program}\` on the PATH a non-interactive ssh session gets`,
      fix: INSTALL_AUTHBAR,
    };
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed|host key .* has changed/i.test(stderr)) {
    // known_hosts keys the entry by what ssh resolved (`[127.0.0.1]:2222` for an alias), and ssh names it.
    const named = /Host key for (\S{1,300}) has changed/.exec(stderr)?.[1];
    const entry = named !== undefined && /^[\w.:[\]-]+$/.test(named) ? named : target.hostname;
    return {
      state: 'host-key',
      message: `the host key of ${hostName} (${entry}) has changed since it was accepted: that happens when a server is reinstalled, and also when someone intercepts the connection`,
      fix: `ssh-keygen -R ${shellQuote(entry)} && ${reach}   (check the new key's fingerprint before you answer yes)`,
    };
  }
  if (/Host key verification failed|No .*host key is known|host key is not known/i.test(stderr))
    return {
      state: 'host-key',
      message: `${hostName}'s host key is not known yet, and AuthBar never accepts one on its own`,
      fix: `${reach}   (check the key's fingerprint, answer yes, then AuthBar connects)`,
    };
  if (/Permission denied|Too many authentication failures|no mutual signature|Authentication failed/i.test(stderr))
    return {
      state: 'auth',
      message: `ssh reached ${hostName} but was not let in: AuthBar needs a key that works without a prompt (loaded in ssh-agent, or without a passphrase)`,
      fix: `ssh-add; ${reach}`,
    };
  const said = lastSshLine(stderr);
  const why =
    exit.code === 255
      ? said !== ''
        ? said
        : 'ssh could not connect'
      : exit.signal
        ? `the connection ended (${exit.signal})`
        : `the remote command ended with exit code ${String(exit.code)}${said ? `: ${said}` : ''}`;
  return { state: 'unreachable', message: `${hostName} is unreachable: ${why}`, fix: `${reach} (to see why)` };
}
