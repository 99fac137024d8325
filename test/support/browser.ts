/**
 * The details window in real headless Chromium (Debian's, driven by playwright-core): the
 * built dist/renderer served over http on 127.0.0.1, with a stub `window.authbar` injected
 * before the page's scripts that records every call and lets a test push snapshots.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Snapshot } from '../../common/snapshot.js';
import type { Settings } from '../../main/engine/settings.js';
import type { CommandResult } from '../../common/ipc-contract.js';
import type { HostReport } from '../../common/hosts.js';
import { ROOT } from './home.js';
import { NOW } from './renderer-fixtures.js';

// Page-side callbacks run in Chromium, where these globals exist. The tests compile without
// the DOM lib (the node code must not see browser globals), so they are declared loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any, window: any;

export const CHROMIUM = '/usr/bin/chromium';
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

/** Why the browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-dejavu-core) to run the details-window tests`;
  if (!existsSync(join(RENDERER_DIR, 'renderer.js'))) return 'dist/renderer is not built: run npm run build first';
  return undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Serves dist/renderer read-only; anything outside it is a 404. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    // Chromium asks for a favicon over http; the app (file:// in Electron) has none.
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const path = normalize(join(RENDERER_DIR, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file) || !TYPES[extname(file)]) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] as string, 'cache-control': 'no-store' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Launched {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium. Playwright gives every launch a fresh temporary user-data-dir
 * of its own (and refuses a --user-data-dir argument), removed when the browser closes.
 */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** A call the stub bridge recorded: the method and its arguments. */
export type Call = [string, ...unknown[]];

export interface StubOptions {
  snapshot: Snapshot | null;
  settings: Settings;
  /** The remote hosts' reports `getHosts` answers (none by default). */
  hosts?: HostReport[];
  /** What each command answers; ok with a message by default. */
  results?: Partial<Record<string, CommandResult>>;
}

export interface WindowPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  calls(): Promise<Call[]>;
  push(snapshot: Snapshot): Promise<void>;
  pushHosts(hosts: HostReport[]): Promise<void>;
  /** All visible text plus every attribute and input value: what could leak. */
  everything(): Promise<string>;
  close(): Promise<void>;
}

/** Runs in the page before its scripts: the stub bridge. Must be self-contained. */
function installStub(opts: StubOptions): void {
  type Listener = (s: unknown) => void;
  const w = window as unknown as Record<string, unknown>;
  const calls: unknown[][] = [];
  const listeners: Listener[] = [];
  const hostListeners: Listener[] = [];
  const problems: string[] = [];
  let settings = opts.settings;
  w['__calls'] = calls;
  w['__problems'] = problems;
  w['__push'] = (s: unknown) => listeners.forEach((l) => l(s));
  w['__pushHosts'] = (h: unknown) => hostListeners.forEach((l) => l(h));
  document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) =>
    problems.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
  );
  const answer = (name: string) => Promise.resolve(opts.results?.[name] ?? { ok: true, message: `${name} done` });
  w['authbar'] = Object.freeze({
    getSnapshot: () => (calls.push(['getSnapshot']), Promise.resolve(opts.snapshot)),
    onSnapshot: (cb: Listener) => {
      calls.push(['onSnapshot']);
      listeners.push(cb);
      return () => listeners.splice(listeners.indexOf(cb), 1);
    },
    // Every page load asks for the hosts: not recorded, like the tests' filters drop getSnapshot.
    getHosts: () => Promise.resolve(opts.hosts ?? []),
    onHosts: (cb: Listener) => {
      hostListeners.push(cb);
      return () => hostListeners.splice(hostListeners.indexOf(cb), 1);
    },
    renewOnHost: (host: string) => (calls.push(['renewOnHost', host]), answer('renewOnHost')),
    resync: () => (calls.push(['resync']), answer('resync')),
    openSetupToken: () => (calls.push(['openSetupToken']), answer('openSetupToken')),
    addToken: (req: unknown) => (calls.push(['addToken', req]), answer('addToken')),
    revealStore: (agentId: string) => (calls.push(['revealStore', agentId]), answer('revealStore')),
    getSettings: () => (calls.push(['getSettings']), Promise.resolve(settings)),
    setSettings: (patch: Record<string, unknown>) => {
      calls.push(['setSettings', patch]);
      const r = opts.results?.['setSettings'];
      if (!r || r.ok) settings = { ...settings, ...patch } as typeof settings;
      return answer('setSettings');
    },
  });
}

export async function openWindow(
  browser: Browser,
  url: string,
  opts: StubOptions & { colorScheme?: 'light' | 'dark'; now?: number },
): Promise<WindowPage> {
  const context = await browser.newContext({
    viewport: { width: 480, height: 760 },
    deviceScaleFactor: 2,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.clock.install({ time: opts.now ?? NOW });
  await page.addInitScript(installStub, {
    snapshot: opts.snapshot,
    settings: opts.settings,
    hosts: opts.hosts ?? [],
    results: opts.results ?? {},
  });
  await page.goto(url);
  // The first render follows getSnapshot/getSettings; settle on the headline leaving "Loading…".
  await page.waitForFunction(() => document.getElementById('headline')?.textContent !== 'Loading…');
  return {
    page,
    context,
    problems,
    calls: () => page.evaluate(() => (window as unknown as { __calls: Call[] }).__calls.slice()),
    push: (s) => page.evaluate((snap) => (window as unknown as { __push: (s: unknown) => void }).__push(snap), s),
    pushHosts: (hosts) =>
      page.evaluate((list) => (window as unknown as { __pushHosts: (h: unknown) => void }).__pushHosts(list), hosts),
    everything: () =>
      page.evaluate(() => {
        const parts: string[] = [document.documentElement.outerHTML, document.body.innerText];
        for (const el of document.querySelectorAll('input, textarea')) parts.push(el.value);
        return parts.join('\n');
      }),
    async close() {
      const inPage = await page
        .evaluate(() => (window as unknown as { __problems: string[] }).__problems.slice())
        .catch(() => []);
      problems.push(...inPage);
      await context.close();
    },
  };
}
