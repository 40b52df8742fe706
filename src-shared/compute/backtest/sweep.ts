import { BacktestInputError } from './errors.js';
import type { SymbolInput } from './inputs.js';
import type { Metric } from './metrics.js';
import { prepareSymbol } from './prepare.js';
import { resolveBacktestSettings, type BacktestSettings } from './settings.js';
import { createSimulationBuffers, simulate } from './simulate.js';
import { TradeLog } from './trades.js';

/** One (threshold, symbol) cell of a sweep. Metrics as in `backtestMetrics` (rf = 0). */
export interface ThresholdSweepRow {
  threshold: number;
  symbol: string;
  totalReturn: Metric;
  sharpe: Metric;
  trades: number;
}

export interface ThresholdSweepResult {
  thresholds: number[];
  symbols: string[];
  /** Threshold-major: all symbols of thresholds[0], then thresholds[1], … */
  rows: ThresholdSweepRow[];
  /** Bars simulated in total (symbols × thresholds × bars per symbol). */
  barSteps: number;
}

/**
 * Total return and Sharpe of the equity in bars [start − 1, end], with the definitions of
 * `returnMetrics` (bar returns, sample std, √periodsPerYear), in one pass over shifted data:
 * Σ(r − K) and Σ(r − K)² with K the first bar return, which avoids the cancellation of the naive
 * Σr² − (Σr)²/n ("computing shifted data", Chan, Golub & LeVeque 1983). One pass, and no division
 * on a loop-carried chain as in Welford's update.
 */
function returnAndSharpe(equity: Float64Array, start: number, end: number, periodsPerYear: number): { totalReturn: Metric; sharpe: Metric } {
  const n = end - start + 1;
  if (n < 1) return { totalReturn: null, sharpe: null };
  const total = equity[end] / equity[start - 1] - 1;
  const totalReturn = Number.isFinite(total) ? total : null;
  if (n < 2) return { totalReturn, sharpe: null };
  const shift = equity[start - 1] > 0 ? equity[start] / equity[start - 1] - 1 : 0;
  let sum = 0;
  let sumSq = 0;
  for (let t = start; t <= end; t++) {
    const prev = equity[t - 1];
    const d = (prev > 0 ? equity[t] / prev - 1 : 0) - shift;
    sum += d;
    sumSq += d * d;
  }
  const variance = Math.max(sumSq - (sum * sum) / n, 0) / (n - 1);
  const sd = Math.sqrt(variance);
  const sharpe = sd > 0 ? ((shift + sum / n) / sd) * Math.sqrt(periodsPerYear) : Number.NaN;
  return { totalReturn, sharpe: Number.isFinite(sharpe) ? sharpe : null };
}

/**
 * Runs every symbol at every minimum-confidence threshold (overriding `settings.minConfidence`).
 * Each symbol is validated and its signals decoded once; the simulation then reuses one set of
 * buffers per call, so the cost is the bare bar loop: symbols × thresholds × bars bar-steps.
 */
export function thresholdSweep(symbols: readonly SymbolInput[], settings: Partial<BacktestSettings>, thresholds: readonly number[]): ThresholdSweepResult {
  const s = resolveBacktestSettings(settings);
  for (const th of thresholds) {
    if (!(th >= 0 && th <= 1)) throw new BacktestInputError(`threshold ${th} is outside [0, 1]`);
  }
  const prepared = symbols.map((input) => prepareSymbol(input, s));
  let maxBars = 0;
  for (const p of prepared) maxBars = Math.max(maxBars, p.n);
  const buffers = createSimulationBuffers(maxBars);
  const log = new TradeLog(1024);
  const rows: ThresholdSweepRow[] = [];
  let barSteps = 0;
  for (const threshold of thresholds) {
    for (const p of prepared) {
      const totals = simulate(p, s, threshold, buffers, log);
      const { totalReturn, sharpe } = returnAndSharpe(buffers.equity, p.start, p.end, p.calendar.periodsPerYear);
      rows.push({ threshold, symbol: p.symbol, totalReturn, sharpe, trades: totals.trades });
      barSteps += p.n;
    }
  }
  return { thresholds: [...thresholds], symbols: prepared.map((p) => p.symbol), rows, barSteps };
}
