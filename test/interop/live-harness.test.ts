/**
 * The live-gateway harness itself, against the real OpenClaw 2026.9.6: a gateway started in a
 * temp home with a token pasted BEFORE it starts (a store created after start is not seen),
 * Claude's usage endpoint served offline through the CONNECT proxy, and `models.authStatus`
 * read over the gateway's WebSocket as a device-signed operator. Pins down how the canned
 * usage JSON becomes `usage.windows` (the live client's tests rely on this mapping), that a
 * 401 empties the windows without waiting out the 60 s cache, and that stop()/start() restart
 * on the same port and leave no process behind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { assertNoSecrets, secret } from '../support/home.js';
import { openclawOk } from '../support/openclaw-peer.js';
import {
  SKIP_GATEWAY,
  prepareGatewayHome,
  startOpenClawGateway,
  type GatewayHome,
  type OpenClawGateway,
} from '../support/openclaw-gateway.js';
import { proxyEnv, startUsageProxy, type ClaudeUsageJson, type UsageProxy } from '../support/usage-proxy.js';

function opensslMissing(): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl is not installed (apt-get install openssl)';
  }
}
const SKIP = SKIP_GATEWAY || opensslMissing();

const FIVE_HOUR_RESET = '2026-12-06T17:00:00Z';
const WEEK_RESET = '2026-12-10T09:30:00.000Z';
const LIMIT_RESET = '2026-12-08T00:00:00+00:00';

/** Every field OpenClaw reads, plus the cases it drops (inactive limit, duplicate label). */
const CANNED: ClaudeUsageJson = {
  five_hour: { utilization: 42.5, resets_at: FIVE_HOUR_RESET },
  seven_day: { utilization: 73, resets_at: WEEK_RESET },
  seven_day_opus: { utilization: 12, resets_at: WEEK_RESET },
  limits: [
    { is_active: true, percent: 150, resets_at: LIMIT_RESET, scope: { model: { display_name: 'Claude Haiku' } } },
    { is_active: false, percent: 99, resets_at: LIMIT_RESET, scope: { model: { display_name: 'Inactive' } } },
    { is_active: true, percent: 5, resets_at: LIMIT_RESET, scope: { model: { display_name: 'week' } } },
  ],
  extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 1234, currency: 'eur' },
};

/** What OpenClaw 2026.9.6 makes of CANNED in models.authStatus (provider-usage.fetch.claude). */
const EXPECTED_WINDOWS = [
  { label: '5h', usedPercent: 42.5, resetAt: Date.parse(FIVE_HOUR_RESET) },
  { label: 'Week', usedPercent: 73, resetAt: Date.parse(WEEK_RESET) },
  { label: 'Opus', usedPercent: 12 },
  { label: 'Claude Haiku', usedPercent: 100, resetAt: Date.parse(LIMIT_RESET) },
];
const EXPECTED_BILLING = [{ type: 'budget', used: 12.34, limit: 50, unit: 'EUR', period: 'month' }];

interface Window {
  label: string;
  usedPercent: number;
  resetAt?: number;
}
interface ProviderView {
  provider: string;
  status: string;
  profiles: Array<{ profileId: string; type: string; status: string }>;
  usage?: { providerId?: string; windows: Window[]; billing?: unknown[]; plan?: unknown };
}
interface AuthStatus {
  ts: number;
  providers: ProviderView[];
  unavailable?: { code: string };
}

async function authStatus(gw: OpenClawGateway, params: object = {}): Promise<ProviderView> {
  const a = await gw.call<AuthStatus>('models.authStatus', params);
  assert.equal(a.ok, true, `models.authStatus failed: ${JSON.stringify(a.error)}`);
  const p = a.payload?.providers.find((x) => x.provider === 'anthropic');
  assert.ok(p, `no anthropic provider in ${JSON.stringify(a.payload).slice(0, 800)}`);
  return p;
}

/** Pids of live processes whose working directory is dir (the harness starts the gateway there). */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readlinkSync(`/proc/${e}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Polls authStatus until `done` holds (the usage fetch runs in the background). */
async function authStatusUntil(
  gw: OpenClawGateway,
  done: (p: ProviderView) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<ProviderView> {
  const deadline = Date.now() + timeoutMs;
  let last: ProviderView | undefined;
  while (Date.now() < deadline) {
    last = await authStatus(gw);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`${what}: still ${JSON.stringify(last?.usage)} after ${timeoutMs} ms`);
}

// Each test skips on its own (a skipped describe reports no skipped test on Node 20).
describe('live harness: a real OpenClaw gateway with Claude usage served offline', () => {
  let proxy: UsageProxy | undefined;
  let gh: GatewayHome | undefined;
  let gw: OpenClawGateway | undefined;
  const token = secret('setup');

  before(
    async () => {
      if (SKIP) return;
      proxy = await startUsageProxy(CANNED);
      gh = prepareGatewayHome();
      const t0 = Date.now();
      await openclawOk(
        ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '2h'],
        gh.env,
        `${token}\n`,
      );
      const pasteMs = Date.now() - t0;
      gw = await startOpenClawGateway({ home: gh, env: proxyEnv(proxy) });
      console.log(
        `# paste-token ${pasteMs} ms; gateway start ${gw.lastStartMs} ms (log says ready at ${gw.lastReadyLogMs} ms)`,
      );
    },
    { timeout: 420_000 },
  );

  after(async () => {
    await gw?.stop({ removeHome: true });
    await proxy?.close();
  });

  test('hello-ok as an operator with operator.read, on the port it was given', { skip: SKIP }, async () => {
    const g = gw as OpenClawGateway;
    const s = await g.session([]);
    assert.equal(s.hello.protocol, 4);
    assert.equal(s.hello.role, 'operator');
    assert.ok(s.hello.scopes.includes('operator.read'), JSON.stringify(s.hello));
    assert.equal(g.url, `ws://127.0.0.1:${g.port}/`);
    assert.ok(g.running());
  });

  test('models.authStatus: no usage on the cold call, then the canned windows', { skip: SKIP }, async () => {
    const g = gw as OpenClawGateway;
    const p = proxy as UsageProxy;
    const t0 = Date.now();
    const cold = await authStatus(g);
    const callMs = Date.now() - t0;
    console.log(`# models.authStatus (fresh session each) ${callMs} ms`);
    assert.equal(cold.status, 'expiring');
    assert.deepEqual(
      cold.profiles.map((x) => [x.profileId, x.type, x.status]),
      [['anthropic:manual', 'token', 'expiring']],
    );
    // The ready probe never asks for auth status, so this was the first: no usage yet.
    assert.equal(cold.usage, undefined, 'the cold call has no usage key at all');

    await p.waitForRequests(1);
    const warm = await authStatusUntil(g, (x) => (x.usage?.windows.length ?? 0) > 0, 'windows after the fetch');
    assert.deepEqual(warm.usage?.windows, EXPECTED_WINDOWS);
    assert.deepEqual(warm.usage?.billing, EXPECTED_BILLING);
    assert.equal(warm.usage?.providerId, 'anthropic');
    assert.equal(p.requests.lastHadBearer, true);
    assert.equal(p.requests.otherPaths, 0);
  });

  test(
    'a 401 empties the windows at the next refresh, without waiting out the 60 s cache',
    { skip: SKIP },
    async () => {
      const g = gw as OpenClawGateway;
      const p = proxy as UsageProxy;
      p.setFailure(401);
      const before = p.requests.count;
      // {refresh:true} starts a fetch but answers from the cache: still the old windows.
      const cached = await authStatus(g, { refresh: true });
      assert.deepEqual(cached.usage?.windows, EXPECTED_WINDOWS);
      await p.waitForRequests(before + 1);
      const failed = await authStatusUntil(g, (x) => x.usage?.windows.length === 0, 'empty windows after a 401');
      assert.equal(failed.status, 'expiring', 'a failed usage fetch leaves the auth status alone');
      // The reason (HTTP 401) is not in models.authStatus: only usage.status carries it.
      assert.deepEqual(failed.usage, { providerId: 'anthropic', windows: [] });

      // Bad JSON reads the same way; then a good answer brings the windows back.
      p.setFailure('bad-json');
      const n = p.requests.count;
      await authStatus(g, { refresh: true });
      await p.waitForRequests(n + 1);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual((await authStatus(g)).usage?.windows, []);

      p.setFailure(null);
      p.setUsage({ five_hour: { utilization: 1, resets_at: FIVE_HOUR_RESET } });
      const m = p.requests.count;
      await authStatus(g, { refresh: true });
      await p.waitForRequests(m + 1);
      const back = await authStatusUntil(g, (x) => (x.usage?.windows.length ?? 0) > 0, 'windows back');
      assert.deepEqual(back.usage?.windows, [{ label: '5h', usedPercent: 1, resetAt: Date.parse(FIVE_HOUR_RESET) }]);
    },
  );

  test('only api.anthropic.com is tunnelled; the token never reaches the logs', { skip: SKIP }, () => {
    const p = proxy as UsageProxy;
    const g = gw as OpenClawGateway;
    console.log(`# refused through the proxy: ${p.requests.refused.join(', ') || 'nothing'}`);
    assert.ok(!p.requests.refused.some((h) => h.startsWith('api.anthropic.com:443')), p.requests.refused.join());
    const logs = g.logText();
    assert.match(logs, /\[gateway\] ready/);
    assertNoSecrets('the gateway log', logs);
    const logFile = (gh as GatewayHome).logFile;
    assert.ok(
      logFile && existsSync(logFile) && readFileSync(logFile, 'utf8').length > 0,
      'the file log is in the home',
    );
  });

  test('stop() ends the whole process group; start() comes back on the same port', { skip: SKIP }, async () => {
    const g = gw as OpenClawGateway;
    const port = g.port;
    assert.ok(processesIn(g.home).length > 0, 'the check below sees the running gateway');
    await g.stop();
    assert.equal(g.running(), false);
    assert.deepEqual(processesIn(g.home), [], 'no gateway process (nor its spawn broker) outlives stop()');
    await assert.rejects(g.session([], { timeoutMs: 5_000 }));
    await g.start();
    console.log(`# gateway restart ${g.lastStartMs} ms (log says ready at ${g.lastReadyLogMs} ms)`);
    assert.equal(g.port, port);
    const again = await authStatus(g);
    assert.deepEqual(
      again.profiles.map((x) => x.profileId),
      ['anthropic:manual'],
    );
  });
});
