/**
 * `authbar token add` lands in the real gateways: Clawdbot 2026.1.24-3 (the engine's locked
 * store write) and OpenClaw 2026.9.6 (`openclaw models auth paste-token`, the token on its
 * stdin). Each gateway's own `models status --json` shows the profile with the expiry AuthBar
 * gave and its `--check` says 0; a second add of the same token changes no file; no process
 * ever holds the token in its argv or environment (watched through /proc).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, runAuthbar, runProcess, secret, DAY } from '../support/home.js';
import { scanTreeForSecrets } from '../support/secret-scan.js';
import { watchProcesses } from '../support/proc-watch.js';
import { treeSnapshot } from '../support/tree.js';
import { INSTALL_HINT, Limiter, parseClawdbotStdout, peerPath } from '../support/peers.js';

const CLAWDBOT = peerPath('PEER_CLAWDBOT', 'clawdbot');
const OPENCLAW = peerPath('PEER_OPENCLAW', 'openclaw');
const limiter = new Limiter(1);

/** A wrapper named like the gateway on PATH that records its argv and environment, then runs the real one. */
function recordingWrapper(binDir: string, logDir: string, name: string, real: string): void {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const script = `#!/bin/sh\ncat /proc/$$/cmdline > "${logDir}/cmdline.$$"\nenv > "${logDir}/env.$$"\nexec "${real}" "$@"\n`;
  writeFileSync(join(binDir, name), script);
  chmodSync(join(binDir, name), 0o755);
}

test(
  'token add lands in the real Clawdbot 2026.1: its status shows the expiry, --check 0, a second add changes nothing',
  { skip: CLAWDBOT ? false : `PEER_CLAWDBOT not set: ${INSTALL_HINT}` },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    mkdirSync(h.path('.clawdbot'), { mode: 0o700 }); // a Clawdbot host: the gateway made its state dir
    const token = secret('setup');
    const watch = watchProcesses(() => [token]);
    const add = await runAuthbar(
      [
        'token',
        'add',
        '--provider',
        'anthropic',
        '--profile-id',
        'anthropic:team',
        '--expires-in',
        '365d',
        '--no-vault',
      ],
      h.env,
      { stdin: token + '\n' },
    );
    assert.equal(add.code, 0, add.stderr);
    const state = h.readJson('.config/authbar/state.json');
    const expiresAt = state.tokens['anthropic:team'].expiresAt as number;
    assert.ok(Math.abs(expiresAt - (Date.now() + 365 * DAY)) < 60_000);
    assert.deepEqual(h.readJson(h.agentStore()).profiles['anthropic:team'], {
      type: 'token',
      provider: 'anthropic',
      token,
      expires: expiresAt,
    });

    const before = treeSnapshot(h.home, { mtime: 'none' });
    const again = await runAuthbar(
      [
        'token',
        'add',
        '--provider',
        'anthropic',
        '--profile-id',
        'anthropic:team',
        '--expires-in',
        '365d',
        '--no-vault',
      ],
      h.env,
      { stdin: token },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /agent main already holds it \(unchanged\)/);
    assert.deepEqual(treeSnapshot(h.home, { mtime: 'none' }), before, 'a second add of the same token changes no file');

    const st = await limiter.run(() =>
      runProcess(CLAWDBOT as string, ['models', 'status', '--json'], h.env, { timeoutMs: 90_000 }),
    );
    const profile = parseClawdbotStdout(st.stdout).json.auth.oauth.profiles.find(
      (p) => p.profileId === 'anthropic:team',
    );
    assert.equal(profile?.type, 'token');
    assert.equal(profile?.status, 'ok');
    assert.equal(profile?.expiresAt, expiresAt, 'Clawdbot shows the expiry AuthBar gave');
    const check = await limiter.run(() =>
      runProcess(CLAWDBOT as string, ['models', 'status', '--check'], h.env, { timeoutMs: 90_000 }),
    );
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.deepEqual(watch.stop(), [], 'no process held the token in argv or environment');
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], { except: [h.path(h.agentStore())] }),
      [],
      'the token is in the agent store and nowhere else',
    );
  },
);

test(
  'token add lands in the real OpenClaw 2026.9.6 through paste-token (stdin only): status --json shows the expiry, --check 0, a second add changes nothing',
  { skip: OPENCLAW ? false : `PEER_OPENCLAW not set: ${INSTALL_HINT}` },
  async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const bin = h.path('bin');
    const log = h.path('argv-log');
    recordingWrapper(bin, log, 'openclaw', OPENCLAW as string);
    const env = { ...h.env, PATH: `${bin}:${h.env['PATH']}`, AUTHBAR_GATEWAY: 'openclaw' };
    const oc = (args: string[]) => limiter.run(() => runProcess(OPENCLAW as string, args, env, { timeoutMs: 120_000 }));

    // The gateway user's choice of model: Anthropic. With no Anthropic credential, --check says 1.
    assert.equal((await oc(['models', 'set', 'anthropic/claude-opus-4-5'])).code, 0);
    assert.equal(
      (await oc(['models', 'status', '--json', '--check'])).code,
      1,
      'no anthropic credential yet: --check is 1',
    );

    const token = secret('setup');
    const watch = watchProcesses(() => [token]);
    const add = await runAuthbar(
      ['token', 'add', '--provider', 'anthropic', '--expires-in', '365d', '--no-vault'],
      env,
      { stdin: token + '\n', timeoutMs: 240_000 },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /landed in OpenClaw/);
    const expiresAt = h.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'].expiresAt as number;

    const st = await oc(['models', 'status', '--json', '--check']);
    assert.equal(st.code, 0, st.stderr);
    const json = JSON.parse(st.stdout.slice(st.stdout.indexOf('{'))) as {
      auth: { oauth: { profiles: Array<{ profileId: string; type: string; status: string; expiresAt: number }> } };
    };
    const profile = json.auth.oauth.profiles.find((p) => p.profileId === 'anthropic:setup-token');
    assert.equal(profile?.type, 'token');
    assert.equal(profile?.status, 'ok');
    assert.equal(profile?.expiresAt, expiresAt, 'OpenClaw shows the expiry AuthBar recorded');
    assert.ok(Math.abs(expiresAt - (Date.now() + 365 * DAY)) < 5 * 60_000, 'a year from now');

    const before = treeSnapshot(h.path('.openclaw'), { mtime: 'none' });
    const beforeState = h.read('.config/authbar/state.json');
    const again = await runAuthbar(
      ['token', 'add', '--provider', 'anthropic', '--expires-in', '365d', '--no-vault'],
      env,
      { stdin: token, timeoutMs: 240_000 },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /OpenClaw already holds it \(unchanged\)/);
    assert.equal(h.read('.config/authbar/state.json'), beforeState);
    const after = treeSnapshot(h.path('.openclaw'), { mtime: 'none' });
    for (const [path, entry] of before) {
      if (entry.type === 'dir' || path.endsWith('.sqlite-wal') || path.endsWith('.sqlite-shm')) continue; // a reader's WAL bookkeeping
      assert.deepEqual(after.get(path), entry, `${path} unchanged`);
    }

    // What AuthBar ran: paste-token with the token on stdin, never in argv or the environment.
    const runs = readdirSync(log).filter((n) => n.startsWith('cmdline.'));
    const argvs = runs.map((n) => readFileSync(join(log, n), 'utf8').split('\0'));
    assert.ok(
      argvs.some((a) => a.includes('paste-token') && a.includes('--expires-in')),
      'paste-token was run',
    );
    for (const n of readdirSync(log))
      assert.ok(!readFileSync(join(log, n), 'utf8').includes(token.slice(13, 40)), `${n} holds no token`);
    assert.deepEqual(watch.stop(), [], 'no process held the token in argv or environment');
    assert.ok(watch.seen() > 0);
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], { except: [h.path('.openclaw', 'state')] }),
      [],
      "the token is only in OpenClaw's own store",
    );
  },
);
