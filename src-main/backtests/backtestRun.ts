import { join } from 'node:path';
import { breakevenCost } from '../../src-shared/compute/analytics/costSensitivity.js';
import {
  backtestMetricsSchema,
  type BacktestMetricsPayload,
  type BreakevenFee,
  type BacktestSettingsPayload,
  type BacktestSummary,
  type BacktestSweep,
  type BacktestSymbolResult,
  type ResolvedBacktestSettings,
} from '../../src-shared/contract/backtests.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import {
  alignPredictionsToBars,
  backtestMetrics,
  costRerunTotalReturn,
  equalWeightPortfolio,
  resolveBacktestSettings,
  runBacktest,
  thresholdSweep,
  tradesToObjects,
  type BacktestMetrics,
  type BacktestResult,
  type BacktestSettings,
  type SymbolInput,
  type TradeList,
} from '../../src-shared/compute/backtest/index.js';
import { encodeTradeColumns } from '../../src-shared/compute/backtest/tradeColumns.js';
import { finiteJson } from '../../src-shared/domain/finite.js';
import { averageTrueRange } from '../../src-shared/compute/features/index.js';
import { bps, fraction } from '../../src-shared/domain/units.js';
import type { Db } from '../db/connection.js';
import { saveBacktest, type SeriesRow, type TradeRow } from '../db/queries/backtests.js';
import { getRun } from '../db/queries/runs.js';
import { loadTrainingCandles } from '../db/queries/trainingData.js';
import { timeframeToMs } from '../../src-shared/domain/timeframe.js';
import type { ContractKind } from '../../src-shared/domain/contractKind.js';
import { readPreprocessing, readTestPredictions } from '../training/loop/artifactFiles.js';

/** The bars a run was trained and predicted on: its timeframe (a roll-up where finer datasets were rolled up). */
function runCandleOptions(run: { timeframe: string }): { timeframeMs?: number } {
  const tf = timeframeToMs(run.timeframe);
  return tf === null ? {} : { timeframeMs: tf };
}

/** The engine's settings for a run: the contract's choices, and the run's own class columns. */
export function engineSettings(s: BacktestSettingsPayload, classNames: string[]): Partial<BacktestSettings> {
  const col = (name: string) => classNames.findIndex((c) => c.toUpperCase() === name);
  const down = col('DOWN');
  const up = col('UP');
  if (down < 0 || up < 0) throw new ContractFailure('UNSUPPORTED', `This run predicts ${classNames.join('/')}; backtests need UP and DOWN classes.`);
  return {
    direction: s.direction,
    downClass: down,
    upClass: up,
    minConfidence: s.minConfidence,
    sizing: s.sizing,
    fixedFraction: s.fixedFraction,
    maxLeverage: s.maxLeverage,
    maxHoldingBars: s.maxHoldingBars,
    stopUnit: s.stopUnit,
    stopLoss: s.stopLoss,
    takeProfit: s.takeProfit,
    takerFeeBps: bps(s.takerFeeBps),
    makerFeeBps: bps(s.makerFeeBps),
    slippageBps: bps(s.slippageBps),
    fundingSource: s.fundingSource,
    fundingRatePer8h: fraction(s.fundingRatePer8h),
  };
}

/**
 * Each symbol's candles over the run's data and its out-of-sample (test) predictions aligned to
 * the bars: a prediction made at bar t's close is the signal for bar t+1's open (the engine
 * refuses anything stamped after its bar). Bars outside the test split carry no prediction.
 */
export async function symbolInputs(db: Db, runId: number, wantFunding: boolean): Promise<{ inputs: SymbolInput[]; kinds: ContractKind[]; datasetIds: number[]; classNames: string[] }> {
  const run = getRun(db, runId);
  if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
  if (!isFinishedRunStatus(run.status)) throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status}; only finished runs can be backtested.`);
  const dir = join(run.checkpointDir, 'final');
  let preds, prep;
  try {
    [preds, prep] = await Promise.all([readTestPredictions(dir), readPreprocessing(dir)]);
  } catch {
    throw new ContractFailure('NOT_FOUND', `Run ${runId} has no saved test predictions to trade on.`);
  }
  const k = preds.classNames.length;
  // Each symbol's prediction rows, in file order, from one pass (a pass per symbol costs symbols × rows).
  const rowsOf: number[][] = prep.datasetIds.map(() => []);
  for (let i = 0; i < preds.symbolIndex.length; i++) rowsOf[preds.symbolIndex[i]!]?.push(i);
  const kinds: ContractKind[] = [];
  const inputs: SymbolInput[] = prep.datasetIds.map((datasetId, s) => {
    const loaded = loadTrainingCandles(db, datasetId, runCandleOptions(run));
    if (!loaded) throw new ContractFailure('NOT_FOUND', `Dataset ${datasetId} of run ${runId} no longer exists.`);
    kinds.push(loaded.kind);
    const rows = rowsOf[s]!;
    const ts = Float64Array.from(rows, (i) => preds.ts[i]!);
    const probs = new Float32Array(rows.length * k);
    for (let j = 0; j < rows.length; j++) for (let c = 0; c < k; c++) probs[j * k + c] = preds.probs[rows[j]! * k + c]!;
    const c = loaded.candles;
    const fundingName = Object.keys(c.extras ?? {}).find((n) => /funding/i.test(n));
    return {
      symbol: preds.symbols[s] ?? loaded.symbol,
      candles: { ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close },
      predictions: alignPredictionsToBars(c.ts, ts, probs, k),
      atr: averageTrueRange(c.high, c.low, c.close, 14),
      ...(wantFunding && fundingName ? { fundingRate: c.extras![fundingName]! } : {}),
    };
  });
  return { inputs, kinds, datasetIds: prep.datasetIds, classNames: preds.classNames };
}

/**
 * Metrics as they cross the DB worker and the wire (JSON): a non-finite number becomes null where
 * the contract allows a null metric, and anywhere else fails here rather than arriving as null.
 */
const metricsPayload = (m: BacktestMetrics): BacktestMetricsPayload => backtestMetricsSchema.parse(finiteJson(m));

/**
 * Inputs and engine settings per symbol for the contract's settings. With funding from a dataset
 * column, a symbol without one trades without funding (and some symbol must have one). A fixed
 * funding rate is a perpetual swap's: spot and dated futures pay none (and some symbol must be a
 * perpetual), so a run over spot and perpetual files is charged where a venue would charge it.
 */
export async function backtestInputs(db: Db, runId: number, settings: BacktestSettingsPayload) {
  const { inputs, kinds, classNames } = await symbolInputs(db, runId, settings.fundingSource === 'column');
  if (settings.fundingSource === 'column' && !inputs.some((i) => i.fundingRate)) {
    throw new ContractFailure('BAD_REQUEST', 'None of this run’s datasets has a funding column; choose a fixed funding rate or none.');
  }
  if (settings.fundingSource === 'fixed' && !kinds.includes('perpetual')) {
    throw new ContractFailure('BAD_REQUEST', 'None of this run’s datasets is a perpetual contract, and a fixed funding rate is paid on perpetuals only; choose funding none.');
  }
  const engine = engineSettings(settings, classNames);
  const pays = (input: SymbolInput, kind: ContractKind): boolean =>
    settings.fundingSource === 'column' ? !!input.fundingRate : settings.fundingSource === 'fixed' ? kind === 'perpetual' : false;
  const perSymbol = inputs.map((input, s): Partial<BacktestSettings> => ({ ...engine, fundingSource: pays(input, kinds[s]!) ? engine.fundingSource : 'none' }));
  // Validated finite by the engine (it refuses anything else), so they cross JSON as they are.
  const resolved: ResolvedBacktestSettings = resolveBacktestSettings(engine);
  return { inputs, engine, perSymbol, resolved };
}

/** A symbol's line of a result, shared by plain runs and sweeps so that both report the same object. */
const symbolLine = (r: { symbol: string; metrics: BacktestMetrics; halted: BacktestResult['halted'] }): BacktestSymbolResult => ({ symbol: r.symbol, metrics: metricsPayload(r.metrics), halted: r.halted });

/** The highest taker fee the breakeven search tries: 10 % a side, past any venue's fee. */
const BREAKEVEN_MAX_BPS = 1000;

/**
 * The taker fee at which the portfolio's total return reaches 0, by re-running the whole backtest
 * at other fees (stops, sizing and compounding all see the fee, so no shortcut on a trade list
 * is exact). A tenth of a bps is finer than any fee schedule, and the safeguarded false position of breakevenCost reaches it in about 8 re-runs (bisection took about 15).
 */
export function breakevenFee(inputs: SymbolInput[], perSymbol: Partial<BacktestSettings>[]): BreakevenFee | null {
  const totalAt = costRerunTotalReturn(inputs, perSymbol);
  const returnAtFee = (fee: number) => totalAt({ takerFeeBps: bps(fee) }) ?? Number.NaN;
  if (Number.isNaN(returnAtFee(0))) return null;
  const b = breakevenCost(returnAtFee, { maxBps: BREAKEVEN_MAX_BPS, toleranceBps: 0.1 });
  return { takerFeeBps: b.breakevenBps, status: b.status, maxBps: BREAKEVEN_MAX_BPS };
}

/** A symbol's closed trades, as the simulation's columns. */
export interface SymbolTrades {
  symbol: string;
  list: TradeList;
}

export type ComputedBacktest = Omit<BacktestSummary, 'backtestId' | 'createdAt'> & { trades: SymbolTrades[]; series: SeriesRow[] };

/** Backtests a finished run without storing anything: the summary, every trade and the equity series. */
export async function computeBacktest(db: Db, runId: number, settings: BacktestSettingsPayload): Promise<ComputedBacktest> {
  const { inputs, perSymbol, resolved } = await backtestInputs(db, runId, settings);
  const results = inputs.map((input, i) => runBacktest(input, perSymbol[i]));
  const portfolio = equalWeightPortfolio(results);
  const series: SeriesRow[] = [];
  const symbols = results.map((r) => {
    const { start, end } = r.window;
    if (start <= end) series.push({ symbol: r.symbol, ts: r.ts.slice(start, end + 1), equity: r.equity.slice(start, end + 1), buyHold: r.buyAndHoldEquity.slice(start, end + 1) });
    return symbolLine({ symbol: r.symbol, metrics: backtestMetrics(r), halted: r.halted });
  });
  const trades = results.map((r) => ({ symbol: r.symbol, list: r.trades }));
  return { runId, settings: resolved, portfolio: metricsPayload(portfolio.metrics), symbols, breakeven: breakevenFee(inputs, perSymbol), trades, series };
}

/** Every trade as an object, symbol by symbol (a preview's answer). Bar indices point into one computation's arrays, so they are left out. */
export function tradeRows(trades: readonly SymbolTrades[]): TradeRow[] {
  return trades.flatMap(({ symbol, list }) => tradesToObjects(list).map(({ entryBar: _entryBar, exitBar: _exitBar, ...trade }) => ({ symbol, ...trade })));
}

/** Runs and stores a backtest of a finished run; returns its summary (trades and series are stored). */
export async function backtestRun(db: Db, runId: number, settings: BacktestSettingsPayload, now: number): Promise<BacktestSummary> {
  const { settings: resolved, portfolio, symbols, breakeven, trades, series } = await computeBacktest(db, runId, settings);
  const blocks = trades.map(({ symbol, list }) => ({ symbol, trades: list.count, data: encodeTradeColumns(list) }));
  const backtestId = saveBacktest(db, runId, now, JSON.stringify(resolved), JSON.stringify({ portfolio, symbols, breakeven }), blocks, series);
  return { backtestId, runId, createdAt: now, settings: resolved, portfolio, symbols, breakeven };
}

/**
 * The backtest at each minimum confidence with every other setting as given, nothing stored. Each
 * row equals what `computeBacktest` reports with `minConfidence` set to its threshold, to the last
 * digit (see `thresholdSweep`).
 */
export async function sweepRun(db: Db, runId: number, settings: BacktestSettingsPayload, thresholds: number[]): Promise<BacktestSweep> {
  const { inputs, perSymbol, resolved } = await backtestInputs(db, runId, settings);
  const result = thresholdSweep(inputs, perSymbol, thresholds);
  return { settings: resolved, rows: result.rows.map((r) => ({ threshold: r.threshold, portfolio: metricsPayload(r.portfolio), symbols: r.symbols.map(symbolLine) })) };
}
