/**
 * The contract between the details window and the main process (DESIGN §4), as ONE map:
 * channel → zod arguments and result. The main process's handlers and their registration
 * (main/app/ipc.ts), the preload bridge (preload/preload.ts) and the window's
 * `window.authbar` type are all derived from it, so a channel cannot be added, renamed or
 * retyped on one side only. The window is untrusted: arguments are bounded, enums closed, ids
 * that end up in paths or argv matched by the shared rules. Nothing secret is sent back:
 * snapshots carry masked secrets only.
 */
import * as z from 'zod/mini';
import { AGENT_ID, EXPIRES_IN_MAX_DAYS, PROFILE_ID, SECRET_MAX_LENGTH, TOKEN_PROVIDERS } from './rules.js';
import {
  HOSTS_CHANNEL,
  INVOKE_CHANNELS as C,
  INVOKE_NAMES,
  SNAPSHOT_CHANNEL,
  type InvokeName,
} from './ipc-channels.js';
import { HOST_NAME, HostReport } from './hosts.js';
import { Settings, SettingsPatch } from './settings.js';
import { Snapshot } from './snapshot.js';

/** Every command answers with ok or one sentence saying what went wrong (never a secret). */
export const CommandResult = z.union([
  z.object({ ok: z.literal(true), message: z.string() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type CommandResult = z.infer<typeof CommandResult>;

/**
 * What `addToken` takes: the secret goes main-ward only and is never sent back. Its shape only
 * (the window checked it, and the engine words what is wrong with it): at least the length of
 * the shortest prefix, printable ASCII without spaces.
 */
export const AddTokenRequest = z
  .strictObject({
    provider: z.enum(TOKEN_PROVIDERS),
    token: z.string().check(z.minLength(20), z.maxLength(SECRET_MAX_LENGTH), z.regex(/^[\x21-\x7e]+$/)),
    profileId: z.optional(z.string().check(z.regex(PROFILE_ID))),
    expiresInDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(EXPIRES_IN_MAX_DAYS))),
  })
  .check(
    z.refine((r) => r.profileId === undefined || r.profileId.startsWith(`${r.provider}:`), {
      message: 'the profile id must start with the provider',
      path: ['profileId'],
    }),
  );
export type AddTokenRequest = z.infer<typeof AddTokenRequest>;

export const AgentId = z.string().check(z.regex(AGENT_ID));
export const HostName = z.string().check(z.regex(HOST_NAME));
/** What the window is sent about the remote hosts (bounded like the settings' list). */
export const HostReports = z.array(HostReport).check(z.maxLength(50));

const none = z.tuple([]);

/** The invoke channels: `window.authbar.<name>(...args)` → `ipcRenderer.invoke(channel, ...args)`. */
export const INVOKE = {
  getSnapshot: { channel: C.getSnapshot, args: none, result: z.nullable(Snapshot) },
  resync: { channel: C.resync, args: none, result: CommandResult },
  openSetupToken: { channel: C.openSetupToken, args: none, result: CommandResult },
  addToken: { channel: C.addToken, args: z.tuple([AddTokenRequest]), result: CommandResult },
  revealStore: { channel: C.revealStore, args: z.tuple([AgentId]), result: CommandResult },
  getSettings: { channel: C.getSettings, args: none, result: Settings },
  setSettings: { channel: C.setSettings, args: z.tuple([SettingsPatch]), result: CommandResult },
  getHosts: { channel: C.getHosts, args: none, result: HostReports },
  /** "Renew token on vps…": a terminal running `authbar setup-token --host vps` (a configured host only). */
  renewOnHost: { channel: C.renewOnHost, args: z.tuple([HostName]), result: CommandResult },
} as const satisfies { [N in InvokeName]: { channel: (typeof C)[N]; args: unknown; result: unknown } };

/** The push channels: main → window, `window.authbar.onSnapshot(cb)`. */
export const SNAPSHOT_EVENT = { channel: SNAPSHOT_CHANNEL, payload: Snapshot } as const;
/** main → window, `window.authbar.onHosts(cb)`: every remote host's report. */
export const HOSTS_EVENT = { channel: HOSTS_CHANNEL, payload: HostReports } as const;

export { INVOKE_NAMES, type InvokeName };

/** The arguments of a channel, as parsed (what a handler receives). */
export type InvokeArgs<N extends InvokeName> = z.output<(typeof INVOKE)[N]['args']>;
/** The arguments of a channel, as the window sends them. */
export type InvokeInput<N extends InvokeName> = z.input<(typeof INVOKE)[N]['args']>;
export type InvokeResult<N extends InvokeName> = z.output<(typeof INVOKE)[N]['result']>;

/** What the main process implements: one handler per invoke channel. */
export type InvokeHandlers = {
  [N in InvokeName]: (...args: InvokeArgs<N>) => InvokeResult<N> | Promise<InvokeResult<N>>;
};

/** `window.authbar`: each invoke channel as a method, plus the snapshot and hosts subscriptions. Nothing else. */
export type AuthBarBridge = {
  [N in InvokeName]: (...args: InvokeInput<N>) => Promise<InvokeResult<N>>;
} & {
  /** Calls `cb` with each snapshot the main process pushes; returns the unsubscribe. */
  onSnapshot(cb: (snapshot: Snapshot) => void): () => void;
  /** Calls `cb` with the hosts' reports each time the main process pushes them; returns the unsubscribe. */
  onHosts(cb: (hosts: HostReport[]) => void): () => void;
};

/** Names the fields that failed, never their values (a refused token must not echo back). */
export function describeRefusal(error: z.core.$ZodError): string {
  const fields = [
    ...new Set(error.issues.map((i) => i.path.filter((p) => typeof p !== 'number').join('.') || 'arguments')),
  ];
  return fields.join(', ');
}

/** Channel names by method, and `snapshot` for the push channel (tests and logs address channels by these). */
export const CHANNELS = { ...C, snapshot: SNAPSHOT_CHANNEL, hosts: HOSTS_CHANNEL } as const;
