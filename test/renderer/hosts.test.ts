/**
 * The details window with two remote hosts, in real headless Chromium: a section per host with
 * its state, since, version, fix, profiles and usage; pushed reports re-render; the Renew
 * button sends the configured name; a host's hostile strings (markup, control characters,
 * secrets) are shown escaped and never run. Saves docs/screenshots/hosts.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { HostReport } from '../../common/hosts.js';
import { ROOT } from '../support/home.js';
import { launch, openWindow, serveRenderer, skipReason, type WindowPage } from '../support/browser.js';
import { hostReport } from '../support/hosts.js';
import { liveView } from '../support/live-fixtures.js';
import {
  DAY,
  HOUR,
  NOW,
  PLANTED_SECRETS,
  agent,
  profile,
  settings,
  setupToken,
  snapshot,
  states,
} from '../support/renderer-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

const skip = skipReason();
if (skip) console.log(`# skipping the hosts window tests: ${skip}`);

const vpsSnapshot = snapshot(
  [agent('main', [setupToken('anthropic:default', 340, 25), profile({ profileId: 'openai-codex:codex-cli' })])],
  {
    gateway: { ...states.healthy().gateway, kind: 'openclaw', name: 'OpenClaw', version: '2026.9.6' },
    live: liveView(NOW, { checkedAt: NOW - 2 * 60_000 }),
  },
);
const vps = hostReport({
  name: 'vps',
  ssh: 'deploy@vps.example.com',
  state: 'ok',
  since: NOW - DAY,
  lastSeenAt: NOW,
  authbarVersion: '0.1.0',
  snapshot: vpsSnapshot,
});
const lab = hostReport({
  name: 'lab',
  ssh: 'lab',
  state: 'unreachable',
  since: NOW - 2 * HOUR - 12 * 60_000,
  lastSeenAt: NOW - 2 * HOUR - 12 * 60_000,
  authbarVersion: '0.1.0',
  message: 'ssh could not reach lab: the connection timed out.',
  fix: 'ssh lab',
  snapshot: snapshot([agent('main', [profile({ profileId: 'anthropic:claude-cli' })])]),
});

describe('details window with remote hosts', { skip: skip ?? false }, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveRenderer>>;
  before(async () => {
    server = await serveRenderer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function withWindow(
    hosts: HostReport[],
    body: (w: WindowPage) => Promise<void>,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<void> {
    const w = await openWindow(browser, server.url, { snapshot: states.healthy(), settings, hosts, colorScheme });
    try {
      await body(w);
    } finally {
      await w.close();
    }
    assert.deepEqual(w.problems, [], 'no console error, page error or CSP violation');
  }
  const text = (w: WindowPage, sel: string) => w.page.locator(sel).innerText();

  test('no hosts: no hosts section, the agents keep their title', async () => {
    await withWindow([], async (w) => {
      assert.equal(await w.page.locator('#hosts-section').isHidden(), true);
      assert.equal(await text(w, '#agents-title'), 'AGENTS');
    });
  });

  test('two hosts: a section each with state, since, version, fix, profiles and usage', async () => {
    await withWindow([vps, lab], async (w) => {
      assert.equal(await w.page.locator('#hosts-section').isVisible(), true);
      assert.equal((await text(w, '#agents-title')).toLowerCase(), 'this machine');
      const cards = w.page.locator('#hosts .host');
      assert.equal(await cards.count(), 2);
      const v = w.page.locator('.host[data-host="vps"]');
      assert.equal(await v.getAttribute('data-attention'), 'soon');
      assert.equal(await v.locator('.host-state').innerText(), 'connected');
      const vt = await v.innerText();
      assert.match(vt, /ssh deploy@vps\.example\.com/);
      assert.match(vt, /AuthBar 0\.1\.0/);
      assert.match(vt, /OpenClaw 2026\.9\.6/);
      assert.match(vt, /anthropic:default/);
      assert.match(vt, /openai-codex:codex-cli/);
      assert.equal((await v.locator('.usage-window').count()) > 0, true, "the host's usage bars");
      const l = w.page.locator('.host[data-host="lab"]');
      assert.equal(await l.getAttribute('data-attention'), 'soon');
      assert.equal(await l.locator('.host-state').innerText(), 'unreachable');
      assert.equal(await l.locator('.host-since').innerText(), 'since 7:18 AM');
      const lt = await l.innerText();
      assert.match(lt, /ssh could not reach lab: the connection timed out\./);
      assert.match(lt, /Fix: ssh lab/);
      assert.match(lt, /Last heard from 2 h 12 m ago/);
      assert.match(lt, /Its profiles below are from then, not current\./);
      // A host's agents have no "Open folder": that folder is on the host.
      assert.equal(await w.page.locator('#hosts button', { hasText: 'Open folder' }).count(), 0);
    });
  });

  test('pushed reports re-render; Renew token sends the host name', async () => {
    await withWindow([vps], async (w) => {
      await w.pushHosts([vps, { ...lab, state: 'host-key', message: 'The host key of lab changed.' }]);
      const l = w.page.locator('.host[data-host="lab"]');
      assert.equal(await l.locator('.host-state').innerText(), 'host key not trusted');
      // A push while the button has focus keeps the focus on its successor.
      await l.getByRole('button', { name: 'Renew the token on lab' }).focus();
      await w.pushHosts([vps, { ...lab, state: 'host-key', message: 'The host key of lab changed again.' }]);
      assert.equal(await w.page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'renew:lab');
      await l.getByRole('button', { name: 'Renew the token on lab' }).click();
      await w.page.waitForFunction(() => window.__calls.some((c: unknown[]) => c[0] === 'renewOnHost'));
      assert.deepEqual(
        (await w.calls()).filter(([m]) => m === 'renewOnHost'),
        [['renewOnHost', 'lab']],
      );
      await w.pushHosts([]);
      assert.equal(await w.page.locator('#hosts-section').isHidden(), true);
    });
  });

  test("a host's hostile strings are shown escaped, masked, and never run", async () => {
    const evil = hostReport({
      name: 'vps',
      ssh: 'vps',
      state: 'auth',
      since: NOW - HOUR,
      authbarVersion: '<img src=x onerror="window.__pwned=1">',
      message: `denied\u001b[2J\u202e ${PLANTED_SECRETS[0]}`,
      fix: `<b>run</b> ${PLANTED_SECRETS[1]}`,
      snapshot: snapshot([agent('main', [profile({ profileId: 'anthropic:<script>window.__pwned=2</script>' })])]),
    });
    await withWindow([evil], async (w) => {
      assert.equal(await w.page.evaluate(() => window.__pwned), undefined);
      assert.equal(await w.page.locator('#hosts img, #hosts b, #hosts script').count(), 0);
      const all = await w.everything();
      for (const s of PLANTED_SECRETS) assert.ok(!all.includes(s), 'a planted secret reached the page');
      const shown = await w.page.locator('#hosts').innerText();
      assert.doesNotMatch(shown, /[\u001b\u202e]/);
      assert.match(shown, /\\x1b|\\u001b|\\e/);
      assert.match(shown, /<img src=x/);
      // Not a valid host name: no Renew button for it.
      const odd = { ...evil, name: 'Not A Host' };
      await w.pushHosts([odd]);
      assert.equal(await w.page.locator('#hosts button').count(), 0);
    });
  });

  test('screenshot docs/screenshots/hosts.png', async () => {
    const dir = join(ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    await withWindow([vps, lab], async (w) => {
      // The hosts section: what the docs show (this machine's part is in details-*.png).
      await w.page.locator('#hosts-section').screenshot({ path: join(dir, 'hosts.png') });
    });
  });
});
