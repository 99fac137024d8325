// Bundles the CLI into one CommonJS file, dist/cli/authbar.cjs, for bin/authbar.cjs to load
// with a V8 code cache: `authbar status --check` runs from cron, so start-up time matters.
// proper-lockfile and JSON5 stay behind lazy requires, evaluated only when a write or a
// Clawdbot config needs them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: ['main/cli/bin.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/cli/authbar.cjs',
  minify: true,
  sourcemap: 'linked',
  external: ['electron', '@napi-rs/keyring', '@lydell/node-pty'],
  // The version is built in: `authbar --version` reads no file. import.meta.url is only
  // used by the unbundled fallback, which the define makes unreachable.
  define: { __AUTHBAR_VERSION__: JSON.stringify(version), 'import.meta.url': '""' },
  logLevel: 'warning',
  // main/engine/native-module.ts uses import.meta only when it runs as an ES module.
  logOverride: { 'empty-import-meta': 'silent' },
});
