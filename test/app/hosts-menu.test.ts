/**
 * The menu over several machines: this machine first, then a group per host (state line with
 * since, message and fix, its profiles, its gateway's lines, "Renew token on vps…"); more than
 * three hosts fold into submenus; what a host sent is shown escaped and never becomes an action.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenMenu, menuModel, type MenuContext, type MenuItemModel } from '../../main/app/menu-model.js';
import { INLINE_HOSTS } from '../../main/app/menu-hosts.js';
import type { EngineState } from '../../main/app/engine-service.js';
import type { HostReport } from '../../common/hosts.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, HOUR, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const ctx: MenuContext = {
  now: NOW,
  resyncing: false,
  loginItem: { supported: true, enabled: false, note: null },
  pausedUntil: null,
  formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
};
const local = snapshot({ agents: [agent('main', [profile({ profileId: 'anthropic:claude-cli' })])] });
const remote = snapshot({
  gateway: 'openclaw',
  version: '2026.9.6',
  agents: [agent('main', [setupToken('anthropic:default', NOW + 5 * DAY, 'soon')])],
  generatedAt: NOW - 3 * HOUR,
});
const vps = hostReport({
  name: 'vps',
  state: 'unreachable',
  since: NOW - 2 * HOUR,
  snapshot: remote,
  message: 'ssh could not reach deploy@vps.example: connection timed out.',
  fix: 'ssh deploy@vps.example',
});
const lab = hostReport({ name: 'lab', state: 'ok', since: NOW - DAY, snapshot: remote });
const st = (hosts: HostReport[]): EngineState => ({ snapshot: local, error: null, hosts });
const labels = (items: MenuItemModel[]) => items.map((i) => (i.type === 'separator' ? '—' : i.label));

test('no hosts: the menu is exactly the one-machine menu', () => {
  assert.deepEqual(menuModel(st([]), ctx), menuModel({ snapshot: local, error: null }, ctx));
});

test('hosts: this machine first, then each host with its state, since, message, fix, profiles and renew', () => {
  const items = menuModel(st([vps, lab]), ctx);
  const l = labels(items);
  const at = (re: RegExp) => l.findIndex((x) => re.test(x));
  assert.equal(l[0], 'This machine');
  assert.match(l[1] as string, /^Clawdbot — all credentials healthy$/);
  const vpsHead = at(/^⚠ vps — unreachable since 04:00$/);
  const labHead = at(/^⚠ lab — OpenClaw 2026\.9\.6 — attention soon$/);
  assert.ok(vpsHead > at(/claude-cli/) && labHead > vpsHead, l.join('\n'));
  assert.equal(l[vpsHead - 1], '—', 'a separator before each host');
  assert.deepEqual(l.slice(vpsHead + 1, vpsHead + 6), [
    '    ssh could not reach deploy@vps.example: connection timed out.',
    '    Fix: ssh deploy@vps.example',
    '    Showing its data from 3 h ago',
    '⚠ anthropic:default — expires in 5 d — run authbar setup-token --host vps',
    'Renew token on vps…',
  ]);
  const renew = items.find((i) => i.id === 'host:vps:renew');
  assert.deepEqual(renew?.action, { kind: 'setup-token-host', host: 'vps' });
  // A host's profile opens the window's overview, not this machine's profile route.
  const row = items.find((i) => i.id === 'host:vps:profile:main/anthropic:default');
  assert.deepEqual(row?.action, { kind: 'show-details' });
  // Ids stay unique across machines.
  const ids = flattenMenu(items).map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length);
  // The actions after the groups are unchanged.
  assert.ok(at(/^Resync now$/) > labHead);
});

test('states read as words; an ok host without a snapshot is not shown healthy', () => {
  const cases: Array<[HostReport['state'], RegExp]> = [
    ['connecting', /^… vps — connecting… since 04:00$/],
    ['host-key', /^⚠ vps — host key not trusted since 04:00$/],
    ['auth', /^⚠ vps — ssh login refused since 04:00$/],
    ['no-authbar', /^⚠ vps — AuthBar not found there since 04:00$/],
    ['incompatible', /^⚠ vps — AuthBar version mismatch since 04:00$/],
    ['ok', /^… vps — connected$/],
  ];
  for (const [state, re] of cases) {
    const h = hostReport({ name: 'vps', state, since: NOW - 2 * HOUR });
    assert.match(menuModel(st([h]), ctx).find((i) => i.id === 'host:vps')?.label ?? '', re, state);
  }
  const old = hostReport({ name: 'vps', state: 'unreachable', since: NOW - 3 * DAY });
  assert.match(menuModel(st([old]), ctx).find((i) => i.id === 'host:vps')?.label ?? '', /unreachable for 3 d$/);
});

test('what a host sent is escaped: control characters visible, secrets masked, one line', () => {
  const evil = hostReport({
    name: 'vps',
    state: 'auth',
    message: 'denied\u001b[31m red\u202e\nsk-ant-oat01-' + 'Q'.repeat(80),
    fix: 'ssh-add\u0007',
  });
  const lines = flattenMenu(menuModel(st([evil]), ctx)).map((i) => i.label);
  const all = lines.join('\n');
  assert.doesNotMatch(all, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  assert.doesNotMatch(all, /Q{20}/);
  assert.ok(
    lines.some((x) => x.includes('\\x1b[31m') || x.includes('\\u001b')),
    all,
  );
});

test('a report whose name breaks the host-name rule gets no renew item', () => {
  const odd = { ...hostReport({ name: 'vps' }), name: 'vps --evil' };
  const items = flattenMenu(menuModel(st([odd]), ctx));
  assert.equal(
    items.some((i) => i.action?.kind === 'setup-token-host'),
    false,
  );
});

test(`more than ${INLINE_HOSTS} hosts fold into one submenu each`, () => {
  const many = ['a1', 'b2', 'c3', 'd4'].map((name) => hostReport({ name, state: 'ok', snapshot: remote }));
  const items = menuModel(st(many), ctx);
  const subs = items.filter((i) => i.id.startsWith('host:') && i.type === 'submenu');
  assert.equal(subs.length, 4);
  const first = subs[0] as MenuItemModel;
  assert.match(first.label, /^⚠ a1 — OpenClaw/);
  assert.deepEqual(labels(first.submenu ?? []).at(-1), 'Renew token on a1…');
});
