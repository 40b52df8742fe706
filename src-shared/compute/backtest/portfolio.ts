import { annualizationCalendar } from './calendar.js';
import type { BacktestResult } from './engine.js';
import { equityPath, MetricNulls, returnMetrics, tradeMetrics, type BacktestMetrics, type EquityPath, type MetricsOptions } from './metrics.js';
import type { CalendarMode } from './settings.js';
import { mergeTradeLists } from './trades.js';

/** An equal-weight portfolio of per-symbol backtests and its metrics. */
export interface PortfolioResult {
  /** Observation times (see `EquityPath`): element 0 precedes the first portfolio bar. */
  path: EquityPath;
  /** Symbols whose window covers each observation (element 0 is 0). */
  activeSymbols: Int32Array;
  metrics: BacktestMetrics;
}

/** First index whose value is greater than x (a sorted ascending). */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sorted distinct values of ascending arrays, by a k-way merge: with a handful of symbols this
 * is several times faster than sorting the concatenation, which a threshold sweep would otherwise
 * pay once per threshold.
 */
function sortedUnion(lists: readonly Float64Array[]): Float64Array {
  let total = 0;
  for (const l of lists) total += l.length;
  const out = new Float64Array(total);
  const at = new Int32Array(lists.length);
  let m = 0;
  for (;;) {
    let min = Infinity;
    for (let k = 0; k < lists.length; k++) {
      const l = lists[k];
      if (at[k] < l.length && l[at[k]] < min) min = l[at[k]];
    }
    if (min === Infinity) break;
    out[m++] = min;
    for (let k = 0; k < lists.length; k++) {
      const l = lists[k];
      if (at[k] < l.length && l[at[k]] === min) at[k]++;
    }
  }
  return out.subarray(0, m);
}

/** Per union time: the sums of the active symbols' bar returns (and of buy and hold's, with `full`), and where each symbol's window starts and ends. */
/** What the portfolio reads of one symbol's backtest. */
export type PortfolioSleeve = Pick<BacktestResult, 'window' | 'ts' | 'equity' | 'buyAndHoldEquity' | 'sideDuring' | 'settings'>;

function unionReturns<R extends PortfolioSleeve>(results: readonly R[], full: boolean) {
  const symbolsUsed = results.filter((r) => r.window.start <= r.window.end);
  const paths = symbolsUsed.map(equityPath);
  let first = Infinity;
  for (const p of paths) if (p.ts[0] < first) first = p.ts[0];
  const union = sortedUnion(paths.map((p) => p.ts.subarray(1)));
  const m = union.length;

  const sumR = new Float64Array(m);
  const sumB = new Float64Array(full ? m : 0);
  const activeDelta = new Int32Array(m + 1);
  const exposed = new Uint8Array(full ? m : 0);
  for (let k = 0; k < paths.length; k++) {
    const p = paths[k];
    const r = symbolsUsed[k];
    const len = p.ts.length;
    // Active from the first union time after the observation that precedes its window.
    const from = upperBound(union, p.ts[0]);
    let u = from;
    for (let j = 1; j < len; j++) {
      while (union[u] < p.ts[j]) u++;
      const pe = p.equity[j - 1];
      sumR[u] += pe > 0 ? p.equity[j] / pe - 1 : 0;
      if (full) {
        const pb = p.benchmark[j - 1];
        sumB[u] += pb > 0 ? p.benchmark[j] / pb - 1 : 0;
        if (r.sideDuring[r.window.start - 1 + j] !== 0) exposed[u] = 1;
      }
    }
    activeDelta[from]++;
    activeDelta[u + 1]--;
  }
  return { symbolsUsed, first, union, sumR, sumB, activeDelta, exposed };
}

/**
 * `equalWeightPortfolio(results).metrics.totalReturn`, to the last bit, without the benchmark, the
 * trade statistics or the other metrics: all a breakeven search asks of each of its re-runs.
 */
export function equalWeightTotalReturn(results: readonly PortfolioSleeve[]): number | null {
  const { union, sumR, activeDelta } = unionReturns(results, false);
  const m = union.length;
  if (m < 1) return null;
  const e0 = results.length > 0 ? results[0].settings.initialEquity : 1;
  let equity = e0;
  let active = 0;
  for (let u = 0; u < m; u++) {
    active += activeDelta[u];
    const n = active > 0 ? active : 1;
    equity = equity * (1 + sumR[u] / n);
  }
  const total = equity / e0 - 1;
  return Number.isFinite(total) ? total : null;
}

/**
 * Equal-weight portfolio of per-symbol strategy returns, rebalanced at every bar of the union of
 * the symbols' timestamps. At a union time u the active symbols are those whose window covers u
 * (first observation < u ≤ last observation); the portfolio return is the plain mean of their bar
 * returns, a symbol without a bar at u contributing 0 (its price move shows up at its next bar).
 * Symbols outside their windows hold no capital (their weight goes to the active ones).
 * The buy-and-hold benchmark is built the same way from the symbols' buy-and-hold paths.
 * Approximations, documented because they are not exact portfolio accounting: rebalancing
 * between symbols is free; fees, funding and slippage are the per-symbol totals divided by the
 * number of symbols (each symbol trades 1/N of the capital); turnover likewise; trade statistics
 * pool all symbols' trades (returns relative to each symbol's own equity). Exposure is the share of
 * portfolio bars at which at least one symbol held a position. Annualization uses the calendar of
 * the union timestamps.
 */
export function equalWeightPortfolio(results: readonly BacktestResult[], calendarMode: CalendarMode = 'auto', options: MetricsOptions = {}): PortfolioResult {
  const { symbolsUsed, first, union, sumR, sumB, activeDelta, exposed } = unionReturns(results, true);
  const m = union.length;

  const e0 = results.length > 0 ? results[0].settings.initialEquity : 1;
  const ts = new Float64Array(m + 1);
  const equity = new Float64Array(m + 1);
  const benchmark = new Float64Array(m + 1);
  const activeSymbols = new Int32Array(m + 1);
  ts[0] = m > 0 ? first : 0;
  equity[0] = e0;
  benchmark[0] = e0;
  let active = 0;
  let exposedBars = 0;
  for (let u = 0; u < m; u++) {
    active += activeDelta[u];
    activeSymbols[u + 1] = active;
    ts[u + 1] = union[u];
    const n = active > 0 ? active : 1;
    equity[u + 1] = equity[u] * (1 + sumR[u] / n);
    benchmark[u + 1] = benchmark[u] * (1 + sumB[u] / n);
    exposedBars += exposed[u];
  }

  const path: EquityPath = { ts, equity, benchmark };
  const nulls = new MetricNulls();
  const ppy = annualizationCalendar(ts.subarray(1), calendarMode).periodsPerYear;
  const rm = returnMetrics(path, ppy, options, nulls);
  const tm = tradeMetrics(mergeTradeLists(symbolsUsed.map((r) => r.trades)), nulls);
  const count = Math.max(symbolsUsed.length, 1);
  let fees = 0;
  let funding = 0;
  let slippage = 0;
  let turnover = 0;
  for (const r of symbolsUsed) {
    fees += r.totals.fees / count;
    funding += r.totals.funding / count;
    slippage += r.totals.slippage / count;
    turnover += r.totals.turnover / count;
  }
  const metrics: BacktestMetrics = {
    ...rm,
    ...tm,
    exposure: m > 0 ? exposedBars / m : nulls.none('exposure', 'no bars in the backtest window'),
    turnoverAnnual: m > 0 ? nulls.keep('turnoverAnnual', (turnover * ppy) / m, 'not finite') : nulls.none('turnoverAnnual', 'no bars in the backtest window'),
    feesPaid: fees,
    fundingPaid: funding,
    slippagePaid: slippage,
    nullReasons: nulls.reasons,
  };
  return { path, activeSymbols, metrics };
}
