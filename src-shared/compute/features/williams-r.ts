import { rollingMax, rollingMin } from './rolling-window.js';

/**
 * Williams %R = −100·(HH − C)/(HH − LL) over the last `period` bars, in [−100, 0]; −50 when the
 * range is zero. First defined at index period−1.
 * Source: StockCharts ChartSchool, "Williams %R".
 */
export function williamsR(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): Float64Array {
  const hh = rollingMax(high, period);
  const ll = rollingMin(low, period);
  const n = close.length;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const range = hh[t] - ll[t];
    out[t] = range > 0 ? (-100 * (hh[t] - close[t])) / range : range === 0 ? -50 : NaN;
  }
  return out;
}
