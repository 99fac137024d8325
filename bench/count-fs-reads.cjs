// Preloaded into `authbar watch` by bench/watch-bench.ts (node --require): counts every file
// opened or read through node:fs (sync, callback and promise APIs) and writes the counts to
// $AUTHBAR_BENCH_COUNTS on SIGUSR2. A counting FS port without touching the program itself.
'use strict';
const fs = require('node:fs');
const counts = { open: 0, read: 0, readFile: 0 };
function wrap(obj, name, key) {
  const orig = obj[name];
  if (typeof orig !== 'function') return;
  obj[name] = function counted(...args) {
    counts[key]++;
    return orig.apply(this, args);
  };
}
for (const [name, key] of [
  ['openSync', 'open'],
  ['open', 'open'],
  ['readSync', 'read'],
  ['read', 'read'],
  ['readFileSync', 'readFile'],
  ['readFile', 'readFile'],
])
  wrap(fs, name, key);
for (const [name, key] of [
  ['open', 'open'],
  ['readFile', 'readFile'],
])
  wrap(fs.promises, name, key);
process.on('SIGUSR2', () => {
  const out = process.env.AUTHBAR_BENCH_COUNTS;
  if (out) fs.writeFileSync(out, JSON.stringify(counts));
});
