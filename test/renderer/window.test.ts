/**
 * The details window in real headless Chromium with a stub bridge: every state renders, live
 * updates re-render, every button reaches the bridge with the right arguments, bad tokens are
 * stopped before anything is sent, nothing secret reaches the DOM, no CSP violation or console
 * error, and the keyboard reaches and works every action. Saves the README's screenshots.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../support/home.js';
import {
  launch,
  openWindow,
  serveRenderer,
  skipReason,
  type StubOptions,
  type WindowPage,
} from '../support/browser.js';
import {
  DAY,
  HOUR,
  MIN,
  NOW,
  PLANTED_SECRETS,
  agent,
  profile,
  settings,
  setupToken,
  snapshot,
  states,
} from '../support/renderer-fixtures.js';

// Page-side callbacks run in Chromium, where these globals exist. The tests compile without
// the DOM lib (the node code must not see browser globals), so they are declared loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any, window: any, getComputedStyle: any, matchMedia: any;

const skip = skipReason();
if (skip) console.log(`# skipping the details-window browser tests: ${skip}`);

describe('details window in Chromium', { skip: skip ?? false }, () => {
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

  /** Opens the window, runs the body, then checks no console error or CSP violation happened. */
  async function withWindow(
    opts: Partial<StubOptions> & { colorScheme?: 'light' | 'dark'; now?: number; hash?: string },
    body: (w: WindowPage) => Promise<void>,
  ): Promise<void> {
    const w = await openWindow(browser, `${server.url}${opts.hash ?? ''}`, { snapshot: null, settings, ...opts });
    try {
      await body(w);
    } finally {
      await w.close();
    }
    assert.deepEqual(w.problems, [], 'no console error, page error or CSP violation');
  }

  const text = (w: WindowPage, sel: string) => w.page.locator(sel).innerText();

  test('before the first scan it says it is waiting', async () => {
    await withWindow({ snapshot: null }, async (w) => {
      assert.equal(await text(w, '#headline'), 'Waiting for the first scan…');
      assert.equal(await w.page.locator('#summary').getAttribute('data-attention'), 'unknown');
    });
  });

  test('every state renders with its headline, colour and words', async () => {
    const cases: Array<[keyof typeof states, string, string, RegExp[]]> = [
      ['empty', 'No credentials found', 'none', [/No agents found\./, /0 profiles in 0 agents/]],
      ['noProfiles', 'No credentials found', 'none', [/No store yet: no profiles\./]],
      [
        'healthy',
        'All credentials healthy',
        'none',
        [
          /Clawdbot 2026\.1\.24-3/,
          /Refreshes by itself · access token for 6 h/,
          /Token at least 41 days old/,
          /Never expires/,
          /Synced 3 m ago: 1 change written/,
          /fingerprint 3f9a0c12ab34/,
          /Setup token/,
          /Claude Code/,
        ],
      ],
      [
        'soon',
        'Attention needed soon',
        'soon',
        [/Token at least 340 days old/, /Expires in about 25 d/, /Renew soon/, /setup token ends in about 25 days/],
      ],
      [
        'now',
        'Action needed now',
        'now',
        [/Token at least 372 days old/, /Expired about 7 d ago/, /Mar 7, 2026 \(estimated\)/],
      ],
      [
        'openclaw',
        'All credentials healthy',
        'none',
        [
          /OpenClaw 2026\.9\.6/,
          /Detected: AUTHBAR_GATEWAY=openclaw/,
          /SQLite store \(read-only\)/,
          /Clawdbot state was found too/,
        ],
      ],
      ['stale', 'All credentials healthy', 'none', [/Updated 2 h 5 m ago — may be out of date/]],
      [
        'error',
        'Action needed now',
        'now',
        [
          /Store unusable/,
          /is not valid JSON/,
          /Sync failed 3 m ago: Could not lock/,
          /profiles are unknown until the store can be read/,
        ],
      ],
    ];
    for (const [name, headline, attention, patterns] of cases) {
      await withWindow({ snapshot: states[name]() }, async (w) => {
        assert.equal(await text(w, '#headline'), headline, name);
        assert.equal(await w.page.locator('#summary').getAttribute('data-attention'), attention, name);
        const body = await w.page.locator('body').innerText();
        for (const p of patterns) assert.match(body, p, name);
      });
    }
  });

  test('stale data stays on screen with its age, flagged', async () => {
    await withWindow({ snapshot: states.stale() }, async (w) => {
      assert.equal(await w.page.locator('#freshness').getAttribute('data-stale'), 'true');
      assert.equal(await w.page.locator('.profile').count(), 4, 'the rows are still there');
    });
  });

  test('hostile strings: markup stays text, controls show escaped, no secret reaches the DOM', async () => {
    await withWindow({ snapshot: states.hostile() }, async (w) => {
      const all = await w.everything();
      for (const secret of PLANTED_SECRETS) assert.ok(!all.includes(secret), 'a planted secret reached the page');
      assert.equal(
        await w.page.locator('main img, main script, main svg, main b, main i, header img, header svg').count(),
        0,
        'no element came from file data',
      );
      assert.equal(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      const body = await w.page.locator('body').innerText();
      assert.ok(body.includes('<img src=x onerror="window.__pwned=1">'), 'markup is shown as text');
      for (const escape of [
        'ev\\u202eil<b>agent</b>',
        'line1\\nline2\\x07',
        '\\x1b[2J',
        'bad\\x00entry<i>',
        '/home/\\x85ada',
      ])
        assert.ok(body.includes(escape), `shows ${escape}`);
      assert.doesNotMatch(
        body,
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/,
        'no raw control character is rendered',
      );
    });
  });

  test('a pushed snapshot re-renders the window, and relative times move on', async () => {
    await withWindow({ snapshot: states.healthy() }, async (w) => {
      assert.equal(await text(w, '#headline'), 'All credentials healthy');
      await w.push(states.now());
      assert.equal(await text(w, '#headline'), 'Action needed now');
      assert.equal(await w.page.locator('.profile').count(), 1);
      assert.match(await text(w, '#reasons'), /setup token expired/);
      assert.match(await text(w, '#freshness'), /^Updated 3 m ago$/);
      await w.page.clock.fastForward(10 * MIN);
      await w.page.waitForFunction(() =>
        document.getElementById('freshness')?.textContent?.startsWith('Updated 13 m ago'),
      );
      assert.equal(await w.page.locator('#freshness').getAttribute('data-stale'), 'true');
    });
  });

  test('Resync, Run setup-token and each Open folder call the bridge with the right arguments', async () => {
    const two = snapshot([
      agent('main', [profile({ profileId: 'anthropic:claude-cli' })]),
      agent('ops\u202eteam', [profile({ profileId: 'anthropic:claude-cli' })]),
    ]);
    await withWindow(
      { snapshot: two, results: { resync: { ok: true, message: 'Synced: 2 changes written.' } } },
      async (w) => {
        await w.page.getByRole('button', { name: 'Resync' }).click();
        await w.page.locator('#status', { hasText: 'Synced: 2 changes written.' }).waitFor();
        await w.page.getByRole('button', { name: 'Run setup-token…' }).click();
        await w.page.locator('#status', { hasText: 'openSetupToken done' }).waitFor();
        const reveal = w.page.getByRole('button', { name: /Open folder of agent/ });
        assert.equal(await reveal.count(), 2);
        await reveal.nth(0).click();
        await reveal.nth(1).click();
        await w.page.locator('#status', { hasText: 'revealStore done' }).waitFor();
        const calls = (await w.calls()).filter(([m]) => !['getSnapshot', 'onSnapshot', 'getSettings'].includes(m));
        assert.deepEqual(calls, [
          ['resync'],
          ['openSetupToken'],
          ['revealStore', 'main'],
          ['revealStore', 'ops\u202eteam'],
        ]);
      },
    );
  });

  test('a failed command says why in the live region', async () => {
    await withWindow(
      {
        snapshot: states.healthy(),
        results: {
          resync: {
            ok: false,
            error: 'The auth store of agent main is locked by another program: try again in a minute.',
          },
        },
      },
      async (w) => {
        await w.page.getByRole('button', { name: 'Resync' }).click();
        const status = w.page.locator('#status');
        await status.filter({ hasText: 'locked by another program' }).waitFor();
        assert.equal(await status.getAttribute('aria-live'), 'polite');
        assert.equal(await status.getAttribute('data-tone'), 'now');
        assert.equal(
          await w.page.getByRole('button', { name: 'Resync' }).isEnabled(),
          true,
          're-enabled after the answer',
        );
      },
    );
  });

  test('Add token: bad input is stopped with a precise message and nothing is sent', async () => {
    await withWindow({ snapshot: states.healthy() }, async (w) => {
      await w.page.getByRole('button', { name: 'Add token…' }).click();
      assert.equal(await w.page.locator('#add-token-toggle').getAttribute('aria-expanded'), 'true');
      const input = w.page.getByLabel('Token', { exact: true });
      assert.equal(await input.evaluate((el) => el === document.activeElement), true, 'focus goes to the token field');
      const bad: Array<[string, RegExp, string?, string?]> = [
        ['', /field is empty/],
        ['sk-ant-oat01-' + 'x'.repeat(30), /Too short for a setup token: 43 characters/],
        ['sk-ant-oat01-abc def' + 'Z'.repeat(80), /space or line break at character 17/],
        ['ghp_' + 'h'.repeat(60), /not an Anthropic setup token/],
        ['sk-ant-oat01-' + 'w'.repeat(40) + '<' + 'w'.repeat(40), /Character 54 is not allowed/],
        ['sk-ant-ort01-' + 'r'.repeat(80), /refresh token/],
        ['sk-ant-oat01-' + 'g'.repeat(80), /profile must look like anthropic:name/, 'openai:x'],
        ['sk-ant-oat01-' + 'g'.repeat(80), /whole number of days from 1 to 3650/, '', '4000'],
      ];
      for (const [token, message, profileId = '', days = ''] of bad) {
        await input.fill(token);
        await w.page.locator('#token-profile').fill(profileId);
        await w.page.locator('#token-days').fill(days);
        await w.page.getByRole('button', { name: 'Add token', exact: true }).click();
        const error = await text(w, '#token-error');
        assert.match(error, message);
        const body = token.replace(/^sk-ant-[a-z]+\d*-/, '');
        if (body.length > 3)
          assert.ok(!(await w.page.locator('body').innerText()).includes(body), 'the message does not echo the token');
      }
      assert.deepEqual(
        (await w.calls()).filter(([m]) => m === 'addToken'),
        [],
        'nothing was sent',
      );
      await w.page.keyboard.press('Escape');
      assert.equal(await w.page.locator('#add-token-sheet').isHidden(), true);
      assert.equal(await input.inputValue(), '', 'closing clears the field');
    });
  });

  test('Add token: a good token is sent once, the field is cleared, and it never comes back', async () => {
    const token = 'sk-ant-oat01-' + 'Tk9_-'.repeat(18);
    await withWindow(
      {
        snapshot: states.healthy(),
        results: { addToken: { ok: true, message: 'Token added to agents main and work.' } },
      },
      async (w) => {
        await w.page.getByRole('button', { name: 'Add token…' }).click();
        await w.page.getByLabel('Token', { exact: true }).fill(`${token}\n`);
        await w.page.locator('#token-profile').fill('anthropic:work');
        await w.page.locator('#token-days').fill('365');
        assert.equal(
          await w.page.getByLabel('Token', { exact: true }).getAttribute('type'),
          'password',
          'the paste box never shows the token',
        );
        await w.page.getByLabel('Token', { exact: true }).press('Enter');
        await w.page.locator('#status', { hasText: 'Token added to agents main and work.' }).waitFor();
        assert.deepEqual(
          (await w.calls()).filter(([m]) => m === 'addToken'),
          [['addToken', { provider: 'anthropic', token, profileId: 'anthropic:work', expiresInDays: 365 }]],
        );
        assert.equal(await w.page.locator('#add-token-sheet').isHidden(), true);
        assert.ok(!(await w.everything()).includes(token.slice(13)), 'the token is nowhere in the page');
        assert.equal(
          await w.page.locator('#add-token-toggle').evaluate((el) => el === document.activeElement),
          true,
          'focus returns to Add token…',
        );
      },
    );
  });

  test('Add token: a refused token keeps the sheet open with the reason, the field cleared', async () => {
    await withWindow(
      {
        snapshot: states.healthy(),
        results: { addToken: { ok: false, error: 'The keychain is locked: unlock it and try again.' } },
      },
      async (w) => {
        await w.page.getByRole('button', { name: 'Add token…' }).click();
        await w.page.getByLabel('Token', { exact: true }).fill('sk-ant-api03-' + 'k'.repeat(60));
        await w.page.getByRole('button', { name: 'Add token', exact: true }).click();
        await w.page.locator('#status', { hasText: 'The keychain is locked' }).waitFor();
        assert.equal(await w.page.locator('#add-token-sheet').isVisible(), true);
        assert.equal(await w.page.getByLabel('Token', { exact: true }).inputValue(), '');
        assert.deepEqual(
          (await w.calls()).filter(([m]) => m === 'addToken'),
          [['addToken', { provider: 'anthropic', token: 'sk-ant-api03-' + 'k'.repeat(60) }]],
        );
      },
    );
  });

  test('Settings: loaded into the form, saved as a patch of what changed, errors shown', async () => {
    const custom = { ...settings, warnHours: 12, agents: ['main'], terminal: 'iTerm' };
    await withWindow({ snapshot: states.healthy(), settings: custom }, async (w) => {
      const p = w.page;
      assert.equal(await p.getByLabel('Warn before expiry').inputValue(), '12');
      assert.equal(await p.getByLabel('Setup-token reminder').inputValue(), '30');
      assert.equal(await p.getByLabel('Terminal app').inputValue(), 'iTerm');
      assert.equal(await p.getByLabel('Notifications').isChecked(), true);
      assert.equal(await p.getByLabel('All agents').isChecked(), false);
      assert.equal(await p.locator('#agent-choices').getByLabel('main').isChecked(), true);
      assert.equal(await p.locator('#agent-choices').getByLabel('work').isChecked(), false);

      await p.getByRole('button', { name: 'Save settings' }).click();
      await p.locator('#status', { hasText: 'Nothing to save' }).waitFor();

      await p.getByLabel('Warn before expiry').fill('0');
      await p.getByRole('button', { name: 'Save settings' }).click();
      assert.match(await text(w, '#settings-error'), /Warn window must be a number of hours above 0/);
      assert.equal(await p.getByLabel('Warn before expiry').getAttribute('aria-invalid'), 'true');
      assert.deepEqual(
        (await w.calls()).filter(([m]) => m === 'setSettings'),
        [],
      );

      await p.getByLabel('Warn before expiry').fill('48');
      await p.getByLabel('Notifications').uncheck();
      await p.locator('#agent-choices').getByLabel('work').check();
      await p.getByLabel('Terminal app').fill('');
      await p.getByLabel('Setup-token reminder').fill('14');
      await p.getByRole('button', { name: 'Save settings' }).click();
      await p.locator('#status', { hasText: 'setSettings done' }).waitFor();
      const saved = (await w.calls()).filter(([m]) => m === 'setSettings');
      assert.deepEqual(saved, [
        [
          'setSettings',
          { warnHours: 48, notifications: false, agents: ['main', 'work'], terminal: null, tokenReminderDays: 14 },
        ],
      ]);
      assert.equal(await text(w, '#settings-error'), '');

      await p.getByLabel('All agents').check();
      assert.equal(await p.locator('#agent-choices').getByLabel('work').isDisabled(), true);
      await p.getByRole('button', { name: 'Save settings' }).click();
      await p.waitForFunction(
        () =>
          (window as unknown as { __calls: unknown[][] }).__calls.filter((c) => c[0] === 'setSettings').length === 2,
      );
      assert.deepEqual((await w.calls()).filter(([m]) => m === 'setSettings')[1], ['setSettings', { agents: null }]);
    });
  });

  test('Settings: an error from the app is shown beside the form', async () => {
    await withWindow(
      {
        snapshot: states.healthy(),
        results: {
          setSettings: {
            ok: false,
            error:
              'The AuthBar settings file /home/ada/.config/authbar/settings.json is read-only: fix its permissions.',
          },
        },
      },
      async (w) => {
        await w.page.getByLabel('Warn before expiry').fill('6');
        await w.page.getByRole('button', { name: 'Save settings' }).click();
        await w.page.locator('#settings-error', { hasText: 'is read-only' }).waitFor();
      },
    );
  });

  test('keyboard: Tab reaches every action in order, Enter and Space activate buttons', async () => {
    await withWindow({ snapshot: states.healthy() }, async (w) => {
      const p = w.page;
      const seen: string[] = [];
      const rings: string[] = [];
      for (let i = 0; i < 30; i++) {
        await p.keyboard.press('Tab');
        const [label, ring] = await p.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return ['body', ''];
          const style = getComputedStyle(el);
          return [
            el.getAttribute('aria-label') ?? (el.id || el.value || el.textContent || el.tagName),
            `${style.outlineStyle} ${style.outlineWidth}`,
          ];
        });
        if (label === 'body' || seen.includes(label)) break;
        seen.push(label);
        rings.push(ring);
      }
      assert.deepEqual(seen, [
        'resync',
        'setup-token',
        'add-token-toggle',
        'Open folder of agent main',
        'Open folder of agent work',
        'warn-hours',
        'reminder-days',
        'notifications',
        'terminal',
        'all-agents',
        'settings-save',
      ]);
      assert.deepEqual(new Set(rings), new Set(['solid 3px']), 'every control reached by Tab shows the focus ring');
      // From the end, Tab wraps round to the first action.
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'resync');
      await p.keyboard.press('Enter');
      await p.locator('#status', { hasText: 'resync done' }).waitFor();
      await p.locator('#setup-token').focus();
      await p.keyboard.press('Space');
      await p.locator('#status', { hasText: 'openSetupToken done' }).waitFor();
      await p.locator('#add-token-toggle').focus();
      await p.keyboard.press('Enter');
      assert.equal(await p.locator('#token-input').evaluate((el) => el === document.activeElement), true);
      await p.keyboard.press('Tab');
      await p.keyboard.press('Tab');
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'add-token-cancel');
      await p.keyboard.press('Space');
      assert.equal(await p.locator('#add-token-sheet').isHidden(), true);
      assert.equal(
        await p.evaluate(() => document.activeElement?.id),
        'add-token-toggle',
        'focus returns to the button that opened the sheet',
      );
      const calls = (await w.calls()).map(([m]) => m).filter((m) => m === 'resync' || m === 'openSetupToken');
      assert.deepEqual(calls, ['resync', 'openSetupToken']);
    });
  });

  test('a live update keeps keyboard focus on the same Open folder button', async () => {
    await withWindow({ snapshot: states.healthy() }, async (w) => {
      await w.page.getByRole('button', { name: 'Open folder of agent work' }).focus();
      await w.push(snapshot([agent('main', [setupToken('anthropic:default', 340, 25)]), agent('work', [])]));
      await w.page.locator('#headline', { hasText: 'Attention needed soon' }).waitFor();
      assert.equal(
        await w.page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        'Open folder of agent work',
      );
      assert.match(await w.page.locator('[data-agent="work"]').innerText(), /No profiles in this store yet\./);
    });
  });

  // Three agents of four profiles: the last rows are well below the fold of a 760 px window.
  const tall = () =>
    snapshot(
      ['main', 'research', 'ops'].map((id) =>
        agent(
          id,
          ['anthropic:claude-cli', 'anthropic:default', 'openai:work', 'google:backup'].map((pid) =>
            profile({ profileId: pid }),
          ),
          {
            agentDir: `/home/u/.clawdbot/agents/${id}/agent`,
            storePath: `/home/u/.clawdbot/agents/${id}/agent/auth-profiles.json`,
          },
        ),
      ),
    );
  const focused = (w: WindowPage) =>
    w.page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return {
        profile: el.dataset.profile ?? null,
        agent: el.closest('[data-agent]')?.dataset.agent ?? null,
        id: el.id,
        routed: el.dataset.routed ?? null,
        inView: r.top >= 0 && r.bottom <= window.innerHeight,
        scrollY: window.scrollY,
      };
    });

  test('route #profile=<agent/profile>: scrolls to that row and focuses it, also on hashchange', async () => {
    await withWindow({ snapshot: tall(), hash: `#profile=${encodeURIComponent('ops/google:backup')}` }, async (w) => {
      await w.page.waitForFunction(() => document.activeElement?.dataset?.profile !== undefined);
      const first = await focused(w);
      assert.deepEqual(
        [first.agent, first.profile, first.routed, first.inView],
        ['ops', 'google:backup', 'true', true],
      );
      assert.ok(first.scrollY > 0, 'the window scrolled down to the row');
      // A second notification while the window is open changes only the hash.
      await w.page.evaluate(() => (window.location.hash = `#profile=${encodeURIComponent('main/anthropic:default')}`));
      await w.page.waitForFunction(() => document.activeElement?.closest('[data-agent]')?.dataset.agent === 'main');
      const second = await focused(w);
      assert.deepEqual(
        [second.agent, second.profile, second.routed, second.inView],
        ['main', 'anthropic:default', 'true', true],
      );
      assert.equal(await w.page.locator('.profile[data-routed]').count(), 1, 'only the current target is marked');
      // A live update keeps the focus on the same row.
      await w.push(tall());
      assert.deepEqual((await focused(w)).profile, 'anthropic:default');
      // An unknown profile or a malformed route changes nothing and throws nothing.
      await w.page.evaluate(() => (window.location.hash = '#profile=%E0%A4%A'));
      await w.page.evaluate(() => (window.location.hash = `#profile=${encodeURIComponent('main/nobody:here')}`));
      assert.equal((await focused(w)).profile, 'anthropic:default');
    });
  });

  test('route #profile= before the first snapshot: applied when the snapshot arrives', async () => {
    await withWindow({ snapshot: null, hash: `#profile=${encodeURIComponent('research/openai:work')}` }, async (w) => {
      assert.equal((await focused(w)).profile, null);
      await w.push(tall());
      await w.page.waitForFunction(() => document.activeElement?.dataset?.profile === 'openai:work');
      const f = await focused(w);
      assert.deepEqual([f.agent, f.inView], ['research', true]);
    });
  });

  test('route #add-token: opens the Add-token sheet with the token field focused, also on hashchange', async () => {
    await withWindow({ snapshot: tall(), hash: '#add-token' }, async (w) => {
      await w.page.waitForFunction(() => document.getElementById('add-token-sheet')?.hidden === false);
      assert.equal((await focused(w)).id, 'token-input');
      assert.equal(await w.page.locator('#add-token-toggle').getAttribute('aria-expanded'), 'true');
    });
    await withWindow({ snapshot: tall() }, async (w) => {
      assert.equal(await w.page.locator('#add-token-sheet').isHidden(), true);
      await w.page.evaluate(() => (window.location.hash = '#add-token'));
      await w.page.waitForFunction(() => document.getElementById('add-token-sheet')?.hidden === false);
      assert.equal((await focused(w)).id, 'token-input');
      // Cancel closes it; the route again opens it.
      await w.page.locator('#add-token-cancel').click();
      assert.equal(await w.page.locator('#add-token-sheet').isHidden(), true);
      await w.page.evaluate(() => (window.location.hash = ''));
      await w.page.evaluate(() => (window.location.hash = '#add-token'));
      await w.page.waitForFunction(() => document.getElementById('add-token-sheet')?.hidden === false);
    });
  });

  test('screenshots for the README, light and dark', async () => {
    const dir = join(ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    // A Mac with Clawdbot: one agent with a login, a setup token due for renewal and Codex;
    // a second agent kept in step.
    const mac = (id: string) => ({
      agentDir: `/Users/ada/.clawdbot/agents/${id}/agent`,
      storePath: `/Users/ada/.clawdbot/agents/${id}/agent/auth-profiles.json`,
    });
    const shot = snapshot(
      [
        agent(
          'main',
          [
            profile({ profileId: 'anthropic:claude-cli', email: 'ada@example.com' }),
            setupToken('anthropic:default', 341, 24),
            profile({
              profileId: 'openai-codex:codex-cli',
              source: 'codex-cli',
              expiresAt: NOW + 9 * DAY + 4 * HOUR,
              remainingMs: 9 * DAY + 4 * HOUR,
              masked: 'eyJ…x9Qa',
              fingerprint: 'c0de0a1b2c3d',
            }),
          ],
          {
            ...mac('main'),
            sync: {
              mode: 'applied',
              wrote: true,
              changes: [
                { profileId: 'anthropic:claude-cli', source: 'claude-code', kind: 'update', reason: 'newer login' },
              ],
              error: null,
              errorCode: null,
            },
          },
        ),
        agent('research', [profile({ profileId: 'anthropic:claude-cli' })], mac('research')),
      ],
      {
        gateway: {
          kind: 'clawdbot',
          version: '2026.1.24-3',
          stateDir: '/Users/ada/.clawdbot',
          configPath: '/Users/ada/.clawdbot/clawdbot.json',
          detectedBy: '~/.clawdbot/clawdbot.json exists',
          dataVia: 'json-files',
          note: null,
        },
        stateDir: '/Users/ada/.clawdbot',
        configPath: '/Users/ada/.clawdbot/clawdbot.json',
        sources: [
          {
            id: 'claude-code',
            kind: 'keychain',
            path: 'Claude Code-credentials',
            status: 'ok',
            profileId: 'anthropic:claude-cli',
            type: 'oauth',
            expiresAt: NOW + 6 * HOUR,
            remainingMs: 6 * HOUR,
            expirySource: 'stored',
            masked: 'sk-ant-oat01-…Ab12',
            fingerprint: '3f9a0c12ab34',
            attention: 'none',
            error: null,
          },
        ],
      },
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      await withWindow({ snapshot: shot, colorScheme }, async (w) => {
        await w.page.emulateMedia({ colorScheme });
        assert.equal(
          await w.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
          colorScheme === 'dark',
        );
        await w.page.screenshot({ path: join(dir, `details-${colorScheme}.png`), fullPage: true });
      });
    }
  });
});
