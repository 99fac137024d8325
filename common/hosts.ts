/**
 * Remote gateway hosts (reached over the system's OpenSSH client): the settings entry, the
 * rules its fields obey, and the report every front end shows per host. Pure and shared by
 * main (engine, CLI, app), preload and renderer.
 */
import * as z from 'zod/mini';
import { LiveView } from './live.js';
import { Snapshot } from './snapshot.js';
import { HOST_NAME } from './host-name.js';

/** The name the local machine goes by in a multi-host report; no remote host may take it. */
export const LOCAL_HOST_NAME = 'this';

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

/**
 * A host's connection state:
 * - `ok`: heard from; its snapshot is current.
 * - `connecting`: not heard from yet since the app started (never shown as healthy).
 * - `unreachable`: ssh could not reach it, or the connection dropped, or it stopped answering.
 * - `host-key`: its host key is unknown or changed: the user checks and accepts it with `ssh`.
 * - `auth`: ssh reached it but was not let in (keys, agent).
 * - `no-authbar`: reached, but `authbar` is not on the host (or not where it was said to be).
 * - `incompatible`: the host's AuthBar speaks another version of the watch protocol.
 */
export const HOST_STATES = [
  'ok',
  'connecting',
  'unreachable',
  'host-key',
  'auth',
  'no-authbar',
  'incompatible',
] as const;
export const HostStateSchema = z.enum(HOST_STATES);
export type HostState = z.infer<typeof HostStateSchema>;

export const HostReport = z.object({
  name: z.string(),
  /** The ssh destination; null for this machine. */
  ssh: z.nullable(z.string()),
  state: HostStateSchema,
  /** Since when the state holds (epoch ms): "unreachable since 14:02"; null when unknown. */
  since: z.nullable(z.number()),
  /** When the host was last heard from (epoch ms), null if never. */
  lastSeenAt: z.optional(z.nullable(z.number())),
  /** The host's AuthBar version, once known. */
  authbarVersion: z.nullable(z.string()),
  /** One sentence for a state other than ok: what happened. */
  message: z.optional(z.nullable(z.string())),
  /** The exact command that fixes it, when there is one (run it in a terminal). */
  fix: z.optional(z.nullable(z.string())),
  /** The host's last snapshot (kept while unreachable, marked by the state); null if none yet. */
  snapshot: z.nullable(Snapshot),
  /**
   * An OpenClaw host without AuthBar: the running gateway's own view, asked through a port
   * forwarded over the same ssh connection (null when not asked or not OpenClaw).
   */
  live: z.optional(z.nullable(LiveView)),
});
export type HostReport = z.infer<typeof HostReport>;

/** `authbar status --json --all-hosts`. */
export const AllHostsReport = z.object({ this: z.string(), hosts: z.array(HostReport) });
export type AllHostsReport = z.infer<typeof AllHostsReport>;

/** The watch protocol a remote `authbar watch --json` speaks (its first line, `hello`). */
export const WATCH_PROTOCOL = 1;
