// Builds the details window into dist/renderer/: type-checks it against the DOM (its own
// tsconfig), bundles renderer.ts for the browser with esbuild (one classic script, as the
// CSP allows only 'self' scripts), and copies index.html and styles.css beside it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '-p', 'renderer/tsconfig.json'], { stdio: 'inherit' });
if (check.status !== 0) process.exit(check.status ?? 1);

mkdirSync('dist/renderer', { recursive: true });
await build({
  entryPoints: ['renderer/renderer.ts'],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome130',
  outfile: 'dist/renderer/renderer.js',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css']) copyFileSync(`renderer/${file}`, `dist/renderer/${file}`);
