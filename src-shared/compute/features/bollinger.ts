import { rollingMean, rollingStd } from './rolling-window.js';

export interface BollingerBands {
  /** %B = (close − lower) / (upper − lower); 0.5 when the bands collapse (zero volatility). */
  readonly percentB: Float64Array;
  /** Bandwidth = (upper − lower) / middle. */
  readonly bandwidth: Float64Array;
}

/**
 * Bollinger %B and bandwidth: middle = SMA(period) of close, bands = middle ± k·σ with σ the
 * POPULATION standard deviation (ddof = 0) of the same window, as Bollinger defines it.
 * First defined at index period−1.
 * Source: J. Bollinger, "Bollinger on Bollinger Bands" (2001); StockCharts ChartSchool,
 * "Bollinger Bands %B" and "Bollinger BandWidth".
 */
export function bollingerBands(close: ArrayLike<number>, period = 20, k = 2): BollingerBands {
  const mid = rollingMean(close, period);
  const sd = rollingStd(close, period, 0);
  const n = close.length;
  const percentB = new Float64Array(n);
  const bandwidth = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const width = 2 * k * sd[t];
    percentB[t] = width > 0 ? (close[t] - (mid[t] - k * sd[t])) / width : width === 0 ? 0.5 : NaN;
    bandwidth[t] = width / mid[t];
  }
  return { percentB, bandwidth };
}
