/**
 * Child of bench/live-bench.ts, run on a Node with a built-in WebSocket: asks the running
 * gateway BENCH_POLLS times as the monitor does (readLive: connect, models.authStatus, close)
 * and prints one JSON line: the wall time of each question and this process's CPU per question.
 * The device identity lives in memory here (the bench measures the question, not the keyring).
 */
import { collect } from '../main/engine/engine.js';
import { resolveHost } from '../main/engine/host.js';
import { readLive } from '../main/engine/gateways/openclaw/live/read-live.js';
import type { DeviceSecrets } from '../main/engine/gateways/openclaw/live/device.js';

const polls = Number(process.env['BENCH_POLLS'] ?? 20);
const store = new Map<string, string>();
const secrets: DeviceSecrets = {
  get: async (a) => store.get(a) ?? null,
  set: async (a, v) => void store.set(a, v),
  remove: async (a) => void store.delete(a),
};
const host = await resolveHost({ env: process.env, platform: process.platform });
const { snapshot } = await collect(host, { sync: 'skip' });
const deps = {
  env: host.env,
  platform: host.platform,
  now: () => Date.now(),
  clientVersion: 'bench',
  owner: 'cli' as const,
  secrets: () => secrets,
};
// The first question pairs the device: counted apart.
const first = await readLive(snapshot, deps);
const wall: number[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < polls; i++) {
  const t = performance.now();
  const view = await readLive(snapshot, deps);
  wall.push(performance.now() - t);
  if (view.state !== 'connected') throw new Error(`poll ${i}: ${view.state} ${view.message ?? ''}`);
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({ firstState: first.state, wall, cpuPerPollMs: (cpu.user + cpu.system) / 1000 / polls }) + '\n',
);
