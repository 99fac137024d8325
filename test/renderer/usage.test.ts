/**
 * The window's Usage card in real headless Chromium: one bar per usage window, as wide as its
 * percentage, with its label and reset time; the gateway's states that are not an answer with
 * their fix; disagreements with theirs; nothing for `off`; gateway text never markup; updates
 * re-render. Saves docs/screenshots/usage.png for the README.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../support/home.js';
import { launch, openWindow, serveRenderer, skipReason, type WindowPage } from '../support/browser.js';
import { DAY, HOUR, MIN, NOW, settings, states } from '../support/renderer-fixtures.js';
import { claudeProvider, liveProblemView, liveView } from '../support/live-fixtures.js';
import { Snapshot, type LiveView } from '../../common/snapshot.js';

// Page-side callbacks run in Chromium, where these globals exist (see window.test.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any, window: any, getComputedStyle: any;

const skip = skipReason();
if (skip) console.log(`# skipping the Usage card browser tests: ${skip}`);

const withLive = (live: LiveView | null): Snapshot => Snapshot.parse({ ...states.live(), live });

interface BarFacts {
  label: string;
  percent: string;
  reset: string;
  tone: string;
  /** The fill's width over the track's, 0–1. */
  share: number;
  valueNow: string;
}

describe('Usage card in Chromium', { skip: skip ?? false }, () => {
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
    snapshot: Snapshot,
    body: (w: WindowPage) => Promise<void>,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<void> {
    const w = await openWindow(browser, server.url, { snapshot, settings, colorScheme });
    try {
      await body(w);
    } finally {
      await w.close();
    }
    assert.deepEqual(w.problems, [], 'no console error, page error or CSP violation');
  }

  const bars = (w: WindowPage): Promise<BarFacts[]> =>
    w.page.evaluate(() =>
      [...document.querySelectorAll('#live .usage-window')].map((li) => {
        const track = li.querySelector('.usage-track');
        const fill = li.querySelector('.usage-fill');
        return {
          label: li.querySelector('.usage-label').textContent,
          percent: li.querySelector('.usage-percent').textContent,
          reset: li.querySelector('.usage-reset').textContent,
          tone: li.dataset.tone,
          share: fill.getBoundingClientRect().width / track.getBoundingClientRect().width,
          valueNow: track.getAttribute('aria-valuenow'),
        };
      }),
    );

  test('connected: a bar per window, as wide as its percentage, with label and reset time', async () => {
    await withWindow(withLive(liveView(NOW)), async (w) => {
      assert.equal(await w.page.locator('#live-section').isVisible(), true);
      assert.equal(await w.page.locator('#live-title').innerText(), 'USAGE');
      const card = await w.page.locator('#live').innerText();
      assert.match(card, /OpenClaw 2026\.9\.6 · live/);
      // NOW is Sat 14 Mar 2026, 09:30 UTC; the page runs in UTC.
      assert.match(card, /checked 09:29 · ws:\/\/127\.0\.0\.1:18789/);
      assert.match(card, /Claude/);
      assert.match(card, /Max plan/);
      const got = await bars(w);
      assert.deepEqual(
        got.map(({ share: _share, ...rest }) => rest),
        [
          { label: '5 h', percent: '42 %', reset: 'resets 11:30', tone: 'ok', valueNow: '42' },
          { label: 'Week', percent: '18 %', reset: 'resets Tue 13:30', tone: 'ok', valueNow: '18' },
          { label: 'Opus', percent: '63 %', reset: 'resets Tue 13:30', tone: 'ok', valueNow: '63' },
        ],
      );
      for (const [b, want] of got.map((b, i) => [b, [0.42, 0.18, 0.63][i] as number] as const))
        assert.ok(Math.abs(b.share - want) < 0.01, `${b.label}: ${b.share} ≈ ${want}`);
      // The card sits above the agents.
      const order = await w.page.evaluate(() => {
        const live = document.getElementById('live-section');
        const agents = document.getElementById('agents');
        return live.compareDocumentPosition(agents) & 4;
      });
      assert.equal(order, 4);
    });
  });

  test('near, over and past the limit: tones, full bars, used up; a note when there are no windows', async () => {
    const live = liveView(NOW, {
      providers: [
        claudeProvider(NOW, {
          usage: [
            { label: '5h', usedPercent: 100, resetsAt: NOW + 20 * MIN },
            { label: 'Week', usedPercent: 96, resetsAt: NOW + 10 * DAY },
            { label: 'Opus', usedPercent: 84, resetsAt: null },
            { label: 'Extra', usedPercent: 140, resetsAt: NOW - MIN },
          ],
        }),
        claudeProvider(NOW, {
          provider: 'openai-codex',
          displayName: 'Codex',
          plan: null,
          usage: [],
          usageNote: 'The usage endpoint answered 503: no windows this time.',
        }),
      ],
    });
    await withWindow(withLive(live), async (w) => {
      const got = await bars(w);
      assert.deepEqual(
        got.map((b) => [b.label, b.percent, b.reset, b.tone]),
        [
          ['5 h', 'used up', 'resets 09:50', 'now'],
          ['Week', '96 %', 'resets Mar 24', 'now'],
          ['Opus', '84 %', '', 'soon'],
          ['Extra', 'used up', 'resets now', 'now'],
        ],
      );
      assert.ok(Math.abs((got[3]?.share ?? 0) - 1) < 0.01, 'over the limit fills the bar, no more');
      assert.match(await w.page.locator('#live').innerText(), /Codex\s+gateway: ok\s+The usage endpoint answered 503/);
      const colours = await w.page.evaluate(() =>
        [...document.querySelectorAll('#live .usage-fill')].map((el) => getComputedStyle(el).backgroundColor),
      );
      assert.notEqual(colours[2], colours[0], 'near the limit and used up look different');
    });
  });

  test('not running, refused, unavailable: the state and its fix; off: no card', async () => {
    const cases: Array<[Parameters<typeof liveProblemView>[1], RegExp[]]> = [
      ['not-running', [/Gateway not running/, /Nothing listens/, /Fix: Start it: openclaw gateway run/]],
      ['refused', [/Gateway refused AuthBar/, /refused the token/, /Fix: Set OPENCLAW_GATEWAY_TOKEN/]],
      ['unavailable', [/Gateway status unavailable/, /did not answer within 5 s/]],
    ];
    for (const [state, words] of cases) {
      await withWindow(withLive(liveProblemView(NOW, state)), async (w) => {
        const card = await w.page.locator('#live').innerText();
        for (const re of words) assert.match(card, re, state);
        assert.equal(await w.page.locator('#live .usage-window').count(), 0);
        // The files' verdicts are still all there.
        assert.match(await w.page.locator('#agents').innerText(), /anthropic:claude-cli/);
      });
    }
    for (const s of [withLive(liveProblemView(NOW, 'off')), withLive(null), states.healthy()])
      await withWindow(s, async (w) => {
        assert.equal(await w.page.locator('#live-section').isHidden(), true);
      });
  });

  test('disagreements with their fix; a pushed snapshot re-renders the card', async () => {
    const disagree = liveView(NOW, {
      disagreements: [
        {
          profileId: 'anthropic:manual',
          provider: 'anthropic',
          files: 'ok',
          gateway: 'absent',
          text: 'The running gateway does not list it: it has not loaded the store since it started.',
          fix: 'openclaw gateway restart',
        },
      ],
    });
    await withWindow(withLive(liveProblemView(NOW, 'not-running')), async (w) => {
      await w.push(withLive(disagree));
      await w.page.waitForFunction(() => document.querySelectorAll('#live .live-disagreement').length === 1);
      const row = await w.page.locator('#live .live-disagreement').innerText();
      assert.match(row, /anthropic:manual/);
      assert.match(row, /files: ok · gateway: absent/);
      assert.match(row, /Fix: openclaw gateway restart/);
      assert.equal(await w.page.locator('#live .usage-window').count(), 3);
    });
  });

  test('gateway text is shown as text: no markup, no controls, no secrets', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const secret = 'sk-ant-oat01-' + 'Q'.repeat(70);
    const live = liveView(NOW, {
      gateway: { url: `ws://127.0.0.1:1/${evil}`, version: `<b>9</b>\u202e` },
      providers: [
        claudeProvider(NOW, {
          displayName: `${evil}\u0007`,
          plan: secret,
          usage: [{ label: evil, usedPercent: 50, resetsAt: NOW + HOUR }],
        }),
      ],
      disagreements: [
        { profileId: evil, provider: 'x', files: evil, gateway: evil, text: secret, fix: `${evil} ${secret}` },
      ],
    });
    await withWindow(withLive(live), async (w) => {
      assert.equal(await w.page.evaluate(() => window.__pwned), undefined);
      assert.equal(await w.page.locator('#live img, #live b').count(), 0);
      const all = await w.everything();
      assert.doesNotMatch(all, /Q{20}/);
      assert.doesNotMatch(await w.page.locator('#live').innerText(), /[\u0007\u202e]/);
    });
  });

  test('screenshot for the README', async () => {
    const dir = join(ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const)
      await withWindow(
        withLive(liveView(NOW, { checkedAt: NOW })),
        async (w) => {
          // The header and the Usage card: what the README shows.
          const box = await w.page.locator('#live-section').boundingBox();
          assert.ok(box);
          await w.page.screenshot({
            path: join(dir, colorScheme === 'light' ? 'usage.png' : 'usage-dark.png'),
            clip: { x: 0, y: 0, width: 480, height: Math.ceil(box.y + box.height + 12) },
          });
        },
        colorScheme,
      );
  });
});
