/**
 * A remote gateway host as the settings name it (`hosts: [{ name, ssh }]`), and the rules its
 * fields obey. Kept apart from the per-host report (common/hosts.ts), which carries a whole
 * snapshot schema: reading the settings must not load that on every `status --check`.
 */
import * as z from 'zod/mini';
import { HOST_NAME } from './host-name.js';

/** The name the local machine goes by in a multi-host report; no remote host may take it. */
export const LOCAL_HOST_NAME = 'this';

// The name rule lives in a zod-free module so the details window's bundle can use it.
export { HOST_NAME };

/**
 * What the user types after `ssh`: an alias from ~/.ssh/config, `host`, `user@host`,
 * `user@host:port` or `ssh://user@host:port`. Never an option (a leading `-` would be read by
 * ssh as one), never whitespace or control characters (it is one argv word and one menu line).
 */
export const SSH_TARGET = /^(?!-)[A-Za-z0-9._@:[\]%/+~-]{1,255}$/;

export function hostNameProblem(name: string): string | null {
  if (name === LOCAL_HOST_NAME) return `"${LOCAL_HOST_NAME}" names this machine in reports: pick another name`;
  return HOST_NAME.test(name)
    ? null
    : 'a host name is 1 to 32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';
}

export function sshTargetProblem(target: string): string | null {
  if (target.startsWith('-')) return 'an ssh destination cannot start with "-" (ssh would read it as an option)';
  return SSH_TARGET.test(target)
    ? null
    : 'an ssh destination is an alias from ~/.ssh/config or user@host[:port], without spaces or control characters';
}

/** An absolute path or a bare command name for `authbar` on the host, when its ssh PATH lacks it. */
export const REMOTE_PROGRAM = /^(?:\/[A-Za-z0-9._/+-]{1,255}|[A-Za-z0-9._+-]{1,64})$/;

export const HostEntry = z.strictObject({
  name: z.string().check(z.refine((n) => hostNameProblem(n) === null, { error: 'not a valid host name' })),
  ssh: z.string().check(z.refine((s) => sshTargetProblem(s) === null, { error: 'not a valid ssh destination' })),
  /** `authbar` on the host, when a non-interactive ssh shell does not find it on PATH. */
  authbar: z.optional(z.string().check(z.regex(REMOTE_PROGRAM))),
});
export type HostEntry = z.infer<typeof HostEntry>;

export const HostList = z.array(HostEntry).check(
  z.maxLength(50),
  z.refine((hosts) => new Set(hosts.map((h) => h.name)).size === hosts.length, { error: 'two hosts share a name' }),
);
