import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageWords, applyTokenAges, tokenAge, DAY_MS, TOKEN_LIFETIME_MS } from '../../main/engine/tokens/age.js';
import type { TokenRecord, TokenState } from '../../main/engine/tokens/state.js';
import type { AgentView, ProfileView } from '../../common/snapshot.js';
import { findSetupToken, terminalText } from '../../main/engine/tokens/capture.js';
import { parseDuration } from '../../common/rules.js';
import { validateAnthropicSecret } from '../../main/engine/tokens/secret.js';
import { makeHome, runAuthbar, secret } from '../support/home.js';

const NOW = Date.UTC(2027, 5, 1);
const record = (over: Partial<TokenRecord> = {}): TokenRecord => ({
  provider: 'anthropic',
  profileId: 'anthropic:setup-token',
  kind: 'setup-token',
  fingerprint: 'abcdefabcdef',
  masked: 'sk-ant-oat01-…abcd',
  addedAt: NOW - 10 * DAY_MS,
  mintedAt: null,
  expiresAt: null,
  inVault: true,
  landedIn: ['main'],
  ...over,
});

test('token age: table over first-seen dates, minted and recorded expiries, and reminder settings', () => {
  const rows: Array<{
    name: string;
    firstSeenDaysAgo: number;
    storedExpiresInDays?: number;
    rec?: Partial<TokenRecord> | null;
    reminderDays: number;
    attention: string;
    kind: string;
    ageDays: number;
    expiresInDays: number;
    reason?: RegExp;
  }> = [
    {
      name: 'seen today',
      firstSeenDaysAgo: 0,
      reminderDays: 30,
      attention: 'none',
      kind: 'estimated',
      ageDays: 0,
      expiresInDays: 365,
    },
    {
      name: 'seen 334 days ago: one day before the reminder',
      firstSeenDaysAgo: 334,
      reminderDays: 30,
      attention: 'none',
      kind: 'estimated',
      ageDays: 334,
      expiresInDays: 31,
    },
    {
      name: 'seen 335 days ago: reminder starts',
      firstSeenDaysAgo: 335,
      reminderDays: 30,
      attention: 'soon',
      kind: 'estimated',
      ageDays: 335,
      expiresInDays: 30,
      reason: /at least 335 days old and reaches its one-year mark in about 30 days: renew with `authbar setup-token`/,
    },
    {
      name: 'a 60-day reminder starts earlier',
      firstSeenDaysAgo: 310,
      reminderDays: 60,
      attention: 'soon',
      kind: 'estimated',
      ageDays: 310,
      expiresInDays: 55,
    },
    {
      name: 'a 7-day reminder starts later',
      firstSeenDaysAgo: 340,
      reminderDays: 7,
      attention: 'none',
      kind: 'estimated',
      ageDays: 340,
      expiresInDays: 25,
    },
    {
      name: 'past the one-year mark',
      firstSeenDaysAgo: 370,
      reminderDays: 30,
      attention: 'now',
      kind: 'estimated',
      ageDays: 370,
      expiresInDays: -5,
      reason: /at least 370 days old, past its one-year mark/,
    },
    {
      name: 'minted by AuthBar 100 days ago: its real age and expiry',
      firstSeenDaysAgo: 5,
      rec: { mintedAt: NOW - 100 * DAY_MS, expiresAt: NOW - 100 * DAY_MS + TOKEN_LIFETIME_MS },
      reminderDays: 30,
      attention: 'none',
      kind: 'recorded',
      ageDays: 100,
      expiresInDays: 265,
    },
    {
      name: 'told about (--expires-in), 20 days left',
      firstSeenDaysAgo: 5,
      rec: { expiresAt: NOW + 20 * DAY_MS },
      reminderDays: 30,
      attention: 'soon',
      kind: 'recorded',
      ageDays: 10,
      expiresInDays: 20,
      reason: /expires in 20 days/,
    },
    {
      name: "the store's own expiry on a token AuthBar never held: the warn window decides",
      firstSeenDaysAgo: 5,
      storedExpiresInDays: 20,
      rec: null,
      reminderDays: 30,
      attention: 'none',
      kind: 'recorded',
      ageDays: 5,
      expiresInDays: 20,
    },
  ];
  for (const r of rows) {
    const rec = r.rec === null ? undefined : record(r.rec ?? {});
    const age = tokenAge({
      storedExpires: r.storedExpiresInDays === undefined ? null : NOW + r.storedExpiresInDays * DAY_MS,
      firstSeenAt: NOW - r.firstSeenDaysAgo * DAY_MS,
      record: r.rec === undefined ? undefined : rec,
      now: NOW,
      reminderDays: r.reminderDays,
    });
    assert.equal(age.attention, r.attention, r.name);
    assert.equal(age.view.expiryKind, r.kind, r.name);
    assert.equal(Math.floor(age.view.ageMs / DAY_MS), r.ageDays, r.name);
    assert.equal(Math.round(((age.view.expiresAt as number) - NOW) / DAY_MS), r.expiresInDays, r.name);
    assert.equal(age.view.renewCommand, 'authbar setup-token');
    if (r.reason) assert.match(age.reason ?? '', r.reason, r.name);
  }
});

test('applyTokenAges: token profiles get a view, new fingerprints are reported, passive stores get no attention', () => {
  const profile = (fp: string): ProfileView => ({
    profileId: 'anthropic:t',
    provider: 'anthropic',
    type: 'token',
    status: 'static',
    attention: 'none',
    reason: 'ok',
    expiresAt: null,
    remainingMs: null,
    source: 'store',
    refreshable: false,
    usable: true,
    masked: 'sk-ant-oat01-…abcd',
    fingerprint: fp,
    email: null,
    cooldownUntil: null,
    disabledUntil: null,
    disabledReason: null,
    inStepWithSource: null,
    token: null,
  });
  const agent = (id: string, fp: string, passive: string | null): AgentView => ({
    agentId: id,
    agentDir: '/x',
    storePath: '/x/a.json',
    linkTarget: null,
    origin: 'agents',
    storeStatus: 'ok',
    passive,
    error: null,
    attention: 'none',
    profiles: [profile(fp)],
    missingProviders: [],
    outOfStep: [],
    ignoredEntries: [],
    sync: { mode: 'skipped', wrote: false, changes: [], error: null, errorCode: null },
  });
  const state: TokenState = { version: 1, tokens: {}, firstSeen: { '111111111111': NOW - 400 * DAY_MS } };
  const out = applyTokenAges(
    [agent('main', '111111111111', null), agent('old', '111111111111', 'legacy'), agent('ops', '222222222222', null)],
    state,
    30,
    NOW,
  );
  assert.deepEqual(out.newlySeen, ['222222222222']);
  assert.equal(out.agents[0]?.attention, 'now');
  assert.equal(out.agents[0]?.profiles[0]?.attention, 'now');
  assert.equal(out.agents[1]?.attention, 'none', 'a passive store is shown but never raises attention');
  assert.ok(out.agents[1]?.profiles[0]?.token);
  assert.equal(out.agents[2]?.profiles[0]?.token?.firstSeenAt, NOW);
});

test('status records when it first saw a token; a restart (new process) keeps it; nothing is written when nothing is new', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const token = secret('setup');
  h.write(h.agentStore(), {
    version: 1,
    profiles: { 'anthropic:pasted': { type: 'token', provider: 'anthropic', token } },
  });
  const first = await runAuthbar(['status', '--json', '--no-sync'], h.env);
  assert.equal(first.code, 0, first.stderr);
  const state = h.readJson('.config/authbar/state.json');
  const seen = Object.values(state.firstSeen) as number[];
  assert.equal(seen.length, 1);
  const { statSync } = await import('node:fs');
  const mtime = statSync(h.path('.config/authbar/state.json')).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  const second = await runAuthbar(['status', '--json', '--no-sync'], h.env);
  const snap = JSON.parse(second.stdout);
  const p = snap.agents[0].profiles[0];
  assert.equal(p.token.firstSeenAt, seen[0], 'first-seen survives a restart');
  assert.equal(p.token.expiryKind, 'estimated');
  assert.equal(p.token.expiresAt, (seen[0] as number) + TOKEN_LIFETIME_MS);
  assert.equal(p.token.inVault, false);
  assert.equal(snap.vault.available, false, 'AUTHBAR_KEYCHAIN=off in test homes');
  assert.equal(statSync(h.path('.config/authbar/state.json')).mtimeMs, mtime, 'no rewrite when nothing new was seen');

  // First seen 340 days ago (as a restart a year later would find it): soon, in every output.
  state.firstSeen[Object.keys(state.firstSeen)[0] as string] = Date.now() - 340 * DAY_MS;
  h.write('.config/authbar/state.json', state);
  const check = await runAuthbar(['status', '--check', '--no-sync'], h.env);
  assert.equal(check.code, 2);
  const table = await runAuthbar(['status', '--no-sync'], h.env);
  assert.match(
    table.stdout,
    /anthropic:pasted .*at least 340 days old and reaches its one-year mark in about 2\d days: renew with `authbar setup-token --profile-id anthropic:pasted`/,
  );
  assert.match(
    table.stdout,
    /Setup tokens\n {2}anthropic:pasted sk-ant-oat01-…\S{4}: at least 340 days old, expires about \d{4}-\d\d-\d\d, not in the vault; renew with `authbar setup-token --profile-id anthropic:pasted`/,
  );
  const plain = await runAuthbar(['status', '--plain', '--no-sync'], h.env);
  assert.match(plain.stdout, /^main\tanthropic:pasted\ttoken\tstore\tstatic\t-\t-\tsoon\t340\testimated\tno$/m);
  // A shorter reminder in the settings: not yet.
  h.write('.config/authbar/settings.json', { tokenReminderDays: 14 });
  assert.equal((await runAuthbar(['status', '--check', '--no-sync'], h.env)).code, 0);
});

test('capture: ANSI and cursor moves stripped; a wrapped token rejoined only where it was wrapped', () => {
  const token = 'sk-ant-oat01-' + 'Ab3_-x'.repeat(16);
  assert.equal(
    terminalText('\u001b[2GPaste\u001b[8Gcode\u001b]8;id=a;https://x\u0007link\u001b]8;;\u0007\u001b(B'),
    ' Paste codelink',
  );
  assert.equal(findSetupToken(`\u001b[33m${token}\u001b[39m\r\r\n\r\r\nStore this token`, 1000), token);
  assert.equal(
    findSetupToken(`${token.slice(0, 80)}\r\r\n${token.slice(80)}\r\r\n\r\r\nStore`, 1000),
    token,
    'a line of token characters continues it',
  );
  assert.equal(
    findSetupToken(`xx ${token.slice(0, 37)}\r\n${token.slice(37)} and more`, 40),
    token,
    'a full line continues it',
  );
  assert.equal(findSetupToken(`${token}\r\nStore`, 1000), token, 'prose after a break is not glued on');
  assert.equal(findSetupToken(`${token}\r\n\r\nAbc`, 1000), token, 'never across a blank line');
  assert.equal(findSetupToken(`sk-ant-oat01-${'a'.repeat(79)}\r\n`, 1000), null, 'too short is no token');
});

test('validation names the problem without the token; durations parse', () => {
  const t = 'sk-ant-oat01-' + 'x'.repeat(90);
  assert.deepEqual(validateAnthropicSecret(`  ${t}\n`), { ok: true, kind: 'setup-token', secret: t });
  assert.equal(validateAnthropicSecret('sk-ant-api03-' + 'y'.repeat(90)).ok, true);
  const bad = validateAnthropicSecret(t.slice(0, 50));
  assert.ok(!bad.ok && /too short by 43 characters/.test(bad.problem) && !bad.problem.includes('xxxx'));
  const wrapped = validateAnthropicSecret(t.slice(0, 50) + '\r\n' + t.slice(50));
  assert.ok(!wrapped.ok && /line break in the middle/.test(wrapped.problem));
  const odd = validateAnthropicSecret(t.slice(0, 60) + '!' + t.slice(60));
  assert.ok(!odd.ok && /1 character a setup token never has/.test(odd.problem));
  assert.equal(parseDuration('365d'), 365 * DAY_MS);
  assert.equal(parseDuration('12h'), 12 * 3_600_000);
  assert.equal(parseDuration('soon'), null);
  assert.equal(parseDuration('0d'), null);
});

test('a token\'s age in words: day 0 reads "made today" or "first seen today", never "at least 0 days old"', () => {
  assert.equal(ageWords(0, false), 'first seen today');
  assert.equal(ageWords(0, true), 'made today');
  assert.equal(ageWords(DAY_MS, true), '1 day old');
  assert.equal(ageWords(41 * DAY_MS + 5, false), 'at least 41 days old');
});
