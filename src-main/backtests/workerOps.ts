import type { BacktestAnalyticsOptions, BacktestSettingsPayload, MarketMonteCarloRequest } from '../../src-shared/contract/backtests.js';
import { marketMonteCarloBacktests, marketMonteCarloPlan, type PredictedMarketPaths } from './marketMonteCarlo.js';
import { backtestAnalytics } from './backtestAnalytics.js';
import type { Db } from '../db/connection.js';
import { backtestRun, computeBacktest, sweepRun, tradeRows } from './backtestRun.js';
import { backtestSymbolView } from './symbolView.js';

/** Backtests run in the DB worker: they read every test bar's candles and store trades and series. */
export const backtestWorkerOps = {
  backtestRun: (db: Db, runId: number, settings: BacktestSettingsPayload, now: number) => backtestRun(db, runId, settings, now),
  backtestPreview: async (db: Db, runId: number, settings: BacktestSettingsPayload) => {
    const { trades, series: _series, ...summary } = await computeBacktest(db, runId, settings);
    return { ...summary, trades: tradeRows(trades) };
  },
  backtestSweep: (db: Db, runId: number, settings: BacktestSettingsPayload, thresholds: number[]) => sweepRun(db, runId, settings, thresholds),
  backtestSymbolView,
  backtestAnalytics: (db: Db, runId: number, settings: BacktestSettingsPayload, options: BacktestAnalyticsOptions) => backtestAnalytics(db, runId, settings, options),
  marketMonteCarloPlan: (db: Db, request: MarketMonteCarloRequest) => marketMonteCarloPlan(db, request),
  marketMonteCarloBacktests: (db: Db, request: MarketMonteCarloRequest & { blockLength: number }, predicted: PredictedMarketPaths, now: number) =>
    marketMonteCarloBacktests(db, request, predicted, now),
};
