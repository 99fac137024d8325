/**
 * One HostsWatch against a real OpenSSH server (test/support/sshd.ts) running the real
 * `authbar watch --json` of this checkout on the remote side: each fault of issue 15 as a test.
 * A host down at start then up; a session killed mid-stream (reconnect, and no notice twice,
 * even after a restart); a host that hangs; a changed and an unknown host key; a host without
 * AuthBar; a remote AuthBar of another protocol, and one too old to say hello; lines with
 * control characters and a fake secret; a sleep seen as a wall-clock jump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostEntry, HostReport } from '../../common/hosts.js';
import type { LiveView } from '../../common/live.js';
import { HostNotices, hostNoticeStatePath } from '../../main/engine/hosts/host-notices.js';
import { HostsWatch, type HostsWatchEvent, type RemoteLiveAsk } from '../../main/engine/hosts/hosts-watch.js';
import type { Notice } from '../../main/engine/notify/notices.js';
import { claudeCredentials, HOUR, makeHome, type TempHome } from '../support/home.js';
import { silentListener, sshdMissing, startSshd, type Sshd } from '../support/sshd.js';

const skip = sshdMissing() ?? false;
const FAST = { backoffMs: [500, 1_000, 2_000], handshakeMs: 15_000, tickMs: 200, jumpMs: 3_000 };

interface Rig {
  sshd: Sshd;
  local: TempHome;
  env: Record<string, string>;
  events: HostsWatchEvent[];
  watch(
    hosts: HostEntry[],
    opts?: { clock?: { now(): number }; timings?: Partial<typeof FAST>; remoteLive?: RemoteLiveAsk },
  ): HostsWatch;
  until(w: HostsWatch, host: string, pred: (r: HostReport) => boolean, ms?: number): Promise<HostReport>;
}

async function rig(t: { after(fn: () => Promise<void> | void): void }, sshdOpts = {}): Promise<Rig> {
  const sshd = await startSshd(sshdOpts);
  const local = makeHome('authbar-local-');
  t.after(async () => {
    await sshd.close();
    local.cleanup();
  });
  // The remote has a Clawdbot state dir and an expired Claude login: a snapshot that needs action.
  mkdirSync(sshd.remote.state, { recursive: true, mode: 0o700 });
  sshd.remote.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() - HOUR, refresh: null }));
  const events: HostsWatchEvent[] = [];
  const env = sshd.clientEnv(local.env);
  return {
    sshd,
    local,
    env,
    events,
    watch(hosts, opts = {}) {
      const w = new HostsWatch({
        env,
        hosts,
        timings: { ...FAST, ...opts.timings },
        ...(opts.clock ? { clock: opts.clock } : {}),
        ...(opts.remoteLive ? { remoteLive: opts.remoteLive } : {}),
      });
      w.subscribe((e) => events.push(e));
      t.after(() => w.stop());
      return w;
    },
    async until(w, host, pred, ms = 30_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const r = w.current().find((x) => x.name === host);
        if (r && pred(r)) return r;
        if (Date.now() > deadline)
          throw new Error(`${host} never got there: ${JSON.stringify({ ...r, snapshot: !!r?.snapshot })}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
  };
}

/** A stand-in `authbar` on the remote PATH that prints what the test says, then waits. */
function fakeRemoteAuthbar(sshd: Sshd, name: string, lines: string[]): void {
  const text = lines.map((l) => `${l}\n`).join('');
  writeFileSync(
    join(sshd.remoteBin, name),
    `#!/bin/sh\nprintf '%s' '${text.replace(/'/g, `'\\''`)}'\nexec sleep 60\n`,
    {
      mode: 0o755,
    },
  );
}

test(
  'a host down at start is unreachable (never healthy), then ok with its snapshot once it is up',
  { skip },
  async (t) => {
    const r = await rig(t);
    await r.sshd.stop();
    const w = r.watch([{ name: 'vps', ssh: 'vps' }]);
    assert.equal(w.current()[0]?.state, 'connecting');
    w.start();
    const down = await r.until(w, 'vps', (x) => x.state === 'unreachable');
    assert.match(down.message ?? '', /vps is unreachable/);
    assert.equal(down.snapshot, null);
    assert.equal(down.lastSeenAt, null);
    await r.sshd.start();
    const up = await r.until(w, 'vps', (x) => x.state === 'ok');
    assert.ok(up.snapshot, 'the host snapshot arrived');
    assert.equal(up.snapshot.overall.attention, 'now');
    assert.match(up.authbarVersion ?? '', /^\d+\.\d+\.\d+/);
    assert.ok((up.since ?? 0) >= (down.since ?? Infinity), 'since moves with the state');
    assert.equal(up.message, null);
  },
);

test(
  'a session killed mid-stream: unreachable with the last snapshot kept, reconnected, and no notice twice (nor after a restart)',
  { skip },
  async (t) => {
    const r = await rig(t);
    const notices: Notice[] = [];
    const mkNotices = () =>
      new HostNotices({
        settingsPath: join(r.local.home, '.config', 'authbar', 'settings.json'),
        clock: { now: () => Date.now() },
        context: () => ({ repeatMs: 24 * HOUR, tokenReminderMs: 30 * 24 * HOUR, coalesceMs: 0 }),
        deliver: (_host, n) => notices.push(n),
        onError: (m) => assert.fail(m),
      });
    const n1 = mkNotices();
    const w = r.watch([{ name: 'vps', ssh: 'vps' }]);
    w.subscribe((e) => n1.onEvent(e));
    w.start();
    await r.until(w, 'vps', (x) => x.state === 'ok');
    await waitFor(() => notices.length > 0, 'the first notice');
    assert.ok(
      notices.every((n) => n.title.startsWith('vps: ')),
      'titles name the host',
    );
    assert.ok(notices.every((n) => n.key.startsWith('host:vps/')));
    const count = notices.length;
    const firstSnapshots = r.events.filter((e) => e.type === 'line' && e.line.type === 'snapshot').length;

    r.sshd.killSessions();
    const dropped = await r.until(w, 'vps', (x) => x.state === 'unreachable');
    assert.ok(dropped.snapshot, 'the last snapshot is kept while the host is away');
    await r.until(w, 'vps', (x) => x.state === 'ok');
    await waitFor(
      () => r.events.filter((e) => e.type === 'line' && e.line.type === 'snapshot').length > firstSnapshots,
      'a fresh snapshot after the reconnect',
    );
    await n1.stop();
    assert.equal(notices.length, count, 'the reconnect repeated no notice (and a 1-s outage is not news)');
    assert.ok(
      readFileSync(hostNoticeStatePath(join(r.local.home, '.config', 'authbar', 'settings.json'), 'vps'), 'utf8'),
    );

    // A new process (the app restarted): the memory on disk keeps it quiet too.
    await w.stop();
    const n2 = mkNotices();
    const w2 = r.watch([{ name: 'vps', ssh: 'vps' }]);
    w2.subscribe((e) => n2.onEvent(e));
    const before = r.events.length;
    w2.start();
    await waitFor(
      () => r.events.slice(before).some((e) => e.type === 'line' && e.line.type === 'snapshot'),
      'snapshot',
    );
    await n2.stop();
    assert.equal(notices.length, count, 'a restart repeated no notice');
  },
);

test('a host that accepts TCP and never speaks is unreachable within the timeouts', { skip }, async (t) => {
  const r = await rig(t);
  const silent = await silentListener();
  t.after(() => silent.close());
  r.sshd.addAlias('hang', silent.port);
  const started = Date.now();
  const w = r.watch([{ name: 'hang', ssh: 'hang' }], { timings: { handshakeMs: 4_000 } });
  w.start();
  const hung = await r.until(w, 'hang', (x) => x.state === 'unreachable', 20_000);
  assert.ok(Date.now() - started < 15_000, `found out in ${Date.now() - started} ms`);
  assert.match(hung.message ?? '', /hang/);
  assert.match(hung.fix ?? '', /^ssh hang/);
});

test(
  'a changed host key and an unknown one: the host-key state with the command to run, never accepted',
  { skip },
  async (t) => {
    const r = await rig(t);
    await r.sshd.rotateHostKey();
    const w = r.watch([{ name: 'vps', ssh: 'vps' }]);
    w.start();
    const changed = await r.until(w, 'vps', (x) => x.state === 'host-key');
    assert.match(changed.message ?? '', /changed/);
    assert.ok(changed.fix?.startsWith(`ssh-keygen -R '[127.0.0.1]:${r.sshd.port}' && ssh vps`), changed.fix ?? '');
    await w.stop();

    r.sshd.forgetHostKey();
    const w2 = r.watch([{ name: 'vps', ssh: 'vps' }]);
    w2.start();
    const unknown = await r.until(w2, 'vps', (x) => x.state === 'host-key');
    assert.match(unknown.message ?? '', /not known/);
    assert.equal(readFileSync(join(r.sshd.dir, 'known_hosts'), 'utf8'), '', 'AuthBar accepted no key on its own');
  },
);

test('a key the host does not take: the auth state, with ssh-add as the fix', { skip }, async (t) => {
  const r = await rig(t);
  writeFileSync(join(r.sshd.dir, 'authorized_keys'), '');
  const w = r.watch([{ name: 'vps', ssh: 'vps' }]);
  w.start();
  const refused = await r.until(w, 'vps', (x) => x.state === 'auth');
  assert.match(refused.message ?? '', /not let in/);
  assert.match(refused.fix ?? '', /^ssh-add; ssh vps$/);
});

test(
  'a host without AuthBar is no-authbar with the install advice, and carries the live view remoteLive gives',
  { skip },
  async (t) => {
    const r = await rig(t, { authbar: false });
    const asked: string[] = [];
    const live: LiveView = {
      state: 'connected',
      reasonCode: null,
      message: null,
      fix: null,
      checkedAt: 1,
      gateway: { url: 'ws://127.0.0.1:1', version: '2026.9.6' },
      providers: [],
      disagreements: [],
    };
    const remoteLive: RemoteLiveAsk = async (entry, opts) => {
      asked.push(`${entry.name} ${opts.controlDir}`);
      return live;
    };
    const w = r.watch([{ name: 'vps', ssh: 'vps' }], { remoteLive });
    w.start();
    const bare = await r.until(w, 'vps', (x) => x.state === 'no-authbar');
    assert.match(bare.message ?? '', /no `authbar`/);
    assert.match(bare.fix ?? '', /install AuthBar/);
    const withLive = await r.until(w, 'vps', (x) => x.live?.state === 'connected');
    assert.equal(withLive.state, 'no-authbar', 'the gateway answering does not make the host ok');
    assert.equal(asked[0], `vps ${join(r.sshd.dir, 'run', 'authbar-ssh')}`, "asked over the host's own connection dir");
  },
);

test(
  'setHosts: a new host starts, a removed one stops (its ssh with it), an unchanged one keeps its connection',
  { skip },
  async (t) => {
    const r = await rig(t);
    r.sshd.addAlias('vps2');
    const w = r.watch([{ name: 'vps', ssh: 'vps' }]);
    w.start();
    await r.until(w, 'vps', (x) => x.state === 'ok');
    const startsOf = (host: string) =>
      r.events.filter((e) => e.type === 'line' && e.host === host && e.line.type === 'started').length;
    w.setHosts([
      { name: 'vps', ssh: 'vps' },
      { name: 'two', ssh: 'vps2' },
    ]);
    await r.until(w, 'two', (x) => x.state === 'ok');
    assert.equal(startsOf('vps'), 1, 'vps kept its session');
    assert.equal(localSsh(r.sshd.dir), 2, 'one ssh process per host');
    w.setHosts([{ name: 'two', ssh: 'vps2' }]);
    assert.ok(r.events.some((e) => e.type === 'removed' && e.host === 'vps'));
    assert.deepEqual(
      w.current().map((x) => x.name),
      ['two'],
    );
    await waitFor(() => localSsh(r.sshd.dir) === 1, "the removed host's ssh to end", 10_000);
    assert.throws(
      () => w.setHosts([{ name: 'this', ssh: 'vps' }]),
      /not a valid host name/,
      'the settings schema is enforced',
    );
  },
);

test(
  'a remote AuthBar of another protocol, or one too old to say hello, is incompatible and says which side to update',
  { skip },
  async (t) => {
    const r = await rig(t);
    fakeRemoteAuthbar(r.sshd, 'authbar-99', [JSON.stringify({ type: 'hello', at: 1, authbar: '9.0.0', protocol: 99 })]);
    fakeRemoteAuthbar(r.sshd, 'authbar-old', [
      JSON.stringify({ type: 'started', at: 1, watching: [], gateway: 'x', pid: 1 }),
    ]);
    // An AuthBar from before the handshake refuses this watch's options: a usage error, exit 64.
    const usage = '#!/bin/sh\necho "authbar watch: unknown option" >&2\nexit 64\n';
    writeFileSync(join(r.sshd.remoteBin, 'authbar-usage'), usage, { mode: 0o755 });
    const w = r.watch([
      { name: 'newer', ssh: 'vps', authbar: 'authbar-99' },
      { name: 'older', ssh: 'vps', authbar: 'authbar-old' },
      { name: 'oldest', ssh: 'vps', authbar: 'authbar-usage' },
    ]);
    w.start();
    const newer = await r.until(w, 'newer', (x) => x.state === 'incompatible');
    assert.match(newer.message ?? '', /protocol 99/);
    assert.match(newer.fix ?? '', /update AuthBar on this machine to 9\.0\.0/);
    const older = await r.until(w, 'older', (x) => x.state === 'incompatible');
    assert.match(older.fix ?? '', /update AuthBar on older/);
    assert.equal(older.snapshot, null);
    const oldest = await r.until(w, 'oldest', (x) => x.state === 'incompatible');
    assert.match(oldest.fix ?? '', /update AuthBar on oldest/);
  },
);

test(
  'lines with control characters, junk and a fake secret: skipped or kept as data, one problem said once',
  { skip },
  async (t) => {
    const r = await rig(t);
    const fake = `sk-ant-oat01-${'A'.repeat(80)}`;
    fakeRemoteAuthbar(r.sshd, 'authbar-evil', [
      JSON.stringify({ type: 'hello', at: 1, authbar: '1.0.0\u001b[31m', protocol: 1 }),
      `\u001b]0;pwned\u0007 not json ${fake}`,
      'still not json',
      JSON.stringify({ type: 'error', at: 2, message: `boom \u001b[2J ${fake}` }),
    ]);
    const w = r.watch([{ name: 'evil', ssh: 'vps', authbar: 'authbar-evil' }]);
    w.start();
    await waitFor(() => r.events.some((e) => e.type === 'line' && e.line.type === 'error'), 'the error line');
    const problems = r.events.filter((e) => e.type === 'problem');
    assert.equal(problems.length, 1, 'a bad line is said once');
    assert.doesNotMatch(JSON.stringify(problems), /pwned|sk-ant/, 'a problem never quotes the host');
    // Kept as data (front ends escape it); never a snapshot, never ok.
    assert.notEqual(w.current()[0]?.state, 'ok');
  },
);

test('a sleep (the wall clock jumps) reconnects at once, not after the backoff', { skip }, async (t) => {
  const r = await rig(t);
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const w = r.watch([{ name: 'vps', ssh: 'vps' }], { clock, timings: { backoffMs: [120_000] } });
  w.start();
  await r.until(w, 'vps', (x) => x.state === 'ok');
  const starts = () => r.events.filter((e) => e.type === 'line' && e.line.type === 'started').length;
  await waitFor(() => starts() === 1, 'the first started line');
  offset += 20 * 60_000;
  const t0 = Date.now();
  await waitFor(() => starts() === 2, 'a new remote watch after the jump', 20_000);
  assert.ok(Date.now() - t0 < 15_000);
  assert.equal(w.current()[0]?.state, 'ok');
  // The old remote watch ended with its session (stdin closed): one is left, not two.
  await waitFor(
    () => remoteWatches(r.sshd.remote.home) === 1,
    `one remote watch left (${remoteWatches(r.sshd.remote.home)})`,
    10_000,
  );
});

async function waitFor(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Local ssh processes of this test's server (run with its ssh_config). */
function localSsh(dir: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0] === '/usr/bin/ssh' && argv.includes(join(dir, 'ssh_config'))) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

/** `authbar watch` processes whose HOME is the remote home. */
function remoteWatches(home: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--stop-on-stdin-close') || !cmd.includes('authbar.cjs')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}
