/**
 * `authbar watch` says each thing once: a desktop without notify-send is named once on stderr
 * (with how to get notifications), and a route check that keeps failing the same way is one
 * error line, not one per check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AUTHBAR_BIN, ROOT, makeHome, secret, DAY, type TempHome } from '../support/home.js';
import { collect, type Collected, type CollectOptions, type EngineDeps } from '../../main/engine/engine.js';
import { Monitor, type MonitorEvent, type WatchFactory } from '../../main/engine/monitor/monitor.js';
import type { RouteHealth } from '../../main/engine/gateways/types.js';
import { FakeClock } from '../support/fake-clock.js';

/** Runs watch until it has printed `notices` notice lines, then SIGTERM; its stdout and stderr. */
async function watchUntilNotices(
  h: TempHome,
  env: Record<string, string>,
  notices: number,
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [AUTHBAR_BIN, 'watch'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no notice: ${stdout}\n${stderr}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if ((stdout.match(/ notice /g) ?? []).length >= notices) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  // A second problem arrives: another notice, and still one warning.
  h.write(h.agentStore('ops'), {
    version: 1,
    profiles: {
      'anthropic:b': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - DAY },
    },
  });
  await new Promise((r) => setTimeout(r, 3_000));
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  return { stdout, stderr };
}

function expiredTokenHome(): TempHome {
  const h = makeHome();
  h.write(h.agentStore(), {
    version: 1,
    profiles: {
      'anthropic:a': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: Date.now() - DAY },
    },
  });
  return h;
}

test('watch on a desktop without notify-send says so once, on stderr, with how to get notifications', async (t) => {
  const h = expiredTokenHome();
  t.after(() => h.cleanup());
  const env = { ...h.env, DISPLAY: ':0', PATH: h.path('bin') };
  mkdirSync(h.path('bin'));
  const r = await watchUntilNotices(h, env, 1);
  assert.equal(r.stderr.split('notify-send is not installed').length - 1, 1, r.stderr);
  assert.match(r.stderr, /apt install libnotify-bin/);
  assert.doesNotMatch(r.stdout, /notify-send/);
});

test('watch with notify-send on PATH, or without a desktop, says nothing about it', async (t) => {
  const h = expiredTokenHome();
  t.after(() => h.cleanup());
  const bin = h.path('bin', 'notify-send');
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const withIt = await watchUntilNotices(h, { ...h.env, DISPLAY: ':0', PATH: `${h.path('bin')}:/bin:/usr/bin` }, 1);
  assert.doesNotMatch(withIt.stderr, /notify-send/);
  const h2 = expiredTokenHome();
  t.after(() => h2.cleanup());
  const server = await watchUntilNotices(h2, { ...h2.env, PATH: h2.path('bin') }, 1);
  assert.doesNotMatch(server.stderr, /notify-send/);
});

const noWatch: WatchFactory = async () => ({ close: async () => {} });
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const asOpenclaw = async (deps: EngineDeps, opts: CollectOptions): Promise<Collected> => {
  const c = await collect(deps, opts);
  c.snapshot.gateway = { ...c.snapshot.gateway, kind: 'openclaw', probesRoutes: true };
  return c;
};

test('a route check that fails the same way every time is reported once; a new failure is reported again', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const clock = new FakeClock(Date.now());
  let error = 'The openclaw command was not found: put it on PATH or set gatewayCli in the AuthBar settings.';
  let calls = 0;
  const probe = async (): Promise<RouteHealth> => {
    calls++;
    return { at: clock.now(), exitCode: null, missingProviders: [], issues: [], error };
  };
  const monitor = new Monitor({
    deps: { env: h.env },
    clock,
    timers: clock,
    watch: noWatch,
    collect: asOpenclaw,
    routeHealth: probe,
    routeHealthMinIntervalMs: 3 * 60_000,
    routeHealthEveryMs: 15 * 60_000,
  });
  t.after(() => monitor.stop());
  const errors: string[] = [];
  monitor.subscribe((e: MonitorEvent) => {
    if (e.type === 'error') errors.push(e.message);
  });
  await monitor.start();
  for (let i = 0; i < 4; i++) {
    await settle();
    clock.advance(15 * 60_000);
    await settle();
  }
  assert.ok(calls >= 4, `checks ran: ${calls}`);
  assert.deepEqual(errors, [error], 'said once');
  assert.equal(monitor.current()?.monitor?.gatewayCheck?.error, error, 'still in the snapshot');
  error = 'openclaw models status --json did not finish within 60 s.';
  clock.advance(15 * 60_000);
  await settle(200);
  assert.deepEqual(errors.slice(1), [error]);
});
