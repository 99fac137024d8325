/**
 * Snapshots for the details window's tests: one builder and a named state for each case the
 * window must draw. Every fixture is parsed by the real Snapshot schema, so they stay what the
 * engine can really send.
 */
import { Snapshot, type AgentView, type ProfileView, type SourceView } from '../../common/snapshot.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/engine/settings.js';
import { liveView } from './live-fixtures.js';

/** A fixed instant for every window test: 14 Mar 2026, 09:30 UTC. */
export const NOW = Date.UTC(2026, 2, 14, 9, 30);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Full secrets planted in hostile fixtures: none may reach the page. */
export const PLANTED_SECRETS = [
  'sk-ant-oat01-' + 'Q'.repeat(20) + 'plantedSetupTokenBody' + 'x'.repeat(50),
  'sk-ant-api03-' + 'plantedApiKeyBody0123456789' + 'y'.repeat(40),
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlcGxhbnRlZA',
];

export function profile(over: Partial<ProfileView> & Pick<ProfileView, 'profileId'>): ProfileView {
  return {
    provider: over.profileId.split(':')[0] ?? 'anthropic',
    type: 'oauth',
    status: 'ok',
    attention: 'none',
    reason: '',
    expiresAt: NOW + 6 * HOUR,
    remainingMs: 6 * HOUR,
    source: 'claude-code',
    refreshable: true,
    usable: true,
    masked: 'sk-ant-oat01-…Ab12',
    fingerprint: '3f9a0c12ab34',
    email: null,
    cooldownUntil: null,
    disabledUntil: null,
    disabledReason: null,
    inStepWithSource: true,
    token: null,
    ...over,
  };
}

/** A setup token profile `days` old (first seen), expiring in `leftDays`. */
export function setupToken(
  profileId: string,
  days: number,
  leftDays: number,
  over: Partial<ProfileView> = {},
): ProfileView {
  const attention = leftDays <= 0 ? 'now' : leftDays <= 30 ? 'soon' : 'none';
  return profile({
    profileId,
    type: 'token',
    source: 'store',
    refreshable: false,
    status: leftDays <= 0 ? 'expired' : leftDays <= 1 ? 'expiring' : 'static',
    attention,
    reason:
      attention === 'none'
        ? ''
        : leftDays <= 0
          ? 'setup token expired: run authbar setup-token'
          : `setup token ends in about ${leftDays} days: run authbar setup-token`,
    expiresAt: null,
    remainingMs: null,
    masked: 'sk-ant-oat01-…Zz90',
    fingerprint: '77c0ffee1234',
    usable: leftDays > 0,
    token: {
      firstSeenAt: NOW - days * DAY,
      ageMs: days * DAY,
      mintedAt: null,
      expiresAt: NOW + leftDays * DAY,
      expiryKind: 'estimated',
      inVault: false,
      renewCommand: 'authbar setup-token',
    },
    ...over,
  });
}

export function agent(agentId: string, profiles: ProfileView[], over: Partial<AgentView> = {}): AgentView {
  const rank = { none: 0, soon: 1, now: 2 } as const;
  const worst = profiles.reduce<AgentView['attention']>(
    (w, p) => (rank[p.attention] > rank[w] ? p.attention : w),
    'none',
  );
  return {
    agentId,
    agentDir: `/home/ada/.clawdbot/agents/${agentId}/agent`,
    storePath: `/home/ada/.clawdbot/agents/${agentId}/agent/auth-profiles.json`,
    linkTarget: null,
    origin: 'agents',
    storeStatus: 'ok',
    passive: null,
    error: null,
    attention: worst,
    profiles,
    missingProviders: [],
    outOfStep: [],
    ignoredEntries: [],
    sync: { mode: 'applied', wrote: false, changes: [], error: null, errorCode: null },
    ...over,
  };
}

const claudeSource: SourceView = {
  id: 'claude-code',
  label: 'Claude Code',
  kind: 'file',
  path: '/home/ada/.claude/.credentials.json',
  status: 'ok',
  profileId: 'anthropic:claude-cli',
  type: 'oauth',
  expiresAt: NOW + 6 * HOUR,
  remainingMs: 6 * HOUR,
  expirySource: 'stored',
  masked: 'sk-ant-oat01-…Ab12',
  fingerprint: '3f9a0c12ab34',
  attention: 'none',
  error: null,
};

export function snapshot(agents: AgentView[], over: Partial<Snapshot> = {}): Snapshot {
  const rank = { none: 0, soon: 1, now: 2 } as const;
  const worst = agents.reduce<Snapshot['overall']['attention']>(
    (w, a) => (rank[a.attention] > rank[w] ? a.attention : w),
    'none',
  );
  const reasons = agents.flatMap((a) =>
    a.profiles.filter((p) => p.attention !== 'none').map((p) => `${a.agentId}/${p.profileId}: ${p.reason}`),
  );
  const value: Snapshot = {
    schemaVersion: 1,
    generatedAt: NOW - 3 * MIN,
    gateway: {
      kind: 'clawdbot',
      name: 'Clawdbot',
      version: '2026.1.24-3',
      stateDir: '/home/ada/.clawdbot',
      configPath: '/home/ada/.clawdbot/clawdbot.json',
      detectedBy: '~/.clawdbot/clawdbot.json exists',
      dataVia: 'json-files',
      note: null,
    },
    warnMs: 24 * HOUR,
    stateDir: '/home/ada/.clawdbot',
    configPath: '/home/ada/.clawdbot/clawdbot.json',
    configError: null,
    providersInUse: ['anthropic'],
    overall: { attention: worst, reasons, gatewayCheckCode: worst === 'now' ? 1 : worst === 'soon' ? 2 : 0 },
    sources: [claudeSource],
    agents,
    refresh: [],
    monitor: { running: true, startedAt: NOW - DAY, lastScanAt: NOW - 3 * MIN, watching: [] },
    vault: null,
    ...over,
  };
  return Snapshot.parse(value);
}

function healthy(): Snapshot {
  return snapshot([
    agent('main', [
      profile({ profileId: 'anthropic:claude-cli' }),
      setupToken('anthropic:default', 41, 324),
      profile({
        profileId: 'openai:work',
        type: 'api_key',
        source: 'store',
        refreshable: false,
        status: 'static',
        expiresAt: null,
        remainingMs: null,
        masked: 'sk-proj-…9f3e',
        fingerprint: 'aa11bb22cc33',
      }),
    ]),
    agent('work', [profile({ profileId: 'anthropic:claude-cli' })], {
      sync: {
        mode: 'applied',
        wrote: true,
        changes: [{ profileId: 'anthropic:claude-cli', source: 'claude-code', kind: 'update', reason: 'newer login' }],
        error: null,
        errorCode: null,
      },
    }),
  ]);
}

export const states = {
  empty: () => snapshot([], { sources: [], monitor: null }),
  noProfiles: () => snapshot([agent('main', [], { storeStatus: 'missing' })]),
  healthy,
  soon: () => snapshot([agent('main', [setupToken('anthropic:default', 340, 25)])]),
  now: () => snapshot([agent('main', [setupToken('anthropic:default', 372, -7)])]),
  openclaw: () =>
    snapshot(
      [
        agent('main', [profile({ profileId: 'anthropic:claude-cli' })], {
          storePath: '/home/ada/.openclaw/state.sqlite',
        }),
      ],
      {
        gateway: {
          kind: 'openclaw',
          name: 'OpenClaw',
          version: '2026.9.6',
          stateDir: '/home/ada/.openclaw',
          configPath: '/home/ada/.openclaw/openclaw.json',
          detectedBy: 'AUTHBAR_GATEWAY=openclaw',
          dataVia: 'sqlite',
          note: 'Clawdbot state was found too (~/.clawdbot): OpenClaw was chosen because AUTHBAR_GATEWAY says so.',
        },
      },
    ),
  /** OpenClaw with the running gateway's answer: usage windows, one disagreement. */
  live: () =>
    snapshot(
      [
        agent('main', [profile({ profileId: 'anthropic:claude-cli' })], {
          agentDir: '/home/ada/.openclaw/agents/main/agent',
          storePath: '/home/ada/.openclaw/state.sqlite',
        }),
      ],
      {
        gateway: {
          kind: 'openclaw',
          name: 'OpenClaw',
          label: 'OpenClaw 2026.9.6',
          version: '2026.9.6',
          stateDir: '/home/ada/.openclaw',
          configPath: '/home/ada/.openclaw/openclaw.json',
          detectedBy: '~/.openclaw/openclaw.json exists',
          dataVia: 'sqlite',
          note: null,
        },
        live: liveView(NOW),
      },
    ),
  stale: () => {
    const s = healthy();
    return Snapshot.parse({
      ...s,
      generatedAt: NOW - 2 * HOUR - 5 * MIN,
      monitor: { running: false, startedAt: NOW - DAY, lastScanAt: NOW - 2 * HOUR - 5 * MIN, watching: [] },
    });
  },
  error: () =>
    snapshot(
      [
        agent('main', [], {
          storeStatus: 'error',
          attention: 'now',
          error:
            'The auth store /home/ada/.clawdbot/agents/main/agent/auth-profiles.json is not valid JSON (line 3): fix it or restore a backup. AuthBar left it untouched.',
          sync: {
            mode: 'applied',
            wrote: false,
            changes: [],
            error: 'Could not lock the auth store: another program holds it.',
            errorCode: 'lock-failed',
          },
        }),
      ],
      { overall: { attention: 'now', reasons: ['main: the auth store cannot be read'], gatewayCheckCode: 1 } },
    ),
  hostile: () => {
    const [setup, api, jwt] = PLANTED_SECRETS as [string, string, string];
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    return snapshot(
      [
        agent(
          `ev\u202eil<b>agent</b>`,
          [
            profile({
              profileId: `anthropic:${evil}`,
              reason: `leaked ${setup}`,
              attention: 'soon',
              masked: `sk-ant-oat01-…\u001b[31mX`,
              email: jwt,
            }),
          ],
          {
            storePath: `/tmp/line1\nline2\u0007/${evil}/auth-profiles.json`,
            error: null,
            passive: `note with ${api} inside`,
            ignoredEntries: [`bad\u0000entry<i>`],
          },
        ),
      ],
      {
        overall: { attention: 'soon', reasons: [`reason ${setup} \u001b[2J cleared`, evil], gatewayCheckCode: 2 },
        gateway: {
          kind: 'openclaw',
          name: 'OpenClaw',
          version: `<svg onload="window.__pwned=3">`,
          stateDir: `/home/\u0085ada`,
          configPath: '/x',
          detectedBy: `OPENCLAW_STATE_DIR=${evil}`,
          dataVia: 'gateway-cli',
          note: `token ${jwt}`,
        },
        configError: `config holds ${api}`,
      },
    );
  },
} satisfies Record<string, () => Snapshot>;

export const settings: Settings = { ...DEFAULT_SETTINGS };
