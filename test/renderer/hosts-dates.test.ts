/**
 * The window's host sections from a hostile host's report: times no Date can hold (`1e300`
 * passes the schema) are said in words; Intl would throw and leave the window blank.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostSection } from '../../renderer/view/hosts.js';
import { hostReport } from '../support/hosts.js';
import { agent, DAY, NOW, setupToken, snapshot } from '../support/snapshots.js';

test("a host's absurd times are said in words, never thrown", () => {
  const token = {
    firstSeenAt: 1e300,
    ageMs: DAY,
    mintedAt: 1e300,
    expiresAt: 1e300,
    expiryKind: 'recorded' as const,
    inVault: false,
    renewCommand: 'authbar setup-token --host vps',
  };
  const p = setupToken('anthropic:default', 1e300, 'none', { token, cooldownUntil: -1e300 });
  const snap = snapshot({ agents: [agent('main', [p])], generatedAt: NOW });
  const h = hostReport({ name: 'vps', state: 'unreachable', since: 1e300, lastSeenAt: 1e300, snapshot: snap });
  const fmt = { locale: 'en-US', timeZone: 'UTC' };
  const section = hostSection(h, NOW, fmt);
  const text = JSON.stringify(section);
  assert.match(text, /the far future/);
  assert.doesNotMatch(text, /Invalid/);
});
