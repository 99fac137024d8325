/**
 * The pure rules of a one-shot remote status: which versions read each other's status, the
 * words run on the host (built from typed flags only), and --check's verdict over hosts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteStatusWords, versionsCompatible } from '../../main/engine/hosts/remote-status.js';
import { hostCheckCode, worstCode } from '../../main/cli/commands/status-hosts.js';
import type { HostReport } from '../../common/hosts.js';

test('versions: the same major (the same minor below 1.0) read each other; a dev build is judged by its snapshot', () => {
  assert.equal(versionsCompatible('0.1.0', '0.1.7'), true);
  assert.equal(versionsCompatible('0.1.0', '0.2.0'), false);
  assert.equal(versionsCompatible('1.2.0', '1.9.3'), true);
  assert.equal(versionsCompatible('1.2.0', '2.0.0'), false);
  assert.equal(versionsCompatible('0.1.0', 'unknown'), true);
});

test('the remote words come from the flags alone', () => {
  assert.deepEqual(remoteStatusWords('authbar', { sync: true, live: true }), ['authbar', 'status', '--json']);
  assert.deepEqual(
    remoteStatusWords('/opt/ab/authbar', { sync: false, live: false, warnHours: 48, agents: ['main', 'work'] }),
    ['/opt/ab/authbar', 'status', '--json', '--no-sync', '--no-live', '--warn-hours', '48', '--agent', 'main,work'],
  );
});

test('--check over hosts: a host not read is never healthy; the worst code wins', () => {
  const down: HostReport = {
    name: 'vps',
    ssh: 'vps',
    state: 'unreachable',
    since: 1,
    authbarVersion: null,
    snapshot: null,
  };
  assert.equal(hostCheckCode(down, false), 1);
  assert.equal(hostCheckCode({ ...down, state: 'connecting' }, true), 1);
  assert.equal(worstCode([0, 2, 0]), 2);
  assert.equal(worstCode([2, 1, 0]), 1);
  assert.equal(worstCode([]), 0);
});
