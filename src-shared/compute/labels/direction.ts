import { bpsToFraction, type Bps } from '../../domain/units.js';
import { realizedVolatility } from '../features/volatility.js';
import { CLASS_NAMES, DOWN, FLAT, forwardWindow, NO_LABEL, upClass, type ClassLabels, type ClassScheme } from './label-window.js';

/**
 * Width of the "no move" band around zero:
 * - `bandBps`: a fixed band of ± bandBps basis points;
 * - `volScaled`: ± k·σ_t·√horizon, σ_t = realized volatility (std of 1-bar log returns) over the
 *   `window` bars ending at t — known at t, so the threshold itself never looks ahead.
 */
export type DirectionThreshold = { readonly bandBps: Bps } | { readonly volScaled: { readonly window: number; readonly k: number } };

/**
 * Direction of the close over the next `horizon` bars: r = close_{t+h} / close_t − 1 compared with
 * the band b_t. 'up-flat-down': UP (2) if r > b, DOWN (0) if r < −b, else FLAT (1).
 * 'up-down': UP (1) if r > b, DOWN (0) if r < −b, and rows inside the band get NO_LABEL (−1)
 * rather than a forced side. NO_LABEL also for the last `horizon` rows, missing prices and
 * volatility warm-up. Label window: bars t+1 … t+h.
 */
export function directionLabels(
  close: ArrayLike<number>,
  horizon: number,
  threshold: DirectionThreshold,
  classes: ClassScheme,
): ClassLabels {
  const window = forwardWindow(horizon);
  const n = close.length;
  const labels = new Int8Array(n).fill(NO_LABEL);
  const up = upClass(classes);
  const fixedBand = 'bandBps' in threshold ? bpsToFraction(threshold.bandBps) : NaN;
  const vol = 'volScaled' in threshold ? realizedVolatility(close, threshold.volScaled.window) : null;
  const volScale = 'volScaled' in threshold ? threshold.volScaled.k * Math.sqrt(horizon) : 0;
  if (!(fixedBand >= 0) && vol === null) throw new RangeError('bandBps must be ≥ 0');
  if (vol !== null && !(volScale >= 0)) throw new RangeError('volScaled.k must be ≥ 0');
  for (let t = 0; t + horizon < n; t++) {
    const r = close[t + horizon] / close[t] - 1;
    const band = vol ? vol[t] * volScale : fixedBand;
    if (!(r - r === 0) || !(band >= 0)) continue;
    if (r > band) labels[t] = up;
    else if (r < -band) labels[t] = DOWN;
    else if (classes === 'up-flat-down') labels[t] = FLAT;
  }
  return { labels, scheme: classes, classNames: CLASS_NAMES[classes], window };
}
