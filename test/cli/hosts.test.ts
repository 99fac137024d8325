/**
 * `authbar hosts add|list|remove|test`: the settings file keeps everything but `hosts` byte for
 * byte, names and destinations are checked (an ssh option is never taken for a destination),
 * and `hosts test` says what it found on a real OpenSSH server (test/support/sshd.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { NODE24, OPENCLAW, SKIP_OPENCLAW, ocEnv, openclawOk } from '../support/openclaw-peer.js';
import { sshdMissing, startSshd } from '../support/sshd.js';

const settingsPath = (home: string) => join(home, '.config', 'authbar', 'settings.json');

test('hosts add, list and remove change only the hosts key of the settings file', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const before = [
    '{',
    '    "futureKey": { "nested": [1, 2.50, 1e400],   "odd spacing": true },',
    '    "warnHours": 24,',
    '    "note": "keep \\u00e9 as written"',
    '}',
    '',
  ].join('\n');
  h.write('.config/authbar/settings.json', before);

  const empty = await runCli(['hosts', 'list'], h.env);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /No remote hosts: add one with `authbar hosts add NAME SSH`/);

  const add = await runCli(['hosts', 'add', 'vps', 'deploy@vps.example:2222'], h.env);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /Added vps \(ssh deploy@vps\.example:2222\)/);
  assert.match(add.stdout, /authbar hosts test vps/);
  const add2 = await runCli(['hosts', 'add', 'home', 'homebox', '--authbar', '/opt/authbar/bin/authbar'], h.env);
  assert.equal(add2.code, 0, add2.stderr);

  const after = readFileSync(settingsPath(h.home), 'utf8');
  // Everything before the new key is the old text, unchanged; the new key reads back as added.
  assert.ok(after.startsWith(before.slice(0, before.lastIndexOf('\n}'))), after);
  assert.deepEqual(JSON.parse(after).hosts, [
    { name: 'vps', ssh: 'deploy@vps.example:2222' },
    { name: 'home', ssh: 'homebox', authbar: '/opt/authbar/bin/authbar' },
  ]);

  const list = await runCli(['hosts', 'list'], h.env);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^NAME\s+SSH\s+AUTHBAR\n/);
  assert.match(list.stdout, /vps\s+deploy@vps\.example:2222\s+authbar \(on PATH\)/);
  assert.match(list.stdout, /home\s+homebox\s+\/opt\/authbar\/bin\/authbar/);
  const json = await runCli(['hosts', 'list', '--json'], h.env);
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(after).hosts);

  const dup = await runCli(['hosts', 'add', 'vps', 'other'], h.env);
  assert.equal(dup.code, 64);
  assert.match(dup.stderr, /a host named "vps" is already configured: remove it first/);

  const rm = await runCli(['hosts', 'remove', 'vps'], h.env);
  assert.equal(rm.code, 0, rm.stderr);
  const rm2 = await runCli(['hosts', 'remove', 'home'], h.env);
  assert.equal(rm2.code, 0, rm2.stderr);
  const final = readFileSync(settingsPath(h.home), 'utf8');
  // Only the value of hosts differs from the original text: an empty list where it was appended.
  assert.equal(
    final,
    before.replace('"note": "keep \\u00e9 as written"', '"note": "keep \\u00e9 as written",\n    "hosts": []'),
  );

  const gone = await runCli(['hosts', 'remove', 'vps'], h.env);
  assert.equal(gone.code, 64);
  assert.match(gone.stderr, /no host named "vps" \(no host is configured\)/);
});

test('hosts add refuses bad names, ssh options posing as destinations and bad --authbar paths', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const cases: Array<[string[], RegExp]> = [
    [['hosts', 'add', 'this', 'vps'], /"this" names this machine in reports/],
    [['hosts', 'add', 'My Host', 'vps'], /a host name is 1 to 32 characters/],
    [['hosts', 'add', 'x'.repeat(33), 'vps'], /a host name is 1 to 32 characters/],
    [['hosts', 'add', 'vps', '--', '-oProxyCommand=touch /tmp/pwned'], /cannot start with "-"/],
    [['hosts', 'add', 'vps', '--', '-oProxyCommand=x'], /cannot start with "-"/],
    [['hosts', 'add', 'vps', '-oProxyCommand=x'], /unknown option -o/],
    [['hosts', 'add', 'vps', 'user@host name'], /without spaces or control characters/],
    [['hosts', 'add', 'vps', 'vps\u001b[31m'], /without spaces or control characters/],
    [['hosts', 'add', 'vps', 'user@host:99999'], /not between 1 and 65535/],
    [['hosts', 'add', 'vps', 'vps', '--authbar', 'authbar; rm -rf ~'], /--authbar .* must be an absolute path/],
    [['hosts', 'add', 'vps'], /hosts add needs a NAME and an SSH destination/],
    [['hosts', 'add', 'a', 'b', 'c'], /unexpected argument "c"/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv, h.env);
    assert.equal(r.code, 64, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, argv.join(' '));
    assert.doesNotMatch(r.stderr, /\u001b/, 'a control character is never echoed raw');
  }
  assert.equal(h.exists('.config/authbar/settings.json'), false, 'nothing refused is written');

  // A broken settings file is reported, never overwritten.
  h.write('.config/authbar/settings.json', '{ "warnHours": ');
  const broken = await runCli(['hosts', 'add', 'vps', 'vps'], h.env);
  assert.equal(broken.code, 78, broken.stderr);
  assert.equal(h.read('.config/authbar/settings.json'), '{ "warnHours": ');
});

test('hosts test says what it found on a real ssh server, and why not when it cannot', async (t) => {
  const missing = sshdMissing();
  if (missing !== null) return t.skip(missing);
  const h = makeHome();
  t.after(() => h.cleanup());
  const sshd = await startSshd();
  t.after(() => sshd.close());
  const env = sshd.clientEnv(h.env);

  assert.equal((await runCli(['hosts', 'add', 'vps', sshd.alias], env)).code, 0);
  const ok = await runCli(['hosts', 'test', 'vps'], env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`vps \\(ssh ${sshd.alias}\\): connected\\.`));
  assert.match(ok.stdout, /AuthBar \d+\.\d+\.\d+ answered there\./);
  assert.match(ok.stdout, /Gateway: \S+/);
  const json = await runCli(['hosts', 'test', 'vps', '--json'], env);
  const report = JSON.parse(json.stdout) as { state: string; authbarVersion: string; snapshot: unknown };
  assert.equal(report.state, 'ok');
  assert.ok(report.snapshot !== null);

  // The server stopped (its sessions, the shared connection's too): unreachable, with the
  // command that shows why.
  await sshd.stop();
  const down = await runCli(['hosts', 'test', 'vps'], env);
  assert.equal(down.code, 1);
  assert.match(down.stdout, /vps \(ssh .*\): unreachable since \d\d:\d\d\./);
  assert.match(down.stdout, /fix: ssh /);
  await sshd.start();

  // A host key that changed (the server restarted with a new one, no shared connection left): never accepted, and the exact commands to check it are given.
  await sshd.rotateHostKey();
  const key = await runCli(['hosts', 'test', 'vps'], env);
  assert.equal(key.code, 1);
  assert.match(key.stdout, /host-key since/);
  assert.match(key.stdout, /fix: ssh-keygen -R /);

  assert.equal((await runCli(['hosts', 'test', 'nope'], env)).code, 64);
});

test("hosts test names an OpenClaw host's gateway and its version", async (t) => {
  const missing = sshdMissing() ?? (OPENCLAW && NODE24 ? null : SKIP_OPENCLAW);
  if (missing !== null) return t.skip(missing);
  const h = makeHome();
  t.after(() => h.cleanup());
  const sshd = await startSshd({ node: 'node24', peers: ['openclaw'] });
  t.after(() => sshd.close());
  // The host's OpenClaw config, written by OpenClaw itself (it records its version there).
  await openclawOk(
    ['config', 'set', 'agents.defaults.model.primary', 'anthropic/claude-opus-4-6'],
    ocEnv(sshd.remote.home),
  );
  const env = sshd.clientEnv(h.env);
  assert.equal((await runCli(['hosts', 'add', 'oc', sshd.alias], env)).code, 0);
  const r = await runCli(['hosts', 'test', 'oc'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ {2}Gateway: OpenClaw \d{4}\.\d+\.\d+ \(.*\.openclaw\), \d+ agents?\.$/m);

  // Without AuthBar there (a program that is not on the host): the state, the install hint,
  // and still the gateway its own CLI names.
  assert.equal((await runCli(['hosts', 'add', 'bare', sshd.alias, '--authbar', 'authbar-not-here'], env)).code, 0);
  const bare = await runCli(['hosts', 'test', 'bare'], env);
  assert.equal(bare.code, 1);
  assert.match(bare.stdout, /^bare \(ssh vps\): no-authbar since \d\d:\d\d\.$/m);
  assert.match(bare.stdout, /fix: install AuthBar there/);
  assert.match(bare.stdout, /^ {2}Gateway: OpenClaw \d{4}\.\d+\.\d+ is there \(its own CLI answered\)\.$/m);
});
