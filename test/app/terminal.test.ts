/**
 * The terminal launcher: per platform the right programs with argument arrays (never a shell
 * string), a private 0700 .command file on macOS whose quoting survives spaces and quotes
 * (run for real with /bin/sh), and the Linux fallbacks tried in order with real spawns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  macCommandFile,
  SCRIPT,
  shQuote,
  terminalLauncher,
  terminalPlan,
  type CliCommand,
  type SpawnFn,
} from '../../main/app/terminal.js';

const cmd: CliCommand = {
  argv: [
    '/Applications/AuthBar.app/Contents/MacOS/AuthBar',
    "/Applications/Auth Bar's/app.asar/bin/authbar.cjs",
    'setup-token',
  ],
  env: { ELECTRON_RUN_AS_NODE: '1' },
};

test('terminal plan, macOS: open -a Terminal <script>, the command only inside the script', () => {
  const plan = terminalPlan('darwin', cmd, null);
  assert.deepEqual(plan.steps, [{ command: 'open', args: ['-a', 'Terminal', SCRIPT] }]);
  assert.equal(plan.script?.mode, 0o700);
  assert.deepEqual(terminalPlan('darwin', cmd, 'iTerm2').steps[0]?.args, ['-a', 'iTerm', SCRIPT]);
  assert.deepEqual(terminalPlan('darwin', cmd, 'Ghostty').steps[0]?.args, ['-a', 'Ghostty', SCRIPT]);
});

test('terminal plan, Linux: the configured terminal, then x-terminal-emulator, gnome-terminal, konsole, xterm', () => {
  const plan = terminalPlan('linux', cmd, null);
  assert.equal(plan.script, null);
  const run = ['env', 'ELECTRON_RUN_AS_NODE=1', ...cmd.argv];
  assert.deepEqual(plan.steps, [
    { command: 'x-terminal-emulator', args: ['-e', ...run] },
    { command: 'gnome-terminal', args: ['--', ...run] },
    { command: 'konsole', args: ['-e', ...run] },
    { command: 'xterm', args: ['-e', ...run] },
  ]);
  assert.deepEqual(terminalPlan('linux', cmd, 'alacritty').steps[0], { command: 'alacritty', args: ['-e', ...run] });
});

test('terminal plan, Windows: wt, then cmd /c start, variables through the environment', () => {
  const plan = terminalPlan(
    'win32',
    {
      argv: ['C:\\Program Files\\AuthBar\\AuthBar.exe', 'C:\\x\\authbar.cjs', 'setup-token'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    },
    null,
  );
  assert.deepEqual(
    plan.steps.map((s) => [s.command, ...s.args]),
    [
      ['wt.exe', '--', 'C:\\Program Files\\AuthBar\\AuthBar.exe', 'C:\\x\\authbar.cjs', 'setup-token'],
      [
        'cmd.exe',
        '/d',
        '/c',
        'start',
        'AuthBar setup-token',
        'C:\\Program Files\\AuthBar\\AuthBar.exe',
        'C:\\x\\authbar.cjs',
        'setup-token',
      ],
    ],
  );
  assert.ok(plan.steps.every((s) => s.env?.['ELECTRON_RUN_AS_NODE'] === '1'));
});

test('terminal plan: every argument is its own array element on every platform', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    for (const step of terminalPlan(platform, cmd, null).steps) {
      assert.doesNotMatch(step.command, /\s/, `${platform}: ${step.command} is a program, not a command line`);
      assert.ok(Array.isArray(step.args));
      // The CLI path with a space and a quote arrives whole, never split or re-quoted.
      if (platform !== 'darwin') assert.ok(step.args.includes(cmd.argv[1] as string), `${platform} ${step.command}`);
    }
  }
});

test('the .command file runs the exact argv even with spaces, quotes, $ and backslashes (real /bin/sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-term-'));
  try {
    const weird = join(dir, `it's a "dir" with $HOME and \\ back`);
    mkdirSync(weird);
    const recorder = join(weird, 'record me.sh');
    const out = join(dir, 'argv.json');
    writeFileSync(
      recorder,
      `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({argv: process.argv.slice(2), env: process.env.ELECTRON_RUN_AS_NODE}))' ${shQuote(out)} "$@"\n`,
    );
    chmodSync(recorder, 0o755);
    const args = [recorder, `arg with 'single' and "double" quotes`, '$(touch pwned)', '`id`', 'setup-token'];
    const script = join(dir, 'x.command');
    writeFileSync(script, macCommandFile({ argv: args, env: { ELECTRON_RUN_AS_NODE: '1' } }), { mode: 0o700 });
    const r = spawnSync('/bin/sh', [script], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(got.argv, args.slice(1));
    assert.equal(got.env, '1');
    assert.equal(existsSync(join(dir, 'pwned')), false, 'nothing in an argument was executed');
    assert.equal(existsSync(script), false, 'the script removes itself');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('launcher, macOS: writes the script 0700 in a private 0700 dir, then spawns open detached without a shell', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'authbar-mac-'));
  const calls: Array<{ command: string; args: string[]; options: Record<string, unknown> }> = [];
  const spawn: SpawnFn = (command, args, options) => {
    calls.push({ command, args, options: options as Record<string, unknown> });
    return fakeChild('spawn');
  };
  try {
    const result = await terminalLauncher({
      platform: 'darwin',
      command: cmd,
      terminal: () => null,
      spawn,
      tmp,
    }).launch();
    assert.equal(result.ok, true);
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assert.equal(call.command, 'open');
    assert.deepEqual(call.args.slice(0, 2), ['-a', 'Terminal']);
    const file = call.args[2] as string;
    assert.equal(statSync(file).mode & 0o777, 0o700);
    const dir = join(file, '..');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(tmp).length, 1);
    assert.match(
      readFileSync(file, 'utf8'),
      /'\/Applications\/Auth Bar'\\''s\/app.asar\/bin\/authbar.cjs' 'setup-token'/,
    );
    assert.equal(call.options['shell'], false);
    assert.equal(call.options['detached'], true);
    assert.equal(call.options['stdio'], 'ignore');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('launcher, Linux: real spawns try each terminal in order until one exists', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'authbar-bin-'));
  const out = join(bin, 'xterm-argv.json');
  const savedPath = process.env['PATH'];
  try {
    // Only `xterm` exists on this PATH: the three before it fail with ENOENT.
    writeFileSync(
      join(bin, 'xterm'),
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)))\n`,
    );
    chmodSync(join(bin, 'xterm'), 0o755);
    process.env['PATH'] = bin;
    const result = await terminalLauncher({ platform: 'linux', command: cmd, terminal: () => null }).launch();
    assert.deepEqual(result, { ok: true, message: 'Opened a terminal running authbar setup-token (xterm).' });
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), ['-e', 'env', 'ELECTRON_RUN_AS_NODE=1', ...cmd.argv]);
  } finally {
    process.env['PATH'] = savedPath;
    rmSync(bin, { recursive: true, force: true });
  }
});

test('launcher, Linux: no terminal at all is one sentence saying what to do', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'authbar-nobin-'));
  const savedPath = process.env['PATH'];
  try {
    process.env['PATH'] = empty;
    const result = await terminalLauncher({ platform: 'linux', command: cmd, terminal: () => 'my-term' }).launch();
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.error : '',
      /^Could not open a terminal \(tried my-term, x-terminal-emulator, gnome-terminal, konsole, xterm\): run `authbar setup-token`/,
    );
  } finally {
    process.env['PATH'] = savedPath;
    rmSync(empty, { recursive: true, force: true });
  }
});

function fakeChild(outcome: 'spawn' | 'error'): ReturnType<SpawnFn> {
  const handlers: Record<string, (arg?: never) => void> = {};
  const child = {
    once(event: string, cb: (arg?: never) => void) {
      handlers[event] = cb;
      if (event === outcome) setImmediate(() => (outcome === 'error' ? cb(new Error('ENOENT') as never) : cb()));
      return child;
    },
    unref() {},
  };
  return child as ReturnType<SpawnFn>;
}
