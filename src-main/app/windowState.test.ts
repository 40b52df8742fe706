import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIN_WINDOW_SIZE } from './windowOptions.js';
import { fitWindowState, parseWindowState, readWindowState, writeWindowState, type Rect, type WindowState } from './windowState.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'candela-window-'));
  dirs.push(d);
  return d;
};

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const stored: WindowState = { x: 100, y: 80, width: 1300, height: 800, maximized: false };

describe('reading the stored window state', () => {
  it('accepts a complete state and rounds it to pixels', () => {
    expect(parseWindowState(JSON.stringify({ ...stored, x: 100.4 }))).toEqual(stored);
  });

  it('refuses anything incomplete, non-numeric or absurd', () => {
    for (const text of ['', 'null', '[]', '{', JSON.stringify({ ...stored, maximized: 'no' }), JSON.stringify({ x: 1, y: 2, width: 3 }), JSON.stringify({ ...stored, width: 0 }), JSON.stringify({ ...stored, height: -5 }), JSON.stringify({ ...stored, x: 1e9 }), '{"x":1,"y":2,"width":"800","height":600,"maximized":false}']) {
      expect(parseWindowState(text), text).toBeNull();
    }
  });

  it('round-trips through the file, and a missing or broken file is no state', () => {
    const file = join(tempDir(), 'nested', 'window-state.json');
    expect(readWindowState(file)).toBeNull();
    writeWindowState(file, stored);
    expect(readWindowState(file)).toEqual(stored);
    expect(readdirSync(join(file, '..'))).toEqual(['window-state.json']);
    writeFileSync(file, '{"x":');
    expect(readWindowState(file)).toBeNull();
  });
});

describe('fitting the stored state to the displays there are now', () => {
  it('opens at the default size, centred, when nothing was stored', () => {
    expect(fitWindowState(null, [laptop], MAIN_WINDOW_SIZE)).toEqual({ width: 1440, height: 900, maximized: false });
  });

  it('keeps size, position and maximized on a display that still exists', () => {
    expect(fitWindowState(stored, [laptop], MAIN_WINDOW_SIZE)).toEqual(stored);
    const onRight = { ...stored, x: 2100, y: 50, maximized: true };
    expect(fitWindowState(onRight, [laptop, rightMonitor], MAIN_WINDOW_SIZE)).toEqual(onRight);
  });

  it('centres a window whose display was unplugged, at a size the remaining one can hold', () => {
    const onRight = { x: 2100, y: 50, width: 2400, height: 1300, maximized: false };
    expect(fitWindowState(onRight, [laptop], MAIN_WINDOW_SIZE)).toEqual({ width: 1920, height: 1050, maximized: false });
  });

  it('shrinks an oversized window to its display and pulls it back inside', () => {
    const big = { x: 200, y: 100, width: 3000, height: 2000, maximized: false };
    expect(fitWindowState(big, [laptop], MAIN_WINDOW_SIZE)).toEqual({ x: 0, y: 0, width: 1920, height: 1050, maximized: false });
  });

  it('does not keep a position whose title bar is off every display', () => {
    const aboveTheTop = { ...stored, y: -500 };
    expect(fitWindowState(aboveTheTop, [laptop], MAIN_WINDOW_SIZE)).toEqual({ width: 1300, height: 800, maximized: false });
    const sliverOnScreen = { ...stored, x: 1920 - 30 };
    expect(fitWindowState(sliverOnScreen, [laptop], MAIN_WINDOW_SIZE).x).toBeUndefined();
  });

  it('never goes below the minimum size, even on a small display', () => {
    const tiny = { ...stored, width: 200, height: 100 };
    expect(fitWindowState(tiny, [laptop], MAIN_WINDOW_SIZE)).toMatchObject({ width: 960, height: 600 });
    expect(fitWindowState(null, [{ x: 0, y: 0, width: 800, height: 500 }], MAIN_WINDOW_SIZE)).toMatchObject({ width: 960, height: 600 });
  });
});
