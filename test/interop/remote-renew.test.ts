/**
 * `authbar setup-token --host vps` end to end: a real OpenSSH server (test/support/sshd.ts)
 * serving a temp HOME with the real OpenClaw, the fake `claude` here (it behaves like the real
 * one), AuthBar driven in a real pseudo-terminal. The token lands (the gateway's own
 * `openclaw models status --json` in the remote home shows it), with the host's AuthBar and
 * without it, and no process on either side (both run on this machine: /proc sees them all)
 * ever holds it in its argv or environment. A host that cannot be reached costs no token:
 * claude is never run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHBAR_BIN, assertNoSecrets, DAY, secret } from '../support/home.js';
import { driveInPty, fakeClaudeHome } from '../support/setup-token-pty.js';
import { keyringUnavailable } from '../support/keyring.js';
import { shellQuote } from '../../common/shell.js';
import { watchProcesses } from '../support/proc-watch.js';
import { ocEnv, openclawOk, openclawStatus, OPENCLAW, SKIP_OPENCLAW } from '../support/openclaw-peer.js';
import { startSshd, sshdMissing, type Sshd } from '../support/sshd.js';

const SKIP = sshdMissing() ?? (OPENCLAW ? false : SKIP_OPENCLAW);

/** AuthBar's own lines: what follows claude's last line (claude prints the token itself). */
function authbarLines(output: string): string {
  const i = output.lastIndexOf('CLAUDE_CODE_OAUTH_TOKEN=<token>');
  return i === -1 ? output : output.slice(i);
}

describe('setup-token --host over a real ssh server', { skip: SKIP }, () => {
  let sshd: Sshd | undefined;
  const server = () => sshd as Sshd;
  const remoteEnv = () => ocEnv(server().remote.home);

  before(async () => {
    sshd = await startSshd({ peers: ['openclaw'] });
    // The host's gateway: OpenClaw's own state dir, made by its own CLI in the remote HOME.
    await openclawOk(['config', 'set', 'gateway.mode', 'local'], remoteEnv());
  });
  after(async () => {
    await sshd?.close();
  });

  /** A local HOME whose settings name the host, the fake claude and the ssh wrapper on PATH. */
  function local(t: { after(fn: () => void): void }, token: string) {
    const { h, env } = fakeClaudeHome(t, token);
    h.write('.config/authbar/settings.json', { hosts: [{ name: 'vps', ssh: server().alias }] });
    return { h, env: server().clientEnv(env) };
  }

  async function renew(env: Record<string, string>, token: string) {
    const watch = watchProcesses(() => [token]);
    const r = await driveInPty([process.execPath, [AUTHBAR_BIN, 'setup-token', '--host', 'vps']], env, '4711#abcd\r');
    const leaks = watch.stop();
    assert.ok(watch.seen() > 5, 'the watch saw the processes of both sides');
    assert.deepEqual(leaks, [], 'no process on either side held the token in argv or environment');
    assertNoSecrets('authbar setup-token --host (its own lines)', authbarLines(r.output));
    return r;
  }

  async function landedInOpenClaw(token: string, started: number) {
    const st = await openclawStatus(remoteEnv());
    const p = st.profiles?.find((x) => x.profileId === 'anthropic:setup-token');
    assert.equal(p?.type, 'token', `the gateway holds the token: ${JSON.stringify(st)}`);
    assert.equal(p?.status, 'ok');
    const expires = p?.expiresAt ?? 0;
    assert.ok(expires >= started + 364 * DAY && expires <= Date.now() + 366 * DAY, 'a year from now');
    const raw = await openclawOk(['models', 'status', '--json'], remoteEnv());
    assert.ok(raw.stdout.includes(`...${token.slice(-8)}`), "OpenClaw's masked label ends as the token does");
  }

  test('with AuthBar on the host: the token goes to its `token add` (no keyring there: landed only, said so)', async (t) => {
    const token = secret('setup');
    const { env } = local(t, token);
    const started = Date.now();
    const r = await renew(env, token);
    const out = authbarLines(r.output);
    assert.equal(r.code, 0, r.output.slice(-2000));
    assert.match(r.output, /vps has AuthBar \d+\.\d+\.\d+: the token goes to `authbar token add` there/);
    assert.match(out, /vps has no usable OS keyring \(.*\), so the token was landed in its gateway only/s);
    assert.match(out, /Renewed on vps: anthropic:setup-token on vps \(agent main\): ok, expires \d{4}-/);
    // The host's own "renew with `authbar setup-token`" would renew this machine: reworded.
    assert.match(out, /vps says:[\s\S]*renew with `authbar setup-token --host vps`/);
    assert.doesNotMatch(out, /renew with `authbar setup-token`/);
    await landedInOpenClaw(token, started);
  });

  test('without AuthBar on the host: OpenClaw paste-token takes it for the default agent', async (t) => {
    const bin = server().remoteBin;
    const hidden = join(bin, '..', 'authbar-hidden');
    mkdirSync(hidden, { recursive: true });
    if (existsSync(join(bin, 'authbar'))) renameSync(join(bin, 'authbar'), join(hidden, 'authbar'));
    t.after(() => {
      if (existsSync(join(hidden, 'authbar'))) renameSync(join(hidden, 'authbar'), join(bin, 'authbar'));
    });
    const token = secret('setup');
    const { env } = local(t, token);
    const started = Date.now();
    const r = await renew(env, token);
    assert.equal(r.code, 0, r.output.slice(-2000));
    assert.match(
      r.output,
      /vps has OpenClaw 2026\.9\.6 and no AuthBar: the token goes to `openclaw models auth paste-token --agent main` there/,
    );
    assert.match(authbarLines(r.output), /Renewed on vps: anthropic:setup-token in OpenClaw \(agent main\): ok/);
    await landedInOpenClaw(token, started);
  });

  test('a host that is down: nothing is minted (claude never runs), the message names the host and the fix', async (t) => {
    const token = secret('setup');
    const { env } = local(t, token);
    await server().stop();
    t.after(() => server().start());
    const r = await renew(env, token);
    assert.equal(r.code, 75, r.output.slice(-2000));
    assert.ok(!r.output.includes('Welcome to Claude Code'), 'claude setup-token was not run');
    assert.match(r.output, /nothing minted: vps is unreachable: .*\r?\n\s+to fix: ssh vps/);
  });
});

describe('setup-token --host: hosts that cannot or should not be trusted with the output', { skip: SKIP }, () => {
  test('a Clawdbot host without AuthBar: refused before anything is minted, saying what to install', async (t) => {
    const s = await startSshd({ authbar: false, peers: ['clawdbot'] });
    t.after(() => s.close());
    const token = secret('setup');
    const { h, env } = fakeClaudeHome(t, token);
    h.write('.config/authbar/settings.json', { hosts: [{ name: 'cb', ssh: s.alias }] });
    const r = await driveInPty(
      [process.execPath, [AUTHBAR_BIN, 'setup-token', '--host', 'cb']],
      s.clientEnv(env),
      '4711#abcd\r',
    );
    assert.equal(r.code, 72, r.output.slice(-2000));
    assert.ok(!r.output.includes('Welcome to Claude Code'), 'claude setup-token was not run');
    assert.match(r.output, /nothing minted: cb runs Clawdbot without AuthBar/);
    assert.match(r.output, /to fix: install AuthBar there/);
  });

  test("a hostile host's echo of the token and its control characters never reach the terminal raw", async (t) => {
    const s = await startSshd({ authbar: false });
    t.after(() => s.close());
    // A remote `authbar` that echoes what it reads, with escape sequences and a bell, and whose
    // status is no snapshot.
    writeFileSync(
      join(s.remoteBin, 'authbar'),
      [
        '#!/bin/sh',
        'case "$1" in',
        '  --version) echo "authbar 0.1.0" ;;',
        '  token) read -r tok; printf "\\033[2J\\033]0;owned\\007got %s\\n" "$tok" ;;',
        '  status) echo "{\\"hello\\": \\"\\033[31m\\"}" ;;',
        'esac',
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    const token = secret('setup');
    const { h, env } = fakeClaudeHome(t, token);
    h.write('.config/authbar/settings.json', { hosts: [{ name: 'evil', ssh: s.alias }] });
    const r = await driveInPty(
      [process.execPath, [AUTHBAR_BIN, 'setup-token', '--host', 'evil']],
      s.clientEnv(env),
      '4711#abcd\r',
    );
    const ours = authbarLines(r.output);
    assert.equal(r.code, 0, r.output.slice(-2000));
    assert.ok(!ours.includes(token), 'the echoed token is masked');
    assert.ok(!ours.includes('\u001b[2J') && !ours.includes('\u001b]0;') && !ours.includes('\u0007'), 'no raw control');
    assert.match(ours, /evil says:\r?\n {2}\\x1b\[2J\\x1b\]0;owned\\x07got sk-ant-oat01-…\S{4}/);
    assert.match(ours, /Sent to evil, which accepted it; AuthBar could not read its status back/);
  });

  test("a host's `authbar` that answers --version with no version: incompatible, nothing minted", async (t) => {
    const s = await startSshd({ authbar: false });
    t.after(() => s.close());
    writeFileSync(join(s.remoteBin, 'authbar'), '#!/bin/sh\necho "hello from \\033[31msomething else"\n', {
      mode: 0o755,
    });
    const token = secret('setup');
    const { h, env } = fakeClaudeHome(t, token);
    h.write('.config/authbar/settings.json', { hosts: [{ name: 'odd', ssh: s.alias }] });
    const r = await driveInPty(
      [process.execPath, [AUTHBAR_BIN, 'setup-token', '--host', 'odd']],
      s.clientEnv(env),
      '4711#abcd\r',
    );
    assert.equal(r.code, 78, r.output.slice(-2000));
    assert.ok(!r.output.includes('Welcome to Claude Code'), 'claude setup-token was not run');
    assert.match(r.output, /nothing minted: `authbar --version` on odd answered, but not with a version/);
  });
});

describe(
  'setup-token --host: a host with a working keyring keeps the token there too',
  { skip: SKIP || keyringUnavailable() || false },
  () => {
    test("the host's `token add` keeps it in its OS keyring and lands it; no --no-vault retry", async (t) => {
      const s = await startSshd({ authbar: false, peers: ['openclaw'] });
      t.after(() => s.close());
      // The host's AuthBar in a D-Bus session with an unlocked gnome-keyring (a desktop host, or a
      // server with a Secret Service), its keyring kept in the remote HOME across sessions.
      writeFileSync(
        join(s.remoteBin, 'authbar'),
        [
          '#!/bin/sh',
          'unset AUTHBAR_KEYCHAIN DBUS_SESSION_BUS_ADDRESS',
          'export XDG_DATA_HOME="$HOME/.local/share"',
          'mkdir -p "$XDG_DATA_HOME"',
          `exec dbus-run-session -- sh -c 'echo keyring-test-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' sh ${shellQuote(process.execPath)} ${shellQuote(AUTHBAR_BIN)} "$@"`,
        ].join('\n') + '\n',
        { mode: 0o755 },
      );
      const remote = ocEnv(s.remote.home);
      await openclawOk(['config', 'set', 'gateway.mode', 'local'], remote);
      const token = secret('setup');
      const { h, env } = fakeClaudeHome(t, token);
      h.write('.config/authbar/settings.json', { hosts: [{ name: 'desk', ssh: s.alias }] });
      const watch = watchProcesses(() => [token]);
      const r = await driveInPty(
        [process.execPath, [AUTHBAR_BIN, 'setup-token', '--host', 'desk']],
        s.clientEnv(env),
        '4711#abcd\r',
      );
      assert.deepEqual(watch.stop(), [], 'no process on either side held the token in argv or environment');
      const ours = authbarLines(r.output);
      assertNoSecrets('authbar setup-token --host (its own lines)', ours);
      assert.equal(r.code, 0, r.output.slice(-2000));
      assert.doesNotMatch(ours, /no usable OS keyring/);
      assert.match(ours, /kept in the OS keyring/);
      assert.match(ours, /Renewed on desk: anthropic:setup-token on desk \(agent main\): ok/);
      const rec = s.remote.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'];
      assert.equal(rec.inVault, true, "the host's AuthBar records it as kept in its keyring");
    });
  },
);
