/**
 * Per-regime breakdowns: given a regime label per bar (0…k−1, or `REGIME_UNKNOWN`) and per-bar
 * model correctness or strategy returns, the counts, accuracy, return, Sharpe and drawdown of the
 * bars in each regime. The parts add up to the whole: bar and hit counts sum over regimes (plus the
 * unknown bucket) to the totals, and the growth factors Π(1 + R_k) multiply to the whole period's.
 */
import { REGIME_UNKNOWN } from './regimes.js';
import { drawdownSummary, type Series } from './statistics.js';

/** Regime labels, one per bar. */
export type RegimeLabels = Int8Array | Int16Array | Int32Array;

export interface RegimeAccuracyRow {
  /** Label code; −1 is the bucket of bars whose regime is unknown. */
  regime: number;
  bars: number;
  correct: number;
  /** correct / bars; null for an empty regime. */
  accuracy: number | null;
}

function checkLabels(labels: RegimeLabels, regimeCount: number, n: number): void {
  if (labels.length !== n) throw new RangeError(`${labels.length} regime labels for ${n} bars`);
  for (let t = 0; t < n; t++) {
    const l = labels[t];
    if (l !== REGIME_UNKNOWN && (l < 0 || l >= regimeCount)) throw new RangeError(`regime label ${l} at bar ${t} is outside 0…${regimeCount - 1}`);
  }
}

/**
 * Accuracy per regime. `correct[t]` is 1 when the model's call at bar t was right, 0 when wrong;
 * `evaluated[t]` (optional, default all) is 0 for bars without a prediction, which count nowhere.
 * Rows 0…regimeCount−1 then the unknown bucket (regime −1).
 */
export function accuracyByRegime(labels: RegimeLabels, correct: Uint8Array, regimeCount: number, evaluated?: Uint8Array): RegimeAccuracyRow[] {
  checkLabels(labels, regimeCount, correct.length);
  const bars = new Float64Array(regimeCount + 1);
  const hits = new Float64Array(regimeCount + 1);
  for (let t = 0; t < correct.length; t++) {
    if (evaluated && !evaluated[t]) continue;
    const slot = labels[t] === REGIME_UNKNOWN ? regimeCount : labels[t];
    bars[slot]++;
    if (correct[t]) hits[slot]++;
  }
  const rows: RegimeAccuracyRow[] = [];
  for (let k = 0; k <= regimeCount; k++) {
    rows.push({ regime: k === regimeCount ? REGIME_UNKNOWN : k, bars: bars[k], correct: hits[k], accuracy: bars[k] > 0 ? hits[k] / bars[k] : null });
  }
  return rows;
}

export interface RegimeReturnRow {
  regime: number;
  bars: number;
  /** Π(1 + r_t) − 1 over the regime's bars: the return of holding the strategy only in this regime. */
  totalReturn: number;
  /** mean(r) / std(r) × √periodsPerYear over the regime's bars (std with n − 1; Sharpe 1994); null below 2 bars or with zero variance. */
  sharpe: number | null;
  /**
   * Max drawdown of the equity that compounds only the regime's bars in time order (the account
   * idle in other regimes), as a positive fraction.
   */
  maxDrawdown: number;
}

/**
 * Return, Sharpe and drawdown of per-bar strategy returns per regime (rows 0…regimeCount−1, then
 * the unknown bucket). Sharpe uses no risk-free rate: a regime's bars are not contiguous, so a
 * per-bar risk-free rate would be the only thing the rows share.
 */
export function returnsByRegime(labels: RegimeLabels, returns: Series, regimeCount: number, periodsPerYear: number): RegimeReturnRow[] {
  checkLabels(labels, regimeCount, returns.length);
  const rows: RegimeReturnRow[] = [];
  for (let k = 0; k <= regimeCount; k++) {
    const code = k === regimeCount ? REGIME_UNKNOWN : k;
    let bars = 0;
    for (let t = 0; t < returns.length; t++) if (labels[t] === code) bars++;
    const equity = new Float64Array(bars + 1);
    equity[0] = 1;
    let sum = 0;
    let j = 0;
    for (let t = 0; t < returns.length; t++) {
      if (labels[t] !== code) continue;
      j++;
      equity[j] = equity[j - 1] * (1 + returns[t]);
      sum += returns[t];
    }
    let sharpe: number | null = null;
    if (bars >= 2) {
      const m = sum / bars;
      let ss = 0;
      for (let t = 0; t < returns.length; t++) if (labels[t] === code) ss += (returns[t] - m) * (returns[t] - m);
      const sd = Math.sqrt(ss / (bars - 1));
      if (sd > 0) sharpe = (m / sd) * Math.sqrt(periodsPerYear);
    }
    rows.push({ regime: code, bars, totalReturn: equity[bars] - 1, sharpe, maxDrawdown: drawdownSummary(equity).maxDrawdown });
  }
  return rows;
}
