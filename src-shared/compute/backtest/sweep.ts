import { backtestPrepared, buyAndHoldEquity, type BacktestResult } from './engine.js';
import { BacktestInputError } from './errors.js';
import type { SymbolInput } from './inputs.js';
import { backtestMetrics, type BacktestMetrics } from './metrics.js';
import { equalWeightPortfolio, equalWeightTotalReturn, type PortfolioSleeve } from './portfolio.js';
import { prepareSymbol } from './prepare.js';
import { resolveBacktestSettings, type BacktestSettings } from './settings.js';
import { createSimulationBuffers, simulate } from './simulate.js';
import { TradeLog } from './trades.js';

/** One symbol at one threshold: what `backtestMetrics(runBacktest(…))` reports, and why it stopped early if it did. */
export interface ThresholdSweepSymbol {
  symbol: string;
  metrics: BacktestMetrics;
  halted: BacktestResult['halted'];
}

/** Everything a plain backtest with `minConfidence = threshold` reports, per symbol and for the equal-weight portfolio. */
export interface ThresholdSweepRow {
  threshold: number;
  symbols: ThresholdSweepSymbol[];
  portfolio: BacktestMetrics;
}

export interface ThresholdSweepResult {
  thresholds: number[];
  symbols: string[];
  /** One per threshold, in the order given. */
  rows: ThresholdSweepRow[];
  /** Bars simulated in total (symbols × thresholds × bars per symbol). */
  barSteps: number;
}

/**
 * Backtests every symbol at every minimum-confidence threshold (overriding `minConfidence`).
 * `settings` is one object for all symbols or one per symbol (a caller may, say, turn funding
 * off for a symbol without a funding column, as it would for a plain run).
 *
 * A row is the plain backtest with `minConfidence = threshold`, bit for bit: the same preparation,
 * the same simulation on fresh buffers (`backtestPrepared`, which `runBacktest` is built on), the
 * same `backtestMetrics` and `equalWeightPortfolio`. A faster path with its own return and Sharpe
 * arithmetic once differed from the plain run in the last digits, and a sweep whose cells cannot be
 * reproduced by `--threshold` invites doubt about both. What is shared is the part that does not
 * depend on the threshold: validation, signal decoding, funding and volatility layout.
 */
export function thresholdSweep(
  symbols: readonly SymbolInput[],
  settings: Partial<BacktestSettings> | readonly Partial<BacktestSettings>[],
  thresholds: readonly number[],
): ThresholdSweepResult {
  for (const th of thresholds) {
    if (!(th >= 0 && th <= 1)) throw new BacktestInputError(`threshold ${th} is outside [0, 1]`);
  }
  const perSymbol = Array.isArray(settings) ? settings : null;
  if (perSymbol && perSymbol.length !== symbols.length) throw new BacktestInputError(`${perSymbol.length} settings for ${symbols.length} symbols`);
  const resolved = symbols.map((_, i) => resolveBacktestSettings(perSymbol ? perSymbol[i] : (settings as Partial<BacktestSettings>)));
  const prepared = symbols.map((input, i) => prepareSymbol(input, resolved[i]!));
  const rows: ThresholdSweepRow[] = [];
  let barSteps = 0;
  for (const threshold of thresholds) {
    const results = prepared.map((p, i) => backtestPrepared(p, resolveBacktestSettings({ ...resolved[i]!, minConfidence: threshold })));
    rows.push({
      threshold,
      symbols: results.map((r) => ({ symbol: r.symbol, metrics: backtestMetrics(r), halted: r.halted })),
      portfolio: equalWeightPortfolio(results).metrics,
    });
    for (const p of prepared) barSteps += p.n;
  }
  return { thresholds: [...thresholds], symbols: prepared.map((p) => p.symbol), rows, barSteps };
}

/** What a cost re-run may change: fees and fixed slippage, which `prepareSymbol` does not read. */
export type CostChange = Pick<Partial<BacktestSettings>, 'takerFeeBps' | 'makerFeeBps' | 'slippageBps'>;

/**
 * Re-runs the same symbols at other fees and slippage (breakeven searches, cost lines and grids
 * re-run the whole backtest dozens of times): each symbol is prepared once, and every call is
 * `symbols.map((input, i) => runBacktest(input, { ...settings[i], ...change }))` bit for bit,
 * because preparation reads no cost setting (prepare.ts); the simulation runs on fresh buffers.
 */
export function costReruns(symbols: readonly SymbolInput[], settings: readonly Partial<BacktestSettings>[]): (change: CostChange) => BacktestResult[] {
  if (settings.length !== symbols.length) throw new BacktestInputError(`${settings.length} settings for ${symbols.length} symbols`);
  const prepared = symbols.map((input, i) => prepareSymbol(input, resolveBacktestSettings(settings[i])));
  const log = new TradeLog();
  return (change) => prepared.map((p, i) => backtestPrepared(p, resolveBacktestSettings({ ...settings[i], ...change }), log));
}

/**
 * `equalWeightTotalReturn(costReruns(symbols, settings)(change))`, to the last bit, for searches
 * that read nothing else (the breakeven fee): each symbol also keeps its simulation buffers, zeroed
 * before each run as fresh ones are, and its buy-and-hold curve, which costs do not change; only
 * the number leaves this function, so nothing sees a buffer reused.
 */
export function costRerunTotalReturn(symbols: readonly SymbolInput[], settings: readonly Partial<BacktestSettings>[]): (change: CostChange) => number | null {
  if (settings.length !== symbols.length) throw new BacktestInputError(`${settings.length} settings for ${symbols.length} symbols`);
  const resolved = settings.map((s) => resolveBacktestSettings(s));
  const prepared = symbols.map((input, i) => prepareSymbol(input, resolved[i]!));
  const buffers = prepared.map((p) => createSimulationBuffers(p.n));
  const buyAndHold = prepared.map((p, i) => buyAndHoldEquity(p, resolved[i]!.initialEquity));
  const log = new TradeLog();
  return (change) => {
    const results = prepared.map((p, i) => {
      const s = resolveBacktestSettings({ ...settings[i], ...change });
      const b = buffers[i]!;
      b.equity.fill(0);
      b.position.fill(0);
      b.sideDuring.fill(0);
      simulate(p, s, s.minConfidence, b, log);
      const sleeve: PortfolioSleeve = { settings: s, ts: p.ts, equity: b.equity, sideDuring: b.sideDuring, buyAndHoldEquity: buyAndHold[i]!, window: { start: p.start, end: p.end } };
      return sleeve;
    });
    return equalWeightTotalReturn(results);
  };
}
