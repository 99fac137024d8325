/**
 * AuthBar on a Node without node:sqlite reads OpenClaw through `openclaw models status --json`
 * run on a private copy of its state. On a real two-agent home (`openclaw agents add` writes an
 * absolute agentDir) OpenClaw's tree must stay byte-identical through status, --check, sync,
 * doctor and watch; a signal during the copy's life removes it; later runs sweep what a killed
 * run left. A Clawdbot store is never written into an OpenClaw agent dir; a FIFO in place of
 * OpenClaw's config or database never hangs a read; without node:sqlite and without `openclaw`
 * AuthBar says it cannot read OpenClaw here (and offers no OpenClaw repair).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AUTHBAR_BIN, HOUR, claudeCredentials, runAuthbar, runProcess } from '../support/home.js';
import { NODE24, OPENCLAW, SKIP_OPENCLAW, ocEnv, treeDigest } from '../support/openclaw-peer.js';
import { HAVE_OPENCLAW, NODE_WITHOUT_SQLITE, multiAgentHome, removeBase } from '../support/openclaw-multi.js';

const skip = !HAVE_OPENCLAW ? SKIP_OPENCLAW : !NODE_WITHOUT_SQLITE ? 'this Node has node:sqlite (no fallback)' : false;

/** An `openclaw` on PATH: the real one, or a stand-in script. */
function withOpenclaw(home: string, script: string | null): Record<string, string> {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'openclaw'), script ?? `#!/bin/sh\nexec "${OPENCLAW}" "$@"\n`);
  chmodSync(join(bin, 'openclaw'), 0o755);
  return ocEnv(home, { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: join(home, 'tmp') });
}

const copiesIn = (home: string) => readdirSync(join(home, 'tmp')).filter((n) => n.startsWith('authbar-openclaw-'));

after(() => removeBase());

describe('the Node 20 fallback leaves OpenClaw untouched', { skip, concurrency: 1 }, () => {
  // One read path serves status, --check, sync, doctor and watch: three of them keep the test short.
  it('status, sync and watch on a home with an agent from `openclaw agents add`: tree byte-identical, no copy left', async () => {
    const home = await multiAgentHome();
    try {
      const env = withOpenclaw(home, null);
      const oc = join(home, '.openclaw');
      const before = treeDigest(oc);
      const s = await runAuthbar(['status', '--json'], env, { timeoutMs: 240_000 });
      const snap = JSON.parse(s.stdout) as { gateway: { dataVia: string }; agents: Array<{ agentId: string }> };
      assert.equal(snap.gateway.dataVia, 'gateway-cli');
      assert.deepEqual(snap.agents.map((a) => a.agentId).sort(), ['main', 'work']);
      for (const args of [['sync']]) {
        const r = await runAuthbar(args, env, { timeoutMs: 240_000 });
        assert.ok(r.code !== null && r.code <= 2, `${args.join(' ')}: ${r.stderr}`);
      }
      const watch = spawn(process.execPath, [AUTHBAR_BIN, 'watch', '--no-notify'], { env });
      await new Promise<void>((resolve) => watch.stdout.once('data', () => resolve()));
      watch.kill('SIGINT');
      await new Promise((resolve) => watch.once('close', resolve));
      assert.deepEqual([...treeDigest(oc).entries()], [...before.entries()], "OpenClaw's tree is byte-identical");
      assert.deepEqual(copiesIn(home), [], 'no private copy left in the temp dir');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`a ${signal} while openclaw runs on the private copy removes the copy and ends the process by that signal`, async () => {
      const home = await multiAgentHome();
      try {
        const env = withOpenclaw(home, '#!/bin/sh\nexec sleep 60\n');
        const child = spawn(process.execPath, [AUTHBAR_BIN, 'status', '--no-sync'], { env, stdio: 'ignore' });
        const closed = new Promise<[number | null, string | null]>((resolve) =>
          child.once('close', (code, sig) => resolve([code, sig])),
        );
        const t0 = Date.now();
        while (!copiesIn(home).some((n) => existsSync(join(home, 'tmp', n, 'state', 'state', 'openclaw.sqlite')))) {
          assert.ok(Date.now() - t0 < 30_000, 'a private copy appeared');
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 300)); // openclaw (here: sleep) is running on it
        child.kill(signal);
        const [code, sig] = await closed;
        assert.equal(sig, signal, `exit code ${code}`);
        assert.deepEqual(copiesIn(home), [], 'the copy of the credential databases is gone');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }

  it('a later run sweeps copies a killed run left (owner gone, or older than 30 minutes), and leaves a live one', async () => {
    const home = await multiAgentHome();
    try {
      const env = withOpenclaw(home, '#!/bin/sh\nexit 1\n');
      const dead = await new Promise<number>((resolve) => {
        const c = spawn('true');
        c.once('close', () => resolve(c.pid as number));
      });
      const make = (name: string, ageMs = 0) => {
        const dir = join(home, 'tmp', name);
        mkdirSync(join(dir, 'state', 'state'), { recursive: true });
        writeFileSync(join(dir, 'state', 'state', 'openclaw.sqlite'), 'a copy');
        const t = (Date.now() - ageMs) / 1000;
        utimesSync(dir, t, t);
      };
      make(`authbar-openclaw-${dead}-aaaaaa`);
      make(`authbar-openclaw-${process.pid}-bbbbbb`, 2 * 3_600_000);
      make(`authbar-openclaw-${process.pid}-cccccc`);
      make('authbar-openclaw-dddddd', 2 * 3_600_000);
      const r = await runAuthbar(['status', '--no-sync'], env, { timeoutMs: 120_000 });
      assert.ok(r.code !== null, r.stderr);
      assert.deepEqual(copiesIn(home), [`authbar-openclaw-${process.pid}-cccccc`]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe(
  'files OpenClaw owns are never written, and never hang a read',
  { skip: HAVE_OPENCLAW ? false : SKIP_OPENCLAW, concurrency: 1 },
  () => {
    it('a leftover CLAWDBOT_AGENT_DIR naming an OpenClaw agent dir outside its state dir: sync refuses, names the variable, writes nothing there', async () => {
      const home = await multiAgentHome();
      try {
        const ext = join(home, 'ext-agent');
        mkdirSync(ext, { mode: 0o755 });
        copyFileSync(
          join(home, '.openclaw', 'agents', 'work', 'agent', 'openclaw-agent.sqlite'),
          join(ext, 'openclaw-agent.sqlite'),
        );
        mkdirSync(join(home, '.claude'), { mode: 0o700 });
        writeFileSync(
          join(home, '.claude', '.credentials.json'),
          JSON.stringify(claudeCredentials({ expiresAt: Date.now() + 5 * HOUR })),
        );
        const env = ocEnv(home, { PATH: '/usr/bin:/bin', CLAWDBOT_AGENT_DIR: ext });
        const before = treeDigest(ext);
        const r = await runAuthbar(['sync'], env);
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stdout + r.stderr, /OpenClaw agent dir.*CLAWDBOT_AGENT_DIR/s);
        assert.ok(!existsSync(join(ext, 'auth-profiles.json')), 'no Clawdbot store beside openclaw-agent.sqlite');
        assert.deepEqual([...treeDigest(ext).entries()], [...before.entries()]);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    for (const [what, rel] of [
      ['openclaw.json', 'openclaw.json'],
      ['state/openclaw.sqlite', join('state', 'openclaw.sqlite')],
    ] as const) {
      it(`a FIFO in place of ${what}: status ends (with and without node:sqlite) and names the file`, async () => {
        const home = await multiAgentHome();
        try {
          const path = join(home, '.openclaw', rel);
          rmSync(path);
          assert.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');
          const env = withOpenclaw(home, null);
          for (const node of [process.execPath, NODE24 as string]) {
            const r = await runProcess(node, [AUTHBAR_BIN, 'status', '--no-sync'], env, { timeoutMs: 120_000 });
            assert.notEqual(r.code, null, `${node}: status did not end (killed by ${r.signal})`);
            assert.ok((r.stdout + r.stderr).includes(path), `${node} names ${path}: ${r.stdout}${r.stderr}`);
          }
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      });
    }

    it(
      'no node:sqlite and no openclaw on PATH: says AuthBar cannot read OpenClaw on this Node, doctor offers no OpenClaw repair, install-service warns',
      { skip: NODE_WITHOUT_SQLITE ? false : 'this Node has node:sqlite' },
      async () => {
        const home = await multiAgentHome();
        try {
          const env = ocEnv(home, { PATH: '/usr/bin:/bin', XDG_CONFIG_HOME: join(home, '.config') });
          const before = treeDigest(join(home, '.openclaw'));
          const s = await runAuthbar(['status', '--json', '--no-sync'], env);
          const snap = JSON.parse(s.stdout) as { agents: Array<{ error: string | null; errorCode?: string | null }> };
          for (const a of snap.agents) {
            assert.match(a.error ?? '', /cannot read OpenClaw's stores on this Node.*Node ≥ 22\.13.*gatewayCli/);
            assert.equal(a.errorCode, 'no-reader');
          }
          const table = (await runAuthbar(['status', '--no-sync'], env)).stdout;
          assert.match(table, /^main\s+\(not read\)\s.*AuthBar cannot read it on this Node/m, table);
          assert.doesNotMatch(table, /store unusable|cannot be used|came from|read via/, table);
          assert.match(table, /not read: AuthBar has no way to read it here/, table);
          const d = await runAuthbar(['doctor', '--json'], env);
          const checks = (JSON.parse(d.stdout) as { checks: Array<{ id: string; fix: string | null }> }).checks;
          assert.ok(!checks.some((c) => /openclaw doctor/.test(c.fix ?? '')), JSON.stringify(checks));
          assert.match(checks.find((c) => c.id === 'openclaw-reader')?.fix ?? '', /Node ≥ 22\.13.*openclaw.*PATH/);
          const i = await runAuthbar(['install-service', '--dry-run'], env);
          assert.equal(i.code, 0, i.stderr);
          assert.match(i.stderr, /cannot read OpenClaw's stores on this Node/);
          assert.deepEqual([...treeDigest(join(home, '.openclaw')).entries()], [...before.entries()]);
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      },
    );
  },
);
