/**
 * Landing tokens in the real OpenClaw 2026.9.6 through its own CLI, watched by an `openclaw`
 * on PATH that logs each run (its arguments and the state dir it was pointed at):
 * - a sync with a vault token that OpenClaw already holds runs nothing on OpenClaw's real
 *   state (every read is on a private copy) and leaves its tree byte-identical;
 * - on a host with two agents (`openclaw agents add`), `token add` lands with `--agent`, for
 *   the default agent and for an agent whose own store holds the profile; a refusal shows
 *   OpenClaw's real reason, not its first (unrelated) stderr line.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AUTHBAR_BIN, runAuthbar, secret } from '../support/home.js';
import { keyringEnv, keyringUnavailable, runInKeyringSession } from '../support/keyring.js';
import {
  OPENCLAW,
  SKIP_OPENCLAW,
  mkTemp,
  ocEnv,
  openclawOk,
  openclawStatus,
  treeDigest,
} from '../support/openclaw-peer.js';
import { HAVE_OPENCLAW, multiAgentHome, removeBase } from '../support/openclaw-multi.js';

/**
 * An `openclaw` on PATH that appends `<state dir the run was given>|<args>` to a log, then runs
 * the real one — outside the keyring's D-Bus session, where OpenClaw's service probe (busctl,
 * systemd activation) takes minutes.
 */
function loggingOpenclaw(
  home: string,
  body = `exec env -u DBUS_SESSION_BUS_ADDRESS "${OPENCLAW}" "$@"`,
): { env: Record<string, string>; runs: () => string[] } {
  const bin = join(home, 'bin');
  const log = join(home, 'openclaw-runs.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, '');
  writeFileSync(join(bin, 'openclaw'), `#!/bin/sh\necho "\${OPENCLAW_STATE_DIR:-REAL}|$*" >> "${log}"\n${body}\n`);
  chmodSync(join(bin, 'openclaw'), 0o755);
  mkdirSync(join(home, 'tmp'), { recursive: true });
  const env = ocEnv(home, { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: join(home, 'tmp') });
  return { env, runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** Runs that wrote or could write OpenClaw's real state: any not pointed at a private copy. */
const onRealState = (runs: string[], home: string) => runs.filter((r) => !r.startsWith(join(home, 'tmp') + '/'));
const isPaste = (r: string) => /\|models auth paste-token /.test(r);

describe('landing in the real OpenClaw', { skip: HAVE_OPENCLAW ? false : SKIP_OPENCLAW, concurrency: 1 }, () => {
  after(() => removeBase());

  it(
    'sync with a vault token OpenClaw already holds runs no openclaw on its real state and leaves its tree byte-identical',
    { skip: keyringUnavailable() ?? false },
    async () => {
      const home = mkTemp('authbar-oc-vault-');
      try {
        const { env: base, runs } = loggingOpenclaw(home);
        const env = keyringEnv(home, base);
        await openclawOk(['models', 'set', 'anthropic/claude-opus-4-6'], env);
        const token = secret('setup');
        const add = await runInKeyringSession(
          process.execPath,
          [AUTHBAR_BIN, 'token', 'add', '--provider', 'anthropic', '--expires-in', '365d'],
          env,
          { stdin: token + '\n', timeoutMs: 240_000 },
        );
        assert.equal(add.code, 0, add.stderr + add.stdout);
        assert.match(add.stdout, /kept in the OS keyring/);
        assert.deepEqual(
          onRealState(runs(), home).filter((r) => !isPaste(r)),
          [],
          'token add reads OpenClaw only on a private copy',
        );
        const before = treeDigest(join(home, '.openclaw'));
        writeFileSync(join(home, 'openclaw-runs.log'), '');
        const sync = await runInKeyringSession(process.execPath, [AUTHBAR_BIN, 'sync'], env, { timeoutMs: 240_000 });
        assert.equal(sync.code, 0, sync.stderr + sync.stdout);
        assert.deepEqual(onRealState(runs(), home), [], 'no openclaw run on the real state');
        assert.deepEqual([...treeDigest(join(home, '.openclaw')).entries()], [...before.entries()]);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  );

  it('token add on a two-agent host lands with --agent for the default agent and for an agent whose own store holds the profile', async () => {
    const home = await multiAgentHome();
    try {
      const { env, runs } = loggingOpenclaw(home);
      const token = secret('setup');
      const add = await runAuthbar(
        [
          'token',
          'add',
          '--provider',
          'anthropic',
          '--profile-id',
          'anthropic:work',
          '--expires-in',
          '300d',
          '--no-vault',
        ],
        env,
        { stdin: token + '\n', timeoutMs: 300_000 },
      );
      assert.equal(add.code, 0, add.stderr + add.stdout);
      const pastes = runs().filter(isPaste);
      assert.ok(
        pastes.some((r) => / --agent main( |$)/.test(r)),
        pastes.join('\n'),
      );
      assert.ok(
        pastes.some((r) => / --agent work( |$)/.test(r)),
        'work holds its own anthropic:work: landed there too',
      );
      const tail = token.slice(-4);
      for (const agent of ['main', 'work']) {
        const st = await openclawStatus(env, agent);
        assert.ok(
          st.profiles?.some((p) => p.profileId === 'anthropic:work'),
          `${agent} sees anthropic:work`,
        );
        const r = await openclawOk(['models', 'status', '--json', '--agent', agent], env);
        assert.match(r.stdout, new RegExp(`anthropic:work=token:[^"]*${tail}"`), `${agent} holds the new token`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a refusal names OpenClaw’s real reason, not its first stderr line', async () => {
    const home = await multiAgentHome();
    try {
      // A stand-in that refuses every paste the way OpenClaw does without --agent (reads still go to the real one).
      const body = `case "$*" in *paste-token*) echo "Installed Gateway service state and config paths could not be verified. Inspect the service environment with \\\`openclaw gateway status --deep\\\` before repairing plugin state." >&2; echo "Multiple agents are configured, but the model command has no explicit owner. Pass --agent <id>." >&2; exit 1;; esac\nexec "${OPENCLAW}" "$@"`;
      const { env } = loggingOpenclaw(home, body);
      const add = await runAuthbar(
        ['token', 'add', '--provider', 'anthropic', '--expires-in', '300d', '--no-vault'],
        env,
        { stdin: secret('setup') + '\n', timeoutMs: 300_000 },
      );
      assert.notEqual(add.code, 0);
      assert.match(add.stderr + add.stdout, /Multiple agents are configured/);
      assert.doesNotMatch(add.stderr + add.stdout, /Installed Gateway service state/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
