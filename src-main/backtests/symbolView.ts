import type { Db } from '../db/connection.js';
import { backtestSeries, backtestTrades, getBacktest, runDatasetOfSymbol } from '../db/queries/backtests.js';
import { parseStoredBacktest, type BacktestSymbolView } from '../../src-shared/contract/backtests.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { getRun } from '../db/queries/runs.js';
import { returnsCalendar } from '../../src-shared/domain/returnsCalendar.js';

/**
 * What the Backtests page shows for one symbol: trades, equity beside buy and hold and the
 * drawdown (every k-th bar plus the last, at most `maxPoints`), bar returns for the histogram
 * and calendar returns for the heatmap (both from the full-resolution equity).
 */
export function backtestSymbolView(db: Db, backtestId: number, symbol: string, maxPoints: number): BacktestSymbolView {
  const bt = getBacktest(db, backtestId);
  if (!bt) throw new ContractFailure('NOT_FOUND', `Backtest ${backtestId} does not exist.`);
  const s = backtestSeries(db, backtestId, symbol);
  if (!s) throw new ContractFailure('NOT_FOUND', `Backtest ${backtestId} has no trades or window for ${symbol}.`);
  const n = s.ts.length;
  const drawdown = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    peak = Math.max(peak, s.equity[i]!);
    drawdown[i] = peak > 0 ? s.equity[i]! / peak - 1 : 0;
  }
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const pick: number[] = [];
  for (let i = 0; i < n; i += step) pick.push(i);
  if (pick[pick.length - 1] !== n - 1 && n > 0) pick.push(n - 1);
  const returns: number[] = [];
  for (let i = 1; i < n; i++) if (s.equity[i - 1]! > 0 && s.equity[i] !== s.equity[i - 1]) returns.push(s.equity[i]! / s.equity[i - 1]! - 1);
  const datasetId = runDatasetOfSymbol(db, bt.runId, symbol) ?? 0;
  return {
    trades: backtestTrades(db, backtestId, symbol),
    series: { ts: pick.map((i) => s.ts[i]!), equity: pick.map((i) => s.equity[i]!), buyHold: pick.map((i) => s.buyHold[i]!), drawdown: pick.map((i) => drawdown[i]!) },
    returns: returns.length > 20_000 ? returns.filter((_, i) => i % Math.ceil(returns.length / 20_000) === 0) : returns,
    calendar: returnsCalendar(s.ts, s.equity, parseStoredBacktest(backtestId, bt.settingsJson, bt.summaryJson).settings.initialEquity),
    datasetId,
    timeframe: getRun(db, bt.runId)?.timeframe ?? '',
  };
}
