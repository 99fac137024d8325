/**
 * `authbar watch --all-hosts` end to end: the real executable on this side, a real OpenSSH
 * server and the real `authbar watch --json` on the other. Every event names its host (`this`
 * for this machine); a host's state changes are `host` events; what a hostile host sends
 * (control characters, a fake secret) never reaches the output unescaped, in JSON or in text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHBAR_BIN, claudeCredentials, HOUR, makeHome, ROOT } from '../support/home.js';
import { sshdMissing, startSshd, type Sshd } from '../support/sshd.js';

const skip = sshdMissing() ?? false;
const FAKE = `sk-ant-oat01-${'Q'.repeat(80)}`;

interface Line {
  type: string;
  host?: string;
  [k: string]: unknown;
}

/** A stand-in remote `authbar` saying hello, then a hostile error line, then waiting. */
function evilAuthbar(sshd: Sshd): void {
  const lines = [
    JSON.stringify({ type: 'hello', at: 1, authbar: '0.1.0', protocol: 1 }),
    JSON.stringify({ type: 'error', at: 2, message: `evil \u001b[2J\u001b]0;title\u0007 ${FAKE} \u202e` }),
  ];
  writeFileSync(
    join(sshd.remoteBin, 'authbar-evil'),
    `#!/bin/sh\nprintf '%s\\n' '${lines[0]}' '${lines[1]}'\nexec sleep 60\n`,
    { mode: 0o755 },
  );
}

/** A line of `host`'s of this type has been printed. */
function has(out: string, host: string, type: string): boolean {
  return out.split('\n').some((l) => l.includes(`"host":"${host}"`) && l.includes(`"type":"${type}"`));
}

async function runWatch(env: Record<string, string>, args: string[], until: (out: string) => boolean): Promise<string> {
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--all-hosts', ...args], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const deadline = Date.now() + 40_000;
  while (!until(out)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`watch --all-hosts never got there:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await closed, 0, 'SIGTERM stops it cleanly');
  return out;
}

test(
  'watch --all-hosts --json: every event names its host, the hosts report their state, hostile lines stay escaped',
  { skip },
  async (t) => {
    const sshd = await startSshd();
    const local = makeHome('authbar-local-');
    t.after(async () => {
      await sshd.close();
      local.cleanup();
    });
    mkdirSync(sshd.remote.state, { recursive: true, mode: 0o700 });
    sshd.remote.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
    mkdirSync(local.state, { recursive: true, mode: 0o700 });
    evilAuthbar(sshd);
    local.write('.config/authbar/settings.json', {
      hosts: [
        { name: 'vps', ssh: 'vps' },
        { name: 'evil', ssh: 'vps', authbar: 'authbar-evil' },
      ],
    });
    const env = sshd.clientEnv(local.env);

    const out = await runWatch(
      env,
      ['--json', '--no-notify'],
      (o) => has(o, 'evil', 'error') && has(o, 'vps', 'snapshot'),
    );
    assert.doesNotMatch(out, /\u001b|\u0007|\u202e/, 'no raw control or bidi character');
    assert.ok(!out.includes(FAKE), 'the fake secret is masked');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    assert.equal(lines[0]?.type, 'hello');
    for (const l of lines.slice(1)) assert.ok(typeof l.host === 'string', `${l.type} names its host`);
    assert.ok(
      lines.some((l) => l.host === 'this' && l.type === 'snapshot'),
      "this machine's snapshot",
    );
    assert.ok(lines.some((l) => l.host === 'vps' && l.type === 'host' && l['state'] === 'connecting'));
    assert.ok(lines.some((l) => l.host === 'vps' && l.type === 'host' && l['state'] === 'ok'));
    const vpsSnap = lines.find((l) => l.host === 'vps' && l.type === 'snapshot') as Line & {
      snapshot: { stateDir: string };
    };
    assert.equal(vpsSnap.snapshot.stateDir, sshd.remote.state, "the host's own snapshot");
    const evil = lines.find((l) => l.host === 'evil' && l.type === 'error') as Line & { message: string };
    assert.match(evil.message, /^evil /);
    // No `hello` of a host is passed through: the stream has one, this machine's.
    assert.equal(lines.filter((l) => l.type === 'hello').length, 1);

    const text = await runWatch(
      env,
      ['--no-notify'],
      (o) => /\[evil\] .* error /.test(o) && /\[vps\] .* snapshot /.test(o),
    );
    assert.doesNotMatch(text, /\u001b|\u0007|\u202e/, 'no raw control or bidi character in text');
    assert.ok(!text.includes(FAKE), 'the fake secret is masked in text');
    assert.match(text, /\[evil\] \S+ error +evil \\x1b\[2J/, 'control characters shown as escapes');
    assert.match(text, /\[this\] \S+ snapshot/);
    assert.match(text, /\[vps\] \S+ host +ok since \S+ \(AuthBar \d/);
  },
);

test(
  "watch --all-hosts notices: a host's expired login is notified once, its title naming the host, through --notify-cmd",
  { skip },
  async (t) => {
    const sshd = await startSshd();
    const local = makeHome('authbar-local-');
    t.after(async () => {
      await sshd.close();
      local.cleanup();
    });
    mkdirSync(sshd.remote.state, { recursive: true, mode: 0o700 });
    sshd.remote.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() - HOUR, refresh: null }));
    mkdirSync(local.state, { recursive: true, mode: 0o700 });
    local.write('.config/authbar/settings.json', { hosts: [{ name: 'vps', ssh: 'vps' }] });
    const env = sshd.clientEnv(local.env);
    const sink = local.path('events.ndjson');
    const cmd = `printf '%s\\n' "$AUTHBAR_EVENT" >> ${sink}`;
    const notices = (o: string) =>
      o.split('\n').filter((l) => l.includes('"type":"notice"') && l.includes('"host":"vps"'));
    const out = await runWatch(env, ['--json', '--notify-cmd', cmd], (o) => notices(o).length > 0);
    const notice = JSON.parse(notices(out)[0] as string) as { notice: { title: string; key: string } };
    assert.match(notice.notice.title, /^vps: /);
    assert.match(notice.notice.key, /^host:vps\//);
    await waitForFile(sink);
    assert.match(readFileSync(sink, 'utf8'), /"host":"vps"/, 'the notify command got the host event');
    // Run again: the host's notice memory (beside notify-state.json) keeps it from repeating.
    const again = await runWatch(env, ['--json', '--notify-cmd', cmd], (o) => has(o, 'vps', 'snapshot'));
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(notices(again).length, 0, 'no notice twice across restarts');
    assert.ok(local.exists('.config/authbar/notify-state.vps.json'));
  },
);

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
}
