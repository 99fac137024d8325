/**
 * `authbar setup-token` in a real pseudo-terminal (AuthBar itself runs in one, driven like a
 * user would), against a fake `claude` on PATH that behaves like the real one: the token is
 * captured exactly (also when claude wraps it), kept in a real gnome-keyring and landed;
 * cancelling stores nothing; without a terminal it says it needs one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { AUTHBAR_BIN, assertNoSecrets, runAuthbar, runProcess, secret, DAY } from '../support/home.js';
import { keyringSessionArgv, keyringUnavailable } from '../support/keyring.js';
import { driveInPty, fakeClaudeHome } from '../support/setup-token-pty.js';
import { watchProcesses } from '../support/proc-watch.js';
import { scanTreeForSecrets } from '../support/secret-scan.js';
import { INSTALL_HINT, Limiter, parseClawdbotStdout, peerPath } from '../support/peers.js';

const CLAWDBOT = peerPath('PEER_CLAWDBOT', 'clawdbot');
const skipKeyring = keyringUnavailable();

/** AuthBar's own lines: what follows claude's last line (claude prints the token itself). */
function authbarLines(output: string): string {
  const i = output.lastIndexOf('CLAUDE_CODE_OAUTH_TOKEN=<token>');
  return i === -1 ? output : output.slice(i);
}

for (const [name, extra] of [
  ['on one line (the pty is 1000 columns wide)', {}],
  ['when claude wraps it anyway at 80 columns', { FAKE_CLAUDE_COLUMNS: '80' }],
] as const) {
  test(
    `setup-token captures the token exactly ${name}, keeps it in the keyring and lands it`,
    { skip: skipKeyring ?? false },
    async (t) => {
      const token = secret('setup');
      const { h, env } = fakeClaudeHome(t, token, extra);
      const watch = watchProcesses(() => [token]);
      const started = Date.now();
      const r = await driveInPty(
        keyringSessionArgv(process.execPath, [AUTHBAR_BIN, 'setup-token']),
        env,
        '4711#abcd\r',
      );
      assert.equal(r.code, 0, r.output.slice(-1500));
      assert.ok(r.output.includes('Paste') && r.output.includes('Welcome'), "the user saw claude's prompts");
      assertNoSecrets('authbar setup-token (its own lines)', authbarLines(r.output));
      const store = h.readJson(h.agentStore());
      assert.equal(store.profiles['anthropic:setup-token'].token, token, 'the captured token is exact');
      const rec = h.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'];
      assert.ok(rec.mintedAt >= started && rec.mintedAt <= Date.now());
      assert.equal(rec.expiresAt, rec.mintedAt + 365 * DAY);
      assert.equal(store.profiles['anthropic:setup-token'].expires, rec.expiresAt);
      assert.equal(rec.inVault, true);
      assert.deepEqual(watch.stop(), [], 'no process held the token in argv or environment');
      assert.deepEqual(
        scanTreeForSecrets(h.home, [token], {
          except: [h.path('.local', 'share', 'keyrings'), h.path(h.agentStore())],
        }),
        [],
        'no transcript, no copy',
      );

      const list = await runAuthbar(['token', 'list'], env);
      assert.match(list.stdout, /anthropic:setup-token\s+sk-ant-oat01-…\S{4}\s+0 d\s/);
      if (CLAWDBOT && !('FAKE_CLAUDE_COLUMNS' in extra)) {
        const st = await new Limiter(1).run(() =>
          runProcess(CLAWDBOT, ['models', 'status', '--json'], env, { timeoutMs: 90_000 }),
        );
        const p = parseClawdbotStdout(st.stdout).json.auth.oauth.profiles.find(
          (x) => x.profileId === 'anthropic:setup-token',
        );
        assert.equal(p?.expiresAt, rec.expiresAt, 'the real Clawdbot shows the expiry AuthBar gave');
        assert.equal(p?.status, 'ok');
        assert.equal((await runProcess(CLAWDBOT, ['models', 'status', '--check'], env, { timeoutMs: 90_000 })).code, 0);
      } else if (!CLAWDBOT) {
        t.diagnostic(`PEER_CLAWDBOT not set: the real Clawdbot's view was not checked (${INSTALL_HINT})`);
      }
    },
  );
}

test("setup-token cancelled with Ctrl-C at claude's prompt stores nothing", async (t) => {
  const token = secret('setup');
  const { h, env } = fakeClaudeHome(t, token);
  const r = await driveInPty([process.execPath, [AUTHBAR_BIN, 'setup-token', '--no-vault']], env, '\u0003');
  assert.equal(r.code, 1, r.output.slice(-1000));
  assert.match(r.output, /nothing stored: claude setup-token ended with exit code 130/);
  assert.equal(h.exists(h.agentStore()), false);
  assert.equal(h.exists('.config/authbar/state.json'), false);
  assertNoSecrets('cancelled setup-token', r.output);
});

test('setup-token without a terminal says it needs one', async (t) => {
  const { env } = fakeClaudeHome(t, secret('setup'));
  const r = await runAuthbar(['setup-token'], env);
  assert.equal(r.code, 64);
  assert.match(
    r.stderr,
    /^authbar: setup-token needs an interactive terminal .*`claude setup-token` yourself and pipe the token to `authbar token add --provider anthropic --expires-in 365d`\.\n$/,
  );
});

const OPENCLAW = peerPath('PEER_OPENCLAW', 'openclaw');

test(
  'under OpenClaw: setup-token lands through paste-token; after the profile is removed, sync (Resync) lands it again from the keyring',
  { skip: skipKeyring ?? (OPENCLAW ? false : `PEER_OPENCLAW not set: ${INSTALL_HINT}`) },
  async (t) => {
    const token = secret('setup');
    const { h, env: base } = fakeClaudeHome(t, token);
    // The real openclaw beside the fake claude (the peers' bin dir also holds the real claude).
    symlinkSync(OPENCLAW as string, h.path('bin', 'openclaw'));
    const env = { ...base, AUTHBAR_GATEWAY: 'openclaw' };
    const oc = (args: string[]) => runProcess(OPENCLAW as string, args, env, { timeoutMs: 120_000 });
    assert.equal((await oc(['models', 'set', 'anthropic/claude-opus-4-5'])).code, 0);
    const watch = watchProcesses(() => [token]);

    const r = await driveInPty(keyringSessionArgv(process.execPath, [AUTHBAR_BIN, 'setup-token']), env, '4711#abcd\r');
    assert.equal(r.code, 0, r.output.slice(-1500));
    assert.match(authbarLines(r.output), /landed in OpenClaw/);
    const rec = h.readJson('.config/authbar/state.json').tokens['anthropic:setup-token'];
    const expiryOf = async () => {
      const st = await oc(['models', 'status', '--json', '--check']);
      const json = JSON.parse(st.stdout.slice(st.stdout.indexOf('{'))) as {
        auth: { oauth: { profiles: Array<{ profileId: string; expiresAt?: number }> } };
      };
      return {
        code: st.code,
        expiresAt: json.auth.oauth.profiles.find((p) => p.profileId === 'anthropic:setup-token')?.expiresAt,
      };
    };
    assert.deepEqual(await expiryOf(), { code: 0, expiresAt: rec.expiresAt });
    assert.ok(Math.abs(rec.expiresAt - (rec.mintedAt + 365 * DAY)) < 5 * 60_000);

    // The profile is gone from OpenClaw; Resync finds the gap and lands the vault's copy.
    assert.equal((await oc(['models', 'auth', 'logout', 'anthropic:setup-token', '--yes'])).code, 0);
    assert.equal((await expiryOf()).code, 1);
    const sync = await runInKeyringSessionText([AUTHBAR_BIN, 'sync'], env);
    assert.match(sync, /vault anthropic:setup-token: landed in OpenClaw/);
    assert.equal((await expiryOf()).code, 0);
    const again = await runInKeyringSessionText([AUTHBAR_BIN, 'sync'], env);
    assert.match(again, /vault anthropic:setup-token: up to date/);
    assert.deepEqual(watch.stop(), [], 'no process held the token in argv or environment');
    assert.deepEqual(
      scanTreeForSecrets(h.home, [token], {
        except: [h.path('.local', 'share', 'keyrings'), h.path('.openclaw', 'state')],
      }),
      [],
    );
  },
);

async function runInKeyringSessionText(args: string[], env: Record<string, string>): Promise<string> {
  const [cmd, argv] = keyringSessionArgv(process.execPath, args);
  const r = await runProcess(cmd, argv, env, { timeoutMs: 240_000 });
  assertNoSecrets('authbar ' + args.join(' '), r.stdout + r.stderr);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r.stdout;
}
