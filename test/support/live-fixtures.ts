/**
 * A realistic `snapshot.live` (what OpenClaw 2026.9.6's `models.authStatus` gives, as the
 * engine maps it) for the CLI, menu and window tests: connected, Claude with a 5-hour, a
 * weekly and an Opus window. Parsed by the real schema, so it stays what the engine can send.
 */
import { LiveView, type LiveProviderView } from '../../common/snapshot.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function claudeProvider(now: number, over: Partial<LiveProviderView> = {}): LiveProviderView {
  return {
    provider: 'anthropic',
    displayName: 'Claude',
    status: 'ok',
    expiresAt: null,
    profiles: [{ profileId: 'anthropic:claude-cli', status: 'ok', type: 'oauth', reasonCode: null, expiresAt: null }],
    usage: [
      { label: '5h', usedPercent: 42, resetsAt: now + 2 * HOUR },
      { label: 'Week', usedPercent: 18, resetsAt: now + 3 * DAY + 4 * HOUR },
      { label: 'Opus', usedPercent: 63, resetsAt: now + 3 * DAY + 4 * HOUR },
    ],
    plan: 'Max',
    usageNote: null,
    ...over,
  };
}

export function liveView(now: number, over: Partial<LiveView> = {}): LiveView {
  return LiveView.parse({
    state: 'connected',
    reasonCode: null,
    message: null,
    fix: null,
    checkedAt: now - MIN,
    gateway: { url: 'ws://127.0.0.1:18789', version: '2026.9.6' },
    agentId: null,
    providers: [claudeProvider(now)],
    disagreements: [],
    ...over,
  });
}

/** The gateway's states that are not an answer, as the client reports them. */
export function liveProblemView(now: number, state: 'not-running' | 'refused' | 'unavailable' | 'off'): LiveView {
  const words = {
    'not-running': {
      reasonCode: null,
      message: 'Nothing listens on ws://127.0.0.1:18789.',
      fix: 'Start it: openclaw gateway run',
    },
    refused: {
      reasonCode: 'token-mismatch',
      message: 'The gateway refused the token AuthBar sent.',
      fix: 'Set OPENCLAW_GATEWAY_TOKEN to the gateway’s token, or gateway.auth.token in openclaw.json.',
    },
    unavailable: { reasonCode: 'timeout', message: 'The gateway did not answer within 5 s.', fix: null },
    off: { reasonCode: 'setting', message: 'liveGateway is off in the settings.', fix: null },
  }[state];
  return liveView(now, {
    state,
    ...words,
    gateway: state === 'off' ? null : { url: 'ws://127.0.0.1:18789', version: null },
    providers: [],
  });
}
