/**
 * Which gateway runs on this host (DESIGN §2b). The contract the rest of the engine uses;
 * the OpenClaw adapter work fills in the detection rules. Until then: Clawdbot, unless
 * `AUTHBAR_GATEWAY` says otherwise.
 */
import type { Env } from '../ports.js';
import { resolvePaths } from '../paths.js';
import type { GatewayKind } from '../snapshot.js';

export interface DetectedGateway {
  kind: GatewayKind;
  stateDir: string;
  configPath: string;
  /** One sentence: how it was detected. */
  detectedBy: string;
  /** Set when both gateways were found: which one was not chosen and why. */
  note: string | null;
}

export function detectGateway(env: Env): DetectedGateway {
  const paths = resolvePaths(env);
  const forced = (env['AUTHBAR_GATEWAY'] ?? '').trim().toLowerCase();
  if (forced === 'openclaw') {
    return { kind: 'openclaw', stateDir: paths.stateDir, configPath: paths.clawdbotConfig, detectedBy: 'AUTHBAR_GATEWAY=openclaw', note: null };
  }
  return { kind: 'clawdbot', stateDir: paths.stateDir, configPath: paths.clawdbotConfig, detectedBy: forced === 'clawdbot' ? 'AUTHBAR_GATEWAY=clawdbot' : 'the default', note: null };
}
