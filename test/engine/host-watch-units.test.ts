/**
 * The pure parts of watching hosts: the line reader's cap and parser, the version handshake's
 * verdict, the connection notice's once-only rules, and a host's notices naming it with every
 * string it sent escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WATCH_PROTOCOL, type HostReport } from '../../common/hosts.js';
import { connectionStep, emptyConnectionMemory } from '../../main/engine/hosts/host-connection-notice.js';
import { forHost } from '../../main/engine/hosts/host-notices.js';
import { helloProblem } from '../../main/engine/hosts/watch-outcome.js';
import { LineSplitter, parseRemoteLine } from '../../main/engine/hosts/watch-lines.js';
import { authbarVersion } from '../../main/engine/version.js';

test('the line splitter hands over whole lines across chunks and drops a line past its cap, once per line', () => {
  const lines: string[] = [];
  let tooLong = 0;
  const s = new LineSplitter(
    (l) => lines.push(l),
    () => tooLong++,
    10,
  );
  s.push(Buffer.from('ab'));
  s.push(Buffer.from('c\nde'));
  s.push(Buffer.from('f\n'));
  s.push(Buffer.from('0123456789ABCDEF'));
  s.push(Buffer.from('more of the same long line\nok\n'));
  assert.deepEqual(lines, ['abc', 'def', 'ok']);
  assert.equal(tooLong, 1);
});

test('a remote line is parsed with its schema: junk is bad, an unknown type is skipped, a known one of a wrong shape is bad', () => {
  assert.equal(parseRemoteLine('not json').kind, 'bad');
  assert.equal(parseRemoteLine('[1,2]').kind, 'bad');
  assert.equal(parseRemoteLine('{"type":"future-thing","x":1}').kind, 'skip');
  assert.equal(parseRemoteLine('{"type":"error","at":1}').kind, 'bad');
  assert.equal(parseRemoteLine(JSON.stringify({ type: 'error', at: 1, message: 'x'.repeat(5000) })).kind, 'bad');
  const ok = parseRemoteLine('{"type":"hello","at":1,"authbar":"0.1.0","protocol":1}');
  assert.deepEqual(ok, { kind: 'line', line: { type: 'hello', at: 1, authbar: '0.1.0', protocol: 1 } });
});

test('the handshake says which side to update', () => {
  assert.equal(helloProblem('vps', { type: 'hello', at: 1, authbar: 'x', protocol: WATCH_PROTOCOL }), null);
  assert.match(helloProblem('vps', null)?.fix ?? '', new RegExp(`update AuthBar on vps to ${authbarVersion()}`));
  const newer = helloProblem('vps', { type: 'hello', at: 1, authbar: '9.9.9', protocol: WATCH_PROTOCOL + 1 });
  assert.match(newer?.fix ?? '', /update AuthBar on this machine to 9\.9\.9/);
  const older = helloProblem('vps', { type: 'hello', at: 1, authbar: '0.0.1', protocol: 0 });
  assert.match(older?.fix ?? '', /update AuthBar on vps/);
  assert.match(older?.message ?? '', /protocol 0/);
});

function report(state: HostReport['state'], since: number): HostReport {
  return {
    name: 'vps',
    ssh: 'vps',
    state,
    since,
    authbarVersion: null,
    message: 'm',
    fix: 'ssh vps',
    snapshot: null,
  };
}

test('the connection notice: an outage after 5 minutes only, each state once, one recovery, repeats held back', () => {
  const ctx = (now: number) => ({ now, repeatMs: 24 * 3_600_000, utcOffsetMinutes: 60 });
  const t0 = Date.UTC(2026, 0, 1, 13, 2);
  let m = emptyConnectionMemory();
  let step = connectionStep(m, report('unreachable', t0), ctx(t0 + 60_000));
  assert.equal(step.notice, null, 'a 1-minute outage is not news');
  assert.equal(step.recheckAt, t0 + 5 * 60_000);
  m = step.memory;
  step = connectionStep(m, report('unreachable', t0), ctx(t0 + 5 * 60_000));
  assert.equal(step.notice?.title, 'vps: unreachable since 14:02', 'the local time of day');
  assert.equal(step.notice?.key, 'host:vps/connection:unreachable');
  assert.match(step.notice?.body ?? '', /To fix: ssh vps/);
  m = step.memory;
  assert.equal(connectionStep(m, report('unreachable', t0), ctx(t0 + 6 * 60_000)).notice, null, 'said once');
  step = connectionStep(m, report('ok', t0 + 7 * 60_000), ctx(t0 + 7 * 60_000));
  assert.equal(step.notice?.title, 'vps: connected again');
  m = step.memory;
  assert.equal(connectionStep(m, report('ok', t0), ctx(t0 + 8 * 60_000)).notice, null);
  // The same outage again within the repeat window: quiet; a host key problem is news at once.
  step = connectionStep(m, report('unreachable', t0 + 9 * 60_000), ctx(t0 + 20 * 60_000));
  assert.equal(step.notice, null);
  step = connectionStep(step.memory, report('host-key', t0 + 21 * 60_000), ctx(t0 + 21 * 60_000));
  assert.equal(step.notice?.title, 'vps: its host key needs checking');
  // A host never reached (connecting) says nothing.
  assert.equal(connectionStep(emptyConnectionMemory(), report('connecting', t0), ctx(t0 + 3_600_000)).notice, null);
});

test("a host's notice names the host, and what the host wrote is escaped", () => {
  const n = forHost('vps', {
    key: 'profile:main/anthropic:default:now',
    subject: { agentId: 'main', profileId: 'anthropic:default', provider: 'anthropic' },
    state: 'now',
    title: 'anthropic:\u001b[31mevil expired',
    body: 'Run x\u202e',
    action: 'setup-token',
    at: 1,
    items: [
      {
        key: 'a:now',
        subject: { agentId: null, profileId: null, provider: null },
        state: 'now',
        title: 't',
        body: 'b',
        action: 'none',
        at: 1,
      },
    ],
  });
  assert.equal(n.key, 'host:vps/profile:main/anthropic:default:now');
  assert.equal(n.title, 'vps: anthropic:\\x1b[31mevil expired');
  assert.equal(n.body, 'Run x\\u202e');
  assert.equal(n.items?.[0]?.title, 'vps: t');
});
