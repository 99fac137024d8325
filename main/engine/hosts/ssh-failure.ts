/**
 * Why an ssh run failed, read from its exit code and what ssh printed: a typed state with one
 * sentence and, where there is one, the exact command that fixes it. ssh exits 255 for its own
 * errors; anything else is the remote command's exit (127: the shell found no such command).
 * ssh's lines come from the remote side too, so they are trimmed and shown only escaped.
 */
import { spawnSync } from 'node:child_process';
import type { HostState } from '../../../common/hosts.js';
import type { Env } from '../ports.js';
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

/**
 * The name the target's key is kept under in known_hosts, as ssh's own config resolves it
 * (`ssh -G`: no network; `[addr]:port` off port 22, or a HostKeyAlias). Null if ssh cannot say.
 */
export function knownHostsName(target: SshTarget, env: Env, ssh = 'ssh'): string | null {
  const port = target.port === null ? [] : ['-p', String(target.port)];
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const r = spawnSync(ssh, ['-G', ...port, '--', target.destination], {
    env: defined,
    encoding: 'utf8',
    timeout: 5_000,
  });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const get = (key: string) => new RegExp(`^${key} (\\S+)$`, 'm').exec(r.stdout)?.[1];
  const alias = get('hostkeyalias');
  if (alias !== undefined && alias !== 'none') return alias;
  const host = get('hostname');
  const p = get('port');
  if (host === undefined) return null;
  return p === undefined || p === '22' ? host : `[${host}]:${p}`;
}

/**
 * `knownName`: where the target's key is kept (knownHostsName). The lines read here may come
 * from the remote command too (its stderr is ssh's), so a host could print a fake "Host key for
 * github.com has changed": the fix then removes the entry ssh's config names, never the one printed.
 */
export function classifySshFailure(
  target: SshTarget,
  hostName: string,
  exit: { code: number | null; signal: string | null; timedOutAfterS?: number },
  stderr: string,
  program = 'authbar',
  knownName?: () => string | null,
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
    const printed = named !== undefined && /^[\w.:[\]-]+$/.test(named) ? named : target.hostname;
    const entry = knownName ? (knownName() ?? target.hostname) : printed;
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
