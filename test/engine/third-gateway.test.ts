/**
 * A third gateway, registered by the test alone: its adapter lives in
 * test/fixtures/gateways/toy/ and touches nothing else. status (--json, --check), doctor and
 * the monitor's watch plan all work through the registry and the adapter, with no engine edit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, type CliIO } from '../../main/cli/main.js';
import { collect } from '../../main/engine/engine.js';
import { registerGateway } from '../../main/engine/gateways/registry.js';
import { watchPlan } from '../../main/engine/monitor/monitor.js';
import { runDoctorChecks } from '../../main/engine/doctor/doctor.js';
import { makeHome } from '../support/home.js';
import { toyGateway } from '../fixtures/gateways/toy/adapter.js';

const HOUR = 3_600_000;

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTTY: false, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

function toyHome(t: { after(fn: () => void): void }, profiles: Record<string, unknown>) {
  const h = makeHome();
  t.after(() => h.cleanup());
  h.write('toy/toy.json', { agents: { main: { profiles } } });
  return { h, env: { ...h.env, TOY_STATE_DIR: h.path('toy') } };
}

test('a test-only gateway: detected by its evidence, read by its adapter, status --json and --check', async (t) => {
  t.after(registerGateway(toyGateway));
  const now = Date.now();
  const { env, h } = toyHome(t, {
    'anthropic:work': { type: 'token', provider: 'anthropic', token: 'x'.repeat(90), expires: now + 2 * HOUR },
  });

  const json = io();
  assert.equal(await run(['status', '--json'], json, { env }), 0);
  const snap = JSON.parse(json.out.join(''));
  assert.equal(snap.gateway.kind, 'toy');
  assert.equal(snap.gateway.label, 'Toy 1.0');
  assert.equal(snap.gateway.detectedBy, `${h.path('toy', 'toy.json')} exists`);
  assert.deepEqual(
    snap.agents.map((a: { agentId: string }) => a.agentId),
    ['main'],
  );
  assert.equal(snap.agents[0].profiles[0].status, 'expiring');

  // Expiring inside the warn window: soon (2); the gateway's own rule says the same.
  assert.equal(await run(['status', '--check'], io(), { env }), 2);
  assert.equal(await run(['status', '--check', '--strict'], io(), { env }), 2);
  // An agent id the toy does not have is a usage error, found without a second read.
  const unknown = io();
  assert.equal(await run(['status', '--agent', 'nope'], unknown, { env }), 64);
  assert.match(unknown.err.join(''), /no agent named nope/);
  // No Clawdbot or OpenClaw file was created beside it.
  assert.equal(h.exists('.clawdbot'), false);
  assert.equal(h.exists('.openclaw'), false);
});

test('a test-only gateway: forced by AUTHBAR_GATEWAY, doctor runs its checks, the watch plan covers its file', async (t) => {
  t.after(registerGateway(toyGateway));
  const { env, h } = toyHome(t, {
    'anthropic:old': { type: 'token', provider: 'anthropic', token: 'y'.repeat(90), expires: Date.now() - HOUR },
  });
  const forced = { ...env, AUTHBAR_GATEWAY: 'toy' };
  assert.equal(await run(['status', '--check'], io(), { env: forced }), 1);

  const checks = await runDoctorChecks({ env: forced }, { fix: false });
  assert.ok(
    checks.some((c) => c.id === 'toy-store' && c.verdict === 'ok'),
    JSON.stringify(checks),
  );

  const collected = await collect({ env: forced }, { sync: 'skip' });
  const store = h.path('toy', 'toy.json');
  assert.ok(collected.watch.includes(store));
  const plan = watchPlan(collected.watch);
  assert.ok(plan.relevant(store));
  assert.ok(plan.roots.includes(h.path('toy')));
});

test('without its registry line the toy is unknown: AUTHBAR_GATEWAY=toy is refused', async (t) => {
  const { env } = toyHome(t, {});
  const err = io();
  assert.equal(await run(['status'], err, { env: { ...env, AUTHBAR_GATEWAY: 'toy' } }), 78);
  assert.match(err.err.join(''), /AUTHBAR_GATEWAY="toy" is not a value it takes/);
});
