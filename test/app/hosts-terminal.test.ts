/**
 * "Renew token on vps…": the terminal runs `authbar setup-token --host vps`, the name one argv
 * word (a real spawn of a fake xterm records it); a name that breaks the host-name rule is
 * refused before anything is spawned; the macOS script quotes it like every other word.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forHost, macCommandFile, terminalLauncher, type CliCommand, type SpawnFn } from '../../main/app/terminal.js';

const cmd: CliCommand = {
  argv: ['/opt/AuthBar/authbar', '/opt/AuthBar/resources/app.asar.unpacked/bin/authbar.cjs', 'setup-token'],
  env: { ELECTRON_RUN_AS_NODE: '1' },
};

test('renew on a host, Linux: a real spawn gets setup-token --host vps as separate words', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'authbar-bin-'));
  const out = join(bin, 'xterm-argv.json');
  const savedPath = process.env['PATH'];
  try {
    writeFileSync(
      join(bin, 'xterm'),
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)))\n`,
    );
    chmodSync(join(bin, 'xterm'), 0o755);
    process.env['PATH'] = bin;
    const result = await terminalLauncher({ platform: 'linux', command: cmd, terminal: () => null }).launch({
      host: 'vps',
    });
    assert.deepEqual(result, {
      ok: true,
      message: 'Opened a terminal running authbar setup-token --host vps (xterm).',
    });
    for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), [
      '-e',
      'env',
      'ELECTRON_RUN_AS_NODE=1',
      ...cmd.argv,
      '--host',
      'vps',
    ]);
  } finally {
    process.env['PATH'] = savedPath;
    rmSync(bin, { recursive: true, force: true });
  }
});

test('renew on a host: a name that is not a host name is refused before any spawn', async () => {
  const spawned: string[] = [];
  const spawn: SpawnFn = (command) => {
    spawned.push(command);
    throw new Error('must not spawn');
  };
  for (const bad of ['-oProxyCommand=touch /tmp/x', 'vps; rm -rf ~', 'VPS', 'this', '', 'a'.repeat(33), 'vps\n']) {
    const r = await terminalLauncher({ platform: 'linux', command: cmd, terminal: () => null, spawn }).launch({
      host: bad,
    });
    assert.equal(r.ok, false, JSON.stringify(bad));
    assert.match(!r.ok ? r.error : '', /^Not a host name: /);
  }
  assert.deepEqual(spawned, []);
  assert.throws(() => forHost(cmd, '--help'), /Not a host name/);
});

test('renew on a host, macOS: the script runs setup-token --host with every word quoted', () => {
  const script = macCommandFile(forHost(cmd, 'vps-2.lab'));
  assert.match(script, /'setup-token' '--host' 'vps-2\.lab'\n/);
});
