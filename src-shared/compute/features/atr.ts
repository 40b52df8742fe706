import { wilderSmoothing } from './moving-averages.js';

/**
 * True range: max(H_t − L_t, |H_t − C_{t−1}|, |L_t − C_{t−1}|). Index 0 has no previous close and
 * is NaN (TA-Lib convention), so ATR's seed uses bars 1 … period.
 * Source: Wilder (1978); StockCharts ChartSchool, "Average True Range (ATR)".
 */
export function trueRange(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const pc = close[t - 1];
    out[t] = Math.max(high[t] - low[t], Math.abs(high[t] - pc), Math.abs(low[t] - pc));
  }
  return out;
}

/**
 * Average true range: Wilder smoothing (alpha = 1/period, seeded by the SMA of the first `period`
 * true ranges) of {@link trueRange}. First defined at index `period`. In price units: divide by
 * close for a scale-free feature (NATR).
 * Source: Wilder (1978); TA-Lib ATR.
 */
export function averageTrueRange(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 14,
): Float64Array {
  return wilderSmoothing(trueRange(high, low, close), period);
}
