// Bundles the CLI into dist/authbar.mjs: one file starts much faster than ~100 modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['main/cli/bin.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/authbar.mjs',
  minify: true,
  sourcemap: 'linked',
  external: ['electron', 'keytar'],
  // CommonJS dependencies (proper-lockfile) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __authbarRequire } from 'node:module'; const require = __authbarRequire(import.meta.url);" },
  logLevel: 'warning',
});
