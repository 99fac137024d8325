/**
 * Agents the Clawdbot config lists exist before their first run: after the real
 * `clawdbot agents add work`, AuthBar shows `work` as an agent with no store yet (and writes
 * nothing for it), instead of "no agent named work".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { claudeCredentials, makeHome, runProcess, HOUR } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { Limiter, peerPath } from '../support/peers.js';
import { discoverAgentsDetailed } from '../../main/engine/gateways/clawdbot/agents.js';
import { resolvePaths } from '../../main/engine/paths.js';

const CLAWDBOT = peerPath('PEER_CLAWDBOT', 'clawdbot');
const limiter = new Limiter(1);

test(
  'clawdbot agents add work: status --agent work shows it with no store yet; sync writes nothing for it',
  { skip: CLAWDBOT ? false : 'needs the real Clawdbot (set PEER_CLAWDBOT)', timeout: 180_000 },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
    const add = await limiter.run(() =>
      runProcess(
        CLAWDBOT as string,
        ['agents', 'add', 'work', '--workspace', h.path('ws'), '--non-interactive', '--json'],
        h.env,
        { timeoutMs: 120_000 },
      ),
    );
    assert.equal(add.code, 0, add.stderr);
    assert.equal(existsSync(h.path('.clawdbot/agents/work/agent')), false, 'no agent dir until its first run');

    const r = await runCli(['status', '--agent', 'work'], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^work\s+\(no profiles\)\s+-\s+-\s+-\s+-\s+no store yet/m, r.stdout);
    const json = JSON.parse((await runCli(['status', '--json', '--agent', 'work', '--no-sync'], h.env)).stdout) as {
      agents: Array<{ agentId: string; passiveCode: string; storeStatus: string }>;
    };
    assert.deepEqual(
      json.agents.map((a) => [a.agentId, a.passiveCode, a.storeStatus]),
      [['work', 'awaiting-first-use', 'missing']],
    );
    // A full sync fills main and leaves work to Clawdbot (it copies main's store on first use).
    assert.equal((await runCli(['sync'], h.env)).code, 0);
    assert.ok(existsSync(h.path(h.agentStore('main'))));
    assert.equal(existsSync(h.path('.clawdbot/agents/work/agent')), false);
  },
);

test('configured agents: ids lowercased, a relative agentDir is not resolved against the working directory', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.clawdbot/clawdbot.json', {
    agents: {
      list: [
        { id: 'main' },
        { id: 'Ops', agentDir: 'rel/dir' },
        { id: 'far', agentDir: '~/elsewhere/agent' },
        { id: '../x' },
      ],
    },
  });
  const found = await discoverAgentsDetailed(resolvePaths(h.env));
  const byId = new Map(found.agents.map((a) => [a.agentId, a.agentDir]));
  assert.deepEqual([...byId.keys()].sort(), ['far', 'main', 'ops']);
  assert.equal(byId.get('ops'), h.path('.clawdbot', 'agents', 'ops', 'agent'));
  assert.equal(byId.get('far'), h.path('elsewhere', 'agent'));
});
