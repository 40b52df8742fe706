export interface CandleShape {
  /** (close − open) / range, in [−1, 1]: signed body. */
  readonly body: Float64Array;
  /** (high − max(open, close)) / range, in [0, 1]. */
  readonly upperShadow: Float64Array;
  /** (min(open, close) − low) / range, in [0, 1]. */
  readonly lowerShadow: Float64Array;
}

/**
 * Candle body and shadows as fractions of the bar's range (high − low), so they compare across
 * price levels. A zero-range bar (doji at one price) gives 0 for all three.
 * |body| + upperShadow + lowerShadow = 1 on any bar with a non-zero range.
 */
export function candleShape(
  open: ArrayLike<number>,
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
): CandleShape {
  const n = close.length;
  const body = new Float64Array(n);
  const upperShadow = new Float64Array(n);
  const lowerShadow = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const o = open[t];
    const c = close[t];
    const range = high[t] - low[t];
    if (range > 0) {
      body[t] = (c - o) / range;
      upperShadow[t] = (high[t] - Math.max(o, c)) / range;
      lowerShadow[t] = (Math.min(o, c) - low[t]) / range;
    } else {
      const v = range === 0 && o === o && c === c ? 0 : NaN;
      body[t] = v;
      upperShadow[t] = v;
      lowerShadow[t] = v;
    }
  }
  return { body, upperShadow, lowerShadow };
}
