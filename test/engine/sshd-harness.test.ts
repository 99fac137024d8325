/**
 * The ssh transport's one-shot run against a real OpenSSH server (test/support/sshd.ts): words
 * reach the remote program unchanged whatever they hold, input arrives on stdin, the shared
 * connection's socket lives in AuthBar's own private dir, and a run ends even while that
 * connection persists.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { makeHome, type TempHome } from '../support/home.js';
import { sshdMissing, startSshd, type Sshd } from '../support/sshd.js';
import { parseSshTarget } from '../../main/engine/hosts/ssh-target.js';
import { sshControlDir } from '../../main/engine/hosts/ssh-command.js';
import { sshExec } from '../../main/engine/hosts/ssh-exec.js';

const skip = sshdMissing();
let sshd: Sshd;
let local: TempHome;
let env: Record<string, string>;

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  local = makeHome();
  env = sshd.clientEnv(local.env);
});
after(async () => {
  if (skip) return;
  await sshd.close();
  local.cleanup();
});

const run = (words: string[], input?: string) =>
  sshExec(parseSshTarget('vps'), words, {
    env,
    timeoutMs: 30_000,
    controlDir: sshControlDir(env),
    ...(input !== undefined ? { input } : {}),
  });

test('a remote program gets each word unchanged, quotes, spaces and $ included', { skip: skip ?? false }, async () => {
  const words = ["it's", 'two words', '$HOME', '`id`', 'a;b'];
  const r = await run(['node', '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...words]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), words);
});

test('input reaches the remote program on stdin, and the remote HOME is its own', { skip: skip ?? false }, async () => {
  const r = await run(['sh', '-c', 'read line; echo "$line|$HOME"'], 'on-stdin\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `on-stdin|${sshd.remote.home}`);
});

test('the shared connection lives in AuthBar’s private dir and a run still ends', { skip: skip ?? false }, async () => {
  const started = Date.now();
  const r = await run(['authbar', '--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^authbar \d+\.\d+\.\d+/);
  // ControlPersist keeps the master in the background; the run must not wait for it.
  assert.ok(Date.now() - started < 15_000);
  const dir = sshControlDir(env);
  assert.ok(dir.startsWith(env['XDG_RUNTIME_DIR'] as string));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const check = await sshExec(parseSshTarget('vps'), [], {
    env,
    timeoutMs: 10_000,
    controlDir: dir,
    extra: ['-O', 'check'],
  });
  assert.match(check.stderr, /Master running/);
});
