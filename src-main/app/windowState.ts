import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The main window's size and position between sessions, in a small JSON file in userData. A file
 * that is missing, unreadable or from a display layout that no longer exists never stops the
 * window from opening: it opens at the default size, centred, on the primary display.
 */
export interface WindowState {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowBounds {
  /** Absent: let Electron centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface SizeLimits {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** A stored state when every field is present and sane, otherwise null. */
export function parseWindowState(text: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isInt(r.x) || !isInt(r.y) || !isInt(r.width) || !isInt(r.height) || typeof r.maximized !== 'boolean') return null;
  if (r.width <= 0 || r.height <= 0) return null;
  return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height), maximized: r.maximized };
}

/** How much of the title bar must be on a display for the stored position to be kept. */
const GRIP = { width: 120, height: 40 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * The bounds to open with, given the stored state and the displays' work areas now: the size is
 * kept within the minimum and the display it lands on; the position only when enough of the title
 * bar would be on a display to grab it (a monitor unplugged since leaves it centred instead).
 */
export function fitWindowState(state: WindowState | null, workAreas: readonly Rect[], limits: SizeLimits): WindowBounds {
  const largest = workAreas.reduce<Rect | null>((best, a) => (!best || a.width * a.height > best.width * best.height ? a : best), null);
  const clampSize = (w: number, h: number, area: Rect | null) => ({
    width: Math.max(limits.minWidth, area ? Math.min(w, area.width) : w),
    height: Math.max(limits.minHeight, area ? Math.min(h, area.height) : h),
  });
  if (!state) return { ...clampSize(limits.width, limits.height, largest), maximized: false };
  const titleBar: Rect = { x: state.x, y: state.y, width: state.width, height: GRIP.height };
  const home = workAreas.find((a) => {
    const o = overlap(titleBar, a);
    return o.width >= Math.min(GRIP.width, state.width) && o.height >= GRIP.height;
  });
  if (!home) return { ...clampSize(state.width, state.height, largest), maximized: state.maximized };
  const size = clampSize(state.width, state.height, home);
  // Pulled back inside its display when it grew past an edge by being clamped or by a resolution change.
  const x = Math.min(Math.max(state.x, home.x), home.x + home.width - Math.min(size.width, home.width));
  const y = Math.min(Math.max(state.y, home.y), home.y + home.height - Math.min(size.height, home.height));
  return { x, y, ...size, maximized: state.maximized };
}

export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Written beside and renamed over, so a crash mid-write leaves the previous state, not half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
