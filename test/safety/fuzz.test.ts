/**
 * Fuzz (issue 5, acceptance 2): generated stores, credential files, configs and settings —
 * random JSON shapes and types, sizes, control characters, prototype names, extreme and
 * out-of-range numbers, raw garbage, embedded secrets — through every output of `status`,
 * `sync`, `doctor` and `doctor --fix`. For every case: no exit 70, no stack trace, no secret
 * body in any output, no raw control character in human output, valid JSON from --json, no
 * file outside the agent dirs changed, and every store that parsed before still parses
 * after with every key it had (or was moved aside whole by doctor --fix).
 *
 * Seeded: FUZZ_SEED=<n> replays a run, FUZZ_COUNT=<n> sets the number of cases
 * (400 by default, a few seconds; a nightly run may raise it to 2000 or more).
 * In-process through `run(argv, io, deps)` for speed; every 200th case also spawns the
 * real executable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { runProcess, AUTHBAR_BIN, HOUR } from '../support/home.js';
import { assertPlainRows, assertSafeOutput, assertSyncLines, runInProcess, type Out } from '../support/outputs.js';
import { treeSnapshot } from '../support/tree.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 400);
const SPAWN_EVERY = 200;

/** mulberry32: small, fast, good enough to explore shapes; the same seed gives the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  readonly secrets: string[] = [];
  /** Raw number literals JSON.stringify cannot write: placeholders replaced in the text. */
  readonly raw = new Map<string, string>();
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.r() * alphabet.length)];
    return s;
  }
  /** A random body with letters of both cases and digits: what real keys look like. */
  body(n: number): string {
    const s = this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n - 4);
    return (
      s +
      this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1) +
      this.chars('abcdefghijklmnopqrstuvwxyz', 1) +
      this.chars('0123456789', 2)
    );
  }
  secret(lowercase = false): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const kinds = lowercase
      ? [
          () => this.chars('0123456789abcdef', 40) + '1a',
          () => 'sk-ant-oat01-' + this.chars('abcdefghijklmnopqrstuvwxyz0123456789', 50) + '9z',
        ]
      : [
          () => 'sk-ant-oat01-' + this.body(this.int(40, 100)),
          () => 'sk-ant-api03-' + this.body(this.int(40, 95)),
          () => 'sk-ant-ort01-' + this.body(60),
          () => 'sk-proj-' + this.body(48),
          () => 'sk-' + this.body(48),
          () =>
            `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ exp: this.int(0, 2e9), sub: this.body(20) })}.${this.body(43)}`,
          () => 'ghp_' + this.body(36),
          () => this.chars('0123456789abcdef', 46) + 'a1',
          () => this.body(43).replace(/^./, '_'),
        ];
    const s = this.pick(kinds)();
    this.secrets.push(s);
    return s;
  }
  control(): string {
    return this.pick([
      '\u001b[2J',
      '\u001b]0;t\u0007',
      '\r',
      '\n',
      '\t',
      '\u0000',
      '\u007f',
      '\u009b',
      '\u0085',
      '\u202e',
      '\u2066',
      '\u2028',
      '\ufeff',
      '\u001b[31m',
      '\b',
    ]);
  }
  protoName(): string {
    return this.pick([
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      'propertyIsEnumerable',
      'toLocaleString',
      '__defineGetter__',
      'prototype',
    ]);
  }
  /** Free text: words, prototype names, control characters, secrets embedded, long runs. */
  text(): string {
    switch (this.int(0, 9)) {
      case 0:
        return this.secret();
      case 1:
        return `note ${this.secret()} end`;
      case 2:
        return this.protoName();
      case 3:
        return `a${this.control()}b${this.control()}`;
      case 4:
        return this.chars('abcdefghijklmnopqrstuvwxyz -_:/.', this.int(0, 30));
      case 5:
        return this.pick([
          '',
          ' ',
          'anthropic',
          'openai',
          'openai-codex',
          'qwen-portal',
          'google',
          'billing',
          'ü∂ß',
          '😀',
          'x'.repeat(this.int(100, 3000)),
        ]);
      case 6:
        return `${this.control()}${this.secret()}${this.control()}`;
      case 7:
        return this.chars('\u0000\u0001\u001b\u007f\u0080\u009f\u202a\u202e\u2069 ab[]', this.int(1, 12));
      default:
        return this.pick(['user@example.com', 'anthropic', 'rate_limit', 'auth', 'main']);
    }
  }
  number(): unknown {
    const n = this.pick<() => unknown>([
      () => Date.now() + this.int(-1000, 1000) * HOUR,
      () => Date.now() + this.int(1, 48) * HOUR,
      () => 0,
      () => -1,
      () => -1e300,
      () => 1e300,
      () => 9007199254740991,
      () => 8.64e15,
      () => 8.64e15 + 1,
      () => 1.5,
      () => this.rawNumber(),
      () => this.pick(['NaN', 'Infinity', '-Infinity', '1e400', '2026-01-01', '']),
    ])();
    return n;
  }
  /** A placeholder for a literal outside the double range, put into the file text as-is. */
  rawNumber(): string {
    const key = `@@RAW${this.raw.size}@@`;
    this.raw.set(
      key,
      this.pick([
        '123456789012345678901234567890',
        '1e309',
        '-1E400',
        '-0',
        '0.000000000000000000000000001',
        '9007199254740993',
      ]),
    );
    return key;
  }
  value(depth: number): unknown {
    const k = this.int(0, depth > 3 ? 3 : 6);
    if (k === 0) return this.text();
    if (k === 1) return this.number();
    if (k === 2) return this.pick([true, false, null]);
    if (k === 3) return this.chance(0.5) ? this.secret() : this.int(-5, 5);
    if (k === 4) return Array.from({ length: this.int(0, 4) }, () => this.value(depth + 1));
    return this.object(depth + 1, this.int(0, 4));
  }
  key(): string {
    return this.chance(0.2)
      ? this.protoName()
      : this.chance(0.1)
        ? this.text()
        : this.pick(['note', 'x', 'extra', 'meta', 'scopes', 'z', 'mode']);
  }
  object(depth: number, n: number): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++)
      Object.defineProperty(o, this.key(), {
        value: this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return o;
  }
  profileId(): string {
    switch (this.int(0, 7)) {
      case 0:
        return this.protoName();
      case 1:
        return `anthropic:${this.text()}`;
      case 2:
        return this.pick(['anthropic:claude-cli', 'openai-codex:codex-cli', 'qwen-portal:qwen-cli']);
      case 3:
        return `${this.text()}:${this.protoName()}`;
      default:
        return `${this.pick(['anthropic', 'openai', 'openai-codex', 'google'])}:${this.pick(['default', 'work', 'setup', 'me'])}${this.int(0, 9)}`;
    }
  }
  profile(): unknown {
    if (this.chance(0.08)) return this.value(2);
    const type = this.pick(['api_key', 'token', 'oauth', 'oauth', 'token', 'bogus', undefined]);
    const p: Record<string, unknown> = {};
    if (type !== undefined) p['type'] = type;
    if (this.chance(0.9))
      p['provider'] = this.chance(0.6)
        ? this.pick(['anthropic', 'openai', 'openai-codex', 'qwen-portal'])
        : this.chance(0.5)
          ? this.text()
          : this.value(3);
    const field = (k: string, v: () => unknown) => {
      if (this.chance(0.85)) p[k] = v();
    };
    if (type === 'api_key') field('key', () => (this.chance(0.8) ? this.secret() : this.value(3)));
    if (type === 'token') field('token', () => (this.chance(0.8) ? this.secret() : this.value(3)));
    if (type === 'oauth') {
      field('access', () => (this.chance(0.8) ? this.secret() : this.value(3)));
      field('refresh', () => (this.chance(0.8) ? this.secret() : this.value(3)));
    }
    field('expires', () => this.number());
    if (this.chance(0.4)) p['email'] = this.text();
    if (this.chance(0.3)) Object.assign(p, this.object(3, this.int(1, 3)));
    return p;
  }
  store(): string {
    const shape = this.int(0, 19);
    if (shape === 0)
      return this.pick([
        '',
        '{',
        '{"version":1,"profiles":{',
        '\u0000\u0001garbage',
        '[]',
        'null',
        '42',
        '"str"',
        '\ufeff{"version":1,"profiles":{}}',
        `{"profiles": ${this.secret()}}`,
      ]);
    if (shape === 1) return this.json({ version: 1, profiles: this.value(2) });
    if (shape === 2) return this.json(this.object(1, this.int(0, 3)));
    const profiles: Record<string, unknown> = {};
    for (let i = 0, n = this.int(0, 6); i < n; i++)
      Object.defineProperty(profiles, this.profileId(), {
        value: this.profile(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    const store: Record<string, unknown> = { version: this.chance(0.8) ? 1 : this.value(3), profiles };
    const ids = Object.keys(profiles);
    if (this.chance(0.5)) {
      const usage: Record<string, unknown> = {};
      for (const id of ids) {
        if (!this.chance(0.6)) continue;
        const u: Record<string, unknown> = {};
        for (const k of ['lastUsed', 'cooldownUntil', 'disabledUntil', 'errorCount', 'lastFailureAt'])
          if (this.chance(0.4)) u[k] = this.number();
        if (this.chance(0.5)) u['disabledReason'] = this.text();
        if (this.chance(0.2)) u['failureCounts'] = this.object(3, 2);
        Object.defineProperty(usage, id, {
          value: this.chance(0.9) ? u : this.value(3),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      store['usageStats'] = this.chance(0.9) ? usage : this.value(2);
    }
    if (this.chance(0.3)) store['order'] = this.chance(0.7) ? { anthropic: ids.slice(0, 2) } : this.value(2);
    if (this.chance(0.3))
      store['lastGood'] = this.chance(0.7) ? { anthropic: this.pick([...ids, 'x']) } : this.value(2);
    if (this.chance(0.3)) Object.assign(store, this.object(2, this.int(1, 3)));
    if (this.chance(0.05)) store['pad'] = 'p'.repeat(this.int(10_000, 200_000));
    return this.json(store);
  }
  /** JSON text with raw-number placeholders put in as literals; sometimes without indentation. */
  json(v: unknown): string {
    let text = JSON.stringify(v, null, this.chance(0.7) ? 2 : undefined);
    for (const [key, lit] of this.raw) text = text.split(JSON.stringify(key)).join(lit);
    return text;
  }
  claude(): string {
    if (this.chance(0.15))
      return this.pick(['', '{', 'null', '[]', `{"claudeAiOauth": ${JSON.stringify(this.text())}}`]);
    const o: Record<string, unknown> = {};
    if (this.chance(0.9)) {
      const oauth: Record<string, unknown> = {
        accessToken: this.chance(0.9) ? this.secret() : this.value(3),
        expiresAt: this.number(),
      };
      if (this.chance(0.6)) oauth['refreshToken'] = this.chance(0.9) ? this.secret() : this.value(3);
      if (this.chance(0.5)) oauth['scopes'] = this.chance(0.7) ? ['user:inference'] : this.value(3);
      if (this.chance(0.4)) oauth['subscriptionType'] = this.text();
      o['claudeAiOauth'] = this.chance(0.95) ? oauth : this.value(2);
    }
    if (this.chance(0.3)) o['mcpOAuth'] = { x: { accessToken: this.secret() } };
    return this.json(o);
  }
  codex(): string {
    if (this.chance(0.15)) return this.pick(['', '{', '{"tokens": 1}', '[]']);
    const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256' })}.${b64({ exp: this.chance(0.8) ? Math.floor(Date.now() / 1000) + this.int(-100000, 100000) : this.number() })}.${this.body(43)}`;
    this.secrets.push(jwt);
    return this.json({
      tokens: {
        access_token: this.chance(0.9) ? jwt : this.value(3),
        refresh_token: this.chance(0.9) ? this.secret() : this.value(3),
        account_id: this.text(),
      },
      last_refresh: this.text(),
    });
  }
  qwen(): string {
    return this.json({
      access_token: this.secret(),
      refresh_token: this.secret(),
      expiry_date: this.number(),
      resource_url: this.text(),
    });
  }
  agentName(): string {
    return this.pick<() => string>([
      () => this.pick(['ops', 'work', 'a', 'agent-1', 'x_y']),
      () => this.protoName(),
      () => this.secret(true),
      () => this.pick(['Main', 'UPPER', '-x', 'a b', 'dot.name', 'ünï', 'x'.repeat(65)]),
      () => `e${this.control().replace(/[\u0000/]/g, '')}x`,
    ])();
  }
  settings(agents: string[]): string | null {
    if (this.chance(0.6)) return null;
    if (this.chance(0.15))
      return this.pick(['{', '[]', '{"warnHours": -1}', `{"agents": "${'main'}"}`, '{"agents": [""]}']);
    const s: Record<string, unknown> = {};
    if (this.chance(0.7))
      s['agents'] = this.chance(0.2)
        ? null
        : Array.from({ length: this.int(0, 3) }, () =>
            this.chance(0.5) ? this.pick([...agents, 'main']) : this.chance(0.5) ? this.protoName() : this.secret(true),
          );
    if (this.chance(0.3)) s['warnHours'] = this.pick([1, 48, 0, -1, 1e300, 'x']);
    return this.json(s);
  }
  config(): string | null {
    if (this.chance(0.6)) return null;
    if (this.chance(0.15))
      return this.pick(['{', '{ agents: { defaults: { model: "x" } } }', `// ${this.secret()}\n{`]);
    const model = () =>
      this.pick<() => string>([
        () => 'anthropic/claude-opus-4-5',
        () => `${this.text()}/m`,
        () => `${this.protoName()}/x`,
        () => `${this.secret()}/model`,
        () => this.text(),
      ])();
    return this.json({
      agents: {
        defaults: {
          model: { primary: model(), fallbacks: Array.from({ length: this.int(0, 3) }, model) },
          ...(this.chance(0.3) ? { imageModel: { primary: model() } } : {}),
        },
      },
      ...(this.chance(0.3) ? { models: { providers: this.object(2, 2) } } : {}),
    });
  }
}

interface Case {
  home: string;
  state: string;
  env: Record<string, string>;
  secrets: string[];
  agents: string[];
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600 });
}

function makeCase(g: Gen, root: string, i: number): Case {
  const home = join(root, `c${i}`);
  const state = join(home, '.clawdbot');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const agents = ['main', ...Array.from({ length: g.int(0, 2) }, () => g.agentName())].filter(
    (a, idx, all) => a !== '' && !a.includes('/') && !a.includes('\u0000') && all.indexOf(a) === idx,
  );
  for (const a of agents) {
    if (a === 'main' && g.chance(0.1)) continue; // the default agent before its store exists
    write(join(state, 'agents', a, 'agent', 'auth-profiles.json'), g.store());
  }
  if (g.chance(0.1)) write(join(state, 'agent', 'auth-profiles.json'), g.store());
  if (g.chance(0.6)) write(join(home, '.claude', '.credentials.json'), g.claude());
  if (g.chance(0.3)) write(join(home, '.codex', 'auth.json'), g.codex());
  if (g.chance(0.1)) write(join(home, '.qwen', 'oauth_creds.json'), g.qwen());
  const settings = g.settings(agents);
  if (settings !== null) write(join(home, '.config', 'authbar', 'settings.json'), settings);
  const config = g.config();
  if (config !== null) write(join(state, 'clawdbot.json'), config);
  const env = {
    HOME: home,
    PATH: '/usr/bin:/bin',
    USER: 'tester',
    NO_COLOR: '1',
    TERM: 'dumb',
    AUTHBAR_KEYCHAIN: 'off',
    TMPDIR: tmpdir(),
  };
  return { home, state, env, secrets: [...g.secrets], agents };
}

/**
 * Everything under a home but the agent dirs, content only; the agent dirs' parents are left
 * out too (a sync may create them for the default agent).
 */
function outsideAgentDirs(home: string, inAgentDir: (rel: string) => boolean) {
  const tree = treeSnapshot(home, { skip: inAgentDir, mtime: 'none' });
  for (const parent of ['.clawdbot', join('.clawdbot', 'agents')]) tree.delete(parent);
  return tree;
}

/** Every key path of a JSON value (object keys and array indexes), as strings. */
function keyPaths(v: unknown, prefix: string[] = [], out = new Set<string>(), depth = 0): Set<string> {
  if (v === null || typeof v !== 'object' || depth > 200) return out;
  for (const [k, x] of Object.entries(v)) {
    const p = [...prefix, k];
    out.add(JSON.stringify(p));
    keyPaths(x, p, out, depth + 1);
  }
  return out;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const SOURCE_PROVIDER: ReadonlyMap<string, string> = new Map([
  ['anthropic:claude-cli', 'anthropic'],
  ['openai-codex:codex-cli', 'openai-codex'],
  ['qwen-portal:qwen-cli', 'qwen-portal'],
]);

/** True when the store held, under a synced id, a login of that source's own kind (AuthBar's to replace). */
function ownedBySource(store: unknown, profileId: string): boolean {
  const provider = SOURCE_PROVIDER.get(profileId);
  if (provider === undefined || typeof store !== 'object' || store === null) return false;
  const profiles = (store as { profiles?: unknown }).profiles;
  if (typeof profiles !== 'object' || profiles === null || !Object.hasOwn(profiles, profileId)) return false;
  const p = (profiles as Record<string, unknown>)[profileId];
  if (typeof p !== 'object' || p === null) return false;
  const { type, provider: stored } = p as { type?: unknown; provider?: unknown };
  return stored === provider && (type === 'token' || type === 'oauth');
}

function assertNoSecretIn(c: Case, what: string, text: string): void {
  for (const s of c.secrets) {
    for (let i = 0; i + 16 <= s.length; i += 8) {
      const piece = s.slice(i, i + 16);
      if (text.includes(piece) || text.includes(piece.toLowerCase()))
        throw new Error(
          `${what} printed part of a secret (${JSON.stringify(piece)} of ${JSON.stringify(s.slice(0, 12))}…)`,
        );
    }
  }
}

const COMMANDS: string[][] = [
  ['status', '--no-sync'],
  ['status', '--no-sync', '--plain'],
  ['status', '--no-sync', '--json'],
  ['status', '--no-sync', '--check'],
  ['doctor', '--json'],
  ['status', '--plain'],
  ['sync'],
  ['doctor'],
  ['doctor', '--fix'],
  ['status', '--json'],
];

test(`fuzz: ${COUNT} generated homes through status, sync, doctor and doctor --fix (seed ${SEED})`, async (t) => {
  t.diagnostic(`FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT}`);
  console.log(`# fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT})`);
  // A memory file system when there is one: 2,000 homes are mostly small file creation.
  const base = process.env['FUZZ_DIR'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const root = mkdtempSync(join(base, 'authbar-fuzz-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const known = { syncOwnedUpdates: 0 };
  const started = Date.now();
  for (let i = 0; i < COUNT; i++) {
    const g = new Gen(prng(SEED + i * 7919));
    const c = makeCase(g, root, i);
    const label = `case ${i} (FUZZ_SEED=${SEED}, FUZZ_COUNT=${i + 1})`;
    const agentsRoot = join('.clawdbot', 'agents');
    // The agent dirs AuthBar may write: valid ids only.
    const inAgentDir = (rel: string) => {
      if (!rel.startsWith(agentsRoot + sep)) return false;
      const id = rel.slice(agentsRoot.length + 1).split(sep)[0] ?? '';
      return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(id);
    };
    const outside = outsideAgentDirs(c.home, inAgentDir);
    const stores = new Map<string, { text: string; keys: Set<string>; value: unknown }>();
    for (const a of c.agents) {
      const p = join(c.state, 'agents', a, 'agent', 'auth-profiles.json');
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      const v = parsed(text);
      if (v !== undefined) stores.set(p, { text, keys: keyPaths(v), value: v });
    }
    const outs: Out[] = [];
    for (const argv of COMMANDS) {
      const o = await runInProcess(argv, c.env);
      try {
        assertSafeOutput(o, `${label}: authbar ${argv.join(' ')}`);
        assertNoSecretIn(c, `${label}: authbar ${argv.join(' ')}`, o.stdout + o.stderr);
      } catch (err) {
        console.log(
          `--- ${label}: authbar ${argv.join(' ')} exit ${o.code}\n${o.stdout.slice(0, 2000)}\n--- stderr\n${o.stderr.slice(0, 2000)}`,
        );
        throw err;
      }
      outs.push(o);
    }
    // --plain rows and sync lines name only agents that exist.
    const json = parsed(outs[2]?.stdout ?? '') as { agents?: Array<{ agentId: string }> } | undefined;
    if (json?.agents) {
      const ids = new Set(json.agents.map((a) => a.agentId));
      assertPlainRows(outs[1]?.stdout ?? '', ids);
      assertSyncLines(outs[6]?.stdout ?? '', ids);
    }
    if (i % SPAWN_EVERY === 0) {
      for (const argv of [['status', '--json', '--no-sync'], ['doctor'], ['status', '--plain', '--no-sync']]) {
        const r = await runProcess(process.execPath, [AUTHBAR_BIN, ...argv], c.env);
        assertSafeOutput(
          { argv, code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr },
          `${label}: spawned authbar ${argv.join(' ')}`,
        );
        assertNoSecretIn(c, `${label}: spawned authbar ${argv.join(' ')}`, r.stdout + r.stderr);
      }
    }
    // Nothing outside the agent dirs changed (sources, settings, config, legacy store, odd dirs).
    const after = outsideAgentDirs(c.home, inAgentDir);
    // AuthBar's own state file (setup-token first sightings) is the one file of its own it may write.
    const own = new Set(['.config', join('.config', 'authbar'), join('.config', 'authbar', 'state.json')]);
    for (const [rel, before] of outside)
      if (!own.has(rel)) assert.deepEqual(after.get(rel), before, `${label}: ${rel} changed outside the agent dirs`);
    for (const rel of after.keys())
      assert.ok(outside.has(rel) || own.has(rel), `${label}: ${rel} was created outside the agent dirs`);
    // Every store that parsed still parses with every key it had — or was moved aside whole.
    for (const [path, before] of stores) {
      const dir = dirname(path);
      const asides = readdirSync(dir).filter((n) => n.startsWith('auth-profiles.json.corrupt-'));
      if (asides.some((n) => readFileSync(join(dir, n), 'utf8') === before.text)) continue;
      let now: string;
      try {
        now = readFileSync(path, 'utf8');
      } catch {
        assert.fail(`${label}: ${path} parsed before and is gone`);
      }
      const v = parsed(now);
      assert.notEqual(v, undefined, `${label}: ${path} parsed before and does not now`);
      const keys = keyPaths(v);
      for (const k of before.keys) {
        if (keys.has(k)) continue;
        const segs = JSON.parse(k) as string[];
        if (segs[0] === 'profiles' && segs[1] !== undefined && ownedBySource(before.value, segs[1])) {
          // A login AuthBar itself keeps in step (same provider, token or oauth) may be
          // replaced or upgraded by the sync: its credential fields change by design.
          known.syncOwnedUpdates++;
          continue;
        }
        assert.fail(`${label}: ${path} lost the key ${k}`);
      }
    }
    rmSync(c.home, { recursive: true, force: true });
  }
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(
    `${COUNT} cases in ${seconds.toFixed(1)} s; ${known.syncOwnedUpdates} keys of synced logins replaced by their source`,
  );
});
