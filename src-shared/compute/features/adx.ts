import { trueRange } from './atr.js';
import { wilderSmoothing } from './moving-averages.js';

export interface DirectionalMovement {
  /** +DI in [0, 100]; first defined at index `period`. */
  readonly plusDi: Float64Array;
  /** −DI in [0, 100]; first defined at index `period`. */
  readonly minusDi: Float64Array;
  /** ADX in [0, 100]; first defined at index 2·period − 1. */
  readonly adx: Float64Array;
}

/**
 * Wilder's directional movement system. +DM = H_t − H_{t−1} when that up-move exceeds the down-move
 * L_{t−1} − L_t and is positive, else 0 (−DM symmetrically). TR, +DM and −DM are Wilder-smoothed
 * (alpha = 1/period, seeded by the mean of the first `period` values from bar 1 — Wilder's running
 * sums divided by n, which leaves the DI ratios unchanged); ±DI = 100·smoothed DM / smoothed TR;
 * DX = 100·|+DI − −DI| / (+DI + −DI); ADX = Wilder smoothing of DX seeded by the mean of the first
 * `period` DX values. Zero denominators (a perfectly flat market) give 0.
 * Source: Wilder (1978); StockCharts ChartSchool, "Average Directional Index (ADX)"; TA-Lib ADX.
 */
export function directionalMovement(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 14,
): DirectionalMovement {
  const n = close.length;
  const plusDm = new Float64Array(n).fill(NaN);
  const minusDm = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const up = high[t] - high[t - 1];
    const down = low[t - 1] - low[t];
    if (up !== up || down !== down) continue;
    plusDm[t] = up > down && up > 0 ? up : 0;
    minusDm[t] = down > up && down > 0 ? down : 0;
  }
  const sTr = wilderSmoothing(trueRange(high, low, close), period);
  const sPlus = wilderSmoothing(plusDm, period);
  const sMinus = wilderSmoothing(minusDm, period);
  const plusDi = new Float64Array(n);
  const minusDi = new Float64Array(n);
  const dx = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const tr = sTr[t];
    const p = tr > 0 ? (100 * sPlus[t]) / tr : tr === 0 ? 0 : NaN;
    const m = tr > 0 ? (100 * sMinus[t]) / tr : tr === 0 ? 0 : NaN;
    plusDi[t] = p;
    minusDi[t] = m;
    const sum = p + m;
    dx[t] = sum > 0 ? (100 * Math.abs(p - m)) / sum : sum === 0 ? 0 : NaN;
  }
  return { plusDi, minusDi, adx: wilderSmoothing(dx, period) };
}
