/** windowPosition: near the tray where the platform says where it is, always on screen. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowPosition } from '../../main/app/window-position.js';

const size = { width: 440, height: 600 };
const cases: Array<
  [string, Parameters<typeof windowPosition>[0], Parameters<typeof windowPosition>[2], { x: number; y: number }]
> = [
  [
    'macOS menu bar: centred under the icon',
    { x: 1000, y: 0, width: 24, height: 24 },
    { x: 0, y: 25, width: 1440, height: 875 },
    { x: 792, y: 28 },
  ],
  [
    'macOS icon near the right edge: kept on screen',
    { x: 1420, y: 0, width: 24, height: 24 },
    { x: 0, y: 25, width: 1440, height: 875 },
    { x: 1000, y: 28 },
  ],
  [
    'Windows taskbar at the bottom: above the icon',
    { x: 1700, y: 1040, width: 24, height: 40 },
    { x: 0, y: 0, width: 1920, height: 1040 },
    { x: 1480, y: 436 },
  ],
  [
    'taskbar on the left: beside it',
    { x: 0, y: 900, width: 48, height: 24 },
    { x: 48, y: 0, width: 1872, height: 1080 },
    { x: 52, y: 480 },
  ],
  [
    'taskbar on the right: beside it',
    { x: 1872, y: 500, width: 48, height: 24 },
    { x: 0, y: 0, width: 1872, height: 1080 },
    { x: 1428, y: 212 },
  ],
  [
    'Linux gives no bounds: top-right of the work area',
    { x: 0, y: 0, width: 0, height: 0 },
    { x: 0, y: 27, width: 1920, height: 1053 },
    { x: 1476, y: 31 },
  ],
  ['no tray at all', null, { x: 100, y: 0, width: 800, height: 600 }, { x: 456, y: 0 }],
  [
    'second display with an offset',
    { x: 2900, y: 0, width: 24, height: 24 },
    { x: 1920, y: 25, width: 1440, height: 875 },
    { x: 2692, y: 28 },
  ],
  [
    'window taller than the screen: pinned to the top',
    { x: 500, y: 0, width: 24, height: 24 },
    { x: 0, y: 25, width: 1024, height: 400 },
    { x: 292, y: 25 },
  ],
];
for (const [name, tray, work, want] of cases) {
  test(`windowPosition: ${name}`, () => {
    const got = windowPosition(tray, size, work);
    assert.deepEqual(got, want);
    assert.ok(got.x >= work.x && got.x + size.width <= work.x + Math.max(work.width, size.width));
  });
}
