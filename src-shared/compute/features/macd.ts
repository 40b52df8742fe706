import { ema } from './moving-averages.js';

export interface Macd {
  /** EMA(fast) − EMA(slow) of close, in price units. */
  readonly line: Float64Array;
  /** EMA(signal) of the line. */
  readonly signal: Float64Array;
  /** line − signal. */
  readonly histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence (Appel). Each EMA is seeded by the SMA of its own first
 * `period` inputs (see {@link ema}): the line is first defined at index slow−1 and the signal and
 * histogram at index slow+signal−2 (33 for 12/26/9), since the signal EMA is seeded by the SMA of
 * the first `signal` line values. In price units: divide by close for a scale-free feature.
 * Source: StockCharts ChartSchool, "MACD (Moving Average Convergence/Divergence Oscillator)".
 */
export function macd(close: ArrayLike<number>, fast = 12, slow = 26, signal = 9): Macd {
  const fastEma = ema(close, fast);
  const slowEma = ema(close, slow);
  const n = close.length;
  const line = new Float64Array(n);
  for (let t = 0; t < n; t++) line[t] = fastEma[t] - slowEma[t];
  const sig = ema(line, signal);
  const histogram = new Float64Array(n);
  for (let t = 0; t < n; t++) histogram[t] = line[t] - sig[t];
  return { line, signal: sig, histogram };
}
