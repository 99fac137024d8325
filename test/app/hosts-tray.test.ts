/**
 * The tray over several machines: the icon is the worst of this machine and every remote host,
 * and a host not heard from (or that cannot be watched) is never ok. Table-driven.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineState } from '../../main/app/engine-service.js';
import { trayModel, trayState } from '../../main/app/tray-model.js';
import { hostAttention } from '../../common/host-status.js';
import type { HostReport, HostState } from '../../common/hosts.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';
import { claudeProvider, liveProblemView, liveView } from '../support/live-fixtures.js';

const calm = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
const soon = snapshot({ agents: [agent('main', [setupToken('anthropic:setup', NOW + 5 * DAY, 'soon')])] });
const urgent = snapshot({ agents: [agent('main', [setupToken('anthropic:setup', NOW - HOUR, 'now')])] });
type Snap = typeof calm | null;

const host = (state: HostState, snap: Snap, over: Partial<HostReport> = {}) =>
  hostReport({ name: 'vps', state, since: NOW - HOUR, snapshot: snap, ...over });
const ctx = { platform: 'linux' as const, dark: false, now: NOW };
const st = (local: Snap, hosts: HostReport[]): EngineState => ({ snapshot: local, error: null, hosts });

// [case, this machine, hosts, expected icon state]
const table: Array<[string, Snap, HostReport[], 'ok' | 'soon' | 'now' | 'unknown']> = [
  ['no hosts: this machine decides', calm, [], 'ok'],
  ['a connected calm host', calm, [host('ok', calm)], 'ok'],
  ['a connected host whose token runs out soon', calm, [host('ok', soon)], 'soon'],
  ['a connected host needing action now beats a soon machine', soon, [host('ok', urgent)], 'now'],
  ['this machine needing action now beats a calm host', urgent, [host('ok', calm)], 'now'],
  ['a host connecting (not heard from yet)', calm, [host('connecting', null)], 'unknown'],
  ['a host "ok" without a snapshot yet is not healthy', calm, [host('ok', null)], 'unknown'],
  ['an unreachable host with a calm last snapshot', calm, [host('unreachable', calm)], 'soon'],
  ['an unreachable host never heard from', calm, [host('unreachable', null)], 'soon'],
  ['an unreachable host whose last snapshot needed action now', calm, [host('unreachable', urgent)], 'now'],
  ['a changed host key', calm, [host('host-key', null)], 'soon'],
  ['ssh login refused', calm, [host('auth', null)], 'soon'],
  ['no AuthBar on the host', calm, [host('no-authbar', null)], 'soon'],
  ['another watch protocol', calm, [host('incompatible', null)], 'soon'],
  ['this machine not scanned yet, host calm', null, [host('ok', calm)], 'unknown'],
  ['this machine not scanned yet, host needs action', null, [host('ok', urgent)], 'now'],
  [
    'the worst of three hosts',
    calm,
    [host('ok', calm), hostReport({ name: 'lab', state: 'ok', snapshot: soon }), host('host-key', null)],
    'soon',
  ],
];

for (const [name, local, hosts, want] of table) {
  test(`tray over hosts: ${name} → ${want}`, () => {
    assert.equal(trayState(st(local, hosts)), want);
    assert.equal(trayModel(st(local, hosts), ctx).icon.file, `tray-${want}.png`);
  });
}

test('a host without AuthBar whose gateway answered is judged by the gateway', () => {
  const live = (status: string) => liveView(NOW, { providers: [claudeProvider(NOW, { status })] });
  assert.equal(hostAttention(host('no-authbar', null, { live: live('ok') })), 'none');
  assert.equal(hostAttention(host('no-authbar', null, { live: live('expiring') })), 'soon');
  assert.equal(hostAttention(host('no-authbar', null, { live: live('expired') })), 'now');
  assert.equal(hostAttention(host('no-authbar', null, { live: liveProblemView(NOW, 'not-running') })), 'soon');
});

test('the tooltip names the hosts that need something; the title takes the soonest deadline anywhere', () => {
  const hosts = [host('unreachable', calm), hostReport({ name: 'lab', state: 'ok', snapshot: urgent })];
  const m = trayModel(st(calm, hosts), ctx);
  assert.match(m.tooltip, /vps: unreachable, lab: needs action now$/);
  assert.equal(m.title, 'expired');
  const fine = trayModel(st(calm, [host('ok', calm)]), ctx);
  assert.match(fine.tooltip, /· 1 host ok$/);
  assert.equal(fine.title, '');
  const soonOnHost = trayModel(st(calm, [host('ok', soon)]), ctx);
  assert.equal(soonOnHost.title, '5d');
});
