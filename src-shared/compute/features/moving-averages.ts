import { assertWindow, rollingMean } from './rolling-window.js';

/**
 * Simple moving average of the last `period` values (t−period+1 … t).
 * Source: StockCharts ChartSchool, "Moving Averages — Simple and Exponential".
 */
export function sma(x: ArrayLike<number>, period: number): Float64Array {
  return rollingMean(x, period);
}

/**
 * Recursive smoothing y_t = y_{t−1} + alpha·(x_t − y_{t−1}) seeded by the SMA of the first
 * `period` finite values (the TA-Lib / StockCharts seeding, so results do not depend on how much
 * history precedes the seed). Output is NaN before the seed. A non-finite input restarts the
 * warm-up: a gap must not be smoothed over as if it were data.
 */
export function seededExponentialSmoothing(x: ArrayLike<number>, period: number, alpha: number): Float64Array {
  assertWindow(period, 1, 'period');
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  let run = 0;
  let sum = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!(v - v === 0)) {
      run = 0;
      sum = 0;
      continue;
    }
    run++;
    if (run < period) {
      sum += v;
    } else if (run === period) {
      prev = (sum + v) / period;
      out[i] = prev;
    } else {
      prev += alpha * (v - prev);
      out[i] = prev;
    }
  }
  return out;
}

/**
 * Exponential moving average with alpha = 2/(period+1), seeded by the SMA of the first `period`
 * values; first defined at index period−1.
 * Source: StockCharts ChartSchool, "Moving Averages — Simple and Exponential"; TA-Lib EMA.
 */
export function ema(x: ArrayLike<number>, period: number): Float64Array {
  return seededExponentialSmoothing(x, period, 2 / (period + 1));
}

/**
 * Wilder smoothing: an EMA with alpha = 1/period seeded by the SMA of the first `period` values
 * (Wilder's running "sum − sum/n + x" form divided by n). First defined at index period−1 of its input.
 * Source: J. Welles Wilder, "New Concepts in Technical Trading Systems" (1978).
 */
export function wilderSmoothing(x: ArrayLike<number>, period: number): Float64Array {
  return seededExponentialSmoothing(x, period, 1 / period);
}
