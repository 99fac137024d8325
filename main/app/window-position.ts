/**
 * Where the details window goes: under the menu-bar icon on macOS, above the tray on a bottom
 * taskbar, beside it on a side one; kept inside the work area. Linux often reports no tray
 * bounds (all zeros): then the top-right corner of the work area.
 */
import type { Point, Rectangle, Size } from './electron-ports.js';

const GAP = 4;

export function windowPosition(tray: Rectangle | null, size: Size, workArea: Rectangle): Point {
  const known = tray !== null && tray.width > 0 && tray.height > 0;
  let x: number;
  let y: number;
  if (!known) {
    x = workArea.x + workArea.width - size.width - GAP;
    y = workArea.y + GAP;
  } else {
    const cx = tray.x + tray.width / 2;
    const cy = tray.y + tray.height / 2;
    const left = cx < workArea.x + workArea.width / 2;
    const top = cy < workArea.y + workArea.height / 2;
    // A tray outside the work area's left or right edge sits in a vertical taskbar.
    const sideBar = tray.x + tray.width <= workArea.x || tray.x >= workArea.x + workArea.width;
    if (sideBar) {
      x = left ? workArea.x + GAP : workArea.x + workArea.width - size.width - GAP;
      y = cy - size.height / 2;
    } else {
      x = cx - size.width / 2;
      y = top ? tray.y + tray.height + GAP : tray.y - size.height - GAP;
    }
  }
  return {
    x: Math.round(clamp(x, workArea.x, workArea.x + workArea.width - size.width)),
    y: Math.round(clamp(y, workArea.y, workArea.y + workArea.height - size.height)),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return hi < lo ? lo : Math.min(Math.max(v, lo), hi);
}
