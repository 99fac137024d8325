import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { claudeCredentials, makeHome, runAuthbar, HOUR } from '../support/home.js';

test('status syncs a Claude Code login into the default agent and reports it', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const r = await runAuthbar(['status', '--plain'], h.env);
  assert.equal(r.code, 0, r.stderr);
  const [row] = r.stdout.trim().split('\n');
  const cols = (row ?? '').split('\t');
  assert.deepEqual(
    [cols[0], cols[1], cols[2], cols[3], cols[7]],
    ['main', 'anthropic:claude-cli', 'oauth', 'claude-code', 'none'],
  );
  const store = h.readJson(h.agentStore());
  assert.equal(store.profiles['anthropic:claude-cli'].type, 'oauth');
});

test('an unknown option is a usage error with exit 64', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const r = await runAuthbar(['status', '--bogus'], h.env);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /unknown option --bogus/);
  assert.match(r.stderr, /usage: authbar/);
});
