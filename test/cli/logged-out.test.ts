/**
 * A Clawdbot host whose agent holds a Claude login that expired two hours ago, after the user
 * logged out of Claude Code: nothing can refresh it any more. Built with the real Clawdbot
 * (which copies the login in) and the real Claude Code (`claude auth logout`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AUTHBAR_BIN, ROOT, claudeCredentials, makeHome, runProcess, HOUR, type TempHome } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { Limiter, peerPath, runClawdbot } from '../support/peers.js';

const CLAWDBOT = peerPath('PEER_CLAWDBOT', 'clawdbot');
const CLAUDE = peerPath('PEER_CLAUDE', 'claude');
const SKIP =
  !CLAWDBOT || !CLAUDE ? 'needs the real Clawdbot and Claude Code (set PEER_CLAWDBOT and PEER_CLAUDE)' : false;
const limiter = new Limiter(2);

/** The first snapshot `authbar watch --json` prints, then SIGTERM. */
async function firstWatchSnapshot(h: TempHome): Promise<{ overall: { attention: string } }> {
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--json', '--no-notify'], {
    env: h.env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch printed no snapshot: ${buf}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        for (const line of buf.split('\n').slice(0, -1)) {
          const e = JSON.parse(line) as { type: string; snapshot?: { overall: { attention: string } } };
          if (e.type === 'snapshot' && e.snapshot) {
            clearTimeout(timer);
            resolve(e.snapshot);
          }
        }
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
}

test(
  'logged out of Claude Code with an expired login in the agent: status, --check and watch say it is broken',
  { skip: SKIP, timeout: 240_000 },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() - 2 * HOUR }));
    // Clawdbot copies the (expired) login into agent main, then the user logs out of Claude Code.
    await runClawdbot(CLAWDBOT as string, limiter, ['models', 'status', '--json'], h.env);
    assert.equal(h.readJson(h.agentStore()).profiles['anthropic:claude-cli'].type, 'oauth');
    const logout = await runProcess(CLAUDE as string, ['auth', 'logout'], h.env, { timeoutMs: 60_000 });
    assert.equal(logout.code, 0, logout.stderr);
    assert.equal(existsSync(h.path('.claude', '.credentials.json')), false, 'claude auth logout removes the file');

    // The gateway's own verdict: broken.
    const own = await limiter.run(() =>
      runProcess(CLAWDBOT as string, ['models', 'status', '--check'], h.env, { timeoutMs: 90_000 }),
    );
    assert.equal(own.code, 1);

    const table = await runCli(['status'], h.env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Action needed now:$/m, table.stdout);
    assert.doesNotMatch(table.stdout, /All credentials healthy/);
    assert.match(
      table.stdout,
      /main\s+anthropic:claude-cli\s+oauth\s+claude-code\s+2 h( \d+ m)? ago\s+NOW\s+expired and Claude Code is logged out/,
    );
    // The source stays listed, with the command that logs in again.
    assert.match(table.stdout, /^Sources$/m, table.stdout);
    assert.match(
      table.stdout,
      /claude-code\s+logged out\s+no login at ~\/\.claude\/\.credentials\.json: log in with `claude`/,
    );

    // The README's cron recipe (`status --check || …`) fires.
    assert.equal((await runCli(['status', '--check'], h.env)).code, 1);
    assert.equal((await runCli(['status', '--check', '--strict'], h.env)).code, 1);
    const json = JSON.parse((await runCli(['status', '--json'], h.env)).stdout) as {
      agents: Array<{ profiles: Array<{ reasonCode: string; usable: boolean }> }>;
    };
    assert.equal(json.agents[0]?.profiles[0]?.reasonCode, 'source-logged-out');
    assert.equal(json.agents[0]?.profiles[0]?.usable, false);

    assert.equal((await firstWatchSnapshot(h)).overall.attention, 'now');
  },
);

test('still logged in: an expired access token with Claude Code present refreshes itself (ok, not an outage)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const creds = claudeCredentials({ expiresAt: Date.now() - 2 * HOUR });
  h.write('.claude/.credentials.json', creds);
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:claude-cli': {
        type: 'oauth',
        provider: 'anthropic',
        access: creds.claudeAiOauth['accessToken'],
        refresh: creds.claudeAiOauth['refreshToken'],
        expires: creds.claudeAiOauth['expiresAt'],
      },
    },
  });
  assert.equal((await runCli(['status', '--check', '--no-sync'], h.env)).code, 0);
  const table = (await runCli(['status', '--no-sync'], h.env)).stdout;
  assert.match(table, /claude-code\s+2 h( \d+ m)? ago\s+ok\s+access token expired; refreshes on next use/);
  assert.match(table, /claude-code\s+ok\s+oauth .*, expired 2 h( \d+ m)? ago/);
  assert.doesNotMatch(table, /expires in expired/);
});
