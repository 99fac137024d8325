/**
 * The shape of the code, checked on its sources: which folder may import which, where a
 * gateway's knowledge may be reached from, and how long a source file may grow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './support/home.js';

const SOURCE_ROOTS = ['common', 'main', 'preload', 'renderer'];
const MAX_LINES = 300;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Every relative import of a file (static, dynamic, re-export), as repo-relative paths. */
export function importsOf(rel: string, text: string): Edge[] {
  const out: Edge[] = [];
  const re =
    /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const to = relative(ROOT, resolve(ROOT, dirname(rel), spec))
      .split('\\')
      .join('/')
      .replace(/\.js$/, '.ts');
    out.push({ from: rel, to, typeOnly: Boolean(m[2]) });
  }
  return out;
}

/** The layer a repo-relative path belongs to. */
export function layerOf(rel: string): string {
  if (rel.startsWith('common/')) return 'common';
  if (rel.startsWith('main/engine/')) return 'engine';
  if (rel.startsWith('main/cli/')) return 'cli';
  if (rel.startsWith('main/app/') || rel === 'main/index.ts') return 'app';
  if (rel.startsWith('preload/')) return 'preload';
  if (rel.startsWith('renderer/')) return 'renderer';
  return 'other';
}

/** Which layers each layer may import from (types included: a type is a dependency too). */
const ALLOWED: Record<string, readonly string[]> = {
  common: ['common'],
  engine: ['common', 'engine'],
  cli: ['common', 'engine', 'cli'],
  app: ['common', 'engine', 'app'],
  preload: ['common', 'preload'],
  renderer: ['common', 'renderer'],
};

/** The gateway folder (`main/engine/gateways/<kind>/`) a path sits in, if any. */
export function gatewayFolderOf(rel: string): string | null {
  const m = /^main\/engine\/gateways\/([^/]+)\//.exec(rel);
  return m ? `main/engine/gateways/${m[1]}/` : null;
}

/** A gateway's folder is reached only from itself and from the registry. */
export function crossesIntoGateway(edge: Edge): boolean {
  const target = gatewayFolderOf(edge.to);
  if (target === null) return false;
  if (edge.from.startsWith(target)) return false;
  return edge.from !== 'main/engine/gateways/registry.ts';
}

const all = SOURCE_ROOTS.flatMap((d) => sources(join(ROOT, d))).map((f) => {
  const rel = relative(ROOT, f).split('\\').join('/');
  return { rel, text: readFileSync(f, 'utf8') };
});
const edges = all.flatMap((f) => importsOf(f.rel, f.text));

test('the audit rules recognise what they look for', () => {
  const e = importsOf(
    'main/cli/commands/status.ts',
    "import type { X } from '../../engine/host.js';\nawait import('./y.js');",
  );
  assert.deepEqual(e, [
    { from: 'main/cli/commands/status.ts', to: 'main/engine/host.ts', typeOnly: true },
    { from: 'main/cli/commands/status.ts', to: 'main/cli/commands/y.ts', typeOnly: false },
  ]);
  assert.equal(layerOf('main/index.ts'), 'app');
  assert.equal(
    crossesIntoGateway({ from: 'main/engine/engine.ts', to: 'main/engine/gateways/openclaw/x.ts', typeOnly: false }),
    true,
  );
  assert.equal(
    crossesIntoGateway({
      from: 'main/engine/gateways/registry.ts',
      to: 'main/engine/gateways/openclaw/x.ts',
      typeOnly: false,
    }),
    false,
  );
  assert.equal(
    crossesIntoGateway({
      from: 'main/engine/gateways/openclaw/a.ts',
      to: 'main/engine/gateways/openclaw/x.ts',
      typeOnly: false,
    }),
    false,
  );
  assert.equal(
    crossesIntoGateway({
      from: 'main/engine/gateways/clawdbot/a.ts',
      to: 'main/engine/gateways/openclaw/x.ts',
      typeOnly: false,
    }),
    true,
  );
  assert.equal(
    crossesIntoGateway({ from: 'main/cli/x.ts', to: 'main/engine/gateways/types.ts', typeOnly: true }),
    false,
  );
});

test('imports flow one way: common <- engine <- cli, app; the window and the preload take only common', () => {
  assert.ok(edges.length > 100, 'imports are found');
  const wrong = edges
    .filter((e) => layerOf(e.from) !== 'other' && !(ALLOWED[layerOf(e.from)] ?? []).includes(layerOf(e.to)))
    .map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(wrong, []);
});

test("a gateway's folder is imported only from inside it and from the gateway registry", () => {
  const wrong = edges.filter(crossesIntoGateway).map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(wrong, []);
});

test('no code outside the gateway folders asks which gateway it is', () => {
  const wrong = all
    .filter((f) => gatewayFolderOf(f.rel) === null && f.rel !== 'main/engine/gateways/registry.ts')
    .filter((f) => /(===|!==)\s*['"](openclaw|clawdbot)['"]|['"](openclaw|clawdbot)['"]\s*(===|!==)/.test(f.text))
    .map((f) => f.rel);
  assert.deepEqual(wrong, []);
});

test(`no source file is over ${MAX_LINES} lines`, () => {
  const long = all
    .map((f) => ({ rel: f.rel, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.rel}: ${f.lines}`);
  assert.deepEqual(long, []);
});
