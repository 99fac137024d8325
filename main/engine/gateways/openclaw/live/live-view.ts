// Placeholder until the live view lands (replaced by the real module in the same change).
import type { LiveView, Snapshot } from '../../../../../common/snapshot.js';
import type { AuthStatusPayload } from './auth-status.js';
export function liveView(
  _payload: AuthStatusPayload,
  _files: Snapshot,
  ctx: { url: string; version: string | null; checkedAt: number; agentId: string | null },
): LiveView {
  return {
    state: 'connected',
    reasonCode: null,
    message: null,
    fix: null,
    checkedAt: ctx.checkedAt,
    gateway: { url: ctx.url, version: ctx.version },
    providers: [],
    disagreements: [],
  };
}
