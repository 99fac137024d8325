/**
 * The monitor against real chokidar on real files in a temp HOME: atomic replaces reach every
 * sink, deletions and corruptions are reported without touching sinks, new agents are
 * picked up, and removed-and-recreated directories keep being watched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Monitor, watchPlan, type MonitorEvent } from '../../main/engine/monitor/monitor.js';
import type { Snapshot } from '../../common/snapshot.js';
import { claudeCredentials, makeHome, secret, HOUR, type TempHome } from '../support/home.js';

type SnapshotEvent = Extract<MonitorEvent, { type: 'snapshot' }>;

/** Collects every event; `until` waits for one matching (events already seen count). */
function recorder(monitor: Monitor) {
  const events: MonitorEvent[] = [];
  const waiters: Array<{ pred: (e: MonitorEvent) => boolean; resolve: (e: MonitorEvent) => void; from: number }> = [];
  monitor.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    events,
    mark: () => events.length,
    until<T extends MonitorEvent>(pred: (e: MonitorEvent) => e is T, from: number, timeoutMs = 8_000): Promise<T> {
      const seen = events.slice(from).find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `timed out; events: ${events
                  .slice(from)
                  .map(
                    (e) =>
                      e.type + (e.type === 'snapshot' ? `:${e.trigger}` : e.type === 'error' ? `:${e.message}` : ''),
                  )
                  .join(', ')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ pred: (e) => pred(e), resolve: (e) => (clearTimeout(timer), resolve(e as T)), from });
      });
    },
  };
}

const isSnapshot =
  (pred: (s: Snapshot, e: SnapshotEvent) => boolean) =>
  (e: MonitorEvent): e is SnapshotEvent =>
    e.type === 'snapshot' && pred(e.snapshot, e);

function atomicWrite(path: string, content: object | string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

function storeAccess(h: TempHome, agent: string): string | undefined {
  try {
    return h.readJson(h.agentStore(agent)).profiles['anthropic:claude-cli']?.access as string | undefined;
  } catch {
    return undefined;
  }
}

function setup(t: { after: (fn: () => unknown) => void }, agents: string[]) {
  const h = makeHome();
  const access = secret('access');
  h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: Date.now() + 8 * HOUR, access }));
  for (const a of agents) mkdirSync(h.path('.clawdbot', 'agents', a, 'agent'), { recursive: true });
  // Every agent has a store (Clawdbot copies main's into new agents on first use).
  for (const a of agents)
    h.write(h.agentStore(a), {
      version: 1,
      profiles: { [`openai:${a}`]: { type: 'api_key', provider: 'openai', key: secret('api') } },
    });
  const monitor = new Monitor({ deps: { env: h.env }, routeHealth: null });
  const rec = recorder(monitor);
  t.after(async () => {
    await monitor.stop();
    h.cleanup();
  });
  return { h, monitor, rec, access };
}

test('an atomic replace of Claude Code credentials reaches every Clawdbot sink and emits a snapshot', async (t) => {
  const { h, monitor, rec, access } = setup(t, ['main', 'work', 'ops']);
  const first = await monitor.start();
  assert.ok(first);
  for (const a of ['main', 'work', 'ops']) assert.equal(storeAccess(h, a), access, `start syncs ${a}`);
  assert.ok(first.monitor?.watching.includes(h.path('.claude', '.credentials.json')));

  const next = secret('access');
  const from = rec.mark();
  atomicWrite(
    h.path('.claude', '.credentials.json'),
    claudeCredentials({ expiresAt: Date.now() + 9 * HOUR, access: next }),
  );
  const e = await rec.until(
    isSnapshot(
      (s) =>
        s.agents.every((a) =>
          a.profiles.some((p) => p.profileId === 'anthropic:claude-cli' && p.fingerprint === s.sources[0]?.fingerprint),
        ) && s.sources[0]?.masked?.endsWith(next.slice(-4)) === true,
    ),
    from,
  );
  assert.equal(e.trigger, 'files');
  assert.ok(e.paths.includes(h.path('.claude', '.credentials.json')), e.paths.join(','));
  assert.deepEqual([...e.wrote].sort(), ['main', 'ops', 'work']);
  for (const a of ['main', 'work', 'ops']) assert.equal(storeAccess(h, a), next, `agent ${a} got the new token`);
  assert.equal(JSON.stringify(e.snapshot).includes(next), false, 'the snapshot carries no secret');
});

test('deleting or corrupting a source emits an event and leaves the sinks untouched', async (t) => {
  const { h, monitor, rec, access } = setup(t, ['main', 'work']);
  await monitor.start();
  const stores = ['main', 'work'].map((a) => h.path(h.agentStore(a)));
  const before = stores.map((p) => [readFileSync(p, 'utf8'), statSync(p).mtimeMs] as const);

  let from = rec.mark();
  writeFileSync(h.path('.claude', '.credentials.json'), '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-trunc');
  const broken = await rec.until(
    isSnapshot((s) => s.sources.find((x) => x.id === 'claude-code')?.status === 'invalid'),
    from,
  );
  assert.equal(broken.snapshot.overall.attention, 'soon');
  assert.match(broken.snapshot.sources[0]?.error ?? '', /not valid JSON/);

  from = rec.mark();
  rmSync(h.path('.claude', '.credentials.json'));
  await rec.until(
    isSnapshot((s) => s.sources.find((x) => x.id === 'claude-code')?.status === 'absent'),
    from,
  );

  stores.forEach((p, i) => {
    assert.equal(readFileSync(p, 'utf8'), before[i]?.[0], 'store content unchanged');
    assert.equal(statSync(p).mtimeMs, before[i]?.[1], 'store not rewritten');
  });
  assert.equal(storeAccess(h, 'main'), access);

  // Corrupting a sink is reported too, and it is not overwritten.
  from = rec.mark();
  writeFileSync(stores[1] as string, '{ "version": 1, "profiles": ');
  const bad = await rec.until(
    isSnapshot((s) => s.agents.find((a) => a.agentId === 'work')?.storeStatus === 'error'),
    from,
  );
  assert.equal(bad.snapshot.overall.attention, 'now');
  assert.equal(readFileSync(stores[1] as string, 'utf8'), '{ "version": 1, "profiles": ');
});

test('an agent created while running is picked up and synced', async (t) => {
  const { h, monitor, rec, access } = setup(t, ['main']);
  await monitor.start();
  const from = rec.mark();
  h.write(h.agentStore('late'), {
    version: 1,
    profiles: { 'openai:late': { type: 'api_key', provider: 'openai', key: secret('api') } },
  });
  const e = await rec.until(
    isSnapshot((s) =>
      s.agents.some((a) => a.agentId === 'late' && a.profiles.some((p) => p.profileId === 'anthropic:claude-cli')),
    ),
    from,
  );
  assert.ok(e.snapshot.monitor?.watching.includes(h.path(h.agentStore('late'))));
  assert.equal(storeAccess(h, 'late'), access);
  // And its store is watched from then on: a corruption of it is noticed.
  const from2 = rec.mark();
  writeFileSync(h.path(h.agentStore('late')), 'not json');
  await rec.until(
    isSnapshot((s) => s.agents.find((a) => a.agentId === 'late')?.storeStatus === 'error'),
    from2,
  );
});

test('the watcher survives its directories being removed and recreated', async (t) => {
  const { h, monitor, rec } = setup(t, ['main']);
  await monitor.start();
  // ~/.claude goes away entirely, then comes back with a new login.
  let from = rec.mark();
  rmSync(h.path('.claude'), { recursive: true, force: true });
  await rec.until(
    isSnapshot((s) => s.sources[0]?.status === 'absent'),
    from,
  );
  from = rec.mark();
  const next = secret('access');
  mkdirSync(h.path('.claude'), { mode: 0o700 });
  atomicWrite(
    h.path('.claude', '.credentials.json'),
    claudeCredentials({ expiresAt: Date.now() + 9 * HOUR, access: next }),
  );
  await rec.until(
    isSnapshot((s) => s.sources[0]?.status === 'ok' && s.sources[0]?.masked?.endsWith(next.slice(-4)) === true),
    from,
  );
  assert.ok(storeAccess(h, 'main') === next, 'the recreated login reached the sink');

  // The whole state dir goes away and comes back: the agent's store is watched again.
  from = rec.mark();
  rmSync(h.path('.clawdbot'), { recursive: true, force: true });
  await rec.until(
    isSnapshot(
      (s) =>
        s.agents.find((a) => a.agentId === 'main')?.storeStatus === 'missing' ||
        s.agents.find((a) => a.agentId === 'main')?.sync.wrote === true,
    ),
    from,
  );
  // Give the re-arm a moment to settle, then recreate and corrupt it.
  await new Promise((r) => setTimeout(r, 300));
  from = rec.mark();
  h.write(h.agentStore('main'), '{ broken');
  await rec.until(
    isSnapshot((s) => s.agents.find((a) => a.agentId === 'main')?.storeStatus === 'error'),
    from,
  );
  // Fixing it is noticed too.
  from = rec.mark();
  h.write(h.agentStore('main'), { version: 1, profiles: {} });
  await rec.until(
    isSnapshot((s) => s.agents.find((a) => a.agentId === 'main')?.storeStatus === 'ok'),
    from,
  );
  assert.ok(storeAccess(h, 'main') === next, 'the fixed store was synced again');
});

test('unrelated files beside the watched ones cause no scan', async (t) => {
  const { h, monitor, rec } = setup(t, ['main']);
  await monitor.start();
  const from = rec.mark();
  const scansBefore = monitor.current()?.monitor?.lastScanAt;
  for (let i = 0; i < 5; i++) writeFileSync(h.path('.claude', `history-${i}.jsonl`), 'x\n');
  mkdirSync(h.path('.clawdbot', 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(h.path('.clawdbot', 'agents', 'main', 'sessions', 's.jsonl'), 'x\n');
  await new Promise((r) => setTimeout(r, 600));
  assert.deepEqual(rec.events.slice(from), []);
  assert.equal(monitor.current()?.monitor?.lastScanAt, scansBefore);
});

test('watch plan: parents of the paths, nearest existing ancestor for missing dirs, agents patterns', () => {
  const plan = watchPlan(
    ['/nonexistent-root-x/a/b/file.json', '/tmp/agents', '/tmp/agents/main/agent/auth-profiles.json'],
    { agentsDirs: ['/tmp/agents'], storeNames: ['auth-profiles.json'] },
  );
  assert.ok(plan.roots.includes('/'), 'a missing directory is watched through its nearest existing ancestor');
  assert.ok(plan.roots.includes('/tmp/agents') || plan.roots.includes('/tmp'));
  assert.equal(plan.relevant('/nonexistent-root-x/a'), true);
  assert.equal(plan.relevant('/nonexistent-root-x/a/b/file.json'), true);
  assert.equal(plan.relevant('/nonexistent-root-x/a/b/other.json'), false);
  assert.equal(plan.relevant('/tmp/agents/new'), true);
  assert.equal(plan.relevant('/tmp/agents/new/agent'), true);
  assert.equal(plan.relevant('/tmp/agents/new/agent/auth-profiles.json'), true);
  assert.equal(plan.relevant('/tmp/agents/new/agent/models.json'), false);
  assert.equal(plan.relevant('/tmp/agents/new/sessions'), false);
  assert.equal(plan.relevant('/tmp/agents/.hidden'), false);
  assert.equal(plan.relevant(join('/tmp', 'unrelated')), false);
});
