// Bundles the tray app: the Electron main process into dist/app/main.cjs (package.json `main`)
// and the preload into ONE CommonJS file, dist/preload/preload.cjs — a sandboxed preload can
// require `electron` and nothing else. Electron and the native modules stay external.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

rmSync('dist/app', { recursive: true, force: true });
rmSync('dist/preload', { recursive: true, force: true });
const common = { bundle: true, format: 'cjs', sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
await Promise.all([
  build({
    ...common,
    entryPoints: ['main/index.ts'],
    platform: 'node',
    target: 'node22',
    outfile: 'dist/app/main.cjs',
    external: ['electron', '@napi-rs/keyring', '@lydell/node-pty'],
    // The version the gateway is told (main/engine/version.ts), built in as for the CLI.
    define: { __AUTHBAR_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  }),
  build({
    ...common,
    entryPoints: ['preload/preload.ts'],
    platform: 'browser',
    target: 'chrome140',
    outfile: 'dist/preload/preload.cjs',
    external: ['electron'],
  }),
]);
