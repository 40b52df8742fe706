/**
 * Research analytics of a backtest with given settings: returns per market regime, Monte Carlo,
 * cost sensitivity and significance. Every statistic comes from `src-shared/compute/analytics`;
 * this module re-runs the engine where a question needs it (costs) and lines results up.
 *
 * Choices, each documented where a reader of the numbers needs it:
 * - Regimes are those of the Evaluation page (`marketRegimes`, 20-bar lookbacks, fitted on each
 *   symbol's bars before its first test prediction); the portfolio's are those of the
 *   equal-weight index of its symbols. A bar's return takes the regime known at the close of the
 *   bar before (`pathReturnsByRegime`).
 * - Monte Carlo of trades pools every symbol's trades in exit order; a trade's return counts as
 *   returnFraction / symbols, its sleeve's share of the equal-weight portfolio. The block
 *   bootstrap resamples the portfolio's bar returns (block ≥ the mean holding time). Neither
 *   re-runs the model on a resampled market: the signals stay those of the real test period.
 * - Cost sensitivity charges a round-trip cost c as c/2 fee on each fill (taker and maker) with no
 *   slippage; the fee × slippage grid varies both per fill. Every point is a full re-run.
 * - Random entries use each symbol's trades at full size (size 1): the test asks whether the timing
 *   beats chance, not the sizing.
 */
import {
  backtestAnalyticsSchema,
  type BacktestAnalytics,
  type BacktestAnalyticsOptions,
  type BacktestSettingsPayload,
  type MonteCarloSummaryPayload,
} from '../../src-shared/contract/backtests.js';
import {
  blockBootstrapMonteCarlo,
  breakevenCost,
  defaultBlockLength,
  equalWeightIndex,
  HMM_REGIMES,
  marketRegimes,
  moreMetrics,
  pathReturnsByRegime,
  randomEntryTest,
  REGIME_UNKNOWN,
  tradeMonteCarlo,
  TREND_REGIMES,
  versusBuyAndHold,
  VOLATILITY_REGIMES,
  type MonteCarloSummary,
  type RegimeReturnRow,
} from '../../src-shared/compute/analytics/index.js';
import { costRerunTotalReturn, costReruns, equalWeightPortfolio, equityPath, mergeTradeLists, runBacktest, type BacktestResult, type CostChange, type SymbolInput } from '../../src-shared/compute/backtest/index.js';
import { finiteJson } from '../../src-shared/domain/finite.js';
import { bps, fraction } from '../../src-shared/domain/units.js';
import type { Db } from '../db/connection.js';
import { VOLATILITY_LOOKBACK, TREND_LOOKBACK } from '../evaluation/runAnalytics.js';
import { backtestInputs } from './backtestRun.js';

/** Significance resamples: a p-value's Monte Carlo error is at most 0.5/√B ≈ 1.6 % at 1000. */
const SIGNIFICANCE_SAMPLES = 1000;
/** The highest round-trip cost the breakeven search tries (10 % a side, the fee ceiling of the form). */
const BREAKEVEN_MAX_BPS = 2000;
/** Fees and slippage per fill of the sensitivity grid, in bps: from free to a costly venue. */
const GRID_FEES = [0, 2, 5, 10, 20];
const GRID_SLIPPAGE = [0, 2, 5, 10];
const LINE_POINTS = 21;

const ppyOf = (r: BacktestResult) => r.calendar.periodsPerYear;
/** Points of the portfolio equity line in the payload: enough for a chart, small on the wire. */
const EQUITY_POINTS = 500;

/** Evenly spaced indices 0…n−1 (at most `points`, the last always included). */
function thinned(n: number, points: number): number[] {
  if (n <= points) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: points }, (_, i) => Math.round((i * (n - 1)) / (points - 1)));
}

/** First bar with a prediction: where the test period (and so the fitting window's end) starts. */
export function firstPredictedBar(input: SymbolInput): number {
  const { probs, classes } = input.predictions;
  for (let i = 0; i < input.candles.ts.length; i++) if (!Number.isNaN(probs[i * classes]!)) return i;
  return input.candles.ts.length;
}

function namedRows(rows: RegimeReturnRow[], names: readonly string[]) {
  return rows.map((r) => ({ regime: r.regime === REGIME_UNKNOWN ? 'unknown' : names[r.regime]!, bars: r.bars, totalReturn: r.totalReturn, sharpe: r.sharpe, maxDrawdown: r.maxDrawdown }));
}

/** Regime rows of one equity path for every regime kind of one labelled series. */
function regimeRowsOfPath(path: { ts: Float64Array; equity: Float64Array }, barTs: Float64Array, close: Float64Array, trainEnd: number, ppy: number, hmmStates: 2 | 3 | null) {
  const regimes = marketRegimes(close, trainEnd, { volatilityLookback: VOLATILITY_LOOKBACK, trendLookback: TREND_LOOKBACK, hmmStates });
  const unknown = new Int8Array(close.length).fill(REGIME_UNKNOWN);
  const rows = (labels: Int8Array | null, names: readonly string[]) => namedRows(pathReturnsByRegime(path.ts, path.equity, barTs, labels ?? unknown, names.length, ppy), names);
  return {
    volatility: rows(regimes.volatility?.labels ?? null, VOLATILITY_REGIMES),
    trend: rows(regimes.trend, TREND_REGIMES),
    hmm: hmmStates ? rows(regimes.hmm, HMM_REGIMES[hmmStates]) : null,
  };
}

function monteCarloPayload(s: MonteCarloSummary): MonteCarloSummaryPayload {
  return {
    paths: s.paths,
    steps: s.steps,
    finalReturn: s.finalReturn,
    maxDrawdown: s.maxDrawdown,
    longestDrawdown: s.longestDrawdown,
    worst5PercentFinalReturn: s.worst5PercentFinalReturn,
    drawdownThreshold: s.drawdownThreshold,
    probabilityDrawdownBeyond: s.probabilityDrawdownBeyond,
    fan: { steps: Array.from(s.fan.steps), levels: Array.from(s.fan.levels), bands: s.fan.bands.map((b) => Array.from(b)) },
    maxDrawdownSamples: Array.from(s.samples.maxDrawdown),
  };
}

/** Portfolio total return and Sharpe with every symbol's settings changed the same way. */
function portfolioAt(rerun: (change: CostChange) => BacktestResult[], change: CostChange) {
  const m = equalWeightPortfolio(rerun(change)).metrics;
  return { totalReturn: m.totalReturn, sharpe: m.sharpe };
}

/** The portfolio's return at a round-trip cost of `c` bps: c/2 on each fill, no slippage. */
const roundTrip = (c: number): CostChange => ({ takerFeeBps: bps(c / 2), makerFeeBps: bps(c / 2), slippageBps: bps(0) });

export async function backtestAnalytics(db: Db, runId: number, settings: BacktestSettingsPayload, options: BacktestAnalyticsOptions): Promise<BacktestAnalytics> {
  const { inputs, perSymbol, resolved } = await backtestInputs(db, runId, settings);
  const results = inputs.map((input, i) => runBacktest(input, perSymbol[i]));
  const used = results.map((r, i) => ({ r, input: inputs[i]! })).filter(({ r }) => r.window.start <= r.window.end);
  const portfolio = equalWeightPortfolio(results);
  const { seed, paths, drawdownThreshold, hmmStates } = options;

  // Regimes: each symbol on its own closes, the portfolio on the equal-weight index of them all.
  const symbols = used.map(({ r, input }) => {
    const path = equityPath(r);
    const rows = regimeRowsOfPath(path, input.candles.ts, input.candles.close, firstPredictedBar(input), ppyOf(r), hmmStates);
    return { symbol: r.symbol, bars: Math.max(path.ts.length - 1, 0), totalReturn: path.equity.length > 0 ? path.equity[path.equity.length - 1]! / path.equity[0]! - 1 : null, ...rows };
  });
  const index = equalWeightIndex(used.map(({ input }) => input.candles));
  const firstTestTs = Math.min(...used.map(({ input }) => input.candles.ts[firstPredictedBar(input)] ?? Infinity));
  let indexTrainEnd = 0;
  while (indexTrainEnd < index.ts.length && index.ts[indexTrainEnd]! < firstTestTs) indexTrainEnd++;
  const pPath = portfolio.path;
  const portfolioRows = regimeRowsOfPath(pPath, index.ts, index.close, indexTrainEnd, portfolio.metrics.periodsPerYear, hmmStates);

  // Monte Carlo: pooled trades in exit order, each its sleeve's share of the portfolio.
  const trades = mergeTradeLists(used.map(({ r }) => r.trades));
  const order = Array.from({ length: trades.count }, (_, i) => i).sort((a, b) => trades.exitTs[a]! - trades.exitTs[b]! || a - b);
  const tradeReturns = Float64Array.from(order, (i) => trades.returnFraction[i]! / Math.max(used.length, 1));
  const mcOptions = { paths, seed, drawdownThreshold: fraction(drawdownThreshold) };
  const barReturns = new Float64Array(Math.max(pPath.equity.length - 1, 0));
  for (let j = 1; j < pPath.equity.length; j++) barReturns[j - 1] = pPath.equity[j - 1]! > 0 ? pPath.equity[j]! / pPath.equity[j - 1]! - 1 : 0;
  let meanHold = 0;
  for (let i = 0; i < trades.count; i++) meanHold += trades.barsHeld[i]! / trades.count;
  const blockLength = Math.max(defaultBlockLength(barReturns.length), Math.ceil(meanHold));
  const block = barReturns.length > 0 ? { ...monteCarloPayload(blockBootstrapMonteCarlo(barReturns, { ...mcOptions, blockLength })), blockLength } : null;
  const monteCarlo =
    tradeReturns.length > 0
      ? { method: 'trade bootstrap (with replacement)', ...monteCarloPayload(tradeMonteCarlo(tradeReturns, 'bootstrap', mcOptions)), reorder: monteCarloPayload(tradeMonteCarlo(tradeReturns, 'reorder', mcOptions)), blockBootstrap: block, reason: null }
      : block
        ? { method: 'block bootstrap of bar returns (no trades to resample)', ...block, reorder: null, blockBootstrap: block, reason: 'The backtest made no trades.' }
        : null;

  const more = {
    portfolio: moreMetrics(pPath.equity, Float64Array.from(order, (i) => trades.returnFraction[i]!), portfolio.metrics.periodsPerYear),
    symbols: used.map(({ r }) => ({ symbol: r.symbol, ...moreMetrics(equityPath(r).equity, r.trades.returnFraction.subarray(0, r.trades.count), ppyOf(r)) })),
  };

  // Cost sensitivity: the breakeven round-trip cost by bisection, the curve around it, the grid.
  const rerun = costReruns(inputs, perSymbol);
  const totalAt = costRerunTotalReturn(inputs, perSymbol);
  const returnAt = (c: number) => totalAt(roundTrip(c)) ?? Number.NaN;
  const b = Number.isNaN(returnAt(0)) ? null : breakevenCost(returnAt, { maxBps: BREAKEVEN_MAX_BPS, toleranceBps: 0.01 });
  const lineMax = b?.breakevenBps ? Math.max(20, Math.ceil(2 * b.breakevenBps)) : 40;
  const costBps = Array.from({ length: LINE_POINTS }, (_, i) => (i * lineMax) / (LINE_POINTS - 1));
  const grid = GRID_FEES.map((fee) => GRID_SLIPPAGE.map((slip) => portfolioAt(rerun, { takerFeeBps: bps(fee), makerFeeBps: bps(fee), slippageBps: bps(slip) })));

  // Significance: random entries per symbol, the portfolio against buy and hold.
  const randomEntry = used.map(({ r, input }) => {
    const k = r.trades.count;
    if (k === 0) return { symbol: r.symbol, result: null, reason: 'no trades' };
    const { start, end } = r.window;
    const assetReturns = new Float64Array(end - start + 1);
    const close = input.candles.close;
    // The move a position held over bar t earns, as the engine marks it: close to close.
    for (let t = start; t <= end; t++) assetReturns[t - start] = close[t]! / close[t - 1]! - 1;
    let cost = 0;
    for (let i = 0; i < k; i++) cost += (r.trades.fees[i]! + r.trades.slippage[i]!) / r.trades.entryEquity[i]! / k;
    const path = equityPath(r);
    try {
      const result = randomEntryTest(
        { assetReturns, holdingBars: Int32Array.from(r.trades.barsHeld.subarray(0, k), (h) => Math.max(h, 1)), sides: r.trades.side.subarray(0, k), strategyReturn: path.equity.at(-1)! / path.equity[0]! - 1, costPerTrade: fraction(cost) },
        { samples: SIGNIFICANCE_SAMPLES, seed },
      );
      return { symbol: r.symbol, result: { pValue: result.pValue, observed: result.observed, null: result.null, samples: result.samples }, reason: null };
    } catch (e) {
      return { symbol: r.symbol, result: null, reason: (e as Error).message };
    }
  });
  const benchmarkReturns = new Float64Array(barReturns.length);
  for (let j = 1; j < pPath.benchmark.length; j++) benchmarkReturns[j - 1] = pPath.benchmark[j - 1]! > 0 ? pPath.benchmark[j]! / pPath.benchmark[j - 1]! - 1 : 0;
  const vsBh = barReturns.length >= 2 ? versusBuyAndHold(barReturns, benchmarkReturns, { samples: SIGNIFICANCE_SAMPLES, seed, blockLength }) : null;

  return backtestAnalyticsSchema.parse(
    finiteJson({
      runId,
      settings: resolved,
      seed,
      portfolioEquity: (() => {
        const idx = thinned(pPath.equity.length, EQUITY_POINTS);
        const e0 = pPath.equity[0] ?? 1;
        const b0 = pPath.benchmark[0] ?? 1;
        return { ts: idx.map((i) => pPath.ts[i]!), strategy: idx.map((i) => pPath.equity[i]! / e0), buyHold: idx.map((i) => pPath.benchmark[i]! / b0) };
      })(),
      regimes: {
        rule: "a bar's return takes the regime known at the close of the bar before",
        portfolio: { bars: barReturns.length, totalReturn: portfolio.metrics.totalReturn, ...portfolioRows },
        symbols,
      },
      monteCarlo,
      moreMetrics: more,
      costSensitivity: {
        breakevenBps: b?.breakevenBps ?? null,
        status: b?.status ?? 'unprofitable-at-zero-cost',
        maxBps: BREAKEVEN_MAX_BPS,
        line: { costBps, totalReturn: costBps.map(returnAt) },
        grid: { feeBps: GRID_FEES, slippageBps: GRID_SLIPPAGE, totalReturn: grid.map((row) => row.map((c) => c.totalReturn)), sharpe: grid.map((row) => row.map((c) => c.sharpe)) },
        turnover: { annual: portfolio.metrics.turnoverAnnual, trades: trades.count },
      },
      significance: {
        randomEntry,
        versusBuyAndHold: vsBh && { pValue: vsBh.pValue, observed: vsBh.observed, null: vsBh.null, samples: vsBh.samples, excessReturn: vsBh.excessReturn, meanExcessPerBar: vsBh.meanExcessPerBar, blockLength: vsBh.blockLength },
      },
    }),
  );
}
