/**
 * Remote gateway hosts (reached over the system's OpenSSH client): the report every front end
 * shows per host (the settings entry and its rules are in host-entry.ts, re-exported here).
 * Pure and shared by main (engine, CLI, app), preload and renderer.
 */
import * as z from 'zod/mini';
import { LiveView } from './live.js';
import { Snapshot } from './snapshot.js';

export * from './host-entry.js';

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
