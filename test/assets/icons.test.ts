/**
 * The tray and app icons, by their pixels: every state at 1× and 2× with the right sizes,
 * template images black + alpha only, coloured states told apart by hue, the Windows .ico a
 * real icon container, and the committed files exactly what scripts/make-icons.mjs draws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PNG } from 'pngjs';
import { ROOT } from '../support/home.js';

const TRAY = join(ROOT, 'assets', 'tray');

function read(name: string): PNG {
  const path = join(TRAY, name);
  assert.ok(existsSync(path), `${name} exists`);
  return PNG.sync.read(readFileSync(path));
}

/** Both scales of one icon, checked for their pixel size. */
function pair(base: string, size: number): [PNG, PNG] {
  const one = read(`${base}.png`);
  const two = read(`${base}@2x.png`);
  assert.deepEqual([one.width, one.height], [size, size], `${base}.png is ${size}×${size}`);
  assert.deepEqual([two.width, two.height], [size * 2, size * 2], `${base}@2x.png is ${size * 2}×${size * 2}`);
  return [one, two];
}

const MAC_STATES = ['soon', 'now', 'unknown'] as const;
const PLAIN_STATES = ['ok', 'soon', 'now', 'unknown'] as const;

interface Colour {
  hue: number;
  saturation: number;
  luminance: number;
}

/** Mean hue (circular), saturation and luminance of the opaque, coloured pixels. */
function colourOf(png: PNG): Colour {
  let x = 0;
  let y = 0;
  let sat = 0;
  let lum = 0;
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if ((png.data[i + 3] as number) < 200) continue;
    const [r, g, b] = [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number].map((v) => v / 255) as [number, number, number];
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    if (max > 0.97 && min > 0.97) continue; // the white mark
    const s = max === 0 ? 0 : (max - min) / max;
    let h = 0;
    if (max !== min) h = max === r ? ((g - b) / (max - min)) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
    const angle = (h * 60 * Math.PI) / 180;
    x += Math.cos(angle) * s;
    y += Math.sin(angle) * s;
    sat += s;
    lum += 0.2126 * r + 0.7152 * g + 0.0722 * b;
    n++;
  }
  assert.ok(n > 0, 'the icon has opaque coloured pixels');
  return { hue: ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360, saturation: sat / n, luminance: lum / n };
}

function hueGap(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

test('macOS template images: 18 and 36 px, black + alpha only, anti-aliased, keyhole cut out', () => {
  for (const png of pair('trayTemplate', 18)) {
    let opaque = 0;
    let partial = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const a = png.data[i + 3] as number;
      if (a > 0) assert.deepEqual([png.data[i], png.data[i + 1], png.data[i + 2]], [0, 0, 0], 'every visible pixel is black');
      if (a === 255) opaque++;
      else if (a > 0) partial++;
    }
    const area = png.width * png.height;
    assert.ok(opaque > area * 0.3 && opaque < area * 0.8, 'a solid glyph, not a square');
    assert.ok(partial > 0, 'edges are anti-aliased');
    // The keyhole: the centre column is transparent under the glyph's middle.
    const mid = Math.floor(png.width / 2);
    const at = (px: number, py: number) => png.data[(py * png.width + px) * 4 + 3] as number;
    assert.equal(at(mid, Math.round(png.height * 0.45)), 0, 'the keyhole is see-through');
    assert.ok(at(mid, Math.round(png.height * 0.82)) >= 240, 'the point below it is solid');
  }
});

test('macOS coloured states: light and dark bar variants at 18 and 36 px, told apart by hue', () => {
  const hues: Record<string, number> = {};
  for (const state of MAC_STATES) {
    const light = pair(`tray-${state}-light`, 18);
    const dark = pair(`tray-${state}-dark`, 18);
    const l = colourOf(light[1]);
    const d = colourOf(dark[1]);
    assert.ok(d.luminance > l.luminance, `${state}: the dark-bar variant is brighter than the light-bar one`);
    assert.ok(hueGap(colourOf(light[0]).hue, l.hue) < 10, `${state}: 1× and 2× have the same colour`);
    hues[state] = l.hue;
    if (state === 'unknown') assert.ok(l.saturation < 0.1 && d.saturation < 0.1, 'unknown is grey');
    else assert.ok(l.saturation > 0.5, `${state} is a strong colour`);
  }
  assert.ok(hues['soon']! >= 30 && hues['soon']! <= 55, `soon is amber (hue ${hues['soon']})`);
  assert.ok(hueGap(hues['now']!, 0) <= 12, `now is red (hue ${hues['now']})`);
  assert.ok(hueGap(hues['soon']!, hues['now']!) >= 25, 'soon and now differ clearly');
});

test('Linux/Windows: ok, soon, now, unknown at 32 and 64 px, green / amber / red / grey', () => {
  const c = Object.fromEntries(PLAIN_STATES.map((s) => [s, colourOf(pair(`tray-${s}`, 32)[0])])) as Record<(typeof PLAIN_STATES)[number], Colour>;
  assert.ok(c.ok.hue >= 100 && c.ok.hue <= 160, `ok is green (hue ${c.ok.hue})`);
  assert.ok(c.soon.hue >= 30 && c.soon.hue <= 55, `soon is amber (hue ${c.soon.hue})`);
  assert.ok(hueGap(c.now.hue, 0) <= 12, `now is red (hue ${c.now.hue})`);
  for (const [a, b] of [['ok', 'soon'], ['ok', 'now'], ['soon', 'now']] as const) assert.ok(hueGap(c[a].hue, c[b].hue) >= 25, `${a} and ${b} differ clearly`);
  assert.ok(c.unknown.saturation < 0.1, 'unknown is grey');
});

test('Windows .ico files hold the tray sizes as a valid icon directory', () => {
  for (const name of ['tray.ico', 'tray-soon.ico', 'tray-now.ico', 'tray-unknown.ico']) {
    const buf = readFileSync(join(TRAY, name));
    assert.equal(buf.readUInt16LE(0), 0, `${name}: reserved word`);
    assert.equal(buf.readUInt16LE(2), 1, `${name}: type icon`);
    const count = buf.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const size = buf.readUInt8(entry) || 256;
      const bytes = buf.readUInt32LE(entry + 8);
      const offset = buf.readUInt32LE(entry + 12);
      assert.ok(offset + bytes <= buf.length, `${name}: entry ${i} lies inside the file`);
      assert.equal(buf.readUInt32LE(offset), 40, `${name}: entry ${i} is a BITMAPINFOHEADER image`);
      assert.equal(buf.readInt32LE(offset + 4), size, `${name}: entry ${i} width`);
      sizes.push(size);
    }
    for (const need of [16, 24, 32, 48]) assert.ok(sizes.includes(need), `${name} has ${need} px`);
  }
});

test('the app icon is 512×512 with a transparent margin', () => {
  const png = PNG.sync.read(readFileSync(join(ROOT, 'assets', 'icon.png')));
  assert.deepEqual([png.width, png.height], [512, 512]);
  assert.equal(png.data[3], 0, 'the corner is transparent');
  assert.equal(png.data[(256 * 512 + 256) * 4 + 3], 255, 'the middle is opaque');
});

test('the committed icons are exactly what scripts/make-icons.mjs draws', () => {
  const out = mkdtempSync(join(tmpdir(), 'authbar-icons-'));
  try {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-icons.mjs'), out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const names = ['icon.png', ...['trayTemplate', ...MAC_STATES.flatMap((s) => [`tray-${s}-light`, `tray-${s}-dark`]), ...PLAIN_STATES.map((s) => `tray-${s}`)].flatMap((b) => [`tray/${b}.png`, `tray/${b}@2x.png`]), 'tray/tray.ico', 'tray/tray-soon.ico', 'tray/tray-now.ico', 'tray/tray-unknown.ico'];
    for (const name of names) assert.ok(readFileSync(join(out, name)).equals(readFileSync(join(ROOT, 'assets', name))), `${name} matches the script's output: run npm run icons and commit`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
