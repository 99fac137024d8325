/**
 * What `authbar setup-token --host` makes of a host's answers, without a host: the default
 * agent from `openclaw agents list --json` (an id that is not one is never used), the paste's
 * words (the token is never among them), whether the host's status shows the new token (by
 * fingerprint, or by OpenClaw's masked tail), and the host's text masked and capped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authbarTook, cleanRemote } from '../../main/engine/hosts/remote-token.js';
import { openclawPasteArgs, openclawTook, pickDefaultAgent } from '../../main/engine/gateways/openclaw/remote-cli.js';
import { remoteExpiresIn } from '../../main/cli/commands/setup-token-host.js';
import { fingerprint } from '../../main/engine/secrets/mask.js';
import type { SshRun } from '../../main/engine/hosts/ssh-exec.js';
import { secret } from '../support/home.js';
import { agent, profile, snapshot, NOW, DAY } from '../support/snapshots.js';

const run = (stdout: string, code = 0): SshRun => ({ code, signal: null, stdout, stderr: '', truncated: false });

test('the default agent: isDefault, else main, else the first; ids that are not ids are skipped', () => {
  assert.equal(pickDefaultAgent('[{"id":"main"},{"id":"work","isDefault":true}]'), 'work');
  assert.equal(pickDefaultAgent('banner line\n[{"id":"ops"},{"id":"main"}]'), 'main');
  assert.equal(pickDefaultAgent('[{"id":"ops"}]'), 'ops');
  assert.equal(pickDefaultAgent('[{"id":"$(reboot)","isDefault":true},{"id":"x; rm -rf ~"},{"id":"b"}]'), 'b');
  assert.equal(pickDefaultAgent('not json'), null);
  assert.equal(pickDefaultAgent('{"id":"main"}'), null);
});

test("the paste's words name the agent and never carry the token; a bad agent id is refused", () => {
  const words = openclawPasteArgs('anthropic', 'anthropic:setup-token', '365d', 'main');
  assert.deepEqual(words.slice(0, 4), ['openclaw', 'models', 'auth', 'paste-token']);
  assert.deepEqual(words.slice(-2), ['--agent', 'main']);
  assert.throws(() => openclawPasteArgs('anthropic', 'anthropic:setup-token', '365d', '-rf'));
  assert.throws(() => openclawPasteArgs('anthropic', 'anthropic:setup-token', '365d', 'a b'));
});

test("OpenClaw's status shows the token by its masked tail; another credential under the id is not it", () => {
  const token = secret('setup');
  const status = (tail: string) =>
    JSON.stringify({
      auth: {
        providers: [
          { provider: 'anthropic', profiles: { labels: [`anthropic:setup-token=token:sk-ant-o...${tail}`] } },
        ],
        oauth: {
          profiles: [{ profileId: 'anthropic:setup-token', type: 'token', status: 'ok', expiresAt: NOW + 365 * DAY }],
        },
      },
    });
  const ok = openclawTook(`OpenClaw 2026.9.6\n${status(token.slice(-8))}`, 'anthropic:setup-token', token, 'main');
  assert.equal(ok.took, true);
  assert.match(ok.detail, /^anthropic:setup-token in OpenClaw \(agent main\): ok, expires \d{4}-\d\d-\d\d$/);
  assert.equal(openclawTook(status('ZZZZZZZZ'), 'anthropic:setup-token', token, 'main').took, false);
  assert.equal(openclawTook(status(token.slice(-8)), 'anthropic:other', token, 'main').took, false);
  assert.equal(openclawTook('{"auth": 3}', 'anthropic:setup-token', token, 'main').took, null);
});

test("the host's AuthBar status shows the token by fingerprint under the profile id", () => {
  const token = secret('setup');
  const held = profile({ profileId: 'anthropic:setup-token', type: 'token', fingerprint: fingerprint(token) });
  const other = profile({ profileId: 'anthropic:setup-token', type: 'token', fingerprint: 'aaaaaaaaaaaa' });
  const good = JSON.stringify(snapshot({ agents: [agent('main', [held])] }));
  const r = authbarTook(run(good), 'anthropic:setup-token', token, 'vps');
  assert.equal(r.took, true);
  assert.match(r.detail, /^anthropic:setup-token on vps \(agent main\): /);
  const stale = JSON.stringify(snapshot({ agents: [agent('main', [other])] }));
  assert.equal(authbarTook(run(stale), 'anthropic:setup-token', token, 'vps').took, false);
  assert.equal(authbarTook(run('{"not":"a snapshot"}'), 'anthropic:setup-token', token, 'vps').took, null);
  assert.equal(authbarTook(run('', 1), 'anthropic:setup-token', token, 'vps').took, null);
});

test("the host's text: the token masked wherever it echoes, capped", () => {
  const token = secret('setup');
  const out = cleanRemote(`got ${token} fine ${token}`, token);
  assert.ok(!out.includes(token));
  assert.match(out, /^got sk-ant-oat01-…\S{4} fine sk-ant-oat01-…\S{4}$/);
  assert.equal(cleanRemote('x'.repeat(5000), token).length, 2001);
});

test('the remote --expires-in: a year by default, else the given lifetime in minutes', () => {
  assert.equal(remoteExpiresIn(undefined), '365d');
  assert.equal(remoteExpiresIn(90 * 60_000), '90m');
  assert.equal(remoteExpiresIn(30 * DAY), '43200m');
});
