import { ema, macd, relativeStrengthIndex, rollingStd, sma } from '../../../src-shared/compute/features/index.js';

export type OverlayName = 'sma20' | 'ema50' | 'bollinger';
export type PaneIndicator = 'none' | 'rsi' | 'macd';

export interface LinePoint {
  time: number;
  value: number;
}

const points = (timesSec: number[], values: ArrayLike<number>): LinePoint[] => {
  const out: LinePoint[] = [];
  for (let i = 0; i < timesSec.length; i++) if (Number.isFinite(values[i]!)) out.push({ time: timesSec[i]!, value: values[i]! });
  return out;
};

/** Overlay lines on the price pane, from the shared indicator library (the same code features use). */
export function overlayLines(name: OverlayName, timesSec: number[], close: number[]): { key: string; color: string; data: LinePoint[] }[] {
  if (name === 'sma20') return [{ key: 'SMA 20', color: '#e0a63b', data: points(timesSec, sma(close, 20)) }];
  if (name === 'ema50') return [{ key: 'EMA 50', color: '#ab7df8', data: points(timesSec, ema(close, 50)) }];
  const mid = sma(close, 20);
  const sd = rollingStd(close, 20, 0);
  const upper = mid.map((m, i) => m + 2 * sd[i]!);
  const lower = mid.map((m, i) => m - 2 * sd[i]!);
  return [
    { key: 'BB upper', color: '#4f9cf9', data: points(timesSec, upper) },
    { key: 'BB mid', color: '#4f9cf980', data: points(timesSec, mid) },
    { key: 'BB lower', color: '#4f9cf9', data: points(timesSec, lower) },
  ];
}

export function paneLines(name: Exclude<PaneIndicator, 'none'>, timesSec: number[], close: number[]): { key: string; color: string; data: LinePoint[]; histogram?: boolean }[] {
  if (name === 'rsi') return [{ key: 'RSI 14', color: '#e0a63b', data: points(timesSec, relativeStrengthIndex(close, 14)) }];
  const m = macd(close, 12, 26, 9);
  return [
    { key: 'MACD', color: '#4f9cf9', data: points(timesSec, m.line) },
    { key: 'Signal', color: '#e0a63b', data: points(timesSec, m.signal) },
    { key: 'Histogram', color: '#8792a2', data: points(timesSec, m.histogram), histogram: true },
  ];
}
