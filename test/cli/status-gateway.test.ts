/**
 * `authbar status` names the gateway in its first line — which one, where, how it was
 * detected — escaped and scrubbed like every other output; `--plain` stays as it was.
 * Under both gateways; OpenClaw through the real peer (its CLI on Node 20, node:sqlite on
 * Node 24), skipped with a message when the peer is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AUTHBAR_BIN, HOUR, assertNoSecrets, makeHome, runAuthbar, runProcess, secret } from '../support/home.js';
import { INSTALL_HINT, peerPath } from '../support/peers.js';

const store = (expires: number) => ({
  version: 1,
  profiles: { 'anthropic:setup': { type: 'token', provider: 'anthropic', token: secret('setup'), expires } },
});

test('status (Clawdbot): the first line names the gateway, its state dir under ~ and how it was detected; --plain has no such line', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write(h.agentStore(), store(Date.now() + 48 * HOUR));
  h.write('.clawdbot/clawdbot.json', '{}');
  const r = await runAuthbar(['status'], h.env);
  assert.equal(r.code, 0, r.stderr);
  const first = r.stdout.split('\n')[0] ?? '';
  assert.match(first, /^Gateway: Clawdbot \(~\/\.clawdbot, detected: [^()]*clawdbot\.json[^()]*\)$/, first);
  assert.match(r.stdout.split('\n')[1] ?? '', /^All credentials healthy\.$/);
  const plain = await runAuthbar(['status', '--plain'], h.env);
  assert.doesNotMatch(plain.stdout, /Gateway/);
  assert.deepEqual(
    plain.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t').length),
    [11],
    'one tab-separated line per profile, as before (8 fields, then the setup-token age columns)',
  );
});

test('status: the gateway line escapes control characters and masks secrets in the state dir', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const token = secret('setup');
  const hostile = h.path(`state\u001b[31m\u202e-${token}`);
  mkdirSync(join(hostile, 'agents', 'main', 'agent'), { recursive: true });
  h.env['CLAWDBOT_STATE_DIR'] = hostile;
  const r = await runAuthbar(['status'], h.env);
  const first = r.stdout.split('\n')[0] ?? '';
  assert.match(
    first,
    /^Gateway: Clawdbot \(~\/state\\x1b\[31m\\u202e\S*…[A-Za-z0-9_-]{0,4}, detected: CLAWDBOT_STATE_DIR is set\)$/,
    first,
  );
  assert.ok(!first.includes(token.slice(13, 40)), 'the token is masked');
  assert.doesNotMatch(r.stdout, /[\u001b\u202e]/);
  assertNoSecrets('status', r.stdout + r.stderr);
});

const openclawHome = () => {
  const h = makeHome('authbar-oc-gw-');
  h.write('.openclaw/openclaw.json', { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } } });
  mkdirSync(h.path('.openclaw', 'agents', 'main', 'agent'), { recursive: true, mode: 0o700 });
  h.env['AUTHBAR_GATEWAY'] = 'openclaw';
  return h;
};

test('status (OpenClaw on Node 20): the gateway line says the data came from openclaw models status --json', async (t) => {
  const openclaw = peerPath('PEER_OPENCLAW', 'openclaw');
  if (!openclaw) return t.skip(`PEER_OPENCLAW is not set (or not executable): ${INSTALL_HINT}`);
  const h = openclawHome();
  t.after(() => h.cleanup());
  h.env['PATH'] = `${dirname(openclaw)}:${h.env['PATH']}`;
  const r = await runAuthbar(['status'], h.env, { timeoutMs: 60_000 });
  const [first, second] = r.stdout.split('\n');
  assert.equal(
    first,
    'Gateway: OpenClaw (~/.openclaw, detected: AUTHBAR_GATEWAY=openclaw, read via its own `models status --json`)',
    r.stdout + r.stderr,
  );
  assert.match(second ?? '', /^ {2}note: .*node:sqlite/);
  const plain = await runAuthbar(['status', '--plain'], h.env, { timeoutMs: 60_000 });
  assert.doesNotMatch(plain.stdout, /Gateway|note:/);
});

test('status (OpenClaw on Node 24): read from its SQLite store, the gateway line without a note', async (t) => {
  const node24 = process.env['PEER_NODE24'];
  if (!node24) return t.skip(`PEER_NODE24 is not set: ${INSTALL_HINT}`);
  const h = openclawHome();
  t.after(() => h.cleanup());
  const r = await runProcess(node24, [AUTHBAR_BIN, 'status'], h.env, { timeoutMs: 60_000 });
  const [first, second] = r.stdout.split('\n');
  assert.equal(first, 'Gateway: OpenClaw (~/.openclaw, detected: AUTHBAR_GATEWAY=openclaw)', r.stdout + r.stderr);
  assert.doesNotMatch(second ?? '', /note:/);
  assertNoSecrets('status', r.stdout + r.stderr);
});
