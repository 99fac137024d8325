/**
 * The commands doctor prints for a user to paste: a path with a space, a quote or `$` (a state
 * dir named "My State") must reach the program as one word. Each fix is run through /bin/sh
 * here, as a user would paste it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../../common/shell.js';
import { makeHome, withLogin } from '../support/home.js';
import { doctorJson } from '../support/cli.js';

const sh = (command: string): string => execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' });

test('shellQuote: every word comes back from /bin/sh exactly, plain words stay unquoted', () => {
  for (const word of [
    '/a/b',
    'anthropic:setup-token',
    'a b',
    "it's",
    'x$HOME`id`"q"\\',
    '*?[a]~',
    '',
    'tab\there',
    'é ü',
  ])
    assert.equal(sh(`printf %s ${shellQuote(word)}`), word, word);
  assert.equal(
    shellQuote('/home/ada/.clawdbot/agents/main/agent/auth-profiles.json'),
    '/home/ada/.clawdbot/agents/main/agent/auth-profiles.json',
  );
  assert.equal(shellQuote('/My State/x'), "'/My State/x'");
});

test("doctor's fix commands work when pasted, for a state dir whose name has a space, a quote and a $", async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const state = h.path("My State's $HOME");
  const env = { ...h.env, CLAWDBOT_STATE_DIR: state };
  const agentDir = join(state, 'agents', 'main', 'agent');
  mkdirSync(agentDir, { recursive: true });
  const store = join(agentDir, 'auth-profiles.json');
  h.write(join("My State's $HOME", 'agents', 'main', 'agent', 'auth-profiles.json'), { version: 1, profiles: {} });
  chmodSync(store, 0o644);
  chmodSync(agentDir, 0o755);
  // A lock dated in the future: doctor never removes it, it prints the rmdir.
  mkdirSync(`${store}.lock`);
  const future = new Date(Date.now() + 3_600_000);
  utimesSync(`${store}.lock`, future, future);

  const { checks } = await doctorJson(env, false);
  const fixes = checks.map((c) => c.fix).filter((f): f is string => f !== null && f.includes(state.slice(0, 20)));
  const chmodFile = fixes.find((f) => f.startsWith('chmod 600 '));
  const rmdirLock = fixes.find((f) => f.startsWith('rmdir '));
  assert.ok(chmodFile && rmdirLock, JSON.stringify(checks, null, 2));
  for (const fix of fixes) assert.ok(fix.includes(shellQuote(state).slice(0, -1)), `quoted: ${fix}`);
  sh(chmodFile);
  assert.equal(statSync(store).mode & 0o777, 0o600);
  sh(rmdirLock);
  assert.throws(() => statSync(`${store}.lock`));
  const dirFix = fixes.find((f) => f.startsWith('chmod 700 '));
  if (dirFix !== undefined) {
    sh(dirFix);
    assert.equal(statSync(agentDir).mode & 0o777, 0o700);
  }
});
