/**
 * Names the window shows for kinds and statuses. Sources and gateways are named by the
 * snapshot itself (the engine's registries put their labels in it), never by a table here.
 */
import type { ProfileView, Snapshot, SourceView } from '../../common/snapshot.js';
import { shown } from './text.js';

export const TYPE_LABEL: Record<ProfileView['type'], string> = {
  oauth: 'OAuth login',
  token: 'Setup token',
  api_key: 'API key',
};
export const STATUS_LABEL: Record<ProfileView['status'], string> = {
  ok: 'OK',
  expiring: 'Expiring',
  expired: 'Expired',
  missing: 'No expiry recorded',
  static: 'No expiry',
};
/** Where a profile's credential comes from when no source keeps it current: AuthBar's own words. */
const ORIGIN_LABEL: Record<string, string> = {
  store: 'Agent store',
  vault: 'AuthBar vault',
};
/** Where the profiles were read from, with the gateway named as the snapshot names it. */
export function dataViaLabel(gateway: Snapshot['gateway']): string {
  const name = gatewayLabel(gateway);
  switch (gateway.dataVia) {
    case 'json-files':
      return `${name}'s JSON stores`;
    case 'sqlite':
      return `${name}'s SQLite store (read-only)`;
    case 'gateway-cli':
      return `the output of ${name}'s own CLI (models status --json)`;
    case 'none':
      return `nothing: AuthBar cannot read ${name} on this Node`;
  }
}
export const SOURCE_STATUS_LABEL: Record<SourceView['status'], string> = {
  ok: 'OK',
  absent: 'Not installed',
  'logged-out': 'Logged out',
  invalid: 'Unreadable format',
  unreadable: 'Cannot read',
  unavailable: 'Unavailable',
};

/** A profile's source by the label the snapshot carries for it; its id (shown safely) when there is none. */
export function sourceLabel(source: string, snapshot: Pick<Snapshot, 'sources'>): string {
  const label = snapshot.sources.find((s) => s.id === source)?.label ?? ORIGIN_LABEL[source];
  return label !== undefined ? shown(label, 60) : shown(source, 60);
}

/** A gateway's name as the snapshot carries it; its kind when an older engine sent none. */
export function gatewayLabel(gateway: Snapshot['gateway']): string {
  return shown(gateway.name ?? gateway.kind, 40);
}
