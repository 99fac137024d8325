/**
 * `authbar watch` end to end: the real executable, a temp HOME, a real file change, NDJSON
 * read line by line, SIGTERM → exit 0; `--notify-cmd` receives the event in AUTHBAR_EVENT.
 * And `authbar install-service` writing real unit files into the temp HOME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  AUTHBAR_BIN,
  ROOT,
  assertNoSecrets,
  claudeCredentials,
  makeHome,
  runAuthbar,
  secret,
  HOUR,
  type TempHome,
  atomicWrite,
} from '../support/home.js';
import { humanLine, safeLine } from '../../main/cli/commands/watch.js';
import { WATCH_PROTOCOL } from '../../common/hosts.js';
import { launchdPlist, systemdUnit } from '../../main/cli/service-files.js';
import { notifySendArgs } from '../../main/cli/notify-deliver.js';

interface Line {
  type: string;
  at: number;
  [k: string]: unknown;
}

/** Starts `authbar watch` and reads its stdout as NDJSON. */
function startWatch(h: TempHome, args: string[], env: Record<string, string> = h.env) {
  const child: ChildProcess = spawn(process.execPath, [AUTHBAR_BIN, 'watch', ...args], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let raw = '';
  let stderr = '';
  const waiters: Array<{ pred: (l: Line) => boolean; resolve: (l: Line) => void }> = [];
  let buf = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const line = JSON.parse(text) as Line; // every line must be one JSON object
      lines.push(line);
      for (const w of [...waiters])
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    output: () => raw + stderr,
    until(pred: (l: Line) => boolean, timeoutMs = 15_000): Promise<Line> {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`no such line; got: ${lines.map((l) => l.type).join(',')}; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
  };
}

test('authbar watch --json: NDJSON per event, a change reaches the sink and is reported, SIGTERM exits 0', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const w = startWatch(h, ['--json', '--no-notify']);
  t.after(() => w.child.kill('SIGKILL'));
  const started = await w.until((l) => l.type === 'started');
  assert.ok((started['watching'] as string[]).includes(h.path('.claude', '.credentials.json')));
  // The first line is the handshake a remote reader checks: AuthBar's version and the protocol.
  assert.deepEqual(w.lines[0] && { ...w.lines[0], at: 0 }, {
    type: 'hello',
    at: 0,
    authbar: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    protocol: WATCH_PROTOCOL,
  });
  assert.equal(w.lines[1]?.type, 'snapshot');

  const next = secret('access');
  atomicWrite(
    h.path('.claude', '.credentials.json'),
    claudeCredentials({ expiresAt: Date.now() + 9 * HOUR, access: next }),
  );
  const snap = await w.until((l) => l.type === 'snapshot' && l['trigger'] === 'files');
  assert.deepEqual(snap['wrote'], ['main']);
  assert.equal(h.readJson(h.agentStore()).profiles['anthropic:claude-cli'].access, next);
  assert.ok(typeof snap.at === 'number');

  w.child.kill('SIGTERM');
  const exit = await w.exited;
  assert.equal(exit.code, 0, w.output());
  assert.equal(w.lines.at(-1)?.type, 'stopped');
  assertNoSecrets('authbar watch --json', w.output());
});

test('authbar watch --notify-cmd: the command gets the notice event in AUTHBAR_EVENT; the state survives a restart', async (t) => {
  const h = makeHome();
  // Clawdbot's state dir exists (the gateway creates it; since review finding F3 AuthBar never does).
  mkdirSync(h.state, { mode: 0o700 });
  t.after(() => h.cleanup());
  const out = h.path('events.ndjson');
  // The event is appended by the user's command: it reads only the environment variable.
  const cmd = `printf '%s\\n' "$AUTHBAR_EVENT" >> '${out}'`;
  const w = startWatch(h, ['--json', '--notify-cmd', cmd]);
  t.after(() => w.child.kill('SIGKILL'));
  await w.until((l) => l.type === 'started');
  // No credential at all: main has nothing for anthropic, the default model's provider.
  const notice = await w.until((l) => l.type === 'notice');
  assert.equal((notice['notice'] as { key: string }).key, 'provider:main/anthropic:now');
  const deadline = Date.now() + 10_000;
  while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const events = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, 'notice');
  assert.deepEqual(events[0]?.['notice'], notice['notice']);

  // A setup token that expires in 5 days arrives: a new notice, and the recovery.
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:setup': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 5 * 24 * HOUR + HOUR,
      },
    },
  });
  const n2 = await w.until(
    (l) => l.type === 'notice' && /expires in 5 d/.test((l['notice'] as { title: string }).title),
  );
  const items = (n2['notice'] as { items?: Array<{ key: string }> }).items?.map((i) => i.key).sort();
  assert.deepEqual(items, ['profile:main/anthropic:setup:soon', 'provider:main/anthropic:recovered']);
  w.child.kill('SIGTERM');
  assert.equal((await w.exited).code, 0);
  assert.equal(statSync(h.path('.config', 'authbar', 'notify-state.json')).mode & 0o777, 0o600);

  // Restarted: nothing is notified again.
  const w2 = startWatch(h, ['--json', '--notify-cmd', cmd]);
  t.after(() => w2.child.kill('SIGKILL'));
  await w2.until((l) => l.type === 'started');
  // The first scan's snapshot: any notice it caused is printed right after it, in the same turn.
  await w2.until((l) => l.type === 'snapshot');
  w2.child.kill('SIGINT');
  assert.equal((await w2.exited).code, 0);
  assert.equal(w2.lines.filter((l) => l.type === 'notice').length, 0, 'a restart does not notify again');
  assertNoSecrets('authbar watch --notify-cmd', w.output() + w2.output() + readFileSync(out, 'utf8'));
});

test('human lines: control characters escaped, secrets masked', () => {
  assert.equal(safeLine('a\u001b[31mb\nc\u202ed\u200b'), 'a\\x1b[31mb\\nc\\u202ed\\u200b');
  const token = `sk-ant-oat01-${'Q'.repeat(80)}Zz99`;
  assert.equal(safeLine(`leaked ${token} here`), 'leaked sk-ant-oat01-…Zz99 here');
  const line = humanLine({
    type: 'notice',
    at: Date.UTC(2026, 0, 1),
    notice: {
      key: 'k',
      subject: { agentId: 'main', profileId: null, provider: null },
      state: 'now',
      title: 'Agent\u0007 x',
      body: 'do y',
      action: 'none',
      at: 0,
    },
  });
  assert.equal(line, '2026-01-01T00:00:00Z notice    NOW: Agent\\x07 x — do y');
  assert.deepEqual(
    notifySendArgs({
      key: 'k',
      subject: { agentId: null, profileId: null, provider: null },
      state: 'now',
      title: '-t',
      body: 'b',
      action: 'none',
      at: 0,
    }),
    ['--app-name=AuthBar', '--urgency=critical', '--', '-t', 'b'],
  );
});

test('watch: usage errors exit 64', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  assert.equal((await runAuthbar(['watch', '--bogus'], h.env)).code, 64);
  assert.equal((await runAuthbar(['watch', '--notify-cmd'], h.env)).code, 64);
  assert.equal((await runAuthbar(['install-service', '--uninstall', '--notify-cmd', 'x'], h.env)).code, 64);
});

test('install-service writes a systemd user unit (0644), refuses a foreign one, and uninstalls', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const env = { ...h.env, CLAWDBOT_STATE_DIR: h.path('state dir') };
  const dry = await runAuthbar(['install-service', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stderr);
  const unit = h.path('.config', 'systemd', 'user', 'authbar.service');
  assert.equal(existsSync(unit), false, '--dry-run writes nothing');
  assert.match(dry.stdout, /ExecStart=/);

  const r = await runAuthbar(['install-service'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /systemctl --user daemon-reload && systemctl --user enable --now authbar/);
  const text = readFileSync(unit, 'utf8');
  assert.equal(statSync(unit).mode & 0o777, 0o644);
  assert.ok(text.includes(`ExecStart="${process.execPath}" "${AUTHBAR_BIN}" "watch"`), text);
  assert.match(text, /^Restart=on-failure$/m);
  assert.match(text, /^WantedBy=default.target$/m);
  assert.ok(text.includes(`Environment="CLAWDBOT_STATE_DIR=${h.path('state dir')}"`));
  // Idempotent.
  assert.match((await runAuthbar(['install-service'], env)).stdout, /up to date/);

  assert.equal((await runAuthbar(['install-service', '--uninstall'], env)).code, 0);
  assert.equal(existsSync(unit), false);
  // A unit someone else wrote is never overwritten.
  mkdirSync(join(unit, '..'), { recursive: true });
  writeFileSync(unit, '[Service]\nExecStart=/usr/bin/true\n');
  chmodSync(unit, 0o644);
  const refused = await runAuthbar(['install-service'], env);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /not written by AuthBar/);
  assert.equal(readFileSync(unit, 'utf8'), '[Service]\nExecStart=/usr/bin/true\n');
});

test('unit and plist text: quoting of awkward paths, the launchd agent for macOS', () => {
  const spec = {
    node: '/opt/node 20/bin/node',
    bin: '/home/a"b/authbar.cjs',
    home: '/Users/ada',
    env: { PATH: '/usr/bin:/bin', CODEX_HOME: '/x/50%$' },
    notifyCmd: 'curl -d "$AUTHBAR_EVENT" ntfy.sh/a&b',
  };
  const unit = systemdUnit(spec);
  assert.ok(
    unit.includes(
      'ExecStart="/opt/node 20/bin/node" "/home/a\\"b/authbar.cjs" "watch" "--notify-cmd" "curl -d \\"$$AUTHBAR_EVENT\\" ntfy.sh/a&b"',
    ),
    unit,
  );
  assert.ok(unit.includes('Environment="CODEX_HOME=/x/50%%$$"'));
  const plist = launchdPlist(spec);
  assert.match(plist, /<key>Label<\/key>\n {2}<string>dev\.authbar\.watch<\/string>/);
  assert.ok(
    plist.includes(
      '<string>/opt/node 20/bin/node</string>\n    <string>/home/a&quot;b/authbar.cjs</string>\n    <string>watch</string>',
    ),
  );
  assert.ok(plist.includes('<string>curl -d &quot;$AUTHBAR_EVENT&quot; ntfy.sh/a&amp;b</string>'));
  assert.match(plist, /<key>SuccessfulExit<\/key>\n {4}<false\/>/);
  assert.match(
    plist,
    /<key>StandardOutPath<\/key>\n {2}<string>\/Users\/ada\/Library\/Logs\/AuthBar\/watch\.log<\/string>/,
  );
});

test('watch --json and AUTHBAR_EVENT: agent dir names and copies of a secret value are masked', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  // A random agent dir name (the heuristic's case) and a short word-like key copied into other fields.
  const hexDir = randomBytes(32).toString('hex');
  const k1 = 'Zq9xWv3Lp0Tr7Yb2Ks';
  h.write(h.agentStore(hexDir), { version: 1, profiles: {} });
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:a': { type: 'api_key', provider: 'anthropic', key: k1, email: k1 },
      [`${k1}:e`]: { type: 'api_key', provider: k1, key: 'x' },
    },
    usageStats: { 'anthropic:a': { disabledUntil: Date.now() + 9 * 24 * HOUR, disabledReason: `key ${k1} revoked` } },
  });
  const out = h.path('events.ndjson');
  const w = startWatch(h, ['--json', '--notify-cmd', `printf '%s\\n' "$AUTHBAR_EVENT" >> '${out}'`]);
  t.after(() => w.child.kill('SIGKILL'));
  const started = await w.until((l) => l.type === 'started');
  assert.ok(
    (started['watching'] as string[]).some((p) => p.includes(`agents${sep}…`)),
    JSON.stringify(started['watching']),
  );
  await w.until((l) => l.type === 'notice');
  // A change under the hex dir: the snapshot line's paths name it.
  h.write(h.agentStore(hexDir), {
    version: 1,
    profiles: { 'openai:z': { type: 'api_key', provider: 'openai', key: 'y' } },
  });
  await w.until((l) => l.type === 'snapshot' && l['trigger'] === 'files');
  const deadline = Date.now() + 10_000;
  while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  w.child.kill('SIGTERM');
  assert.equal((await w.exited).code, 0);
  const all = w.output() + readFileSync(out, 'utf8');
  assert.ok(!all.includes(hexDir), 'the agent dir name is printed unmasked');
  assert.ok(!all.includes(k1), 'a copy of the key is printed unmasked');
  assert.ok(w.output().includes('key … revoked'), 'the reason is shown, masked');
});

test('watch human lines: bidi, zero-width and C1 characters are escaped like everywhere else', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  h.write(h.agentStore(), {
    version: 1,
    profiles: { 'anthropic:k': { type: 'api_key', provider: 'anthropic', key: 'k' } },
    usageStats: {
      'anthropic:k': {
        disabledUntil: Date.now() + 9 * 24 * HOUR,
        disabledReason: 'x\u202eevil\u2066i\u200bz\u0085c\u00ad',
      },
    },
  });
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--no-notify'], {
    env: h.env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!text.includes(' started ') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, text);
  assert.ok(text.includes('x\\u202eevil\\u2066i\\u200bz\\x85c\\xad'), text);
  assert.doesNotMatch(text, /[\u202e\u2066\u200b\u0085\u00ad]/);
});

test('watch stops quietly (exit 0) once nobody reads its stdout', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR }));
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--json', '--no-notify'], {
    env: h.env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Like `authbar watch | head -1`: read the first line, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  // The next event writes into the closed pipe.
  const timer = setInterval(
    () => atomicWrite(h.path('.claude', '.credentials.json'), claudeCredentials({ expiresAt: Date.now() + 9 * HOUR })),
    300,
  );
  t.after(() => clearInterval(timer));
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
  clearInterval(timer);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
});

test('install-service --dry-run escapes invisible characters of env values it echoes, and refuses control characters', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const env = { ...h.env, CLAWDBOT_STATE_DIR: h.path('st\u202eX\u200bY') };
  const dry = await runAuthbar(['install-service', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /ExecStart=/);
  assert.doesNotMatch(dry.stdout, /[\u202e\u200b]/);
  assert.ok(dry.stdout.includes('st\\u202eX\\u200bY'), dry.stdout);
  // A control character would end a unit line: refused, and the error shows it escaped.
  const refused = await runAuthbar(['install-service', '--dry-run'], {
    ...h.env,
    CLAWDBOT_STATE_DIR: h.path('st\u001b[31m\rY'),
  });
  assert.equal(refused.code, 78, refused.stderr);
  assert.equal(refused.stdout, '');
  assert.doesNotMatch(refused.stderr, /[\u001b\r]/);
  assert.match(refused.stderr, /CLAWDBOT_STATE_DIR holds a control character \(\\x1b at position \d+\)/);
});
