/**
 * One rule, one verdict: the same inputs fed to the details window's checks, the IPC contract
 * and the engine (or the CLI) are accepted and refused alike. A drift between them is a window
 * that says "OK" and a main process that refuses, or the other way round.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddTokenRequest, AgentId } from '../../common/ipc-contract.js';
import {
  AGENT_ID,
  EXPIRES_IN_MAX_DAYS,
  isExpiresInMs,
  parseDuration,
  SYNC_OWNED_PROFILE_IDS,
} from '../../common/rules.js';
import { SOURCE_PROFILE_IDS } from '../../main/engine/sources/registry.js';
import { Settings, SettingsPatch, DEFAULT_SETTINGS } from '../../common/settings.js';
import { AGENT_ID_PATTERN } from '../../main/engine/gateways/clawdbot/agents.js';
import { validateAnthropicSecret } from '../../main/engine/tokens/secret.js';
import { checkProfileId as engineProfileId } from '../../main/engine/tokens/land.js';
import {
  checkExpiresInDays,
  checkProfileId as windowProfileId,
  checkToken,
  settingsPatch,
  type SettingsForm,
} from '../../renderer/view-model.js';

const body = (n: number, c = 'A') => c.repeat(n);
const SETUP = 'sk-ant-oat01-';
const API = 'sk-ant-api03-';
const goodToken = SETUP + body(80);

const TOKENS: string[] = [
  SETUP + body(80),
  SETUP + body(79),
  SETUP + body(70), // 83 characters: the window once took it, the engine never did
  SETUP + body(200),
  `  ${SETUP + body(90)}\n`,
  API + body(22), // 35 characters: the engine takes it, the window once refused it
  API + body(17), // `03-` + 17 = 20 after `sk-ant-api`
  API + body(16),
  API + body(60),
  'sk-ant-api' + body(25),
  SETUP + body(40) + '$' + body(40),
  SETUP + body(40) + ' ' + body(40),
  SETUP + body(40) + '\n' + body(40),
  'sk-ant-ort01-' + body(90),
  'sk-ant-xyz01-' + body(90),
  'ghp_' + body(60),
  '',
  '   ',
  SETUP + body(5000),
];

test('tokens: the window accepts exactly what the engine accepts, and IPC lets every one of them through', () => {
  for (const token of TOKENS) {
    const window = checkToken(token);
    const engine = validateAnthropicSecret(token);
    const label = `${token.slice(0, 16)}… (${token.length})`;
    assert.equal(window.ok, engine.ok, `${label}: window ${window.ok}, engine ${engine.ok}`);
    if (window.ok && engine.ok) assert.equal(window.kind, engine.kind, label);
    if (window.ok)
      assert.equal(AddTokenRequest.safeParse({ provider: 'anthropic', token: window.token }).success, true, label);
  }
});

const PROFILE_IDS = [
  'anthropic:team',
  'anthropic:a.b_c-d@e',
  'anthropic:X9',
  'anthropic:a+b', // the window once took it; IPC and the engine refuse it
  'anthropic:.x', // IPC once refused it; the window and the engine took it
  'anthropic:a b',
  'anthropic:',
  'anthropic:../x',
  'Anthropic:x',
  ':x',
  'openai:x',
  '--agent=x',
  `anthropic:${'n'.repeat(64)}`,
  `anthropic:${'n'.repeat(65)}`,
  'anthropic:claude-cli', // kept in step by sync: refused by the window and the engine
];

test('profile ids: window and engine agree on every one; IPC too, but for those sync owns (the engine words that refusal)', () => {
  for (const id of PROFILE_IDS) {
    const window = windowProfileId(id).ok;
    const engineProblem = engineProfileId(id, 'anthropic');
    const engine = engineProblem === null;
    const ipc = AddTokenRequest.safeParse({ provider: 'anthropic', token: goodToken, profileId: id }).success;
    assert.equal(window, engine, `${id}: window ${window}, engine ${engine} (${engineProblem})`);
    const syncOwned = engineProblem !== null && /kept in step with its own login/.test(engineProblem);
    assert.equal(ipc, engine || syncOwned, `${id}: IPC ${ipc}, engine ${engine}`);
  }
});

test(`expires in: whole days from 1 to ${EXPIRES_IN_MAX_DAYS} in the window and IPC, and the same bound in the CLI`, () => {
  for (const days of [0, 1, 30, 365, 366, 3650, 3651, 10_000]) {
    const window = checkExpiresInDays(String(days)).ok;
    const ipc = AddTokenRequest.safeParse({ provider: 'anthropic', token: goodToken, expiresInDays: days }).success;
    const ms = parseDuration(`${days}d`);
    const cli = ms !== null && isExpiresInMs(ms);
    assert.equal(window, ipc, `${days} days: window ${window}, IPC ${ipc}`);
    assert.equal(cli, ipc, `${days} days: CLI ${cli}, IPC ${ipc}`);
  }
  for (const text of ['1.5', '-3', 'ten', '30d']) {
    assert.equal(checkExpiresInDays(text).ok, false, text);
  }
});

test('agent ids: IPC takes what the rule takes; every id Clawdbot uses is one', () => {
  const ids = ['main', 'work-2', 'a_b', 'Work.1', '..', '.hidden', 'a/b', '../x', '', 'a'.repeat(64), 'a'.repeat(65)];
  for (const id of ids) {
    assert.equal(AgentId.safeParse(id).success, AGENT_ID.test(id), id);
    if (AGENT_ID_PATTERN.test(id)) assert.ok(AGENT_ID.test(id), `${id}: Clawdbot uses it, AuthBar must take it`);
  }
});

const FORM: SettingsForm = {
  warnHours: '24',
  notifications: true,
  allAgents: true,
  agents: [],
  terminal: '',
  tokenReminderDays: '30',
};

test('settings: the window, the IPC patch and the settings file take the same values', () => {
  const cases: Array<[keyof SettingsForm, string, unknown]> = [
    ['warnHours', '0', 0],
    ['warnHours', '-1', -1],
    ['warnHours', '0.5', 0.5],
    ['warnHours', '48', 48],
    ['warnHours', '8760', 8760],
    ['warnHours', '8761', 8761],
    ['tokenReminderDays', '0', 0],
    ['tokenReminderDays', '2.5', 2.5],
    ['tokenReminderDays', '365', 365],
    ['tokenReminderDays', '366', 366],
    ['terminal', 'iTerm', 'iTerm'],
    ['terminal', 'a\nb', 'a\nb'],
    ['terminal', 'a\u0007', 'a\u0007'],
  ];
  for (const [key, typed, value] of cases) {
    const window = settingsPatch(DEFAULT_SETTINGS, { ...FORM, [key]: typed }).ok;
    const ipc = SettingsPatch.safeParse({ [key]: value }).success;
    const file = Settings.safeParse({ [key]: value }).success;
    assert.equal(window, ipc, `${key} ${JSON.stringify(typed)}: window ${window}, IPC ${ipc}`);
    assert.equal(file, ipc, `${key} ${JSON.stringify(typed)}: file ${file}, IPC ${ipc}`);
  }
});

test('the profile ids sync owns are exactly the sources’ (the window refuses them as the engine does)', () => {
  assert.deepEqual([...SOURCE_PROFILE_IDS].sort(), [...SYNC_OWNED_PROFILE_IDS].sort());
});
