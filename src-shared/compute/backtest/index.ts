/**
 * Backtest engine and metrics (pure compute). Entry points:
 * - `runBacktest(input, settings)` — one symbol: equity, positions, trades, totals.
 * - `backtestMetrics(result)` — per-symbol metrics; `equalWeightPortfolio(results)` — portfolio.
 * - `thresholdSweep(symbols, settings, thresholds)` — the plain backtest at each threshold, per symbol and portfolio.
 */
export { annualizationCalendar, medianSpacing, YEAR_MS, type AnnualizationCalendar } from './calendar.js';
export { backtestPrepared, buyAndHoldEquity, runBacktest, type BacktestResult } from './engine.js';
export { BacktestInputError, LookAheadError } from './errors.js';
export { FUNDING_INTERVAL_MS, fixedFundingPerBar, fundingEventsToBars } from './funding.js';
export {
  alignPredictionsToBars,
  assertPredictionsCausal,
  validateSymbolInput,
  type BarPredictions,
  type CandleColumns,
  type SymbolInput,
} from './inputs.js';
export {
  backtestMetrics,
  equityPath,
  MetricNulls,
  returnMetrics,
  tradeMetrics,
  type BacktestMetrics,
  type EquityPath,
  type Metric,
  type MetricsOptions,
  type ReturnMetrics,
  type TradeMetrics,
} from './metrics.js';
export { equalWeightPortfolio, equalWeightTotalReturn, type PortfolioResult, type PortfolioSleeve } from './portfolio.js';
export { prepareSymbol, type PreparedSymbol } from './prepare.js';
export {
  DEFAULT_BACKTEST_SETTINGS,
  resolveBacktestSettings,
  type BacktestSettings,
  type CalendarMode,
  type FundingSource,
  type PositionSizing,
  type StopUnit,
  type TradeDirection,
} from './settings.js';
export { decodeSignals, NO_PREDICTION, type DecodedSignals } from './signals.js';
export { createSimulationBuffers, EQUITY_CAP, simulate, type SimulationBuffers, type SimulationTotals } from './simulate.js';
export { costRerunTotalReturn, costReruns, type CostChange, thresholdSweep, type ThresholdSweepResult, type ThresholdSweepRow, type ThresholdSweepSymbol } from './sweep.js';
export { allocateTradeList, EXIT_REASONS, mergeTradeLists, TradeLog, tradesToObjects, type ExitReason, type Trade, type TradeList } from './trades.js';
export { rollingLogReturnVolatility } from './volatility.js';
