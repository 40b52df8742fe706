import { assertWindow } from './rolling-window.js';

/**
 * Simple return over k bars: r_t = close_t / close_{t−k} − 1. NaN for t < k and wherever the ratio is
 * not a finite number (missing or non-positive prices).
 */
export function simpleReturns(close: ArrayLike<number>, k = 1): Float64Array {
  assertWindow(k, 1, 'k');
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let t = k; t < n; t++) {
    const ratio = close[t] / close[t - k];
    if (ratio >= 0 && ratio < Infinity) out[t] = ratio - 1;
  }
  return out;
}

/**
 * Log return over k bars: r_t = ln(close_t / close_{t−k}). NaN for t < k and wherever the ratio is
 * not a finite positive number (a zero or negative price has no log return).
 */
export function logReturns(close: ArrayLike<number>, k = 1): Float64Array {
  assertWindow(k, 1, 'k');
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let t = k; t < n; t++) {
    const ratio = close[t] / close[t - k];
    if (ratio > 0 && ratio < Infinity) out[t] = Math.log(ratio);
  }
  return out;
}
