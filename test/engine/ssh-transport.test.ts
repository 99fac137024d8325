/**
 * The ssh transport against a real OpenSSH server (test/support/sshd.ts): every state
 * classifySshFailure gives, from what the real `ssh` prints and exits with — ok, an unknown
 * host key, a changed one, auth refused, a closed port, a host that never answers, no
 * `authbar` there — and the shared connection's socket in AuthBar's own private directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshControlDir } from '../../main/engine/hosts/ssh-command.js';
import { sshExec } from '../../main/engine/hosts/ssh-exec.js';
import { classifySshFailure } from '../../main/engine/hosts/ssh-failure.js';
import { parseSshTarget } from '../../main/engine/hosts/ssh-target.js';
import { remoteStatus } from '../../main/engine/hosts/remote-status.js';
import { makeHome } from '../support/home.js';
import { freePort, silentListener, sshdMissing, startSshd } from '../support/sshd.js';

const missing = sshdMissing();

test('every ssh failure state, from the real ssh against a real sshd', { skip: missing ?? false }, async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const sshd = await startSshd();
  t.after(() => sshd.close());
  const env = sshd.clientEnv(h.env);
  // A control dir of its own per run: no case reuses another's connection.
  const run = async (alias: string, words: string[], timeoutMs = 20_000) => {
    const controlDir = mkdtempSync(join(tmpdir(), 'ab-cm-'));
    t.after(() => rmSync(controlDir, { recursive: true, force: true }));
    const target = parseSshTarget(alias);
    const r = await sshExec(target, words, { env, controlDir, timeoutMs });
    return { r, f: r.code === 0 ? null : classifySshFailure(target, alias, r, r.stderr) };
  };

  // ok: the remote AuthBar answers, with its exit code and output untouched.
  const ok = await run('vps', ['authbar', '--version']);
  assert.equal(ok.r.code, 0, ok.r.stderr);
  assert.match(ok.r.stdout, /^authbar \d+\.\d+\.\d+\n$/);

  // No such program on the host: no-authbar, with the way to install it.
  const none = await run('vps', ['authbar-not-installed', '--version']);
  assert.equal(none.r.code, 127);
  assert.equal(none.f?.state, 'no-authbar');
  assert.match(none.f?.fix ?? '', /install AuthBar there/);

  // An unknown host key: never accepted on its own (BatchMode + StrictHostKeyChecking=yes).
  sshd.forgetHostKey();
  const unknown = await run('vps', ['authbar', '--version']);
  assert.equal(unknown.r.code, 255);
  assert.equal(unknown.f?.state, 'host-key', unknown.r.stderr);
  assert.match(unknown.f?.message ?? '', /not known yet/);
  assert.equal(unknown.f?.fix?.startsWith('ssh vps'), true);
  sshd.trustHostKey();

  // A changed host key: refused, with `ssh-keygen -R` and the ssh command in the fix.
  await sshd.rotateHostKey();
  const changed = await run('vps', ['authbar', '--version']);
  assert.equal(changed.f?.state, 'host-key', changed.r.stderr);
  assert.match(changed.f?.message ?? '', /has changed/);
  // For an alias the entry to remove is the resolved `[127.0.0.1]:port`, as ssh names it.
  assert.match(changed.f?.fix ?? '', /^ssh-keygen -R '?\[127\.0\.0\.1\]:\d+'? && ssh vps/);
  sshd.trustHostKey();
  assert.equal((await run('vps', ['true'])).r.code, 0, 'trusted again');

  // Auth refused: the server no longer takes the test's key.
  const keys = join(sshd.dir, 'authorized_keys');
  const saved = readFileSync(keys);
  writeFileSync(keys, '');
  const auth = await run('vps', ['true']);
  writeFileSync(keys, saved);
  assert.equal(auth.f?.state, 'auth', auth.r.stderr);
  assert.match(auth.f?.fix ?? '', /ssh-add/);

  // A closed port: unreachable, saying what ssh said.
  sshd.addAlias('closed', await freePort());
  const closed = await run('closed', ['true']);
  assert.equal(closed.f?.state, 'unreachable');
  assert.match(closed.f?.message ?? '', /Connection refused/);

  // A host that accepts and never speaks: the deadline ends it, unreachable.
  const silent = await silentListener();
  t.after(() => silent.close());
  sshd.addAlias('silent', silent.port);
  const hang = await run('silent', ['true'], 3_000);
  assert.equal(hang.r.timedOutAfterS, 3);
  assert.equal(hang.f?.state, 'unreachable');
  assert.match(hang.f?.message ?? '', /did not answer within 3 s/);

  // The server down: unreachable.
  await sshd.stop();
  const down = await run('vps', ['true']);
  assert.equal(down.f?.state, 'unreachable');
  await sshd.start();
});

test(
  "the shared connection's socket lives in AuthBar's private dir and is reused",
  { skip: missing ?? false },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const sshd = await startSshd();
    t.after(() => sshd.close());
    const env = sshd.clientEnv(h.env);
    const dir = sshControlDir(env);
    assert.equal(dir, join(env['XDG_RUNTIME_DIR'] as string, 'authbar-ssh'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);

    const report = await remoteStatus({ name: 'vps', ssh: 'vps' }, env, { sync: false, live: false });
    assert.equal(report.state, 'ok', report.message ?? '');
    const sockets = readdirSync(dir).filter((n) => statSync(join(dir, n)).isSocket());
    assert.equal(sockets.length, 1, `one master socket: ${readdirSync(dir).join(', ')}`);
    assert.match(sockets[0] as string, /^[0-9a-f]{40}$/);
    // The master is alive after the command ended (ControlPersist), for the next run to reuse.
    const check = spawnSync('ssh', ['-o', `ControlPath=${join(dir, '%C')}`, '-O', 'check', 'vps'], { env });
    assert.equal(check.status, 0, check.stderr.toString());
    assert.match(check.stderr.toString(), /Master running/);

    // A second look reuses it: still one socket, and it works though new connections would fail.
    sshd.forgetHostKey();
    const again = await remoteStatus({ name: 'vps', ssh: 'vps' }, env, { sync: false, live: false });
    assert.equal(again.state, 'ok', again.message ?? '');
    assert.equal(readdirSync(dir).length, 1);
  },
);
