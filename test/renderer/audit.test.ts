/**
 * Rules of the details window checked on its sources: a strict CSP with no inline script or
 * style to exempt, no HTML parsing of data anywhere, and nothing from main/ but types — except
 * the few pure, import-free modules shared on purpose (the engine's scrubber, the window route).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/home.js';

const DIR = join(ROOT, 'renderer');
const tsFiles = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

test('index.html carries the strict CSP and nothing inline', () => {
  const html = readFileSync(join(DIR, 'index.html'), 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k as string, v.join(' ')]),
  );
  const want: Record<string, string> = {
    'default-src': "'none'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self' data:",
    'connect-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'none'",
    'object-src': "'none'",
    'frame-src': "'none'",
  };
  for (const [k, v] of Object.entries(want)) assert.equal(directives.get(k), v, k);
  assert.doesNotMatch(csp, /unsafe-|\*|https?:/, 'no unsafe keyword, wildcard or remote origin');
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
});

test('the renderer never parses strings as HTML or code', () => {
  for (const f of tsFiles) {
    const text = readFileSync(join(DIR, f), 'utf8');
    assert.doesNotMatch(
      text,
      /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|DOMParser|createContextualFragment|srcdoc/,
      f,
    );
  }
});

/** Shared as values on purpose: one masking rule, one route format. Each must import nothing. */
const SHARED_PURE = new Set(['../main/engine/secrets/scrub.js']);

test('the renderer takes only types from main/, but for a few pure import-free modules (no engine code in the window)', () => {
  for (const f of tsFiles) {
    const text = readFileSync(join(DIR, f), 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*from\s+'(\.\.\/main\/[^']+)'/gm)) {
      const spec = m[2] as string;
      if (m[1]) continue;
      assert.ok(SHARED_PURE.has(spec), `${f} imports ${spec} as a value`);
      const source = readFileSync(join(DIR, spec.replace(/\.js$/, '.ts')), 'utf8');
      assert.doesNotMatch(
        source,
        /^\s*(import|export\s+[^;]*\sfrom)\s/m,
        `${spec} must stay import-free to be shared with the window`,
      );
    }
  }
  const bundle = readFileSync(join(ROOT, 'dist', 'renderer', 'renderer.js'), 'utf8');
  assert.doesNotMatch(bundle, /zod|require\(|process\.env/, 'the bundle holds neither zod nor node code');
});
