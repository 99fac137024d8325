/**
 * The status table speaks one vocabulary (HEALTH: ok / soon / NOW) and its headline is made
 * from the same verdicts as its rows: across many states, no row reads worse than the
 * headline, and `--check` exits by the headline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeCredentials, makeHome, secret, DAY, HOUR } from '../support/home.js';
import { runCli } from '../support/cli.js';
import { headlineLevel, statusRows, whenPhrase } from '../../main/cli/render/status.js';

const RANK: Record<string, number> = { ok: 0, soon: 1, NOW: 2, '-': -1 };
const HEADLINE: Record<string, number> = {
  'All credentials healthy.': 0,
  'Attention soon:': 1,
  'Action needed now:': 2,
};
const CHECK = [0, 2, 1];

/** A small seeded generator (mulberry32): the same states on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

const EXPIRIES = [-30 * DAY, -2 * HOUR, 3 * HOUR, 8 * HOUR, 20 * DAY, 400 * DAY, undefined] as const;

function profile(r: () => number, now: number): [string, object] {
  const exp = pick(r, EXPIRIES);
  const expires = exp === undefined ? {} : { expires: now + exp };
  switch (pick(r, ['oauth', 'token', 'api_key', 'oauth-norefresh'] as const)) {
    case 'oauth':
      return [
        'anthropic:claude-cli',
        { type: 'oauth', provider: 'anthropic', access: secret('access'), refresh: secret('refresh'), ...expires },
      ];
    case 'oauth-norefresh':
      return [
        'anthropic:work',
        { type: 'oauth', provider: 'anthropic', access: secret('access'), refresh: '', ...expires },
      ];
    case 'token':
      return [
        pick(r, ['anthropic:manual', 'anthropic:setup-token']),
        { type: 'token', provider: 'anthropic', token: secret('setup'), ...expires },
      ];
    case 'api_key':
      return [
        pick(r, ['openai:default', 'anthropic:key']),
        { type: 'api_key', provider: pick(r, ['openai', 'anthropic']), key: secret('api') },
      ];
  }
}

/** The HEALTH column of each row, read from the table by the header's column positions. */
function healthColumn(table: string): string[] {
  const lines = table.split('\n');
  const header = lines.findIndex((l) => l.startsWith('AGENT'));
  assert.ok(header > 0, table);
  const at = (lines[header] as string).indexOf('HEALTH');
  const next = (lines[header] as string).indexOf('NOTE');
  const out: string[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') break;
    out.push(line.slice(at, next).trim());
  }
  return out;
}

test('across 60 seeded states, no row reads worse than the headline, and --check exits by it', async (t) => {
  const r = rng(13);
  for (let i = 0; i < 60; i++) {
    const h = makeHome();
    t.after(() => h.cleanup());
    const now = Date.now();
    if (r() < 0.5) {
      const exp = pick(r, [-2 * HOUR, 3 * HOUR, 8 * HOUR]);
      h.write('.claude/.credentials.json', claudeCredentials({ expiresAt: now + exp }));
    }
    for (const agent of ['main', ...(r() < 0.4 ? ['ops'] : [])]) {
      const profiles: Record<string, object> = {};
      const usageStats: Record<string, object> = {};
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const [id, p] = profile(r, now);
        profiles[id] = p;
        if (r() < 0.15) usageStats[id] = { cooldownUntil: now + HOUR };
        if (r() < 0.1) usageStats[id] = { disabledUntil: now + DAY, disabledReason: 'billing' };
      }
      h.write(h.agentStore(agent), { version: 1, profiles, usageStats });
    }
    // Now and then a legacy store the gateway does not read, holding a dead token.
    if (r() < 0.2)
      h.write('.clawdbot/agent/auth-profiles.json', {
        version: 1,
        profiles: {
          'anthropic:old': { type: 'token', provider: 'anthropic', token: secret('setup'), expires: now - DAY },
        },
      });
    const table = await runCli(['status', '--no-sync'], h.env);
    assert.equal(table.code, 0, table.stderr);
    const headline = table.stdout.split('\n')[1] as string;
    const level = HEADLINE[headline];
    assert.ok(level !== undefined, `state ${i}: headline ${headline}`);
    const health = healthColumn(table.stdout);
    assert.ok(health.length > 0, table.stdout);
    for (const cell of health) {
      assert.ok(cell in RANK, `state ${i}: HEALTH cell ${JSON.stringify(cell)}\n${table.stdout}`);
      assert.ok((RANK[cell] as number) <= level, `state ${i}: a ${cell} row under "${headline}"\n${table.stdout}`);
    }
    assert.doesNotMatch(table.stdout, /expires in expired|\bSTATUS\b|ATTENTION/, table.stdout);
    const check = await runCli(['status', '--check', '--no-sync'], h.env);
    assert.equal(check.code, CHECK[level], `state ${i}: --check under "${headline}"\n${table.stdout}`);
  }
});

test('headlineLevel: never better than the worst judged row; a row the gateway does not read (-) does not count', () => {
  const row = (health: 'none' | 'soon' | 'now' | null) => ({
    agentId: 'main',
    profileId: 'p',
    type: 'token',
    source: 'store',
    expires: '-',
    health,
    note: '',
  });
  assert.equal(headlineLevel('none', []), 'none');
  assert.equal(headlineLevel('none', [row('none'), row('soon')]), 'soon');
  assert.equal(headlineLevel('soon', [row('now')]), 'now');
  assert.equal(headlineLevel('now', [row('none')]), 'now');
  assert.equal(headlineLevel('none', [row(null)]), 'none');
  assert.equal(statusRows({ agents: [] } as never).length, 0);
  assert.equal(whenPhrase(-2 * HOUR), '2 h ago');
  assert.equal(whenPhrase(3 * HOUR), 'in 3 h');
  assert.equal(whenPhrase(null), '-');
});
