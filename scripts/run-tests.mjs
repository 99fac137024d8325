// Runs every compiled test file under dist/test with node's own runner (Node 20 does not
// expand globs for --test). Extra arguments name files or filter: `npm test -- store`.
// Two lanes: `npm test` runs everything but test/states/; `npm run test:states` (--states)
// runs only test/states/, the live state matrices that compare AuthBar's verdicts with each
// real gateway's own (minutes of peer runs; CI runs them as a step of their own).
// TEST_CONCURRENCY sets how many files run at once (default 3: most tests wait on child
// processes, so three files keep two cores busy; the states lane starts all its files at
// once, as each keeps its own peer runs to two or three and mostly waits on them).
// FUZZ_COUNT sets the fuzz cases (see test/safety/fuzz.test.ts); STATES_COUNT and
// STATES_SEED the differential states (see test/support/state-gen.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

// The live peer matrices start first, so they do not end up alone at the tail; the OpenClaw
// paste-token end-to-end files start last, away from the matrices' busiest phase (AuthBar
// gives `openclaw models auth paste-token` two minutes, which a crowded machine can exceed).
const FIRST = [
  'states/differential-openclaw.test',
  'states/differential-clawdbot.test',
  'states/openclaw.test',
  'states/clawdbot.test',
];
const LAST = ['cli/setup-token.test', 'app/add-token.test', 'interop/token-land.test'];
const rank = (f) => {
  const first = FIRST.findIndex((x) => f.includes(x));
  if (first !== -1) return first;
  return LAST.some((x) => f.includes(x)) ? FIRST.length + 1 : FIRST.length;
};

const args = process.argv.slice(2);
const statesLane = args.includes('--states');
const filters = args.filter((a) => a !== '--states');
const inStates = (f) => f.split(/[\\/]/).includes('states');
const files = find('dist/test')
  .filter((f) => inStates(f) === statesLane)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = Number(process.env['TEST_CONCURRENCY'] ?? (statesLane ? files.length : 3));
// The differential files each leave their one-line summary here; the lane prints them together.
const summaries = statesLane ? mkdtempSync(join(tmpdir(), 'authbar-states-')) : null;
// A timeout and a forced exit per file: a test that fails while a watcher or timer is still
// open reports its failure instead of stalling the whole run. Node 20 counts the timeout for
// a whole file; 30 min, as the peer matrices share a crowded machine with other files.
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=1800000',
    '--test-force-exit',
    ...files,
  ],
  { stdio: 'inherit', env: summaries ? { ...process.env, STATES_SUMMARY_DIR: summaries } : process.env },
);
if (summaries) {
  const lines = readdirSync(summaries)
    .sort()
    .map((f) => readFileSync(join(summaries, f), 'utf8').trim());
  if (lines.length > 0) console.log(`states lane: ${lines.join(' | ')}`);
  rmSync(summaries, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
