/**
 * Under OpenClaw AuthBar writes nothing — the data-loss bug of issue 6: `authbar sync` on a
 * home migrated by `openclaw doctor --fix` (~/.clawdbot a link to ~/.openclaw) used to
 * write an auth-profiles.json there, and OpenClaw then refuses to start. These run on any
 * Node without the peer (the interop suite repeats them against the real OpenClaw).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HOUR, claudeCredentials, makeHome, runAuthbar } from '../support/home.js';
import { treeSnapshot } from '../support/tree.js';

const tree = (dir: string) => treeSnapshot(dir, { mtime: 'files' });

function migratedHome() {
  const h = makeHome('authbar-oc-migrated-');
  h.write('.openclaw/openclaw.json', {
    meta: { lastTouchedVersion: '2026.9.6' },
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } },
  });
  mkdirSync(h.path('.openclaw', 'agents', 'main', 'agent'), { recursive: true, mode: 0o700 });
  symlinkSync(h.path('.openclaw'), h.path('.clawdbot'));
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 5 * HOUR }));
  // No openclaw on PATH: nothing can answer for the stores, and still nothing may be written.
  h.env['PATH'] = '/usr/bin:/bin';
  return h;
}

describe('under OpenClaw AuthBar never writes a JSON store', () => {
  it('sync on a migrated home copies nothing, says why, and writes no file', async () => {
    const h = migratedHome();
    try {
      const before = tree(h.path('.openclaw'));
      const r = await runAuthbar(['sync'], h.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /OpenClaw at .*nothing to sync/);
      assert.match(r.stdout, /copies nothing into OpenClaw/);
      assert.ok(!existsSync(h.path('.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json')));
      assert.deepEqual(tree(h.path('.openclaw')), before);
      const json = await runAuthbar(['sync', '--json'], h.env);
      const report = JSON.parse(json.stdout) as { gateway: string; copied: unknown[]; why: string };
      assert.equal(report.gateway, 'openclaw');
      assert.deepEqual(report.copied, []);
      assert.deepEqual(tree(h.path('.openclaw')), before);
    } finally {
      h.cleanup();
    }
  });

  it('status (which syncs on Clawdbot) and doctor --fix write nothing either; the snapshot says how it was detected', async () => {
    const h = migratedHome();
    try {
      const before = tree(h.path('.openclaw'));
      const s = await runAuthbar(['status', '--json'], h.env);
      const snap = JSON.parse(s.stdout) as {
        gateway: { kind: string; detectedBy: string; version: string | null; dataVia: string; note: string | null };
      };
      assert.equal(snap.gateway.kind, 'openclaw');
      assert.match(snap.gateway.detectedBy, /\.clawdbot is a link/);
      assert.equal(snap.gateway.version, '2026.9.6');
      const d = await runAuthbar(['doctor', '--fix'], h.env);
      assert.ok(d.code === 1 || d.code === 2 || d.code === 0, d.stderr);
      assert.match(d.stdout, /AuthBar copies nothing into OpenClaw/);
      assert.deepEqual(tree(h.path('.openclaw')), before);
      assert.ok(!existsSync(h.path('.openclaw', 'agents', 'main', 'agent', 'auth-profiles.json')));
    } finally {
      h.cleanup();
    }
  });
});
