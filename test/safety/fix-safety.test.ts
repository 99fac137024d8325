/**
 * `doctor --fix` never acts through a symlink or on something that is not what it claims to
 * be: every fix action (quarantine, chmod of the store and the agent dir, stale-lock
 * removal, temp-file cleanup) is tried against links to FIFOs, devices, shared 1777 dirs, the
 * agent dir itself, and files outside the agent dir. The targets must come out unchanged by
 * type, mode and content, and doctor must name the command a human should run.
 * Also: the "unparsable" verdict is taken again under the lock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { HOUR, makeHome, runAuthbar, secret, type TempHome, withLogin } from '../support/home.js';
import { sleep } from '../support/fsutil.js';
import { assertTreeUnchanged, treeSnapshot } from '../support/tree.js';

interface Check {
  id: string;
  verdict: string;
  message: string;
  fix: string | null;
}

async function doctor(
  env: Record<string, string>,
  fix: boolean,
): Promise<{ code: number | null; checks: Check[]; stderr: string }> {
  const r = await runAuthbar(fix ? ['doctor', '--fix', '--json'] : ['doctor', '--json'], env);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
  return { code: r.code, checks: (JSON.parse(r.stdout) as { checks: Check[] }).checks, stderr: r.stderr };
}

/** A directory outside HOME standing for "somewhere else on the machine". */
function outside(t: { after: (fn: () => void) => void }, mode = 0o755): string {
  const dir = mkdtempSync(join(tmpdir(), 'authbar-elsewhere-'));
  chmodSync(dir, mode);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function agentDir(h: TempHome): string {
  return h.path('.clawdbot', 'agents', 'main', 'agent');
}

interface Case {
  name: string;
  /** Builds the fixture; returns the paths outside the agent dir that must not change. */
  setup: (h: TempHome, elsewhere: string) => void;
  /** The store (or agent dir) entry that must still be a symlink afterwards, if any. */
  link?: (h: TempHome) => string;
  /** No Claude login: nothing to sync, so only the fix actions run. */
  noLogin?: boolean;
}

const fifo = (p: string) => execFileSync('mkfifo', ['-m', '644', p]);

const CASES: Case[] = [
  {
    name: 'store → a FIFO elsewhere',
    setup: (h, e) => {
      fifo(join(e, 'pipe'));
      mkdirSync(agentDir(h), { recursive: true, mode: 0o700 });
      symlinkSync(join(e, 'pipe'), join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
  },
  {
    name: 'store → /dev/null (a device)',
    setup: (h) => {
      mkdirSync(agentDir(h), { recursive: true, mode: 0o700 });
      symlinkSync('/dev/null', join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
  },
  {
    name: 'store → . (the agent dir itself)',
    setup: (h) => {
      mkdirSync(agentDir(h), { recursive: true, mode: 0o755 });
      symlinkSync('.', join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
  },
  {
    name: 'store → a shared 1777 dir',
    setup: (h, e) => {
      chmodSync(e, 0o1777);
      writeFileSync(join(e, 'someone-elses-file'), 'x', { mode: 0o644 });
      mkdirSync(agentDir(h), { recursive: true, mode: 0o700 });
      symlinkSync(e, join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
  },
  {
    name: 'store → an unparsable world-readable file elsewhere',
    setup: (h, e) => {
      writeFileSync(join(e, 'theirs.json'), '{"version":1,"profiles":{', { mode: 0o644 });
      mkdirSync(agentDir(h), { recursive: true, mode: 0o700 });
      symlinkSync(join(e, 'theirs.json'), join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
  },
  {
    name: 'store → a valid world-readable file elsewhere (chmod through the link)',
    setup: (h, e) => {
      writeFileSync(
        join(e, 'shared.json'),
        JSON.stringify({
          version: 1,
          profiles: { 'openai:x': { type: 'api_key', provider: 'openai', key: secret('api') } },
        }),
        { mode: 0o644 },
      );
      mkdirSync(agentDir(h), { recursive: true, mode: 0o700 });
      symlinkSync(join(e, 'shared.json'), join(agentDir(h), 'auth-profiles.json'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json'),
    noLogin: true,
  },
  {
    name: 'agent dir → a shared 1777 dir holding a broken, world-readable store',
    setup: (h, e) => {
      chmodSync(e, 0o1777);
      writeFileSync(join(e, 'auth-profiles.json'), '{"broken', { mode: 0o644 });
      mkdirSync(dirname(agentDir(h)), { recursive: true, mode: 0o700 });
      symlinkSync(e, agentDir(h));
    },
    link: (h) => agentDir(h),
  },
  {
    name: 'agent dir → a directory elsewhere with a world-readable store and a stale lock',
    setup: (h, e) => {
      writeFileSync(join(e, 'auth-profiles.json'), JSON.stringify({ version: 1, profiles: {} }), { mode: 0o644 });
      mkdirSync(join(e, 'auth-profiles.json.lock'));
      const old = new Date(Date.now() - 3 * HOUR);
      utimesSync(join(e, 'auth-profiles.json.lock'), old, old);
      mkdirSync(dirname(agentDir(h)), { recursive: true, mode: 0o700 });
      symlinkSync(e, agentDir(h));
    },
    link: (h) => agentDir(h),
    // A sync would write through the link and break the stale lock by the lock protocol
    // itself (as Clawdbot does); this case checks the fix actions alone.
    noLogin: true,
  },
  {
    name: 'the lock dir is a symlink to a directory elsewhere',
    setup: (h, e) => {
      mkdirSync(join(e, 'precious'));
      writeFileSync(join(e, 'precious', 'data'), 'keep me');
      const old = new Date(Date.now() - 3 * HOUR);
      utimesSync(join(e, 'precious'), old, old);
      h.write('.clawdbot/agents/main/agent/auth-profiles.json', { version: 1, profiles: {} });
      symlinkSync(join(e, 'precious'), join(agentDir(h), 'auth-profiles.json.lock'));
    },
    link: (h) => join(agentDir(h), 'auth-profiles.json.lock'),
  },
  {
    name: 'a temp-file name is a symlink to a file elsewhere',
    setup: (h, e) => {
      writeFileSync(join(e, 'target'), 'not a temp file', { mode: 0o644 });
      h.write('.clawdbot/agents/main/agent/auth-profiles.json', { version: 1, profiles: {} });
      // pid 1 is alive, pid 2^22+1 is not: both kinds, both links.
      symlinkSync(join(e, 'target'), join(agentDir(h), '.auth-profiles.json.4194305.a1.tmp'));
      symlinkSync(join(e, 'target'), join(agentDir(h), '.auth-profiles.json.1.a2.tmp'));
    },
    link: (h) => join(agentDir(h), '.auth-profiles.json.4194305.a1.tmp'),
  },
];

for (const c of CASES) {
  test(`doctor --fix, ${c.name}: the target is unchanged by type, mode and content, and a command is named`, async (t) => {
    const h = makeHome();
    t.after(() => h.cleanup());
    if (!c.noLogin) withLogin(h);
    const elsewhere = outside(t);
    c.setup(h, elsewhere);
    const devBefore = lstatSync('/dev/null');
    const before = treeSnapshot(elsewhere);
    const elsewhereMode = statSync(elsewhere).mode;
    const linkBefore = c.link ? lstatSync(c.link(h)) : undefined;

    const report = await doctor(h.env, false);
    const fixed = await doctor(h.env, true);

    assertTreeUnchanged(before, treeSnapshot(elsewhere), c.name);
    assert.equal(statSync(elsewhere).mode, elsewhereMode, 'the directory elsewhere keeps its mode');
    const devAfter = lstatSync('/dev/null');
    assert.equal(devAfter.mode, devBefore.mode, '/dev/null keeps its mode');
    assert.ok(devAfter.isCharacterDevice());
    if (c.link) {
      const after = lstatSync(c.link(h));
      assert.ok(after.isSymbolicLink(), 'the link is still a link');
      assert.equal(after.ino, linkBefore?.ino, 'the link itself was not moved or replaced');
    }
    // Nothing outside the agent dir was touched; nothing was "fixed" through the link.
    const wrong = fixed.checks.filter((x) => x.verdict === 'fixed' && /mode:|store:|lock:|temp:/.test(x.id));
    assert.deepEqual(wrong, [], 'no fix claimed through a link');
    // Something was reported, with a command for a human (not "authbar doctor --fix" again).
    const reported = [...report.checks, ...fixed.checks].filter(
      (x) => (x.verdict === 'fail' || x.verdict === 'warn') && /^(mode|store|lock|temp):/.test(x.id),
    );
    assert.ok(
      reported.length > 0,
      `reported: ${JSON.stringify(
        fixed.checks.filter((x) => x.verdict !== 'ok'),
        null,
        1,
      )}`,
    );
    for (const r of fixed.checks.filter(
      (x) => (x.verdict === 'fail' || x.verdict === 'warn') && /^(mode|store|lock|temp):/.test(x.id),
    )) {
      assert.ok(r.fix && !/^authbar doctor --fix/.test(r.fix), `${r.id} names a command to run by hand: ${r.fix}`);
    }
  });
}

test('doctor --fix acts on the real things by their own path: a world-readable store and agent dir, a stale lock, a dead writer’s temp file', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  mkdirSync(h.path('.clawdbot'), { mode: 0o700 }); // the gateway's state dir (AuthBar never creates it)
  assert.equal((await runAuthbar(['sync'], h.env)).code, 0);
  const dir = agentDir(h);
  const store = join(dir, 'auth-profiles.json');
  chmodSync(store, 0o644);
  chmodSync(dir, 0o755);
  mkdirSync(`${store}.lock`);
  const old = new Date(Date.now() - 3 * HOUR);
  utimesSync(`${store}.lock`, old, old);
  writeFileSync(join(dir, '.auth-profiles.json.4194305.ff.tmp'), '{"partial": "sk-ant-oat01-', { mode: 0o600 });
  const content = readFileSync(store);
  const fixed = await doctor(h.env, true);
  assert.equal(statSync(store).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(existsSync(`${store}.lock`), false);
  assert.equal(existsSync(join(dir, '.auth-profiles.json.4194305.ff.tmp')), false);
  assert.deepEqual(readFileSync(store), content, 'chmod only');
  for (const id of ['mode:main:store', 'mode:main:agent directory', 'lock:main', 'temp:main']) {
    assert.ok(
      fixed.checks.some((c) => c.id === id && c.verdict === 'fixed'),
      `${id} fixed: ${JSON.stringify(fixed.checks, null, 1)}`,
    );
  }
});

test('a shared 1777 agent dir named by CLAWDBOT_AGENT_DIR is reported, never chmodded', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  withLogin(h);
  const shared = outside(t, 0o1777);
  chmodSync(shared, 0o1777);
  writeFileSync(join(shared, 'auth-profiles.json'), JSON.stringify({ version: 1, profiles: {} }), { mode: 0o600 });
  const env = { ...h.env, CLAWDBOT_AGENT_DIR: shared };
  const fixed = await doctor(env, true);
  assert.equal(statSync(shared).mode & 0o7777, 0o1777);
  const c = fixed.checks.find((x) => x.id === 'mode:main:agent directory');
  assert.equal(c?.verdict, 'warn');
  assert.match(c?.message ?? '', /shared directory/);
});

// ---------------------------------------------------------------------------------------
// The "unparsable" verdict is taken again under the lock.
// ---------------------------------------------------------------------------------------

async function quarantineRace(t: { after: (fn: () => void) => void }, repair: boolean) {
  const h = makeHome();
  t.after(() => h.cleanup());
  const store = h.write(h.agentStore(), '{"version": 1, "profiles": {', 0o600);
  const repaired =
    JSON.stringify(
      { version: 1, profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: secret('api') } } },
      null,
      2,
    ) + '\n';
  // Hold the store's lock as a gateway would; doctor reads without it, then waits for it.
  const release = await lockfile.lock(store, { realpath: false, stale: 30_000 });
  const running = doctor(h.env, true);
  try {
    await sleep(1500);
    assert.equal(existsSync(store), true, 'nothing moved while the lock was held');
    if (repair) writeFileSync(store, repaired);
  } finally {
    await release();
  }
  const r = await running;
  const aside = readdirSync(dirname(store)).filter((n) => n.includes('.corrupt-'));
  return { h, store, repaired, r, aside };
}

test('doctor --fix re-reads the store under the lock: a store repaired meanwhile is not moved aside', async (t) => {
  const { store, repaired, r, aside } = await quarantineRace(t, true);
  assert.deepEqual(aside, [], 'no .corrupt- file');
  assert.equal(readFileSync(store, 'utf8'), repaired, 'the repaired store, with its API key, is where it was');
  const c = r.checks.find((x) => x.id === 'store:main');
  assert.equal(c?.verdict, 'ok');
  assert.match(c?.message ?? '', /repaired meanwhile/);
});

test('control: the same race without a repair does move the store aside', async (t) => {
  const { aside, r } = await quarantineRace(t, false);
  assert.equal(aside.length, 1, JSON.stringify(r.checks, null, 1));
});

test('doctor --fix does not move aside a store it merely cannot read (mode fixes that, not quarantine)', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  // A store that is a directory is refused; an unreadable file is refused as well (as root it is readable, so check the directory case here).
  mkdirSync(h.path(h.agentStore()), { recursive: true });
  const fixed = await doctor(h.env, true);
  assert.ok(lstatSync(h.path(h.agentStore())).isDirectory(), 'the directory is still there');
  const c = fixed.checks.find((x) => x.id === 'store:main');
  assert.equal(c?.verdict, 'fail');
  assert.match(c?.fix ?? '', /^mv /);
});

test('doctor --fix narrows a world-readable read-only store to 0400: it never makes a file writable', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const store = h.write(h.agentStore(), { version: 1, profiles: {} }, 0o444);
  const content = readFileSync(store);
  const fixed = await doctor(h.env, true);
  assert.equal(statSync(store).mode & 0o777, 0o400);
  assert.deepEqual(readFileSync(store), content);
  assert.ok(fixed.checks.some((c) => c.id === 'mode:main:store' && c.verdict === 'fixed' && /now 400/.test(c.message)));
});
