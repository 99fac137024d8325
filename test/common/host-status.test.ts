/**
 * The worst-of-all rule (tray icon, window header, `status --all-hosts --check`): a laptop that
 * only watches other hosts, with no gateway of its own, is not judged; one with a gateway is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overallVerdict, viewerOnly } from '../../common/host-status.js';
import type { HostReport } from '../../common/hosts.js';
import { agent, profile, snapshot } from '../support/snapshots.js';

const noState = snapshot({
  agents: [agent('main', [], { passive: 'no Clawdbot state dir yet', passiveCode: 'no-state-dir', attention: 'now' })],
  attention: 'now',
});
const withGateway = snapshot({
  agents: [agent('main', [profile({ profileId: 'anthropic:default', attention: 'now' })])],
});
const vps = (attention: 'none' | 'soon'): HostReport => ({
  name: 'vps',
  ssh: 'vps',
  state: 'ok',
  since: 0,
  authbarVersion: '0.1.0',
  snapshot: snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:default', attention })])] }),
});

test('a machine without any gateway state only watches the hosts: it is not judged', () => {
  assert.equal(viewerOnly(noState, 1), true);
  assert.deepEqual(overallVerdict(noState, [vps('none')]), { attention: 'none', worst: [null, 'vps'] });
  assert.deepEqual(overallVerdict(noState, [vps('soon')]), { attention: 'soon', worst: ['vps'] });
});

test('without hosts, or with a gateway here, this machine counts as before', () => {
  assert.equal(viewerOnly(noState, 0), false);
  assert.equal(overallVerdict(noState, []).attention, 'now');
  assert.equal(viewerOnly(withGateway, 1), false);
  assert.deepEqual(overallVerdict(withGateway, [vps('soon')]), { attention: 'now', worst: [null] });
});
