/**
 * Names the window shows for kinds, statuses, sources and gateways.
 */
import type { ProfileView, SourceView } from '../../common/snapshot.js';
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
export const SOURCE_LABEL: Record<string, string> = {
  'claude-code': 'Claude Code',
  'codex-cli': 'Codex CLI',
  'qwen-code': 'Qwen Code',
  store: 'Agent store',
  vault: 'AuthBar vault',
};
export const GATEWAY_LABEL = { clawdbot: 'Clawdbot', openclaw: 'OpenClaw' } as const;
export const DATA_VIA_LABEL = {
  'json-files': "Clawdbot's JSON stores",
  sqlite: "OpenClaw's SQLite store (read-only)",
  'gateway-cli': 'the output of openclaw models status --json',
} as const;
export const SOURCE_STATUS_LABEL: Record<SourceView['status'], string> = {
  ok: 'OK',
  absent: 'Not installed',
  'logged-out': 'Logged out',
  invalid: 'Unreadable format',
  unreadable: 'Cannot read',
  unavailable: 'Unavailable',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? shown(source, 60);
}

export const SOURCE_NAME: Record<string, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
  'codex-cli': 'Codex CLI',
  qwen: 'Qwen Code',
  'qwen-code': 'Qwen Code',
};
