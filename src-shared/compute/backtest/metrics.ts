import type { BacktestResult } from './engine.js';
import type { TradeList } from './trades.js';

/**
 * An equity path over a backtest window: element 0 is the value before the first bar (equity at
 * the close of the bar before the window), element j the value at the close of the window's j-th
 * bar. `ts[j]` labels each observation with its bar's open time. `benchmark` is buy and hold on the
 * same observations (element 0 = the entry price level).
 */
export interface EquityPath {
  ts: Float64Array;
  equity: Float64Array;
  benchmark: Float64Array;
}

/** A metric is a finite number, or null with the reason in `nullReasons`; never NaN or Infinity. */
export type Metric = number | null;

/** Metrics of a bar-return series (strategy vs its buy-and-hold benchmark). */
export interface ReturnMetrics {
  /** Bar returns in the window. */
  bars: number;
  periodsPerYear: number;
  totalReturn: Metric;
  /** (final / initial)^(periodsPerYear / bars) − 1; −1 when the account is wiped out. */
  cagr: Metric;
  /** Sample standard deviation of bar returns × √periodsPerYear. */
  annualVolatility: Metric;
  /** mean(r − rf) / std(r) × √periodsPerYear (Sharpe 1994, ex-post; std with n − 1). */
  sharpe: Metric;
  /** mean(r − rf) / √(mean(min(r − rf, 0)²)) × √periodsPerYear (Sortino & Price 1994; downside deviation over all bars). */
  sortino: Metric;
  /** CAGR / max drawdown (Young 1991). */
  calmar: Metric;
  /** Largest peak-to-trough fall as a positive fraction of the peak: max_t (1 − E_t / max_{s≤t} E_s). */
  maxDrawdown: Metric;
  /** Longest time under water (from a peak until equity is back at or above it, or the window's end), in bars. */
  maxDrawdownDurationBars: Metric;
  /** The same stretch in ms (difference of the observations' bar timestamps). */
  maxDrawdownDurationMs: Metric;
  /**
   * Historical 95 % VaR of bar returns, as a positive loss: −r₍k₎ with r sorted ascending and
   * k = ⌈0.05 N⌉ − 1 (the empirical 5 % quantile, Hyndman & Fan type 1 / numpy 'inverted_cdf').
   */
  var95: Metric;
  /** Historical 95 % CVaR (expected shortfall): −mean(r₍0₎ … r₍k₎), same k. */
  cvar95: Metric;
  buyAndHoldReturn: Metric;
  /** OLS slope of strategy bar returns on buy-and-hold bar returns: cov(r, b) / var(b). */
  beta: Metric;
  /** OLS intercept per bar × periodsPerYear (Jensen's alpha with rf = 0, simple annualization). */
  alphaAnnual: Metric;
}

/** Trade statistics; returns are per trade, `pnl / equity at entry`, net of all costs. */
export interface TradeMetrics {
  trades: number;
  /** Share of trades with pnl > 0. */
  winRate: Metric;
  /** Σ winning pnl / |Σ losing pnl|. */
  profitFactor: Metric;
  /** Mean trade return. */
  expectancy: Metric;
  /** Mean return of winning trades. */
  averageWin: Metric;
  /** Mean return of losing trades (negative). */
  averageLoss: Metric;
  averageHoldingBars: Metric;
  /** Mean of exitTs − entryTs. */
  averageHoldingMs: Metric;
}

/** Everything reported for one symbol or a portfolio. */
export interface BacktestMetrics extends ReturnMetrics, TradeMetrics {
  /** Share of window bars during which a position was held. */
  exposure: Metric;
  /** Traded notional / equity, summed over fills, per year. */
  turnoverAnnual: Metric;
  /** Quote currency (a fraction of capital with the default initialEquity of 1). */
  feesPaid: number;
  /** Net funding paid; negative when received. */
  fundingPaid: number;
  slippagePaid: number;
  nullReasons: Record<string, string>;
}

export interface MetricsOptions {
  /** Annual risk-free rate for Sharpe and Sortino, compounded to a per-bar rate. Default 0. */
  riskFreeRateAnnual?: number;
}

/**
 * Collects the reasons of null metrics; every computed number passes through `keep`, so nothing
 * non-finite escapes. The metric functions take one as an optional last argument so that a caller
 * combining several (as `backtestMetrics` does) gets all reasons in one record.
 */
export class MetricNulls {
  readonly reasons: Record<string, string> = {};
  keep(name: string, value: number, reason: string): Metric {
    if (Number.isFinite(value)) return value;
    this.reasons[name] = reason;
    return null;
  }
  none(name: string, reason: string): null {
    this.reasons[name] = reason;
    return null;
  }
}

function barReturns(values: Float64Array): Float64Array {
  const r = new Float64Array(values.length - 1);
  for (let j = 1; j < values.length; j++) {
    const prev = values[j - 1];
    // A wiped-out account (equity 0) has nothing left to gain or lose.
    r[j - 1] = prev > 0 ? values[j] / prev - 1 : 0;
  }
  return r;
}

/** Bar-return metrics of an equity path against its benchmark; see `ReturnMetrics` for each formula. */
export function returnMetrics(path: EquityPath, periodsPerYear: number, options: MetricsOptions = {}, nulls = new MetricNulls()): ReturnMetrics {
  const n = path.equity.length - 1;
  const base: ReturnMetrics = {
    bars: Math.max(n, 0),
    periodsPerYear,
    totalReturn: null,
    cagr: null,
    annualVolatility: null,
    sharpe: null,
    sortino: null,
    calmar: null,
    maxDrawdown: null,
    maxDrawdownDurationBars: null,
    maxDrawdownDurationMs: null,
    var95: null,
    cvar95: null,
    buyAndHoldReturn: null,
    beta: null,
    alphaAnnual: null,
  };
  if (n < 1) {
    for (const k of Object.keys(base)) if (k !== 'bars' && k !== 'periodsPerYear') nulls.none(k, 'no bars in the backtest window');
    return base;
  }
  const eq = path.equity;
  const r = barReturns(eq);
  const b = barReturns(path.benchmark);
  const rf = Math.pow(1 + (options.riskFreeRateAnnual ?? 0), 1 / periodsPerYear) - 1;
  const annual = Math.sqrt(periodsPerYear);

  const m: ReturnMetrics = { ...base };
  m.totalReturn = nulls.keep('totalReturn', eq[n] / eq[0] - 1, 'equity path not finite');
  m.buyAndHoldReturn = nulls.keep('buyAndHoldReturn', path.benchmark[n] / path.benchmark[0] - 1, 'benchmark not finite');
  m.cagr = eq[n] <= 0 ? -1 : nulls.keep('cagr', Math.pow(eq[n] / eq[0], periodsPerYear / n) - 1, 'window too short to annualize');

  let mean = 0;
  for (let j = 0; j < n; j++) mean += r[j];
  mean /= n;
  let ss = 0;
  let down = 0;
  for (let j = 0; j < n; j++) {
    ss += (r[j] - mean) * (r[j] - mean);
    const ex = r[j] - rf;
    if (ex < 0) down += ex * ex;
  }
  const excess = mean - rf;
  if (n < 2) {
    for (const k of ['annualVolatility', 'sharpe', 'beta', 'alphaAnnual']) nulls.none(k, 'needs at least 2 bar returns');
  } else {
    const sd = Math.sqrt(ss / (n - 1));
    m.annualVolatility = nulls.keep('annualVolatility', sd * annual, 'not finite');
    m.sharpe = sd > 0 ? nulls.keep('sharpe', (excess / sd) * annual, 'not finite') : nulls.none('sharpe', 'bar returns have zero variance');
  }
  const dd = Math.sqrt(down / n);
  m.sortino = dd > 0 ? nulls.keep('sortino', (excess / dd) * annual, 'not finite') : nulls.none('sortino', 'no bar return below the risk-free rate');

  // One pass: a stretch under water runs from its peak to the bar that gets back to the peak
  // (a new high right after the peak is no stretch); an unrecovered one runs to the window's end.
  let peak = eq[0];
  let peakAt = 0;
  let maxDd = 0;
  let longest = 0;
  let longestMs = 0;
  for (let j = 1; j <= n; j++) {
    if (eq[j] >= peak) {
      if (j - peakAt > 1 && j - peakAt > longest) {
        longest = j - peakAt;
        longestMs = path.ts[j] - path.ts[peakAt];
      }
      peak = eq[j];
      peakAt = j;
    } else {
      const d = peak > 0 ? 1 - eq[j] / peak : 0;
      if (d > maxDd) maxDd = d;
    }
  }
  if (n - peakAt > longest) {
    longest = n - peakAt;
    longestMs = path.ts[n] - path.ts[peakAt];
  }
  m.maxDrawdown = maxDd;
  m.maxDrawdownDurationBars = longest;
  m.maxDrawdownDurationMs = longestMs;
  m.calmar =
    m.cagr === null ? nulls.none('calmar', 'CAGR unavailable') : maxDd > 0 ? nulls.keep('calmar', m.cagr / maxDd, 'not finite') : nulls.none('calmar', 'no drawdown');

  const sorted = r.slice().sort();
  const k = Math.max(Math.ceil(0.05 * n) - 1, 0);
  let tail = 0;
  for (let j = 0; j <= k; j++) tail += sorted[j];
  // `0 - x` rather than `-x`: a loss of zero should read 0, not -0.
  m.var95 = 0 - sorted[k];
  m.cvar95 = 0 - tail / (k + 1);

  if (n >= 2) {
    let mb = 0;
    for (let j = 0; j < n; j++) mb += b[j];
    mb /= n;
    let sxy = 0;
    let sxx = 0;
    for (let j = 0; j < n; j++) {
      sxy += (b[j] - mb) * (r[j] - mean);
      sxx += (b[j] - mb) * (b[j] - mb);
    }
    if (sxx > 0) {
      const beta = sxy / sxx;
      m.beta = nulls.keep('beta', beta, 'not finite');
      m.alphaAnnual = nulls.keep('alphaAnnual', (mean - beta * mb) * periodsPerYear, 'not finite');
    } else {
      nulls.none('beta', 'buy-and-hold returns have zero variance');
      nulls.none('alphaAnnual', 'buy-and-hold returns have zero variance');
    }
  }
  return m;
}

/** Trade statistics over a trade list; see `TradeMetrics`. */
export function tradeMetrics(trades: TradeList, nulls = new MetricNulls()): TradeMetrics {
  const k = trades.count;
  const m: TradeMetrics = {
    trades: k,
    winRate: null,
    profitFactor: null,
    expectancy: null,
    averageWin: null,
    averageLoss: null,
    averageHoldingBars: null,
    averageHoldingMs: null,
  };
  if (k === 0) {
    for (const name of Object.keys(m)) if (name !== 'trades') nulls.none(name, 'no trades');
    return m;
  }
  let wins = 0;
  let losses = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let winRet = 0;
  let lossRet = 0;
  let sumRet = 0;
  let bars = 0;
  let ms = 0;
  for (let i = 0; i < k; i++) {
    const pnl = trades.pnl[i];
    const ret = trades.returnFraction[i];
    sumRet += ret;
    bars += trades.barsHeld[i];
    ms += trades.exitTs[i] - trades.entryTs[i];
    if (pnl > 0) {
      wins++;
      grossWin += pnl;
      winRet += ret;
    } else if (pnl < 0) {
      losses++;
      grossLoss -= pnl;
      lossRet += ret;
    }
  }
  m.winRate = wins / k;
  m.profitFactor = grossLoss > 0 ? nulls.keep('profitFactor', grossWin / grossLoss, 'not finite') : nulls.none('profitFactor', 'no losing trades');
  m.expectancy = nulls.keep('expectancy', sumRet / k, 'not finite');
  m.averageWin = wins > 0 ? nulls.keep('averageWin', winRet / wins, 'not finite') : nulls.none('averageWin', 'no winning trades');
  m.averageLoss = losses > 0 ? nulls.keep('averageLoss', lossRet / losses, 'not finite') : nulls.none('averageLoss', 'no losing trades');
  m.averageHoldingBars = bars / k;
  m.averageHoldingMs = ms / k;
  return m;
}

/** The window's equity path of a single-symbol result (see `EquityPath`). */
export function equityPath(result: Pick<BacktestResult, 'window' | 'ts' | 'equity' | 'buyAndHoldEquity'>): EquityPath {
  const { start, end } = result.window;
  if (start > end) return { ts: new Float64Array(0), equity: new Float64Array(0), benchmark: new Float64Array(0) };
  // start >= 1 always (the first fill is the bar after the first prediction), so start − 1 exists.
  return {
    ts: result.ts.slice(start - 1, end + 1),
    equity: result.equity.slice(start - 1, end + 1),
    benchmark: result.buyAndHoldEquity.slice(start - 1, end + 1),
  };
}

/**
 * All metrics of one symbol's backtest over its window (the bars after the first prediction up to
 * the bar after the last one), annualized with the symbol's calendar (see calendar.ts).
 */
export function backtestMetrics(result: BacktestResult, options: MetricsOptions = {}): BacktestMetrics {
  const nulls = new MetricNulls();
  const ppy = result.calendar.periodsPerYear;
  const rm = returnMetrics(equityPath(result), ppy, options, nulls);
  const tm = tradeMetrics(result.trades, nulls);
  const { start, end } = result.window;
  const n = end - start + 1;
  let exposed = 0;
  for (let t = start; t <= end; t++) if (result.sideDuring[t] !== 0) exposed++;
  return {
    ...rm,
    ...tm,
    exposure: n > 0 ? exposed / n : nulls.none('exposure', 'no bars in the backtest window'),
    turnoverAnnual: n > 0 ? nulls.keep('turnoverAnnual', (result.totals.turnover * ppy) / n, 'not finite') : nulls.none('turnoverAnnual', 'no bars in the backtest window'),
    feesPaid: result.totals.fees,
    fundingPaid: result.totals.funding,
    slippagePaid: result.totals.slippage,
    nullReasons: nulls.reasons,
  };
}

