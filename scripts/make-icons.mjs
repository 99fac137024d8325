// Draws AuthBar's tray icons and app icon into assets/ (committed; run `npm run icons` after a
// change). One glyph — a shield with a keyhole — rasterised from its geometry with 8×8
// supersampling per pixel, so every size is drawn for its own grid instead of scaled.
// PNG encoding is pngjs's, the Windows .ico container png-to-ico's.
//
//   macOS menu bar: trayTemplate.png 18 px (+@2x) — black + alpha, recoloured by macOS (calm);
//                   tray-{soon,now,unknown}-{light,dark}.png 18 px (+@2x) — colour baked in,
//                   one variant per menu-bar appearance.
//   Linux/Windows:  tray-{ok,soon,now,unknown}.png 32 px (+@2x 64 px), tray*.ico.
//   App:            icon.png 512 px for electron-builder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import pngToIco from 'png-to-ico';

// `node scripts/make-icons.mjs [dir]` writes into dir (default assets/): the test regenerates
// into a temp dir and compares with what is committed.
const ROOT_OUT = process.argv[2] ?? 'assets';
const OUT = join(ROOT_OUT, 'tray');
const SS = 8; // samples per pixel side

// ---- Geometry, in a unit box (0..1 both ways, y down) ------------------------------------------

/** A heater shield: a flat top (crisp on a pixel grid), straight sides, a parabolic point. */
// The straight edges fall on whole pixels at 16, 24, 32 and 64 px spans (1/16 steps).
function shield({ halfW = 0.375, top = 0.0625, shoulder = 0.5, bottom = 0.97, dip = 0, inset = 0 } = {}) {
  const hw = halfW - inset;
  const t0 = top + inset;
  const b = bottom - inset * 2.1; // the point needs more room than the sides for an even rim
  return (x, y) => {
    const u = (x - 0.5) / hw;
    if (Math.abs(u) > 1) return false;
    if (y < t0 + dip * (1 - u * u) || y > b) return false;
    if (y <= shoulder) return true;
    const t = (y - shoulder) / (b - shoulder);
    return Math.abs(x - 0.5) <= hw * (1 - t * t);
  };
}

/** A keyhole: a round head over a slot that widens downwards. */
function keyhole({ cy = 0.4, r = 0.125, slotTop = 0.45, slotBottom = 0.72, wTop = 0.0625, wBottom = 0.085 } = {}) {
  return (x, y) => {
    const dx = x - 0.5;
    if (dx * dx + (y - cy) * (y - cy) <= r * r) return true;
    if (y < slotTop || y > slotBottom) return false;
    const t = (y - slotTop) / (slotBottom - slotTop);
    return Math.abs(dx) <= wTop + (wBottom - wTop) * t;
  };
}

/** A question mark: an open ring (its lower left cut away), a stem, a dot. */
function question({ cx = 0.5, cy = 0.36, R = 0.12, w = 0.05, stemBottom = 0.6, dotY = 0.7, dotR = 0.05 } = {}) {
  return (x, y) => {
    const dx = x - cx;
    const dy = y - cy;
    const d = Math.hypot(dx, dy);
    const angle = Math.atan2(dy, dx); // 0 = right, +π/2 = down
    // The ring runs from the left side over the top to straight down (−200°…90°).
    const onRing = Math.abs(d - R) <= w && ((angle <= Math.PI / 2 && angle >= -Math.PI) || angle >= (5 * Math.PI) / 6);
    const onStem = Math.abs(dx) <= w && y >= cy + R - w && y <= stemBottom;
    const onDot = Math.hypot(dx, y - dotY) <= dotR;
    return onRing || onStem || onDot;
  };
}

const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);

// ---- Rasterising -----------------------------------------------------------------------------

/** Layers painted in order, each an inside-test and a colour [r, g, b] (0..255). */
function render(size, layers, pad = 0) {
  const png = new PNG({ width: size, height: size });
  const span = size - 2 * pad;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++) {
          for (let sx = 0; sx < SS; sx++) {
            const x = (px - pad + (sx + 0.5) / SS) / span;
            const y = (py - pad + (sy + 0.5) / SS) / span;
            if (layer.inside(x, y)) hits++;
          }
        }
        const cover = (hits / (SS * SS)) * (layer.alpha ?? 1);
        if (cover === 0) continue;
        // Source-over with premultiplied accumulation; a colour may vary down the image.
        const [lr, lg, lb] = typeof layer.color === 'function' ? layer.color((py + 0.5) / size) : layer.color;
        r = lr * cover + r * (1 - cover);
        g = lg * cover + g * (1 - cover);
        b = lb * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const i = (py * size + px) * 4;
      png.data[i] = a > 0 ? Math.round(r / a) : 0;
      png.data[i + 1] = a > 0 ? Math.round(g / a) : 0;
      png.data[i + 2] = a > 0 ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return PNG.sync.write(png);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const WHITE = hex('#ffffff');
const BLACK = hex('#000000');

/** A filled shield with a darker rim and a white mark (keyhole, or "?" when unknown). */
function coloured(fill, rim, mark = 'keyhole') {
  const outer = shield();
  const inner = shield({ inset: 0.0625 });
  return [
    { inside: outer, color: hex(rim) },
    { inside: inner, color: hex(fill) },
    { inside: mark === 'keyhole' ? keyhole() : question(), color: WHITE },
  ];
}

// Colours per state. macOS: one variant for a light menu bar (deeper, for contrast on white),
// one for a dark bar (brighter). Linux/Windows trays come in both shades, so a middle one.
const MAC = {
  soon: { light: ['#f0a000', '#b57200'], dark: ['#ffbf2e', '#c98a00'] },
  now: { light: ['#e5352a', '#a81d14'], dark: ['#ff5b50', '#c42a20'] },
  unknown: { light: ['#8a8a90', '#5d5d63'], dark: ['#a9a9af', '#6e6e74'] },
};
const PLAIN = {
  ok: ['#2ea84f', '#1c7a36'],
  soon: ['#f5a700', '#b57200'],
  now: ['#e5352a', '#a81d14'],
  unknown: ['#8e8e93', '#5d5d63'],
};

// ---- Files -------------------------------------------------------------------------------------

mkdirSync(OUT, { recursive: true });
const written = [];
function write(name, buffer) {
  writeFileSync(join(OUT, name), buffer);
  written.push(name);
}

// Padding keeps the glyph off the edges as the platforms expect (macOS: ~16 of 18 px).
const macPad = (size) => size / 18;

// The template: black shield, keyhole cut out, so macOS paints it in the bar's own colour.
const template = [{ inside: minus(shield(), keyhole()), color: BLACK }];
for (const scale of [1, 2]) {
  const size = 18 * scale;
  const suffix = scale === 2 ? '@2x' : '';
  write(`trayTemplate${suffix}.png`, render(size, template, macPad(size)));
  for (const [state, variants] of Object.entries(MAC)) {
    for (const bar of ['light', 'dark']) {
      const [fill, rim] = variants[bar];
      write(
        `tray-${state}-${bar}${suffix}.png`,
        render(size, coloured(fill, rim, state === 'unknown' ? 'question' : 'keyhole'), macPad(size)),
      );
    }
  }
}

const plainLayers = (state) => coloured(PLAIN[state][0], PLAIN[state][1], state === 'unknown' ? 'question' : 'keyhole');
for (const state of Object.keys(PLAIN)) {
  write(`tray-${state}.png`, render(32, plainLayers(state)));
  write(`tray-${state}@2x.png`, render(64, plainLayers(state)));
  // Windows picks the size it needs (16 at 100 %, 20/24/32 at higher scaling) from the .ico.
  const ico = await pngToIco([16, 20, 24, 32, 40, 48, 64].map((s) => render(s, plainLayers(state))));
  write(state === 'ok' ? 'tray.ico' : `tray-${state}.ico`, ico);
}

// The app icon: a rounded square (macOS grid: 824 of 1024 px) in AuthBar blue, white shield.
function roundedSquare(inset, radius) {
  return (x, y) => {
    const lo = inset;
    const hi = 1 - inset;
    if (x < lo || x > hi || y < lo || y > hi) return false;
    const cx = Math.min(Math.max(x, lo + radius), hi - radius);
    const cy = Math.min(Math.max(y, lo + radius), hi - radius);
    return Math.hypot(x - cx, y - cy) <= radius;
  };
}
const tile = roundedSquare(100 / 1024, 185 / 1024);
const inTile = (shape) => (x, y) => shape(0.5 + (x - 0.5) / 0.56, 0.5 + (y - 0.5) / 0.56);
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const top = hex('#3d7bff');
const foot = hex('#1f4fd6');
const blue = (y) => mix(top, foot, Math.min(1, Math.max(0, (y - 0.1) / 0.8)));
const appIcon = [
  { inside: (x, y) => tile(x, y - 0.012), color: BLACK, alpha: 0.18 }, // a soft shadow below
  { inside: tile, color: blue },
  { inside: inTile(minus(shield(), keyhole())), color: WHITE },
];
writeFileSync(join(ROOT_OUT, 'icon.png'), render(512, appIcon));
written.push('../icon.png');

console.log(`wrote ${written.length} files to ${OUT}`);
