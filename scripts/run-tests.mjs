// Runs every compiled test file under dist/test with node's own runner (Node 20 does not
// expand globs for --test). Extra arguments name files or filter: `npm test -- store`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('dist/test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A per-test timeout and a forced exit per file: a test that fails while a watcher or timer
// is still open reports its failure instead of stalling the whole run.
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-timeout=900000', '--test-force-exit', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
