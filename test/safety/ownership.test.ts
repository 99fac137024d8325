/**
 * Ownership: run as root (sudo, a system cron), every file and directory AuthBar creates takes
 * the owner of the directory it is created in, and a replaced store keeps its owner. Run as a
 * user, a store owned by someone else or made read-only on purpose is not replaced: one
 * sentence names the owner and what to run. Real chown/chmod, real `nobody`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HOUR, claudeCredentials, makeHome, runAuthbar, secret, type TempHome } from '../support/home.js';
import { NOBODY, canDropPrivileges, chownTree, runAuthbarAsNobody } from '../support/fsutil.js';

const rootOnly = canDropPrivileges() ? false : 'needs root (to chown, and to run as nobody)';

function homeOwnedByNobody(t: { after: (fn: () => void) => void }): TempHome {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  // The gateway's state dir exists (the gateway creates it; AuthBar never does).
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 });
  chownTree(h.home);
  return h;
}

const storeOf = (h: TempHome) => h.path(h.agentStore());

test(
  'as root over a user-owned HOME: the agents and agent dirs and the store AuthBar creates belong to the HOME’s owner',
  { skip: rootOnly },
  async (t) => {
    const h = homeOwnedByNobody(t);
    const r = await runAuthbar(['sync'], h.env);
    assert.equal(r.code, 0, r.stderr);
    for (const rel of ['.clawdbot/agents', '.clawdbot/agents/main', '.clawdbot/agents/main/agent', h.agentStore()]) {
      const st = statSync(h.path(rel));
      assert.deepEqual([st.uid, st.gid], [NOBODY, NOBODY], `${rel} is owned by nobody`);
      assert.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, `${rel} is private`);
    }
    // The user's own gateway can still update it.
    const asUser = await runAuthbarAsNobody(['sync'], h.env);
    assert.equal(asUser.code, 0, asUser.stderr);
  },
);

test(
  'as root: a rewritten store keeps its owner and group (a rename must not hand it to root)',
  { skip: rootOnly },
  async (t) => {
    const h = homeOwnedByNobody(t);
    h.write(h.agentStore(), {
      version: 1,
      profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } },
    });
    chownTree(h.home, NOBODY, 100);
    const r = await runAuthbar(['sync'], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      JSON.parse(readFileSync(storeOf(h), 'utf8')).profiles['anthropic:claude-cli']?.type,
      'oauth',
      'it was rewritten',
    );
    const st = statSync(storeOf(h));
    assert.deepEqual([st.uid, st.gid], [NOBODY, 100]);
  },
);

test(
  'as a user: a store owned by another user is not replaced; the sentence names the owner and what to run (exit 73)',
  { skip: rootOnly },
  async (t) => {
    const h = homeOwnedByNobody(t);
    const store = h.write(
      h.agentStore(),
      { version: 1, profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } } },
      0o644,
    );
    chownTree(h.home);
    chownSync(store, 0, 0); // root's, readable by all, in nobody's directory
    const before = readFileSync(store);
    const r = await runAuthbarAsNobody(['sync'], h.env);
    assert.equal(r.code, 73, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.includes(store)) ?? '';
    assert.match(line, /belongs to root \(uid 0\)/);
    assert.match(line, /sudo -u/);
    assert.doesNotMatch(r.stderr, /try again|E[A-Z]{3,}/);
    assert.deepEqual(readFileSync(store), before);
    assert.equal(statSync(store).uid, 0);
  },
);

for (const who of ['a user', 'root'] as const) {
  test(
    `as ${who}: a store made read-only on purpose (0400) is not replaced; the sentence says how to allow it (exit 73)`,
    { skip: rootOnly },
    async (t) => {
      const h = homeOwnedByNobody(t);
      const store = h.write(h.agentStore(), { version: 1, profiles: {} }, 0o400);
      chownTree(h.home);
      const before = readFileSync(store);
      const r = who === 'root' ? await runAuthbar(['sync'], h.env) : await runAuthbarAsNobody(['sync'], h.env);
      assert.equal(r.code, 73, r.stderr);
      assert.match(r.stderr, /read-only \(mode 400\).*chmod u\+w/);
      assert.deepEqual(readFileSync(store), before);
      assert.equal(statSync(store).mode & 0o777, 0o400);
      chmodSync(store, 0o600);
      const again = who === 'root' ? await runAuthbar(['sync'], h.env) : await runAuthbarAsNobody(['sync'], h.env);
      assert.equal(again.code, 0, `control: writable again, it is written (${again.stderr})`);
      assert.equal(statSync(store).uid, NOBODY);
    },
  );
}

test(
  'as root: doctor --fix moving a store aside and the fresh store after it keep the user as owner',
  { skip: rootOnly },
  async (t) => {
    const h = homeOwnedByNobody(t);
    h.write(h.agentStore(), '{"version": 1, "profiles": {');
    chownTree(h.home);
    const r = await runAuthbar(['doctor', '--fix'], h.env);
    assert.notEqual(r.code, 70, r.stderr);
    const st = statSync(storeOf(h));
    assert.deepEqual([st.uid, st.gid], [NOBODY, NOBODY]);
    assert.equal(statSync(join(h.path('.clawdbot/agents/main/agent'))).uid, NOBODY);
  },
);
