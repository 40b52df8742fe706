import { wilderSmoothing } from './moving-averages.js';

/**
 * Relative Strength Index: RSI = 100 − 100 / (1 + avgGain/avgLoss), where avgGain and avgLoss are
 * Wilder smoothings (alpha = 1/period, seeded by the SMA of the first `period` changes) of the
 * positive and negative close-to-close changes. First defined at index `period`.
 * When avgLoss = 0 the RSI is 100, or 50 when avgGain is also 0 (a flat market has no strength).
 * Source: Wilder (1978); StockCharts ChartSchool, "Relative Strength Index (RSI)".
 */
export function relativeStrengthIndex(close: ArrayLike<number>, period = 14): Float64Array {
  const n = close.length;
  const gains = new Float64Array(n).fill(NaN);
  const losses = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const d = close[t] - close[t - 1];
    gains[t] = d > 0 ? d : d === d ? 0 : NaN;
    losses[t] = d < 0 ? -d : d === d ? 0 : NaN;
  }
  const avgGain = wilderSmoothing(gains, period);
  const avgLoss = wilderSmoothing(losses, period);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const g = avgGain[t];
    const l = avgLoss[t];
    out[t] = l > 0 ? 100 - 100 / (1 + g / l) : g > 0 ? 100 : g === 0 ? 50 : NaN;
  }
  return out;
}
