/**
 * `authbar status --host NAME` and `--all-hosts` against a real OpenSSH server running the
 * real AuthBar on its own HOME (test/support/sshd.ts): the host's table headed by the host,
 * the JSON report, `--check` (a host not read is never healthy), and nothing a host sends —
 * a profile id, a version line, an error line — reaching the terminal unescaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, HOUR, makeHome, secret } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { RAW_CONTROL } from '../support/outputs.js';
import { sshdMissing, startSshd } from '../support/sshd.js';

const missing = sshdMissing();

interface Report {
  name: string;
  ssh: string | null;
  state: string;
  since: number | null;
  authbarVersion: string | null;
  message?: string | null;
  fix?: string | null;
  snapshot: { overall: { attention: string }; agents: Array<{ profiles: Array<{ profileId: string }> }> } | null;
}

test('status --host and --all-hosts: tables, JSON, --check and escaping', { skip: missing ?? false }, async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  mkdirSync(h.state, { mode: 0o700 });
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:local': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 200 * DAY,
      },
    },
  });
  const sshd = await startSshd();
  t.after(() => sshd.close());
  const env = sshd.clientEnv(h.env);
  // The remote home: one healthy token, and one whose id carries a terminal escape.
  const r = sshd.remote;
  mkdirSync(r.state, { mode: 0o700 });
  const evilId = 'anthropic:\u001b]0;pwned\u0007\u202e';
  r.write(r.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:remote': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 200 * DAY,
      },
      [evilId]: { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() + 3 * HOUR },
    },
  });
  // A secret a hostile host prints in an error line: masked wherever it is shown (runCli checks).
  const leaked = secret('setup');
  // Fake `authbar`s on the host: one with a hostile version line, one that fails with a hostile error.
  const script = (name: string, body: string) =>
    writeFileSync(join(sshd.remoteBin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  script('authbar-evil-version', `printf 'authbar 1.0.0\\033[2J\\n'`);
  script(
    'authbar-evil-error',
    `if [ "$1" = --version ]; then echo "authbar 0.1.0"; exit 0; fi\nprintf 'boom \\033[31mred\\033]0;title\\007 ${leaked}\\n' >&2; exit 3`,
  );
  script('authbar-future', 'echo "authbar 9.0.0"');
  for (const [name, program] of [
    ['vps', null],
    ['evil1', 'authbar-evil-version'],
    ['evil2', 'authbar-evil-error'],
    ['future', 'authbar-future'],
  ] as const) {
    const add = await runCli(['hosts', 'add', name, 'vps', ...(program ? ['--authbar', program] : [])], env);
    assert.equal(add.code, 0, add.stderr);
  }

  // --host: the host's own table, headed by it; the escape shown, never sent raw.
  const one = await runCli(['status', '--host', 'vps', '--no-sync'], env);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^== vps \(ssh vps\): reached, AuthBar \d+\.\d+\.\d+ ==\n/);
  assert.match(one.stdout, /anthropic:remote/);
  assert.match(one.stdout, /anthropic:\\x1b\]0;pwned\\x07\\u202e/);
  assert.doesNotMatch(one.stdout + one.stderr, RAW_CONTROL);
  // --check: the host's own verdict (a token expiring in 3 h: soon).
  assert.equal((await runCli(['status', '--host', 'vps', '--no-sync', '--check'], env)).code, 2);

  const json = await runCli(['status', '--host', 'vps', '--no-sync', '--json'], env);
  const rep = JSON.parse(json.stdout) as Report;
  assert.equal(rep.state, 'ok');
  assert.equal(rep.ssh, 'vps');
  assert.deepEqual(
    rep.snapshot?.agents[0]?.profiles.map((p) => p.profileId).sort(),
    ['anthropic:remote', evilId].sort(),
  );

  // Hostile hosts: a bad version line is incompatible, a failing AuthBar says what it said, escaped.
  const v = await runCli(['status', '--host', 'evil1', '--no-sync'], env);
  assert.match(v.stdout, /evil1 \(ssh vps\): incompatible since/);
  assert.match(v.stdout, /did not answer --version as AuthBar does/);
  assert.match(v.stdout, /Not known to be healthy/);
  const e = await runCli(['status', '--host', 'evil2', '--no-sync'], env);
  assert.match(
    e.stdout,
    /AuthBar on evil2 could not give its status \(exit code 3\): boom \\x1b\[31mred\\x1b\]0;title\\x07 sk-ant-oat01-…/,
  );
  const f = await runCli(['status', '--host', 'future', '--no-sync', '--check'], env);
  assert.equal(f.code, 1, 'a host not read is never healthy');
  assert.match(
    f.stderr,
    /future: incompatible since .*AuthBar 9\.0\.0 on future and .* here do not read each other's status/,
  );
  for (const o of [v, e, f]) assert.doesNotMatch(o.stdout + o.stderr, RAW_CONTROL);

  // --all-hosts --json: this machine first, named `this`, then every host in order.
  const all = await runCli(['status', '--all-hosts', '--no-sync', '--json'], env);
  assert.equal(all.code, 0, all.stderr);
  const report = JSON.parse(all.stdout) as { this: string; hosts: Report[] };
  assert.equal(report.this, 'this');
  assert.deepEqual(
    report.hosts.map((x) => [x.name, x.ssh, x.state]),
    [
      ['this', null, 'ok'],
      ['vps', 'vps', 'ok'],
      ['evil1', 'vps', 'incompatible'],
      ['evil2', 'vps', 'unreachable'],
      ['future', 'vps', 'incompatible'],
    ],
  );
  assert.equal(report.hosts[3]?.authbarVersion, '0.1.0');
  assert.equal(report.hosts[4]?.authbarVersion, '9.0.0');
  assert.ok(report.hosts.every((x) => typeof x.since === 'number'));
  assert.doesNotMatch(all.stdout, RAW_CONTROL);

  // --all-hosts text: a section per machine, this one first.
  const text = await runCli(['status', '--all-hosts', '--no-sync'], env);
  const headings = text.stdout.split('\n').filter((l) => l.startsWith('== '));
  assert.deepEqual(
    headings.map((l) => l.replace(/ since \d\d:\d\d/, '').replace(/, AuthBar .*/, '')),
    [
      '== this machine ==',
      '== vps (ssh vps): reached',
      '== evil1 (ssh vps): incompatible ==',
      '== evil2 (ssh vps): unreachable',
      '== future (ssh vps): incompatible',
    ],
  );
  // --plain under --all-hosts: each line names its machine.
  const plain = await runCli(['status', '--all-hosts', '--no-sync', '--plain'], env);
  assert.match(plain.stdout, /^vps\tmain\tanthropic:remote\t/m);
  // --check over all: the worst (hosts not read count as now).
  assert.equal((await runCli(['status', '--all-hosts', '--no-sync', '--check'], env)).code, 1);
  assert.match(
    (await runCli(['status', '--all-hosts', '--agent', 'main'], env)).stderr,
    /--agent goes with one machine/,
  );

  // Only the healthy host left, then the server down: unreachable, exit 1, the fix given.
  for (const n of ['evil1', 'evil2', 'future']) assert.equal((await runCli(['hosts', 'remove', n], env)).code, 0);
  assert.equal((await runCli(['status', '--all-hosts', '--no-sync', '--check'], env)).code, 2);
  await sshd.stop();
  const down = await runCli(['status', '--all-hosts', '--no-sync', '--json'], env);
  const downRep = JSON.parse(down.stdout) as { hosts: Report[] };
  assert.equal(downRep.hosts[1]?.state, 'unreachable');
  assert.equal(downRep.hosts[1]?.snapshot, null);
  assert.match(downRep.hosts[1]?.fix ?? '', /^ssh vps/);
  const downCheck = await runCli(['status', '--host', 'vps', '--no-sync', '--check'], env);
  assert.equal(downCheck.code, 1);
  assert.match(downCheck.stderr, /authbar: vps: unreachable since \d\d:\d\d: vps is unreachable/);
});
