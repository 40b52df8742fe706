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

/**
 * Per-regime rows of an equity path observed at `pathTs` (element 0 precedes the first step, as
 * backtest/metrics.ts's `EquityPath`): step j's return equity[j] / equity[j−1] − 1 takes the regime
 * of the bar at pathTs[j − 1], the regime known when the position held over step j was decided, so
 * no step is labelled with anything its own move caused. `barTs`/`labels` are the labelled bars
 * (ascending); a step whose previous observation is no labelled bar counts as unknown. The rows add
 * up to the path: bars to its steps, Π(1 + R_k) to equity[last] / equity[0].
 */
export function pathReturnsByRegime(pathTs: Float64Array, equity: Float64Array, barTs: Float64Array, labels: Int8Array, regimeCount: number, periodsPerYear: number): RegimeReturnRow[] {
  if (pathTs.length !== equity.length) throw new RangeError(`${pathTs.length} path times for ${equity.length} equity values`);
  const steps = Math.max(equity.length - 1, 0);
  const returns = new Float64Array(steps);
  const stepLabels = new Int8Array(steps).fill(REGIME_UNKNOWN);
  let b = 0;
  for (let j = 1; j <= steps; j++) {
    returns[j - 1] = equity[j - 1] > 0 ? equity[j] / equity[j - 1] - 1 : 0;
    const t = pathTs[j - 1];
    while (b < barTs.length && barTs[b] < t) b++;
    if (b < barTs.length && barTs[b] === t) stepLabels[j - 1] = labels[b];
  }
  return returnsByRegime(stepLabels, returns, regimeCount, periodsPerYear);
}

/**
 * An equal-weight index of several close series, for labelling a portfolio's regimes: at each
 * time of the union of their bars, the index moves by the mean of the simple returns of the series
 * that have a bar there (close_t / close_prev − 1), starting at 1. A market-wide regime of the
 * basket the portfolio trades, rather than of any one asset.
 */
export function equalWeightIndex(series: readonly { ts: Float64Array; close: Float64Array }[]): { ts: Float64Array; close: Float64Array } {
  const times = new Map<number, { sum: number; count: number }>();
  for (const s of series) {
    for (let t = 0; t < s.ts.length; t++) {
      const slot = times.get(s.ts[t]) ?? { sum: 0, count: 0 };
      if (t > 0 && s.close[t - 1] > 0) {
        slot.sum += s.close[t] / s.close[t - 1] - 1;
        slot.count++;
      }
      times.set(s.ts[t], slot);
    }
  }
  const ts = Float64Array.from(times.keys()).sort();
  const close = new Float64Array(ts.length);
  let level = 1;
  for (let i = 0; i < ts.length; i++) {
    const slot = times.get(ts[i])!;
    if (slot.count > 0) level *= 1 + slot.sum / slot.count;
    close[i] = level;
  }
  return { ts, close };
}
