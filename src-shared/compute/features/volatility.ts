import { logReturns } from './returns.js';
import { assertWindow, rollingMean, rollingStd } from './rolling-window.js';

/**
 * Realized volatility: rolling sample standard deviation (ddof = 1) of 1-bar log returns over the
 * last `window` returns. Per bar, not annualized (multiply by √(bars per year) to annualize).
 * First defined at index `window` (the first return needs a previous close).
 */
export function realizedVolatility(close: ArrayLike<number>, window: number): Float64Array {
  return rollingStd(logReturns(close, 1), window, 1);
}

/**
 * Parkinson (1980) high–low volatility estimator, per bar:
 * σ_t = √( Σ ln(H/L)² / (4·ln2·window) ) over the last `window` bars.
 * Source: M. Parkinson, "The Extreme Value Method for Estimating the Variance of the Rate of Return",
 * Journal of Business 53 (1980).
 */
export function parkinsonVolatility(high: ArrayLike<number>, low: ArrayLike<number>, window: number): Float64Array {
  assertWindow(window);
  const n = high.length;
  const sq = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const hl = Math.log(high[t] / low[t]);
    sq[t] = hl * hl;
  }
  const mean = rollingMean(sq, window);
  const scale = 1 / (4 * Math.LN2);
  for (let t = 0; t < n; t++) mean[t] = Math.sqrt(mean[t] * scale);
  return mean;
}

/**
 * Garman–Klass (1980) open-high-low-close volatility estimator, per bar:
 * σ_t = √( mean over the window of [ ½·ln(H/L)² − (2·ln2 − 1)·ln(C/O)² ] ).
 * The mean can dip below zero on pathological bars; it is clamped to 0 before the root.
 * Source: M. Garman, M. Klass, "On the Estimation of Security Price Volatilities from Historical
 * Data", Journal of Business 53 (1980).
 */
export function garmanKlassVolatility(
  open: ArrayLike<number>,
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  window: number,
): Float64Array {
  assertWindow(window);
  const n = close.length;
  const term = new Float64Array(n);
  const k = 2 * Math.LN2 - 1;
  for (let t = 0; t < n; t++) {
    const hl = Math.log(high[t] / low[t]);
    const co = Math.log(close[t] / open[t]);
    term[t] = 0.5 * hl * hl - k * co * co;
  }
  const mean = rollingMean(term, window);
  for (let t = 0; t < n; t++) mean[t] = Math.sqrt(Math.max(mean[t], 0));
  return mean;
}
