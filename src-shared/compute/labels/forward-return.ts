import { forwardWindow, type LabelWindow } from './label-window.js';

export interface RegressionTarget {
  /** Target per row; NaN where unknown (last `horizon` rows, missing or non-positive prices). */
  readonly values: Float32Array;
  readonly window: LabelWindow;
}

/**
 * Forward log return over `horizon` bars as a regression target: y_t = ln(close_{t+h} / close_t).
 * Label window: bars t+1 … t+h.
 */
export function forwardLogReturn(close: ArrayLike<number>, horizon: number): RegressionTarget {
  const window = forwardWindow(horizon);
  const n = close.length;
  const values = new Float32Array(n).fill(NaN);
  for (let t = 0; t + horizon < n; t++) {
    const ratio = close[t + horizon] / close[t];
    if (ratio > 0 && ratio < Infinity) values[t] = Math.log(ratio);
  }
  return { values, window };
}
