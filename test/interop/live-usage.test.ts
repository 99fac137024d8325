/**
 * Usage windows end to end through `authbar`, against ONE real OpenClaw 2026.9.6 gateway whose
 * Claude usage fetch goes to the test's proxy (DESIGN §2d). The gateway starts with NO credential
 * store; a token pasted afterwards is a disagreement whose printed fix is run as the user would.
 * Then: the cold cache, the canned windows in JSON and text, the 80 %, 95 %, used-up and reset
 * notices from the real policy fed with real snapshots, an endpoint error, and no secret in any
 * output or AuthBar file. The tests run in order and share the gateway.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AUTHBAR_BIN, DAY, HOUR, assertNoSecrets, runProcess, secret, type CliResult } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import { openclawOk } from '../support/openclaw-peer.js';
import {
  NODE24,
  OPENCLAW,
  SKIP_GATEWAY,
  prepareGatewayHome,
  startOpenClawGateway,
} from '../support/openclaw-gateway.js';
import type { OpenClawGateway } from '../support/openclaw-gateway.js';
import { proxyEnv, startUsageProxy, type ClaudeUsageJson, type UsageProxy } from '../support/usage-proxy.js';
import { clockText } from '../../common/live-usage.js';
import type { LiveProviderView, Snapshot } from '../../common/snapshot.js';
import { emptyPolicyState, observe, type PolicyContext, type PolicyState } from '../../main/engine/notify/policy.js';
import type { Notice } from '../../main/engine/notify/notices.js';

function opensslMissing(): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl is not installed (apt-get install openssl)';
  }
}
const SKIP = SKIP_GATEWAY || keyringUnavailable() || opensslMissing();

const MIN = 60_000;
/** The 5 h window's first reset, two hours ahead (whole minutes: the text shows HH:MM). */
const RESET1 = Math.ceil((Date.now() + 2 * HOUR) / MIN) * MIN;
const RESET2 = RESET1 + 5 * HOUR;
const WEEK_RESET = Math.ceil((Date.now() + 3 * DAY) / MIN) * MIN;
const iso = (at: number) => new Date(at).toISOString();
const usage = (pct: number, reset = RESET1): ClaudeUsageJson => ({
  five_hour: { utilization: pct, resets_at: iso(reset) },
  seven_day: { utilization: 73, resets_at: iso(WEEK_RESET) },
  seven_day_opus: { utilization: 12, resets_at: iso(WEEK_RESET) },
});

describe('usage windows from a real OpenClaw gateway, through authbar', { concurrency: 1 }, () => {
  let proxy: UsageProxy | undefined;
  let gw: OpenClawGateway | undefined;
  let env: Record<string, string> = {};
  const token = secret('setup');
  /** Every authbar run's output, for the secret check at the end. */
  const outputs: string[] = [];
  let coldSnapshot: Snapshot | undefined;
  let coldRequests = -1;

  /** `authbar <args>` on Node 24 in the test keyring's D-Bus session, timed. */
  async function authbar(args: string[]): Promise<CliResult & { ms: number }> {
    const t0 = Date.now();
    const r = await runInKeyringSession(NODE24 as string, [AUTHBAR_BIN, ...args], env, { timeoutMs: 120_000 });
    const ms = Date.now() - t0;
    outputs.push(r.stdout, r.stderr);
    // LIVE_USAGE_ECHO=1 shows what a user would see (the text runs).
    if (process.env['LIVE_USAGE_ECHO'] && !args.includes('--json')) console.log(r.stdout + r.stderr);
    assertNoSecrets(`authbar ${args.join(' ')}`, r.stdout + r.stderr);
    assert.equal(r.code, 0, `authbar ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return { ...r, ms };
  }
  async function statusJson(): Promise<Snapshot> {
    const r = await authbar(['status', '--json']);
    console.log(`# authbar status --json ${r.ms} ms`);
    return JSON.parse(r.stdout) as Snapshot;
  }
  const claude = (s: Snapshot): LiveProviderView | undefined =>
    s.live?.providers.find((p) => p.provider === 'anthropic');

  /** Serves `body` (or a failure) from now on and waits until authbar's status shows it. */
  async function serve(change: () => void, done: (p: LiveProviderView) => boolean, what: string): Promise<Snapshot> {
    const p = proxy as UsageProxy;
    change();
    const n = p.requests.count;
    // {refresh: true} starts a fetch, for the agent authbar asks about, and answers from the cache.
    const kick = await (gw as OpenClawGateway).call('models.authStatus', { refresh: true, agentId: 'main' });
    assert.equal(kick.ok, true, JSON.stringify(kick.error));
    await p.waitForRequests(n + 1);
    const deadline = Date.now() + 30_000;
    let last: Snapshot | undefined;
    while (Date.now() < deadline) {
      last = await statusJson();
      const c = claude(last);
      if (c && done(c)) return last;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`${what}: authbar still shows ${JSON.stringify(last?.live)}`);
  }

  before(
    async () => {
      if (SKIP) return;
      proxy = await startUsageProxy(usage(42));
      const gh = prepareGatewayHome();
      gw = await startOpenClawGateway({ home: gh, env: proxyEnv(proxy) });
      console.log(`# gateway start ${gw.lastStartMs} ms (log says ready at ${gw.lastReadyLogMs} ms)`);
      // TZ pins the clock times the text shows.
      env = keyringEnv(gw.home, { ...gw.clientEnv, TZ: 'UTC' });
    },
    { timeout: 420_000 },
  );

  after(async () => {
    await gw?.stop({ removeHome: true });
    await proxy?.close();
  });

  test('a token pasted after the gateway started: a disagreement whose printed fix works', { skip: SKIP }, async () => {
    const g = gw as OpenClawGateway;
    // No credential store when it started: it lists no Anthropic profile.
    const pre = await g.call<{ providers: Array<{ provider: string; profiles: unknown[] }> }>('models.authStatus', {
      agentId: 'main',
    });
    assert.equal(pre.ok, true, JSON.stringify(pre.error));
    const preClaude = pre.payload?.providers.find((p) => p.provider === 'anthropic');
    assert.deepEqual(preClaude?.profiles ?? [], [], JSON.stringify(pre.payload));
    let t0 = Date.now();
    await openclawOk(
      ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '30d'],
      g.env,
      `${token}\n`,
    );
    console.log(`# paste-token ${Date.now() - t0} ms`);

    const before = await statusJson();
    assert.equal(before.live?.state, 'connected', JSON.stringify(before.live));
    const main = before.agents.find((a) => a.agentId === 'main');
    const profileId = main?.profiles.find((p) => p.provider === 'anthropic')?.profileId;
    assert.ok(profileId, JSON.stringify(before.agents));
    const d = before.live?.disagreements.find((x) => x.profileId === profileId);
    assert.ok(d, `no disagreement for ${profileId}: ${JSON.stringify(before.live)}`);
    assert.equal(d.files, 'ok');
    assert.equal(d.gateway, 'absent');
    assert.match(d.fix, /openclaw gateway call models\.authRefresh/);

    const shown = await authbar(['status']);
    assert.match(shown.stdout, new RegExp(`${profileId} — files: ok, gateway: absent\\. Fix: .*models\\.authRefresh`));

    // The exact command AuthBar prints, in a shell, with the gateway's environment and token.
    const command = /`(openclaw gateway call models\.authRefresh[^`]*)`/.exec(d.fix)?.[1];
    assert.ok(command, d.fix);
    t0 = Date.now();
    const fix = await runProcess(
      'sh',
      ['-c', command],
      {
        ...g.clientEnv,
        PATH: `${dirname(OPENCLAW as string)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      },
      { timeoutMs: 180_000 },
    );
    console.log(`# the fix (${command}) ${Date.now() - t0} ms, exit ${fix.code}`);
    assertNoSecrets('openclaw gateway call', fix.stdout + fix.stderr);
    assert.equal(fix.code, 0, fix.stderr + fix.stdout);

    coldRequests = (proxy as UsageProxy).requests.count;
    const after = await statusJson();
    coldSnapshot = after;
    assert.deepEqual(after.live?.disagreements, [], JSON.stringify(after.live?.disagreements));
    assert.deepEqual(
      claude(after)?.profiles.map((p) => p.profileId),
      [profileId],
    );
  });

  test(
    'usage: none on the cold cache (said so), then the canned windows in JSON and text',
    { skip: SKIP },
    async () => {
      const cold = claude(coldSnapshot as Snapshot);
      assert.equal(coldRequests, 0, 'nothing had fetched usage before that status');
      assert.deepEqual(cold?.usage, []);
      assert.match(cold?.usageNote ?? '', /No usage reported yet/);

      const p = proxy as UsageProxy;
      await p.waitForRequests(1);
      const deadline = Date.now() + 30_000;
      let warm: LiveProviderView | undefined;
      while (Date.now() < deadline && (warm?.usage.length ?? 0) === 0) warm = claude(await statusJson());
      assert.deepEqual(warm?.usage, [
        { label: '5h', usedPercent: 42, resetsAt: RESET1 },
        { label: 'Week', usedPercent: 73, resetsAt: WEEK_RESET },
        { label: 'Opus', usedPercent: 12, resetsAt: null },
      ]);
      assert.equal(warm?.usageNote, null);
      assert.equal(p.requests.lastHadBearer, true);

      const text = await authbar(['status']);
      console.log(`# authbar status ${text.ms} ms`);
      const hm = clockText(RESET1, Date.now(), { timeZone: 'UTC' });
      const line = text.stdout.split('\n').find((l) => /Claude 5 h/.test(l));
      assert.match(text.stdout, /^Usage$/m, text.stdout);
      assert.ok(line, text.stdout);
      assert.match(line, new RegExp(`Claude 5 h\\s+42 %\\s+resets ${hm}$`), line);
      assert.match(text.stdout, /Claude Week\s+73 %/, text.stdout);
    },
  );

  test('notices from real snapshots: 80 %, 95 %, used up, reset; each once', { skip: SKIP }, async () => {
    const p = proxy as UsageProxy;
    let state: PolicyState = emptyPolicyState();
    const ctx = (now: number): PolicyContext => ({
      now,
      repeatMs: 24 * HOUR,
      tokenReminderMs: DAY,
      coalesceMs: 0,
      utcOffsetMinutes: 0,
    });
    const feed = (s: Snapshot, now: number): Notice[] => {
      const step = observe(state, s, ctx(now));
      state = step.state;
      // The same snapshot again a minute on: nothing new (dedupe).
      const again = observe(state, s, ctx(now + MIN));
      assert.deepEqual(again.notices, [], `repeated: ${JSON.stringify(again.notices)}`);
      state = again.state;
      return step.notices;
    };
    const steps: Array<[number, number, RegExp]> = [
      [85, 80, /Claude 5 h window at 85 %/],
      [96, 95, /Claude 5 h window at 96 %/],
      [100, 100, /Claude 5 h window used up/],
    ];
    // At 42 %: no usage notice (file notices, e.g. a provider the agent lacks, may come once).
    const base = feed(await statusJson(), Date.now());
    assert.deepEqual(
      base.filter((n) => n.key.startsWith('usage:')),
      [],
      'nothing at 42 %',
    );
    console.log(`# 42 %: ${base.map((n) => `${n.key} "${n.title}"`).join('; ')}`);
    for (const [pct, stage, title] of steps) {
      const s = await serve(
        () => p.setUsage(usage(pct)),
        (c) => c.usage[0]?.usedPercent === pct,
        `${pct} %`,
      );
      const notices = feed(s, s.generatedAt);
      console.log(`# ${pct} %: ${notices.map((n) => `${n.key} "${n.title}"`).join('; ')}`);
      assert.equal(notices.length, 1, JSON.stringify(notices));
      const n = notices[0] as Notice;
      assert.equal(n.key, `usage:anthropic/5h:${stage === 100 ? 'now' : 'soon'}-${stage}`);
      assert.match(n.title, title);
      assert.match(n.title, /resets \d\d:\d\d/);
    }
    // The reset: a later reset time and 3 %, seen once the old reset has passed.
    const s = await serve(
      () => p.setUsage(usage(3, RESET2)),
      (c) => c.usage[0]?.resetsAt === RESET2,
      'after the reset',
    );
    assert.equal(claude(s)?.usage[0]?.usedPercent, 3);
    const notices = feed(s, RESET1 + MIN);
    console.log(`# reset: ${notices.map((n) => `${n.key} "${n.title}"`).join('; ')}`);
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.equal(notices[0]?.key, 'usage:anthropic/5h:recovered');
    assert.match(notices[0]?.title ?? '', /Claude 5 h window has reset/);
  });

  test('an endpoint error: no windows, said so in JSON and text; file verdicts stay', { skip: SKIP }, async () => {
    const p = proxy as UsageProxy;
    const s = await serve(
      () => p.setFailure(401),
      (c) => c.usage.length === 0,
      'empty windows after a 401',
    );
    const c = claude(s) as LiveProviderView;
    assert.equal(s.live?.state, 'connected');
    assert.match(c.usageNote ?? '', /no usage windows/);
    const main = s.agents.find((a) => a.agentId === 'main');
    assert.deepEqual(
      main?.profiles.filter((x) => x.provider === 'anthropic').map((x) => x.status),
      ['ok'],
    );
    const text = await authbar(['status']);
    assert.match(text.stdout, /^Usage$/m, text.stdout);
    assert.match(text.stdout, /Claude: The gateway reports no usage windows/, text.stdout);
    assert.doesNotMatch(text.stdout, /Claude 5 h/);
    assert.match(text.stdout, /anthropic:manual/);
  });

  test('no secret in any authbar output nor in any file AuthBar wrote', { skip: SKIP }, () => {
    const g = gw as OpenClawGateway;
    // Any 16-character run of either counts, as in assertNoSecrets: a partial leak is a leak.
    const pieces = [token, g.token].flatMap((x) =>
      Array.from({ length: Math.floor((x.length - 16) / 8) + 1 }, (_, i) => x.slice(i * 8, i * 8 + 16)),
    );
    const leaks = (text: string) => pieces.some((x) => text.includes(x));
    assert.ok(outputs.length > 0);
    assert.ok(!outputs.some(leaks), 'an authbar output carried the setup token or the gateway token');
    // AuthBar's own files: its settings dir, and anything else in the home outside OpenClaw's.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const rel = relative(g.home, path);
        if (rel === '.openclaw' || rel === 'openclaw-gateway.log') continue;
        const st = lstatSync(path);
        if (st.isDirectory()) walk(path);
        else if (st.isFile()) files.push(path);
      }
    };
    walk(g.home);
    console.log(`# files outside OpenClaw's: ${files.map((f) => relative(g.home, f)).join(', ')}`);
    for (const f of files) assert.ok(!leaks(readFileSync(f, 'latin1')), `${relative(g.home, f)} holds a secret`);
  });
});
