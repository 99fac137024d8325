/**
 * `authbar install-service` carries paths and environment values into a systemd unit or a
 * launchd plist. A control character in one (a carriage return in a state dir variable) must
 * never add a line of its own to the unit: it is refused, naming the variable, and nothing is
 * written. Plist values are XML-escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { launchdPlist, systemdUnit } from '../../main/cli/service-files.js';
import { makeHome } from '../support/home.js';
import { runCli } from '../support/cli.js';

const spec = { node: '/usr/bin/node', bin: '/opt/authbar/bin/authbar.cjs', home: '/home/ada' };

for (const name of ['CLAWDBOT_STATE_DIR', 'OPENCLAW_STATE_DIR']) {
  test(`install-service: a carriage return in ${name} is refused, naming it, and no unit is written`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    const env = { ...h.env, [name]: `${h.path('state')}\rExecStartPre=/bin/touch /tmp/pwned` };
    const r = await runCli(['install-service'], env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`${name} holds a control character`));
    assert.match(r.stderr, /without control characters/);
    assert.doesNotMatch(r.stderr, /\r/, 'the carriage return itself is not printed');
    assert.equal(existsSync(h.path('.config/systemd/user/authbar.service')), false);
    assert.equal(r.code, 78);
    const dry = await runCli(['install-service', '--dry-run'], env);
    assert.notEqual(dry.code, 0);
    assert.doesNotMatch(dry.stdout, /^ExecStartPre=/m);
  });
}

test('unit and plist text: a control character in any value never reaches the file', () => {
  for (const bad of ['\r', '\n', '\u0000', '\u001b', '\u0085', '\u007f']) {
    assert.throws(() => systemdUnit({ ...spec, env: { CODEX_HOME: `/x${bad}y` } }), /CODEX_HOME holds a control/);
    assert.throws(() => launchdPlist({ ...spec, env: { CODEX_HOME: `/x${bad}y` } }), /CODEX_HOME holds a control/);
    assert.throws(() => systemdUnit({ ...spec, env: {}, notifyCmd: `a${bad}b` }), /--notify-cmd holds a control/);
    assert.throws(() => systemdUnit({ ...spec, node: `/n${bad}`, env: {} }), /Node's path holds a control/);
  }
  // Every line of the unit is one of its own: no value adds a directive.
  const unit = systemdUnit({ ...spec, env: { CLAWDBOT_STATE_DIR: '/s p/%h/$x/"q"\\' } });
  assert.ok(unit.includes('Environment="CLAWDBOT_STATE_DIR=/s p/%%h/$$x/\\"q\\"\\\\"'), unit);
});

test('plist values are XML-escaped, apostrophes too', () => {
  const plist = launchdPlist({
    ...spec,
    env: { OPENCLAW_STATE_DIR: `/a<b>&c"d'e` },
    notifyCmd: `echo '<x>'`,
  });
  assert.ok(plist.includes('<string>/a&lt;b&gt;&amp;c&quot;d&apos;e</string>'), plist);
  assert.ok(plist.includes('<string>echo &apos;&lt;x&gt;&apos;</string>'), plist);
});

test('install-service: a control character in --notify-cmd is a usage error (64)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const r = await runCli(['install-service', '--dry-run', '--notify-cmd', 'echo a\rExecStartPre=/bin/true'], h.env);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /--notify-cmd holds a control character \(\\r at position 7\)/);
  assert.match(r.stderr, /usage: authbar install-service/);
  assert.equal(r.stdout, '');
});
