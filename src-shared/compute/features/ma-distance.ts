import { ema, sma } from './moving-averages.js';

function distance(close: ArrayLike<number>, ma: Float64Array): Float64Array {
  for (let t = 0; t < ma.length; t++) ma[t] = close[t] / ma[t] - 1;
  return ma;
}

/**
 * Distance of close to its simple moving average: close_t / SMA(period)_t − 1 (scale-free).
 * First defined at index period−1.
 */
export function smaDistance(close: ArrayLike<number>, period: number): Float64Array {
  return distance(close, sma(close, period));
}

/**
 * Distance of close to its exponential moving average: close_t / EMA(period)_t − 1, EMA seeded by
 * the SMA of the first `period` closes (see {@link ema}). First defined at index period−1.
 */
export function emaDistance(close: ArrayLike<number>, period: number): Float64Array {
  return distance(close, ema(close, period));
}
