/** The tray model, table-driven: icon file per platform and theme, title, tooltip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineState } from '../../main/app/engine-service.js';
import { trayIcon, trayIconFiles, trayModel } from '../../main/app/tray-model.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const calm = snapshot({
  agents: [
    agent('main', [
      profile({ profileId: 'anthropic:claude-cli' }),
      profile({ profileId: 'openai-codex:codex-cli' }),
      profile({ profileId: 'anthropic:api', type: 'api_key' }),
    ]),
  ],
});
const calmOpenClaw = snapshot({
  gateway: 'openclaw',
  agents: [
    agent('main', [
      profile({ profileId: 'anthropic:default', type: 'api_key' }),
      setupToken('anthropic:setup', NOW + 41 * DAY + HOUR, 'none'),
      profile({ profileId: 'openai:default' }),
    ]),
  ],
});
const soon = snapshot({
  agents: [
    agent('main', [
      profile({ profileId: 'anthropic:claude-cli' }),
      setupToken('anthropic:setup', NOW + 5 * DAY + 2 * HOUR, 'soon'),
    ]),
  ],
});
const soonHours = snapshot({
  gateway: 'openclaw',
  agents: [
    agent('main', [
      setupToken('anthropic:a', NOW + 3 * HOUR + 5 * 60_000, 'soon'),
      setupToken('anthropic:b', NOW + 20 * HOUR, 'soon'),
    ]),
  ],
});
const now = snapshot({
  agents: [
    agent('main', [
      setupToken('anthropic:setup', NOW - 2 * HOUR, 'now'),
      profile({ profileId: 'openai-codex:codex-cli' }),
    ]),
  ],
});
const refusedRefresh = snapshot({
  agents: [
    agent('main', [
      profile({
        profileId: 'anthropic:claude-cli',
        attention: 'now',
        reason: 'refresh refused (invalid_grant): sign in again',
      }),
    ]),
  ],
});
const missing = snapshot({ agents: [agent('main', [], { missingProviders: ['anthropic'] })] });
const mixedAgents = snapshot({
  agents: [
    agent('main', [profile({ profileId: 'anthropic:claude-cli' })]),
    agent('work', [setupToken('anthropic:setup', NOW + 30 * HOUR, 'soon')]),
    agent('ops', [setupToken('anthropic:ci', NOW - DAY, 'now')]),
  ],
});

const state = (s: EngineState['snapshot'], error: string | null = null): EngineState => ({ snapshot: s, error });

const cases: Array<{
  name: string;
  state: EngineState;
  platform: NodeJS.Platform;
  dark: boolean;
  file: string;
  template: boolean;
  title: string;
  tooltip: RegExp;
}> = [
  {
    name: 'calm Clawdbot, macOS light',
    state: state(calm),
    platform: 'darwin',
    dark: false,
    file: 'trayTemplate.png',
    template: true,
    title: '',
    tooltip: /^Clawdbot · 3 profiles ok$/,
  },
  {
    name: 'calm Clawdbot, macOS dark: still the template',
    state: state(calm),
    platform: 'darwin',
    dark: true,
    file: 'trayTemplate.png',
    template: true,
    title: '',
    tooltip: /^Clawdbot · 3 profiles ok$/,
  },
  {
    name: 'calm OpenClaw with a setup token',
    state: state(calmOpenClaw),
    platform: 'darwin',
    dark: false,
    file: 'trayTemplate.png',
    template: true,
    title: '',
    tooltip: /^OpenClaw · 3 profiles ok · setup token: 41 days left$/,
  },
  {
    name: 'soon, macOS light bar',
    state: state(soon),
    platform: 'darwin',
    dark: false,
    file: 'tray-soon-light.png',
    template: false,
    title: '5d',
    tooltip: /^Clawdbot · 1 soon, 1 ok · setup token: 5 days left$/,
  },
  {
    name: 'soon, macOS dark bar',
    state: state(soon),
    platform: 'darwin',
    dark: true,
    file: 'tray-soon-dark.png',
    template: false,
    title: '5d',
    tooltip: /setup token: 5 days left/,
  },
  {
    name: 'soon in hours: the soonest wins',
    state: state(soonHours),
    platform: 'darwin',
    dark: false,
    file: 'tray-soon-light.png',
    template: false,
    title: '3h',
    tooltip: /^OpenClaw · 2 soon · setup token: expires in 3h$/,
  },
  {
    name: 'now: expired setup token, macOS dark',
    state: state(now),
    platform: 'darwin',
    dark: true,
    file: 'tray-now-dark.png',
    template: false,
    title: 'expired',
    tooltip: /^Clawdbot · 1 needs action now, 1 ok · setup token expired$/,
  },
  {
    name: 'now: refresh refused (no deadline)',
    state: state(refusedRefresh),
    platform: 'darwin',
    dark: false,
    file: 'tray-now-light.png',
    template: false,
    title: '!',
    tooltip: /1 needs action now/,
  },
  {
    name: 'now: provider in use has no credential',
    state: state(missing),
    platform: 'darwin',
    dark: false,
    file: 'tray-now-light.png',
    template: false,
    title: '!',
    tooltip: /^Clawdbot · no profiles · no credential for anthropic$/,
  },
  {
    name: 'mixed agents: worst wins, soonest deadline titles',
    state: state(mixedAgents),
    platform: 'darwin',
    dark: false,
    file: 'tray-now-light.png',
    template: false,
    title: 'expired',
    tooltip: /1 needs action now, 1 soon, 1 ok/,
  },
  {
    name: 'starting: unknown',
    state: state(null),
    platform: 'darwin',
    dark: false,
    file: 'tray-unknown.png',
    template: false,
    title: '',
    tooltip: /checking credentials/,
  },
  {
    name: 'error without a snapshot',
    state: state(null, 'The AuthBar settings file /x is not valid'),
    platform: 'darwin',
    dark: false,
    file: 'tray-unknown.png',
    template: false,
    title: '',
    tooltip: /^AuthBar · The AuthBar settings file \/x is not valid$/,
  },
  {
    name: 'error with a stale snapshot keeps its colour',
    state: state(soon, 'EACCES'),
    platform: 'darwin',
    dark: false,
    file: 'tray-soon-light.png',
    template: false,
    title: '5d',
    tooltip: /last check failed: EACCES/,
  },
  {
    name: 'Linux calm',
    state: state(calm),
    platform: 'linux',
    dark: false,
    file: 'tray-ok.png',
    template: false,
    title: '',
    tooltip: /3 profiles ok/,
  },
  {
    name: 'Linux soon (theme does not matter)',
    state: state(soon),
    platform: 'linux',
    dark: true,
    file: 'tray-soon.png',
    template: false,
    title: '5d',
    tooltip: /1 soon/,
  },
  {
    name: 'Linux now',
    state: state(now),
    platform: 'linux',
    dark: false,
    file: 'tray-now.png',
    template: false,
    title: 'expired',
    tooltip: /1 needs action now/,
  },
  {
    name: 'Linux unknown',
    state: state(null),
    platform: 'linux',
    dark: false,
    file: 'tray-unknown.png',
    template: false,
    title: '',
    tooltip: /checking/,
  },
  {
    name: 'Windows now',
    state: state(now),
    platform: 'win32',
    dark: false,
    file: 'tray-now.png',
    template: false,
    title: 'expired',
    tooltip: /setup token expired/,
  },
  {
    name: 'Windows calm OpenClaw',
    state: state(calmOpenClaw),
    platform: 'win32',
    dark: true,
    file: 'tray-ok.png',
    template: false,
    title: '',
    tooltip: /^OpenClaw · 3 profiles ok/,
  },
];

for (const c of cases) {
  test(`tray model: ${c.name}`, () => {
    const m = trayModel(c.state, { platform: c.platform, dark: c.dark, now: NOW });
    assert.equal(m.icon.file, c.file);
    assert.equal(m.icon.template, c.template);
    assert.equal(m.title, c.title);
    assert.match(m.tooltip, c.tooltip);
    assert.ok(
      trayIconFiles(c.platform).includes(m.icon.file),
      `${m.icon.file} is one of the files the icon set provides`,
    );
  });
}

test('tray model: a Windows tooltip fits the 127-character limit', () => {
  const many = snapshot({
    agents: [agent('main', [], { missingProviders: Array.from({ length: 30 }, (_, i) => `provider-number-${i}`) })],
  });
  const m = trayModel(state(many), { platform: 'win32', dark: false, now: NOW });
  assert.ok(m.tooltip.length <= 127, `${m.tooltip.length} characters`);
  assert.ok(
    trayModel(state(many), { platform: 'darwin', dark: false, now: NOW }).tooltip.length > 127,
    'other platforms keep it all',
  );
});

test('tray model: every icon of every state and theme is in the agreed file set', () => {
  const files = new Set<string>();
  for (const platform of ['darwin', 'linux', 'win32'] as const)
    for (const dark of [false, true])
      for (const s of ['ok', 'soon', 'now', 'unknown'] as const)
        files.add(`${platform}:${trayIcon(s, { platform, dark }).file}`);
  assert.deepEqual([...files].sort(), [
    'darwin:tray-now-dark.png',
    'darwin:tray-now-light.png',
    'darwin:tray-soon-dark.png',
    'darwin:tray-soon-light.png',
    'darwin:tray-unknown.png',
    'darwin:trayTemplate.png',
    'linux:tray-now.png',
    'linux:tray-ok.png',
    'linux:tray-soon.png',
    'linux:tray-unknown.png',
    'win32:tray-now.png',
    'win32:tray-ok.png',
    'win32:tray-soon.png',
    'win32:tray-unknown.png',
  ]);
});

test('tray model: a profile id with a token in it never reaches the tooltip unmasked', () => {
  const evil = snapshot({
    agents: [agent('main', [], { missingProviders: ['sk-ant-oat01-' + 'A'.repeat(90) + '\nX'] })],
  });
  const m = trayModel(state(evil), { platform: 'darwin', dark: false, now: NOW });
  assert.doesNotMatch(m.tooltip, /A{20}/);
  assert.doesNotMatch(m.tooltip, /\n/);
});
