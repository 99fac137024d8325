#!/usr/bin/env node
'use strict';
// Starts the bundled CLI (dist/cli/authbar.cjs, made by `npm run build`) through a V8 code
// cache kept beside it: compiling the bundle is most of a cold start, and cron runs
// `authbar status --check` often. The cache is only an optimisation: when it is missing,
// stale (V8 rejects it) or cannot be written, the bundle simply compiles as usual.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

// A sync of many agents is file I/O bound: more libuv threads than the default 4 (only
// effective before the pool starts, hence first thing).
process.env.UV_THREADPOOL_SIZE ??= '16';

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'authbar.cjs');
// One cache per V8 version: AuthBar runs under the system Node and under OpenClaw's Node 24,
// and one shared file would be rejected and rewritten by each in turn.
const cacheFile = `${bundle}.${process.versions.v8.replace(/[^0-9A-Za-z.-]/g, '_')}.v8cache`;
let source;
try {
  source = fs.readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write(`authbar: ${bundle} is missing: run \`npm run build\` in ${path.join(__dirname, '..')}.\n`);
  process.exit(70);
}
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
});
if (cachedData === undefined || script.cachedDataRejected) {
  // Written after the run, so it holds the functions this run compiled; renamed into place
  // so a concurrent start never reads half a cache.
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A read-only install: run without a cache.
    }
  });
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, bundle, path.dirname(bundle));
