// Bundles the CLI into dist/cli/authbar.mjs: one file starts much faster than ~100 modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['main/cli/bin.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dynamic imports (proper-lockfile for writes, JSON5 for a config) become chunks that
  // load only when needed, keeping a read-only `status --check` lean.
  outdir: 'dist/cli',
  splitting: true,
  entryNames: 'authbar',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  minify: true,
  sourcemap: 'linked',
  external: ['electron', 'keytar'],
  // CommonJS dependencies (proper-lockfile) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __authbarRequire } from 'node:module'; const require = __authbarRequire(import.meta.url);" },
  logLevel: 'warning',
});
