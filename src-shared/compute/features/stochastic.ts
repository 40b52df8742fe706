import { rollingMax, rollingMean, rollingMin } from './rolling-window.js';

export interface Stochastic {
  /** %K in [0, 100]. */
  readonly k: Float64Array;
  /** %D = SMA(dPeriod) of %K. */
  readonly d: Float64Array;
}

/**
 * Stochastic oscillator (Lane): raw %K = 100·(C − LL)/(HH − LL) with HH/LL the highest high and
 * lowest low of the last `kPeriod` bars; %K = SMA(smoothK) of raw %K (smoothK = 1: fast stochastic);
 * %D = SMA(dPeriod) of %K. A zero high–low range gives 50 (price sits in the middle of nothing).
 * First defined at index kPeriod+smoothK−2 (%K) and kPeriod+smoothK+dPeriod−3 (%D).
 * Source: StockCharts ChartSchool, "Stochastic Oscillator (Fast, Slow, and Full)".
 */
export function stochasticOscillator(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  kPeriod = 14,
  dPeriod = 3,
  smoothK = 1,
): Stochastic {
  const hh = rollingMax(high, kPeriod);
  const ll = rollingMin(low, kPeriod);
  const n = close.length;
  const raw = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const range = hh[t] - ll[t];
    raw[t] = range > 0 ? (100 * (close[t] - ll[t])) / range : range === 0 ? 50 : NaN;
  }
  const k = smoothK > 1 ? rollingMean(raw, smoothK) : raw;
  return { k, d: rollingMean(k, dPeriod) };
}
