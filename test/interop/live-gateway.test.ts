/**
 * `authbar status` against a real OpenClaw 2026.9.6 gateway (one per file, on a free loopback
 * port): the handshake and silent loopback pairing, the device identity and token kept in a
 * real keyring (gnome-keyring in a private D-Bus session), `models.authStatus` beside the file
 * verdicts, a token pasted while it runs seen as expiring, a wrong token refused, the gateway
 * stopped and started again, and no secret in any output or file. AuthBar runs on the peers'
 * Node 24 (Node 20 has no built-in WebSocket: that state is tested on its own).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Snapshot } from '../../common/snapshot.js';
import { AUTHBAR_BIN, assertNoSecrets, runAuthbar, secret, type CliResult } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import {
  NODE24,
  SKIP_GATEWAY,
  prepareGatewayHome,
  startOpenClawGateway,
  type GatewayHome,
  type OpenClawGateway,
} from '../support/openclaw-gateway.js';
import { openclawOk } from '../support/openclaw-peer.js';

const SKIP = SKIP_GATEWAY || keyringUnavailable() || false;

describe('live status from a running OpenClaw gateway', () => {
  let gh: GatewayHome | undefined;
  let gw: OpenClawGateway | undefined;
  const outputs: string[] = [];
  const longToken = secret('setup');
  const shortToken = secret('setup');

  const gateway = () => gw as OpenClawGateway;
  /** AuthBar on Node 24 in a keyring session whose keyring lives under `keyringHome`. */
  async function authbar(args: string[], env: Record<string, string>, keyringHome: string): Promise<CliResult> {
    const r = await runInKeyringSession(NODE24 as string, [AUTHBAR_BIN, ...args], keyringEnv(keyringHome, env), {
      timeoutMs: 90_000,
    });
    assertNoSecrets(`authbar ${args.join(' ')}`, r.stdout + r.stderr);
    outputs.push(r.stdout + r.stderr);
    return r;
  }
  const home = () => (gh as GatewayHome).home;
  const statusJson = async (env = gateway().clientEnv, keyringHome = home()): Promise<Snapshot> => {
    const r = await authbar(['status', '--json', '--no-sync'], env, keyringHome);
    assert.ok(r.stdout.startsWith('{'), `status --json printed: ${r.stdout.slice(0, 300)} ${r.stderr}`);
    return JSON.parse(r.stdout) as Snapshot;
  };
  const anthropic = (s: Snapshot) => s.live?.providers.find((p) => p.provider === 'anthropic');

  before(
    async () => {
      if (SKIP) return;
      gh = prepareGatewayHome();
      // A store that exists before the gateway starts (one created later is not seen: live-usage.test.ts).
      await openclawOk(
        [
          'models',
          'auth',
          'paste-token',
          '--provider',
          'anthropic',
          '--profile-id',
          'anthropic:long',
          '--expires-in',
          '30d',
        ],
        gh.env,
        `${longToken}\n`,
      );
      gw = await startOpenClawGateway({ home: gh });
      console.log(`# gateway start ${gw.lastStartMs} ms`);
    },
    { timeout: 420_000 },
  );
  after(async () => {
    await gw?.stop({ removeHome: true });
  });

  test(
    "connected: the gateway's own verdict and version beside the files; AuthBar pairs once",
    { skip: SKIP },
    async () => {
      const s = await statusJson();
      assert.equal(s.live?.state, 'connected', JSON.stringify(s.live));
      assert.deepEqual(s.live?.gateway, { url: gateway().url, version: '2026.9.6' });
      assert.equal(anthropic(s)?.status, 'ok');
      assert.deepEqual(
        anthropic(s)?.profiles.map((p) => [p.profileId, p.status]),
        [['anthropic:long', 'ok']],
      );
      assert.deepEqual(s.live?.disagreements, []);
      const text = await authbar(['status', '--no-sync'], gateway().clientEnv, home());
      assert.match(
        text.stdout,
        new RegExp(`Gateway \\(live\\): OpenClaw 2026\\.9\\.6 at ${gateway().url.replace(/[/.]/g, '\\$&')}`),
      );
      assert.match(text.stdout, /agrees with the files/);

      // A second run reuses the identity kept in the keyring: still one paired device, read-only.
      await statusJson();
      const devices = await openclawOk(['devices', 'list', '--json'], gateway().clientEnv);
      const listed = JSON.parse(devices.stdout.slice(devices.stdout.indexOf('{'))) as {
        paired?: Array<{ clientId: string; displayName?: string; scopes: string[] }>;
      };
      const ours = (listed.paired ?? []).filter((d) => d.displayName === 'AuthBar');
      assert.equal(ours.length, 1, JSON.stringify(listed.paired));
      assert.equal(ours[0]?.clientId, 'openclaw-probe');
      assert.deepEqual(ours[0]?.scopes, ['operator.read']);
    },
  );

  test('a token pasted while the gateway runs is seen at once, as expiring', { skip: SKIP }, async () => {
    await openclawOk(
      [
        'models',
        'auth',
        'paste-token',
        '--provider',
        'anthropic',
        '--profile-id',
        'anthropic:short',
        '--expires-in',
        '2h',
      ],
      gateway().env,
      `${shortToken}\n`,
    );
    const s = await statusJson();
    const short = anthropic(s)?.profiles.find((p) => p.profileId === 'anthropic:short');
    assert.equal(short?.status, 'expiring', JSON.stringify(anthropic(s)));
    assert.ok(
      short?.expiresAt !== null && Math.abs((short?.expiresAt ?? 0) - (Date.now() + 2 * 3_600_000)) < 5 * 60_000,
    );
    assert.deepEqual(s.live?.disagreements, [], 'the files and the gateway agree on both tokens');
  });

  test('a wrong token is refused with what to do; the file verdicts are still there', { skip: SKIP }, async () => {
    // A keyring that has never paired: nothing to fall back on.
    const wrong = { ...gateway().clientEnv, OPENCLAW_GATEWAY_TOKEN: 'not-the-gateway-token' };
    const s = await statusJson(wrong, join(home(), 'fresh-keyring'));
    assert.equal(s.live?.state, 'refused', JSON.stringify(s.live));
    assert.equal(s.live?.reasonCode, 'token-mismatch');
    assert.match(s.live?.fix ?? '', /OPENCLAW_GATEWAY_TOKEN/);
    assert.match(s.live?.fix ?? '', /openclaw gateway auth-token/);
    assert.ok(
      s.agents.some((a) => a.profiles.some((p) => p.profileId === 'anthropic:long')),
      'the file verdicts stay',
    );
    const text = await authbar(['status', '--no-sync'], wrong, join(home(), 'fresh-keyring'));
    assert.match(text.stdout, /anthropic:long/);
    assert.match(text.stdout, /refused/i);

    // The keyring that paired earlier holds the gateway's device token: as OpenClaw's own
    // client does on loopback, AuthBar retries with it.
    assert.equal((await statusJson(wrong)).live?.state, 'connected');
    // And with no shared token at all, the device token alone is enough.
    const none = { ...gateway().clientEnv };
    delete none['OPENCLAW_GATEWAY_TOKEN'];
    assert.equal((await statusJson(none)).live?.state, 'connected');
  });

  test(
    'the gateway stopped, then started again: not running (with the fix), then connected',
    { skip: SKIP },
    async () => {
      const check = async () => (await authbar(['status', '--check', '--no-sync'], gateway().clientEnv, home())).code;
      const codeUp = await check();
      await gateway().stop();
      const down = await statusJson();
      assert.equal(down.live?.state, 'not-running', JSON.stringify(down.live));
      assert.match(down.live?.fix ?? '', /openclaw gateway run/);
      assert.ok(down.agents.length > 0);
      assert.equal(await check(), codeUp, "--check's exit code is the files' verdict, up or down");
      await gateway().start();
      assert.equal((await statusJson()).live?.state, 'connected');
    },
  );

  test('--no-live and liveGateway: false do not ask; Node 20 says what it lacks', { skip: SKIP }, async () => {
    const quiet = await statusJson();
    assert.ok(quiet.live);
    const r = await authbar(['status', '--json', '--no-sync', '--no-live'], gateway().clientEnv, home());
    assert.equal((JSON.parse(r.stdout) as Snapshot).live, undefined);
    const settings = join(home(), 'live-off-settings.json');
    writeFileSync(settings, JSON.stringify({ liveGateway: false }));
    const off = await statusJson({ ...gateway().clientEnv, AUTHBAR_CONFIG: settings });
    assert.equal(off.live?.state, 'off');
    assert.equal(off.live?.reasonCode, 'setting');
    assert.deepEqual(off.live?.providers, []);
    // This process's Node (CI: 20) without a WebSocket, when there is one to ask.
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
      const old = await runAuthbar(['status', '--json', '--no-sync'], gateway().clientEnv);
      const live = (JSON.parse(old.stdout) as Snapshot).live;
      assert.equal(live?.state, 'unavailable');
      assert.equal(live?.reasonCode, 'no-websocket');
      assert.match(live?.fix ?? '', /Node 22/);
    }
  });

  test('no secret in any output, nor in any file AuthBar wrote', { skip: SKIP }, () => {
    const secrets = [gateway().token, longToken, shortToken];
    for (const out of outputs) for (const s of secrets) assert.ok(!out.includes(s), 'an output carries a secret');
    const mine = join(home(), '.config', 'authbar');
    const files: string[] = [];
    const walk = (dir: string): void => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const n of names) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(mine);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const s of secrets) assert.ok(!text.includes(s), `${f} carries a secret`);
      assert.ok(!text.includes('PRIVATE KEY'), `${f} carries a private key`);
    }
  });
});
