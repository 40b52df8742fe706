/**
 * Standard deviation (sample, n − 1) of the last `lookback` close-to-close log returns ending at
 * each bar, i.e. known at that bar's close; NaN until `lookback` returns exist. O(n) with running sums,
 * re-summed every 4096 bars so that add/subtract rounding cannot accumulate.
 */
export function rollingLogReturnVolatility(close: Float64Array, lookback: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const r = new Float64Array(n);
  for (let i = 1; i < n; i++) r[i] = Math.log(close[i] / close[i - 1]);
  let sum = 0;
  let sumSq = 0;
  for (let i = 1; i < n; i++) {
    if (i > lookback && i % 4096 === 0) {
      // Re-sum the window now and then so that add/subtract rounding cannot accumulate.
      sum = 0;
      sumSq = 0;
      for (let j = i - lookback + 1; j < i; j++) {
        sum += r[j];
        sumSq += r[j] * r[j];
      }
    } else if (i > lookback) {
      sum -= r[i - lookback];
      sumSq -= r[i - lookback] * r[i - lookback];
    }
    sum += r[i];
    sumSq += r[i] * r[i];
    if (i >= lookback) {
      const variance = (sumSq - (sum * sum) / lookback) / (lookback - 1);
      out[i] = Math.sqrt(Math.max(variance, 0));
    }
  }
  return out;
}
