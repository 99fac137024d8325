/**
 * The IPC channel names, free of zod so the preload bundle stays small: the contract
 * (ipc-contract.ts) gives each its argument and result schemas and checks at compile time that
 * it covers exactly these.
 */
export const INVOKE_CHANNELS = {
  getSnapshot: 'authbar:get-snapshot',
  resync: 'authbar:resync',
  openSetupToken: 'authbar:open-setup-token',
  addToken: 'authbar:add-token',
  revealStore: 'authbar:reveal-store',
  getSettings: 'authbar:get-settings',
  setSettings: 'authbar:set-settings',
  getHosts: 'authbar:get-hosts',
  renewOnHost: 'authbar:renew-on-host',
} as const;

/** main → window: each new snapshot. */
export const SNAPSHOT_CHANNEL = 'authbar:snapshot';

/** main → window: every remote host's report, each time one changes. */
export const HOSTS_CHANNEL = 'authbar:hosts';

export type InvokeName = keyof typeof INVOKE_CHANNELS;
export const INVOKE_NAMES = Object.keys(INVOKE_CHANNELS) as InvokeName[];
