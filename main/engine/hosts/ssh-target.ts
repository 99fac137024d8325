/**
 * What the user typed after `ssh`, as ssh's own argv: `user@host:port` is a common way to write
 * a destination that ssh itself does not read (it takes `-p port` or `ssh://user@host:port`),
 * so the port is split off here. An alias from ~/.ssh/config stays as it is, for ssh to resolve.
 */
import { sshTargetProblem } from '../../../common/host-entry.js';

export interface SshTarget {
  /** What the user typed (shown in messages and fixes). */
  readonly spec: string;
  /** The destination word ssh takes (alias, host, user@host or an ssh:// URI). */
  readonly destination: string;
  /** A port given as `:port`, else null (ssh's config or 22 decide). */
  readonly port: number | null;
  /** The host part alone (for `ssh-keygen -R`), without user or port. */
  readonly hostname: string;
}

export function parseSshTarget(spec: string): SshTarget {
  const problem = sshTargetProblem(spec);
  if (problem !== null) throw new Error(problem);
  if (spec.startsWith('ssh://')) {
    const url = new URL(spec);
    return { spec, destination: spec, port: null, hostname: url.hostname.replace(/^\[|\]$/g, '') };
  }
  const m = /^(?:([^@]+)@)?([^@:]+):(\d{1,5})$/.exec(spec);
  if (m) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) throw new Error(`the port in "${spec}" is not between 1 and 65535`);
    const [, user, host] = m as unknown as [string, string | undefined, string];
    return { spec, destination: user ? `${user}@${host}` : host, port, hostname: host };
  }
  const at = spec.lastIndexOf('@');
  return { spec, destination: spec, port: null, hostname: at === -1 ? spec : spec.slice(at + 1) };
}

/** The command a user runs in a terminal to reach the host themselves (to accept a key, to check). */
export function interactiveSshCommand(target: SshTarget): string {
  return target.port === null ? `ssh ${target.destination}` : `ssh -p ${target.port} ${target.destination}`;
}
