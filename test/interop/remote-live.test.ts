/**
 * The live view of an OpenClaw host without AuthBar, over a real OpenSSH server: a real gateway
 * runs in the remote HOME (its port and token in its own config, as `openclaw onboard` leaves
 * them), AuthBar reads the config over ssh, forwards a free local port to the gateway's
 * loopback port on the shared connection, and asks it with the live client. The gateway's
 * token is held in memory only (no argv, no environment, never printed); the view names the
 * gateway where it really is; a stopped gateway is `not-running`, named on its host. The asking
 * side runs on OpenClaw's Node 24 (built-in WebSocket), with its device identity in memory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LiveView } from '../../common/snapshot.js';
import { assertNoSecrets, makeHome, ROOT, runProcess, secret } from '../support/home.js';
import {
  NODE24,
  SKIP_GATEWAY,
  freePort,
  prepareGatewayHome,
  startOpenClawGateway,
  type OpenClawGateway,
} from '../support/openclaw-gateway.js';
import { openclawOk } from '../support/openclaw-peer.js';
import { watchProcesses } from '../support/proc-watch.js';
import { startSshd, sshdMissing, type Sshd } from '../support/sshd.js';

const SKIP = sshdMissing() ?? SKIP_GATEWAY;

/** Asks remoteLive from a Node 24 child (this process may be Node 20, which has no WebSocket). */
const DRIVER = `
import { remoteLive } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'main', 'engine', 'hosts', 'remote-live.js')).href)};
const map = new Map();
const secrets = { get: async (k) => map.get(k) ?? null, set: async (k, v) => void map.set(k, v), remove: async (k) => void map.delete(k) };
const view = await remoteLive({ name: 'vps', ssh: process.argv[1] }, {
  env: process.env, platform: 'linux', now: () => Date.now(), clientVersion: '0.0.0-test', owner: 'cli',
  secrets: () => secrets, timeoutMs: 20000, sshTimeoutMs: 120000,
});
// The ssh master outlives this run (ControlPersist): leave without waiting for its pipes.
process.stdout.write(JSON.stringify(view), () => process.exit(0));
`;

describe('the live view of a remote OpenClaw host over ssh', { skip: SKIP }, () => {
  let sshd: Sshd | undefined;
  let gw: OpenClawGateway | undefined;
  const gwToken = `gw-remote-${randomBytes(18).toString('base64url')}`;
  const paste = secret('setup');
  const local = makeHome('authbar-rlive-');

  before(
    async () => {
      sshd = await startSshd({ peers: ['openclaw'] });
      const gh = prepareGatewayHome(sshd.remote.home);
      const port = await freePort();
      await openclawOk(['config', 'set', 'gateway.auth.token', gwToken], gh.env);
      await openclawOk(['config', 'set', 'gateway.port', String(port), '--strict-json'], gh.env);
      const args = [
        'models',
        'auth',
        'paste-token',
        '--provider',
        'anthropic',
        '--profile-id',
        'anthropic:setup-token',
      ];
      await openclawOk([...args, '--expires-in', '30d'], gh.env, `${paste}\n`);
      gw = await startOpenClawGateway({ home: gh, token: gwToken, port });
      console.log(`# gateway start ${gw.lastStartMs} ms`);
    },
    { timeout: 420_000 },
  );
  after(async () => {
    await gw?.stop();
    await sshd?.close();
    local.cleanup();
  });

  async function ask(): Promise<LiveView> {
    const s = sshd as Sshd;
    const env = s.clientEnv(local.env);
    // The test's own gateway holds its token by design (the harness starts it with it): not judged.
    const watch = watchProcesses(
      () => [gwToken, paste],
      100,
      (environ) => environ.split('\0').includes('OPENCLAW_EXEC_SHELL_SNAPSHOT=0'),
    );
    const r = await runProcess(NODE24 as string, ['--input-type=module', '-e', DRIVER, s.alias], env, {
      timeoutMs: 180_000,
    });
    assert.deepEqual(watch.stop(), [], "no process held the gateway's token or the pasted token in argv or env");
    assert.equal(r.code, 0, r.stderr.slice(-1500));
    assert.ok(!r.stdout.includes(gwToken), "the gateway's token is never printed");
    assertNoSecrets('remoteLive', r.stdout + r.stderr);
    return LiveView.parse(JSON.parse(r.stdout));
  }

  test("connected: the gateway's own verdict, named where it runs", { timeout: 300_000 }, async () => {
    const g = gw as OpenClawGateway;
    const v = await ask();
    assert.equal(v.state, 'connected', JSON.stringify(v));
    assert.deepEqual(v.gateway, { url: `${g.url} on vps`, version: '2026.9.6' });
    assert.equal(v.agentId, 'main');
    const anthropic = v.providers.find((p) => p.provider === 'anthropic');
    assert.deepEqual(
      anthropic?.profiles.map((p) => [p.profileId, p.status]),
      [['anthropic:setup-token', 'ok']],
    );
    assert.deepEqual(v.disagreements, [], 'no files to compare with: none claimed');
    // The forward was cancelled: the shared connection holds no port for it any more.
    const again = await ask();
    assert.equal(again.state, 'connected');
  });

  test('a stopped gateway is not-running, named on its host', { timeout: 300_000 }, async () => {
    const g = gw as OpenClawGateway;
    await g.stop();
    const v = await ask();
    assert.equal(v.state, 'not-running', JSON.stringify(v));
    assert.ok(v.message?.includes(`${g.url} on vps`), v.message ?? '');
  });
});

describe(
  "HostsWatch's remoteLive (remoteLiveAsk) over a real ssh server",
  { skip: sshdMissing() ?? (NODE24 ? false : SKIP_GATEWAY) },
  () => {
    // A generous ssh budget: this file's gateway may be starting beside it on a crowded machine.
    test('a host without openclaw has no live view (null); a withdrawn question asks nothing', async (t) => {
      const s = await startSshd({ authbar: false });
      const home = makeHome('authbar-rlive-');
      t.after(async () => {
        await s.close();
        home.cleanup();
      });
      const driver = `
import { remoteLiveAsk } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'main', 'engine', 'hosts', 'remote-live.js')).href)};
import { sshControlDir } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'main', 'engine', 'hosts', 'ssh-command.js')).href)};
const ask = remoteLiveAsk({ platform: 'linux', now: () => Date.now(), clientVersion: '0.0.0-test', owner: 'cli', sshTimeoutMs: 120000 });
const entry = { name: 'bare', ssh: process.argv[1] };
const controlDir = sshControlDir(process.env);
const none = await ask(entry, { env: process.env, controlDir, signal: new AbortController().signal });
const aborted = new AbortController();
aborted.abort();
const withdrawn = await ask(entry, { env: process.env, controlDir, signal: aborted.signal });
process.stdout.write(JSON.stringify({ none, withdrawn }), () => process.exit(0));
`;
      const r = await runProcess(
        NODE24 as string,
        ['--input-type=module', '-e', driver, s.alias],
        s.clientEnv(home.env),
        {
          timeoutMs: 120_000,
        },
      );
      assert.equal(r.code, 0, r.stderr.slice(-1500));
      assert.deepEqual(JSON.parse(r.stdout), { none: null, withdrawn: null });
    });
  },
);
