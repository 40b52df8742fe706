/**
 * Monte Carlo of the market for a stored backtest, the DB worker's part: the checks before any
 * process starts, and the backtests of the resampled paths once the training process has predicted
 * them (`training/loop/marketPaths.ts`). Each path is rebuilt here from the run's candles with the
 * same seed and spec (`resampleMarket`), so only probabilities cross the processes; every path's
 * last closes are compared with the ones the predicting process saw, and a difference is refused.
 *
 * On each path every symbol is backtested with the stored backtest's settings (ATR for ATR stops
 * recomputed on the path, a funding column resampled with its bars) and the equal-weight portfolio
 * is formed as for the real backtest; the paths' portfolio equity curves are summarised with
 * `summarizeEquityPaths` (percentiles type 7, fan chart, P(max drawdown > threshold)).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { defaultBlockLength, resampleMarket, sharedTestCalendar, summarizeEquityPaths, type MarketPathSpec, type MarketSymbol } from '../../src-shared/compute/analytics/index.js';
import { alignPredictionsToBars, equalWeightPortfolio, runBacktest, type SymbolInput } from '../../src-shared/compute/backtest/index.js';
import { averageTrueRange } from '../../src-shared/compute/features/index.js';
import { backtestSettingsFromStored, marketMonteCarloSchema, parseStoredBacktest, type MarketMonteCarlo, type MarketMonteCarloRequest } from '../../src-shared/contract/backtests.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { finiteJson } from '../../src-shared/domain/finite.js';
import { fraction } from '../../src-shared/domain/units.js';
import type { Db } from '../db/connection.js';
import { backtestTrades, getBacktest } from '../db/queries/backtests.js';
import { getRun } from '../db/queries/runs.js';
import { firstPredictedBar } from './backtestAnalytics.js';
import { backtestInputs } from './backtestRun.js';
import { formatCount } from '../../src-shared/domain/formatCount.js';

const FUNDING = 'funding';

/**
 * The most class probabilities a request may hold (paths × test samples × classes, float32): 128 MB,
 * since every path's predictions are kept until the backtests run.
 */
const MAX_PREDICTED_VALUES = 2 ** 25;

async function storedBacktest(db: Db, backtestId: number) {
  const row = getBacktest(db, backtestId);
  if (!row) throw new ContractFailure('NOT_FOUND', `Backtest ${backtestId} does not exist.`);
  const stored = parseStoredBacktest(row.id, row.settingsJson, row.summaryJson);
  const settings = backtestSettingsFromStored(stored.settings);
  if (!settings) throw new ContractFailure('BAD_REQUEST', `Backtest ${backtestId} was stored with settings outside what the form accepts; run the backtest again to resample its market.`);
  const run = getRun(db, row.runId);
  if (run?.config.validation === 'walk-forward') {
    throw new ContractFailure('UNSUPPORTED', `Run ${row.runId} is walk-forward: its test predictions come from one model per fold and only the last is kept, so its signals cannot be recomputed on another market. Resample the market of a holdout run.`);
  }
  const { inputs, perSymbol } = await backtestInputs(db, row.runId, settings);
  const symbols: MarketSymbol[] = inputs.map((input) => ({
    candles: { ts: input.candles.ts, open: input.candles.open, high: input.candles.high, low: input.candles.low, close: input.candles.close, volume: new Float64Array(input.candles.ts.length), ...(input.fundingRate ? { extras: { [FUNDING]: Float64Array.from(input.fundingRate) } } : {}) },
    testStart: firstPredictedBar(input),
  }));
  for (const [k, s] of symbols.entries()) if (s.testStart >= s.candles.ts.length) throw new ContractFailure('NOT_FOUND', `${inputs[k]!.symbol} has no test prediction in run ${row.runId}.`);
  return { row, stored, inputs, perSymbol, symbols };
}

/** The block length a request resolves to: its own, or ⌈bars^(1/3)⌉ of the shortest test period and at least the backtest's mean holding time. */
export async function marketMonteCarloPlan(db: Db, request: MarketMonteCarloRequest): Promise<{ runId: number; blockLength: number; testBars: number }> {
  const { row, symbols, inputs } = await storedBacktest(db, request.backtestId);
  const testBars = Math.min(...symbols.map((s) => s.candles.ts.length - s.testStart));
  let samples = 0;
  for (const { predictions: p } of inputs) for (let i = 0; i < p.ts.length; i++) if (!Number.isNaN(p.ts[i]!)) samples++;
  const perPath = samples * (inputs[0]?.predictions.classes ?? 0);
  if (request.paths * perPath > MAX_PREDICTED_VALUES) {
    throw new ContractFailure('BAD_REQUEST', `${request.paths} paths of ${formatCount(samples)} test predictions would hold ${Math.round((request.paths * perPath * 4) / 2 ** 20)} MB of probabilities; ask for at most ${Math.floor(MAX_PREDICTED_VALUES / perPath)} paths.`);
  }
  if (request.blockLength !== null) return { runId: row.runId, blockLength: request.blockLength, testBars };
  const trades = backtestTrades(db, row.id, null);
  const meanHold = trades.length > 0 ? trades.reduce((sum, t) => sum + t.barsHeld, 0) / trades.length : 0;
  return { runId: row.runId, blockLength: Math.min(Math.max(defaultBlockLength(testBars), Math.ceil(meanHold)), testBars), testBars };
}

/** What the training process answered: per path the test probabilities (test-split order) and each symbol's last close. */
export interface PredictedMarketPaths {
  classes: number;
  ts: Float64Array;
  symbolIndex: Int32Array;
  testStarts: number[];
  paths: { probs: Float32Array; lastClose: number[] }[];
}

/** Backtests every predicted path and summarises the portfolio's outcomes. */
export async function marketMonteCarloBacktests(db: Db, request: MarketMonteCarloRequest & { blockLength: number }, predicted: PredictedMarketPaths, now: number): Promise<MarketMonteCarlo> {
  const started = performance.now();
  const { row, stored, inputs, perSymbol, symbols } = await storedBacktest(db, request.backtestId);
  const k = predicted.classes;
  symbols.forEach((s, i) => {
    if (predicted.testStarts[i] !== s.testStart) throw new ContractFailure('INTERNAL', `${inputs[i]!.symbol}: the model's test period starts at bar ${predicted.testStarts[i]}, the backtest's at bar ${s.testStart}; the run's data changed since it was trained.`);
  });
  const rowsOf = symbols.map((_, s) => {
    const rows: number[] = [];
    for (let i = 0; i < predicted.symbolIndex.length; i++) if (predicted.symbolIndex[i] === s) rows.push(i);
    return { rows, ts: Float64Array.from(rows, (i) => predicted.ts[i]!) };
  });
  const spec: MarketPathSpec = { seed: request.seed, blockLength: request.blockLength, noiseFraction: request.noise };
  const equities: Float64Array[] = [];
  predicted.paths.forEach((path, p) => {
    const market = resampleMarket(symbols, spec, p);
    market.forEach((c, s) => {
      if (c.close[c.close.length - 1] !== path.lastClose[s]) throw new ContractFailure('INTERNAL', `Path ${p + 1} of ${inputs[s]!.symbol} differs between the model's process and the backtest; the run's candles changed while it was resampled.`);
    });
    const results = market.map((c, s) => {
      const { rows, ts } = rowsOf[s]!;
      const probs = new Float32Array(rows.length * k);
      rows.forEach((i, j) => probs.set(path.probs.subarray(i * k, i * k + k), j * k));
      const input: SymbolInput = {
        symbol: inputs[s]!.symbol,
        candles: { ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close },
        predictions: alignPredictionsToBars(c.ts, ts, probs, k),
        atr: averageTrueRange(c.high, c.low, c.close, 14),
        ...(c.extras?.[FUNDING] ? { fundingRate: c.extras[FUNDING] } : {}),
      };
      return runBacktest(input, perSymbol[s]);
    });
    equities.push(equalWeightPortfolio(results).path.equity);
  });
  // A path on which a symbol trades a shorter window (e.g. halted) holds its last equity to the common length.
  const steps = Math.max(...equities.map((e) => e.length));
  const padded = equities.map((e) => (e.length === steps ? e : Float64Array.from({ length: steps }, (_, j) => e[Math.min(j, e.length - 1)] ?? 1)));
  const summary = summarizeEquityPaths(padded, { drawdownThreshold: fraction(request.drawdownThreshold) });
  const words = request.noise > 0 ? `, each bar perturbed by noise of ${request.noise} × a typical bar's move` : '';
  return marketMonteCarloSchema.parse(
    finiteJson({
      backtestId: row.id,
      runId: row.runId,
      method: `moving-block bootstrap of the test period's candles (blocks of ${request.blockLength} bars)${words}; the model's signals recomputed on every path`,
      seed: request.seed,
      blockLength: request.blockLength,
      noise: request.noise,
      sharedBlocks: sharedTestCalendar(symbols),
      original: { totalReturn: stored.portfolio.totalReturn, maxDrawdown: stored.portfolio.maxDrawdown },
      computedAt: now,
      // The backtests' share; the service that also waited for the predictions reports the whole time.
      seconds: (performance.now() - started) / 1000,
      paths: summary.paths,
      steps: summary.steps,
      finalReturn: summary.finalReturn,
      maxDrawdown: summary.maxDrawdown,
      longestDrawdown: summary.longestDrawdown,
      worst5PercentFinalReturn: summary.worst5PercentFinalReturn,
      drawdownThreshold: summary.drawdownThreshold,
      probabilityDrawdownBeyond: summary.probabilityDrawdownBeyond,
      fan: { steps: Array.from(summary.fan.steps), levels: Array.from(summary.fan.levels), bands: summary.fan.bands.map((b) => Array.from(b)) },
      maxDrawdownSamples: Array.from(summary.samples.maxDrawdown),
    }),
  );
}

/** Where a backtest's latest market Monte Carlo is kept: beside its run, so the run's report can show it. */
export const marketMonteCarloFile = (checkpointDir: string, backtestId: number): string => join(checkpointDir, 'market-monte-carlo', `backtest-${backtestId}.json`);

/** The saved market Monte Carlo of a backtest, or null when none was computed (or it no longer reads as one). */
export async function readMarketMonteCarlo(checkpointDir: string, backtestId: number): Promise<MarketMonteCarlo | null> {
  try {
    const parsed = marketMonteCarloSchema.safeParse(JSON.parse(await readFile(marketMonteCarloFile(checkpointDir, backtestId), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
