import { assertWindow, rollingMean } from './rolling-window.js';

/**
 * Typical price (H + L + C)/3, the input of CCI, MFI and the rolling VWAP.
 * Source: StockCharts ChartSchool, "Commodity Channel Index (CCI)".
 */
export function typicalPrice(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = (high[t] + low[t] + close[t]) / 3;
  return out;
}

/**
 * Commodity Channel Index (Lambert): CCI = (TP − SMA(TP)) / (0.015 · MD), where MD is the mean
 * absolute deviation of the window's typical prices from that window's SMA (not a rolling mean of
 * deviations from older SMAs). 0 when MD = 0. First defined at index period−1. O(n·period).
 * Source: StockCharts ChartSchool, "Commodity Channel Index (CCI)"; TA-Lib CCI.
 */
export function commodityChannelIndex(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 20,
): Float64Array {
  assertWindow(period);
  const tp = typicalPrice(high, low, close);
  const mean = rollingMean(tp, period);
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let t = period - 1; t < n; t++) {
    const m = mean[t];
    if (m !== m) continue;
    let md = 0;
    for (let j = t - period + 1; j <= t; j++) md += Math.abs(tp[j] - m);
    md /= period;
    out[t] = md > 0 ? (tp[t] - m) / (0.015 * md) : 0;
  }
  return out;
}
