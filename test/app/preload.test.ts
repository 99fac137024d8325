/**
 * The built preload (dist/preload/preload.cjs), run as a sandboxed preload runs: one script,
 * with a `require` that knows only `electron`. It must expose exactly the bridge as
 * `window.authbar`, each method on its own channel, and no raw ipcRenderer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { CHANNELS } from '../../common/ipc-contract.js';
import { ROOT } from '../support/home.js';

const BRIDGE_KEYS = [
  'addToken',
  'getHosts',
  'getSettings',
  'getSnapshot',
  'onHosts',
  'onSnapshot',
  'openSetupToken',
  'renewOnHost',
  'resync',
  'revealStore',
  'setSettings',
];

function loadPreload() {
  const exposed: Record<string, Record<string, unknown>> = {};
  const invokes: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const requested: string[] = [];
  const ipcRenderer = {
    invoke: (...args: unknown[]) => {
      invokes.push(args);
      return Promise.resolve({ ok: true, message: String(args[0]) });
    },
    on(channel: string, l: (...a: unknown[]) => void) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
      return ipcRenderer;
    },
    removeListener(channel: string, l: (...a: unknown[]) => void) {
      listeners.get(channel)?.delete(l);
      return ipcRenderer;
    },
    send: () => assert.fail('the bridge never uses ipcRenderer.send'),
    sendSync: () => assert.fail('the bridge never uses ipcRenderer.sendSync'),
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: Record<string, unknown>) {
        assert.equal(exposed[key], undefined, `${key} exposed once`);
        exposed[key] = api;
      },
    },
    ipcRenderer,
  };
  const fakeRequire = (name: string) => {
    requested.push(name);
    if (name === 'electron') return electron;
    // A sandboxed preload's require knows only a handful of modules; a bundled preload needs none but electron.
    throw new Error(`module not found: ${name}`);
  };
  const source = readFileSync(join(ROOT, 'dist', 'preload', 'preload.cjs'), 'utf8');
  const module = { exports: {} };
  const wrapper = vm.runInNewContext(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { Promise, Set, Map, Object, Error, TypeError },
    { filename: 'preload.cjs' },
  );
  wrapper(module.exports, fakeRequire, module, 'preload.cjs', '.');
  return { exposed, invokes, listeners, requested };
}

test('preload: built as one CommonJS file that requires only electron', () => {
  const { requested } = loadPreload();
  assert.deepEqual([...new Set(requested)], ['electron']);
  const source = readFileSync(join(ROOT, 'dist', 'preload', 'preload.cjs'), 'utf8');
  assert.doesNotMatch(source, /require\((?!["']electron["'])/, 'no other require in the bundle');
  assert.doesNotMatch(source, /zod/, 'channel names only: the schemas stay in the main process');
});

test('preload: exposes exactly the bridge as window.authbar, and nothing else', () => {
  const { exposed } = loadPreload();
  assert.deepEqual(Object.keys(exposed), ['authbar']);
  const api = exposed['authbar']!;
  assert.deepEqual(Object.keys(api).sort(), BRIDGE_KEYS);
  for (const k of BRIDGE_KEYS) assert.equal(typeof api[k], 'function', k);
  assert.equal(Object.values(api).includes(undefined), false);
  assert.ok(!('ipcRenderer' in api) && !('invoke' in api) && !('send' in api));
});

test('preload: each method invokes its own channel with its arguments', async () => {
  const { exposed, invokes } = loadPreload();
  const api = exposed['authbar'] as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const req = { provider: 'anthropic', token: 'x'.repeat(30) };
  await api['getSnapshot']!();
  await api['resync']!();
  await api['openSetupToken']!();
  await api['addToken']!(req);
  await api['revealStore']!('main');
  await api['getSettings']!();
  await api['setSettings']!({ warnHours: 12 });
  await api['getHosts']!();
  await api['renewOnHost']!('vps');
  assert.deepEqual(invokes, [
    [CHANNELS.getSnapshot],
    [CHANNELS.resync],
    [CHANNELS.openSetupToken],
    [CHANNELS.addToken, req],
    [CHANNELS.revealStore, 'main'],
    [CHANNELS.getSettings],
    [CHANNELS.setSettings, { warnHours: 12 }],
    [CHANNELS.getHosts],
    [CHANNELS.renewOnHost, 'vps'],
  ]);
});

test('preload: onSnapshot listens on the snapshot channel, hands over only the snapshot, and unsubscribes', () => {
  const { exposed, listeners } = loadPreload();
  const got: unknown[] = [];
  const off = (exposed['authbar']!['onSnapshot'] as (cb: (s: unknown) => void) => () => void)((s) => got.push(s));
  const set = listeners.get(CHANNELS.snapshot);
  assert.equal(set?.size, 1);
  const fakeEvent = { sender: { send: () => undefined }, ports: [] };
  for (const l of set!) l(fakeEvent, { schemaVersion: 1 });
  assert.deepEqual(got, [{ schemaVersion: 1 }], 'the IPC event (with its sender) never reaches the page');
  off();
  assert.equal(listeners.get(CHANNELS.snapshot)?.size, 0);
});

test('preload: onHosts listens on the hosts channel, hands over only the reports, and unsubscribes', () => {
  const { exposed, listeners } = loadPreload();
  const got: unknown[] = [];
  const off = (exposed['authbar']!['onHosts'] as (cb: (h: unknown) => void) => () => void)((h) => got.push(h));
  const set = listeners.get(CHANNELS.hosts);
  assert.equal(set?.size, 1);
  const fakeEvent = { sender: { send: () => undefined }, ports: [] };
  for (const l of set!) l(fakeEvent, [{ name: 'vps' }]);
  assert.deepEqual(got, [[{ name: 'vps' }]], 'the IPC event (with its sender) never reaches the page');
  off();
  assert.equal(listeners.get(CHANNELS.hosts)?.size, 0);
});
