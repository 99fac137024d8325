/**
 * Rules of the details window checked on its sources: a strict CSP with no inline script or
 * style to exempt, no HTML parsing of data anywhere, and nothing imported but common/ (the
 * module main, preload and renderer share).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/home.js';

const DIR = join(ROOT, 'renderer');
const tsFiles = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

test('index.html carries the strict CSP and nothing inline', () => {
  const html = readFileSync(join(DIR, 'index.html'), 'utf8');
  const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
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

test('the renderer imports only common/ (no engine or app code in the window), and its bundle holds no zod', () => {
  for (const f of tsFiles) {
    const text = readFileSync(join(DIR, f), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+[^;]*?from\s+'([^']+)'/gm)) {
      const spec = m[1] as string;
      const resolved = join(DIR, f, '..', spec);
      assert.ok(
        resolved.startsWith(join(ROOT, 'common') + '/') || resolved.startsWith(DIR + '/'),
        `${f} imports ${spec}: the window takes only common/ modules`,
      );
    }
  }
  const bundle = readFileSync(join(ROOT, 'dist', 'renderer', 'renderer.js'), 'utf8');
  assert.doesNotMatch(bundle, /zod|require\(|process\.env/, 'the bundle holds neither zod nor node code');
});
