/**
 * The window's words over remote hosts, under node: a host's profile rows say how to renew it
 * from here (`authbar setup-token --host vps`), never the host's own command; the header's
 * verdict is the worst of every machine by the tray icon's own rule, naming which machines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildView, hostSection, overallHeader } from '../../renderer/view-model.js';
import { trayState } from '../../main/app/tray-model.js';
import type { HostReport } from '../../common/hosts.js';
import type { Snapshot } from '../../common/snapshot.js';
import { hostReport } from '../support/hosts.js';
import { agent, HOUR, NOW, states, setupToken, snapshot } from '../support/renderer-fixtures.js';

const UTC = { locale: 'en-US', timeZone: 'UTC' };
const soonSnap = snapshot([
  agent('main', [setupToken('anthropic:default', 340, 25), setupToken('anthropic:setup-token', 372, -7)], {
    passive: 'Not managed: run `authbar sync --agent main` to manage it',
  }),
]);
const vps = hostReport({ name: 'vps', state: 'ok', snapshot: states.soon() });
const lab = hostReport({ name: 'lab', state: 'unreachable', since: NOW - 2 * HOUR, snapshot: states.healthy() });
const fresh = hostReport({ name: 'new', state: 'connecting', since: NOW });

test("a host's profile rows name the renewal from here, never the host's own command", () => {
  const section = hostSection(hostReport({ name: 'vps', state: 'ok', snapshot: soonSnap }), NOW, UTC);
  const rows = section.agents[0]?.profiles ?? [];
  assert.equal(rows[0]?.tokenAge?.detail, 'renew with authbar setup-token --host vps --profile-id anthropic:default');
  assert.equal(rows[1]?.tokenAge?.detail, 'renew with authbar setup-token --host vps');
  assert.deepEqual(
    rows.flatMap((r) => r.notes.map((n) => n.text)),
    [
      'setup token ends in about 25 days: run authbar setup-token --host vps',
      'setup token expired: run authbar setup-token --host vps',
    ],
  );
  assert.equal(section.agents[0]?.notes[0]?.text, 'Not managed: run `authbar sync --agent main` on vps to manage it');
  const words = JSON.stringify(section);
  assert.doesNotMatch(words, /authbar setup-token(?! --host vps)/);
  // This machine's rows keep this machine's command.
  const local = buildView(soonSnap, NOW, UTC).agents[0]?.profiles[0];
  assert.equal(local?.tokenAge?.detail, 'renew with authbar setup-token');
});

test('header: without hosts, this machine’s verdict stands', () => {
  assert.equal(overallHeader(states.soon(), [], NOW), null);
});

test('header: the worst of every machine, naming which, with a line per host that needs something', () => {
  const h = overallHeader(states.healthy(), [vps, lab], NOW, UTC);
  assert.equal(h?.attention, 'soon');
  assert.equal(h?.headline, 'Attention needed soon on vps and lab');
  assert.equal(h?.scope, 'on this machine, 2 remote hosts');
  assert.deepEqual(h?.hostReasons, [
    'vps: main/anthropic:default: setup token ends in about 25 days: run authbar setup-token --host vps',
    'lab — unreachable since 7:30 AM',
  ]);
  assert.equal(overallHeader(states.now(), [vps], NOW)?.headline, 'Action needed now on this machine');
  assert.equal(overallHeader(states.soon(), [vps], NOW)?.headline, 'Attention needed soon on this machine and vps');
  assert.equal(
    overallHeader(states.healthy(), [hostReport({ name: 'vps', snapshot: states.healthy() })], NOW)?.headline,
    'All credentials healthy on 2 machines',
  );
  const waiting = overallHeader(states.healthy(), [fresh], NOW);
  assert.equal(waiting?.attention, 'unknown');
  assert.equal(waiting?.headline, 'Waiting to hear from new');
});

test('header: the same verdict as the tray icon, for every mix', () => {
  const locals: Array<Snapshot | null> = [null, states.healthy(), states.soon(), states.now()];
  const mixes: HostReport[][] = [[], [vps], [lab], [fresh], [vps, lab], [fresh, lab], [hostReport({ name: 'ok' })]];
  for (const local of locals)
    for (const hosts of mixes) {
      if (hosts.length === 0) continue;
      const a = overallHeader(local, hosts, NOW)?.attention;
      assert.equal(a === 'none' ? 'ok' : a, trayState({ snapshot: local, error: null, hosts }));
    }
});
