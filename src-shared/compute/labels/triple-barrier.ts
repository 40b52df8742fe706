import type { Fraction } from '../../domain/units.js';
import { realizedVolatility } from '../features/volatility.js';
import { CLASS_NAMES, DOWN, FLAT, forwardWindow, NO_LABEL, upClass, type ClassLabels, type ClassScheme } from './label-window.js';

/**
 * Distances of the horizontal barriers from close_t, as fractions of close_t:
 * - `fixed`: the same fractions for every row (Infinity disables a barrier);
 * - `volatility`: mult·σ_t·√horizon, σ_t = realized volatility (std of 1-bar log returns) over the
 *   `window` bars ending at t, so a multiplier of 1 is one standard deviation of an h-bar move.
 *   A zero width (flat history) disables that barrier for the row.
 */
export type BarrierWidths =
  | { readonly kind: 'fixed'; readonly profitTake: Fraction; readonly stopLoss: Fraction }
  | { readonly kind: 'volatility'; readonly window: number; readonly profitTakeMult: number; readonly stopLossMult: number };

export interface TripleBarrierOptions {
  /** Vertical (time) barrier: bars after t. */
  readonly horizon: number;
  readonly barriers: BarrierWidths;
  readonly classes: ClassScheme;
}

/** Which barrier ended a row's trade. */
export const BARRIER_TOUCH = { stopLoss: -1, time: 0, profitTake: 1 } as const;

export interface TripleBarrierLabels extends ClassLabels {
  /** +1 profit-take, −1 stop-loss, 0 time barrier (also 0 for unlabeled rows). */
  readonly touched: Int8Array;
  /** Bars from t to the exit bar (1 … horizon); 0 for unlabeled rows. */
  readonly exitOffset: Int32Array;
}

/**
 * Triple-barrier labels (López de Prado, "Advances in Financial Machine Learning", ch. 3.4). For
 * each row t: upper = close_t·(1 + pt), lower = close_t·(1 − sl); scan bars t+1 … t+h and stop at
 * the first bar whose high ≥ upper (profit-take → UP) or low ≤ lower (stop-loss → DOWN).
 * Tie rule: if one bar touches both barriers the intrabar order is unknown, and the row is labeled
 * stop-loss (the pessimistic choice a trader's backtest would also have to make).
 * Time barrier: 'up-flat-down' → FLAT; 'up-down' → the sign of close_{t+h}/close_t − 1
 * (NO_LABEL when exactly 0), as in López de Prado's sign-at-vertical-barrier variant.
 * The last h rows are NO_LABEL even when a barrier is touched early: labeling only the fast-touching
 * rows near the end would bias the class mix. NO_LABEL where close_t or close_{t+h} is missing; a
 * missing high or low inside the window counts as untouched.
 */
export function tripleBarrierLabels(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  options: TripleBarrierOptions,
): TripleBarrierLabels {
  const { horizon, barriers, classes } = options;
  const window = forwardWindow(horizon);
  const n = close.length;
  const labels = new Int8Array(n).fill(NO_LABEL);
  const touched = new Int8Array(n);
  const exitOffset = new Int32Array(n);
  const up = upClass(classes);
  const vol = barriers.kind === 'volatility' ? realizedVolatility(close, barriers.window) : null;
  if (barriers.kind === 'fixed' && !(barriers.profitTake > 0 && barriers.stopLoss > 0)) {
    throw new RangeError('fixed barriers must be > 0 (use Infinity to disable one)');
  }
  if (barriers.kind === 'volatility' && !(barriers.profitTakeMult >= 0 && barriers.stopLossMult >= 0)) {
    throw new RangeError('barrier multipliers must be ≥ 0 (0 or Infinity disables one)');
  }
  const sqrtH = Math.sqrt(horizon);
  for (let t = 0; t + horizon < n; t++) {
    const c = close[t];
    const cEnd = close[t + horizon];
    if (!(c > 0 && c < Infinity) || !(cEnd - cEnd === 0)) continue;
    let pt: number;
    let sl: number;
    if (vol && barriers.kind === 'volatility') {
      const sigma = vol[t];
      if (!(sigma >= 0)) continue;
      pt = barriers.profitTakeMult * sigma * sqrtH;
      sl = barriers.stopLossMult * sigma * sqrtH;
      if (!(pt > 0)) pt = Infinity;
      if (!(sl > 0)) sl = Infinity;
    } else if (barriers.kind === 'fixed') {
      pt = barriers.profitTake;
      sl = barriers.stopLoss;
    } else {
      continue;
    }
    const upper = c * (1 + pt);
    const lower = c * (1 - sl);
    let label: number = NO_LABEL;
    let touch: number = BARRIER_TOUCH.time;
    let offset = horizon;
    for (let k = 1; k <= horizon; k++) {
      const hitLower = low[t + k] <= lower;
      const hitUpper = high[t + k] >= upper;
      if (hitLower || hitUpper) {
        touch = hitLower ? BARRIER_TOUCH.stopLoss : BARRIER_TOUCH.profitTake;
        label = hitLower ? DOWN : up;
        offset = k;
        break;
      }
    }
    if (touch === BARRIER_TOUCH.time) {
      if (classes === 'up-flat-down') {
        label = FLAT;
      } else {
        const r = cEnd / c - 1;
        label = r > 0 ? up : r < 0 ? DOWN : NO_LABEL;
      }
    }
    if (label === NO_LABEL) continue;
    labels[t] = label;
    touched[t] = touch;
    exitOffset[t] = offset;
  }
  return { labels, scheme: classes, classNames: CLASS_NAMES[classes], window, touched, exitOffset };
}
