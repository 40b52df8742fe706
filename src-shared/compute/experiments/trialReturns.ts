/**
 * A sweep's trials as trading returns over the VALIDATION period, for the val-sharpe objective and
 * the selection statistics (PBO and deflated Sharpe want a T×N matrix of per-period returns).
 *
 * The trading rule is the simplest one a direction classifier implies: at the close of each bar,
 * hold +1 when the most probable class is UP, −1 when it is DOWN, 0 when FLAT, for the next bar;
 * costs are paid on every change of position, |Δposition| × (fee + slippage) per side (entering
 * from flat is one side, flipping long↔short two). Returns are log returns of the next bar. A
 * period's return is the mean over the symbols that have a prediction at that time (an equally
 * weighted book), and trials are aligned on the times every trial has, so the matrix compares like
 * with like even when trials' windows or horizons leave slightly different samples.
 */

/** One trial's validation predictions, in its own sample order (by symbol, then time). */
export interface TrialPredictions {
  /** Class probabilities, row-major [n × classNames.length]. */
  readonly probs: ArrayLike<number>;
  /** Open time (UTC ms) of each sample's bar; the position is taken at its close. */
  readonly ts: ArrayLike<number>;
  readonly symbolIndex: ArrayLike<number>;
  /** Log return of the bar after each sample. */
  readonly nextReturn: ArrayLike<number>;
  readonly classNames: readonly string[];
}

/** Costs per side, in basis points. */
export interface TradingCosts {
  readonly feeBps: number;
  readonly slippageBps: number;
}

/** The position a class implies: UP long, DOWN short, anything else flat. */
function positionOf(className: string | undefined): number {
  const c = className?.toUpperCase();
  return c === 'UP' ? 1 : c === 'DOWN' ? -1 : 0;
}

/** Per-period returns of one trial: time → mean return over its symbols at that time. */
export function trialPeriodReturns(p: TrialPredictions, costs: TradingCosts): Map<number, number> {
  const k = p.classNames.length;
  const n = p.ts.length;
  const costPerSide = (costs.feeBps + costs.slippageBps) / 10_000;
  const positions = p.classNames.map(positionOf);
  const sums = new Map<number, { sum: number; count: number }>();
  const lastPosition = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p.probs[i * k + c] > p.probs[i * k + best]) best = c;
    const position = positions[best];
    const symbol = p.symbolIndex[i];
    const before = lastPosition.get(symbol) ?? 0;
    lastPosition.set(symbol, position);
    const r = position * p.nextReturn[i] - Math.abs(position - before) * costPerSide;
    const cell = sums.get(p.ts[i]);
    if (cell) {
      cell.sum += r;
      cell.count++;
    } else sums.set(p.ts[i], { sum: r, count: 1 });
  }
  const out = new Map<number, number>();
  for (const [t, { sum, count }] of sums) out.set(t, sum / count);
  return out;
}

/**
 * The T×N matrix (row-major, `returns[t * trials + n]`) of the trials' per-period validation
 * returns on the times all of them share, in time order, with those times.
 */
export function alignedTrialReturns(trials: readonly TrialPredictions[], costs: TradingCosts): { returns: Float64Array; times: Float64Array } {
  const series = trials.map((t) => trialPeriodReturns(t, costs));
  if (series.length === 0) return { returns: new Float64Array(0), times: new Float64Array(0) };
  const shared = [...series[0].keys()].filter((t) => series.every((s) => s.has(t))).sort((a, b) => a - b);
  const N = series.length;
  const returns = new Float64Array(shared.length * N);
  shared.forEach((t, row) => series.forEach((s, n) => (returns[row * N + n] = s.get(t)!)));
  return { returns, times: Float64Array.from(shared) };
}
