/**
 * Metrics a quant compares with, beyond those of `backtest/metrics.ts`, from an equity path
 * (element 0 the value before the first bar, as `EquityPath.equity`) and a trade-return list.
 * r_t are the path's simple bar returns E_t / E_{t−1} − 1, t = 1…n. Quantiles are type 7 (numpy's
 * default), moments are the biased ones scipy reports by default. Each formula is on its function.
 */
import { MetricNulls, type Metric } from '../backtest/metrics.js';
import { drawdownSummary, mean, sampleStd, simpleReturns, sortedQuantile, type Series } from './statistics.js';

/**
 * Omega ratio at threshold L (Keating & Shadwick 2002, "A universal performance measure"):
 * Ω(L) = Σ max(r_t − L, 0) / Σ max(L − r_t, 0). NaN without a return below L.
 */
export function omegaRatio(returns: Series, threshold = 0): number {
  let up = 0;
  let down = 0;
  for (let t = 0; t < returns.length; t++) {
    const e = returns[t] - threshold;
    if (e > 0) up += e;
    else down -= e;
  }
  return down > 0 ? up / down : Number.NaN;
}

/**
 * Sample autocorrelation at lag k (Box & Jenkins; numpy/statsmodels `acf`):
 * ρ_k = Σ_{t=k}^{n−1} (r_t − r̄)(r_{t−k} − r̄) / Σ_{t=0}^{n−1} (r_t − r̄)².
 */
export function autocorrelation(returns: Series, lag: number): number {
  const n = returns.length;
  if (lag >= n) return Number.NaN;
  const m = mean(returns);
  let num = 0;
  let den = 0;
  for (let t = 0; t < n; t++) {
    den += (returns[t] - m) * (returns[t] - m);
    if (t >= lag) num += (returns[t] - m) * (returns[t - lag] - m);
  }
  return den > 0 ? num / den : Number.NaN;
}

/**
 * Lo's (2002, "The Statistics of Sharpe Ratios", Financial Analysts Journal 58(4), on time aggregation)
 * time-aggregation factor η(q) = q / √(q + 2 Σ_{k=1}^{q−1} (q − k) ρ_k), which replaces √q when
 * a per-period ratio is scaled to q periods under serial correlation. With q the periods per year
 * of intraday bars (thousands), the sum is truncated at `lags` (ρ_k taken as 0 beyond it), the
 * usual practice since far lags are estimated with noise only. η(q) = √q when all ρ_k = 0.
 * NaN when the bracket is not positive (strong negative autocorrelation makes it meaningless).
 */
export function loAggregationFactor(returns: Series, periodsPerYear: number, lags: number): number {
  const q = periodsPerYear;
  let s = 0;
  const m = Math.min(lags, Math.ceil(q) - 1, returns.length - 1);
  for (let k = 1; k <= m; k++) s += (q - k) * autocorrelation(returns, k);
  const bracket = q + 2 * s;
  return bracket > 0 ? q / Math.sqrt(bracket) : Number.NaN;
}

/**
 * Autocorrelation-adjusted annual Sharpe ratio (Lo 2002): SR = η(q) · (r̄ − r_f) / s, s the sample
 * standard deviation (n − 1), r_f per bar.
 */
export function loAdjustedSharpe(returns: Series, periodsPerYear: number, lags: number, riskFreePerBar = 0): number {
  const sd = sampleStd(returns);
  if (!(sd > 0)) return Number.NaN;
  return loAggregationFactor(returns, periodsPerYear, lags) * ((mean(returns) - riskFreePerBar) / sd);
}

/**
 * Autocorrelation-adjusted annual Sortino ratio: η(q) · (r̄ − r_f) / DD with the downside deviation
 * DD = √(mean(min(r_t − r_f, 0)²)) over all bars (Sortino & Price 1994, as in `backtest/metrics.ts`).
 * Lo derives η for the Sharpe ratio; using it for Sortino is the same aggregation argument applied
 * to the numerator's mean, an extension, not Lo's result.
 */
export function loAdjustedSortino(returns: Series, periodsPerYear: number, lags: number, riskFreePerBar = 0): number {
  let down = 0;
  for (let t = 0; t < returns.length; t++) {
    const e = returns[t] - riskFreePerBar;
    if (e < 0) down += e * e;
  }
  const dd = Math.sqrt(down / returns.length);
  if (!(dd > 0)) return Number.NaN;
  return loAggregationFactor(returns, periodsPerYear, lags) * ((mean(returns) - riskFreePerBar) / dd);
}

/** Longest runs of consecutive wins (> 0) and losses (< 0); a zero ends both runs. */
export function longestStreaks(values: Series): { wins: number; losses: number } {
  let wins = 0;
  let losses = 0;
  let w = 0;
  let l = 0;
  for (let i = 0; i < values.length; i++) {
    w = values[i] > 0 ? w + 1 : 0;
    l = values[i] < 0 ? l + 1 : 0;
    if (w > wins) wins = w;
    if (l > losses) losses = l;
  }
  return { wins, losses };
}

/**
 * Ulcer index (Martin & McCann 1989, "The Investor's Guide to Fidelity Funds"):
 * UI = √((1/n) Σ_{t=1}^{n} D_t²), D_t = 1 − E_t / max_{s≤t} E_s, as a fraction (Martin quotes
 * percent: ×100). n counts the bars, not the starting observation.
 */
export function ulcerIndex(equity: Series): number {
  const n = equity.length - 1;
  if (n < 1) return Number.NaN;
  let peak = equity[0];
  let ss = 0;
  for (let t = 1; t <= n; t++) {
    if (equity[t] > peak) peak = equity[t];
    const d = peak > 0 ? 1 - equity[t] / peak : 0;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/** Tail ratio (as in Quantopian's empyrical): |Q_0.95(r)| / |Q_0.05(r)|. */
export function tailRatio(returns: Series): number {
  const s = Float64Array.from(returns).sort();
  const low = Math.abs(sortedQuantile(s, 0.05));
  return low > 0 ? Math.abs(sortedQuantile(s, 0.95)) / low : Number.NaN;
}

/** Gain-to-pain ratio (Schwager 2012, "Hedge Fund Market Wizards"): Σ r_t / |Σ_{r_t<0} r_t|. */
export function gainToPain(returns: Series): number {
  let sum = 0;
  let losses = 0;
  for (let t = 0; t < returns.length; t++) {
    sum += returns[t];
    if (returns[t] < 0) losses -= returns[t];
  }
  return losses > 0 ? sum / losses : Number.NaN;
}

/**
 * Sample skewness g₁ = m₃ / m₂^{3/2} and excess kurtosis g₂ = m₄ / m₂² − 3 with biased central
 * moments m_k = (1/n) Σ (r − r̄)^k (Joanes & Gill 1998's g₁, g₂; scipy.stats.skew/kurtosis defaults).
 */
export function skewnessKurtosis(returns: Series): { skewness: number; excessKurtosis: number } {
  const n = returns.length;
  const m = mean(returns);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let t = 0; t < n; t++) {
    const d = returns[t] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return { skewness: Number.NaN, excessKurtosis: Number.NaN };
  return { skewness: m3 / Math.pow(m2, 1.5), excessKurtosis: m4 / (m2 * m2) - 3 };
}

/** The metrics of this module for one equity path and its trades. */
export interface MoreMetrics {
  /** Ω(0) of bar returns. */
  omega: Metric;
  /** Lo-adjusted annual Sharpe of bar returns, lags as in `options.lags`. */
  sharpeAutocorrelationAdjusted: Metric;
  sortinoAutocorrelationAdjusted: Metric;
  /** Lag-1 autocorrelation of bar returns. */
  autocorrelationLag1: Metric;
  /** Longest run of winning / losing trades. */
  longestWinStreakTrades: number;
  longestLossStreakTrades: number;
  /** Longest run of bars with positive / negative return. */
  longestWinStreakBars: number;
  longestLossStreakBars: number;
  ulcerIndex: Metric;
  /** Total return / max drawdown (both fractions: net profit over the worst peak-to-trough fall, relative to the peak). */
  recoveryFactor: Metric;
  tailRatio: Metric;
  gainToPain: Metric;
  skewness: Metric;
  excessKurtosis: Metric;
  /** CAGR / max drawdown over the window (Young 1991), CAGR = (E_n / E_0)^{q/n} − 1. */
  calmar: Metric;
  nullReasons: Record<string, string>;
}

export interface MoreMetricsOptions {
  /** Autocorrelation lags in Lo's adjustment. Default 10. */
  lags?: number;
  /** Annual risk-free rate, compounded to a per-bar rate as in `backtest/metrics.ts`. Default 0. */
  riskFreeRateAnnual?: number;
}

/** All metrics of this module; a metric that is not defined is null with its reason. */
export function moreMetrics(equity: Series, tradeReturns: Series, periodsPerYear: number, options: MoreMetricsOptions = {}, nulls = new MetricNulls()): MoreMetrics {
  const r = simpleReturns(equity);
  const n = r.length;
  const lags = options.lags ?? 10;
  const rf = Math.pow(1 + (options.riskFreeRateAnnual ?? 0), 1 / periodsPerYear) - 1;
  const trades = longestStreaks(tradeReturns);
  const bars = longestStreaks(r);
  const dd = drawdownSummary(equity).maxDrawdown;
  const total = n >= 1 ? equity[n] / equity[0] - 1 : Number.NaN;
  const cagr = n >= 1 ? (equity[n] <= 0 ? -1 : Math.pow(equity[n] / equity[0], periodsPerYear / n) - 1) : Number.NaN;
  const sk = skewnessKurtosis(r);
  const few = n < 3 ? 'needs at least 3 bar returns' : '';
  return {
    omega: nulls.keep('omega', omegaRatio(r, 0), 'no bar return below 0'),
    sharpeAutocorrelationAdjusted: nulls.keep('sharpeAutocorrelationAdjusted', n < 3 ? Number.NaN : loAdjustedSharpe(r, periodsPerYear, lags, rf), few || 'zero variance or autocorrelation too negative for the adjustment'),
    sortinoAutocorrelationAdjusted: nulls.keep('sortinoAutocorrelationAdjusted', n < 3 ? Number.NaN : loAdjustedSortino(r, periodsPerYear, lags, rf), few || 'no downside or autocorrelation too negative for the adjustment'),
    autocorrelationLag1: nulls.keep('autocorrelationLag1', autocorrelation(r, 1), few || 'zero variance'),
    longestWinStreakTrades: trades.wins,
    longestLossStreakTrades: trades.losses,
    longestWinStreakBars: bars.wins,
    longestLossStreakBars: bars.losses,
    ulcerIndex: nulls.keep('ulcerIndex', ulcerIndex(equity), 'no bars'),
    recoveryFactor: dd > 0 ? nulls.keep('recoveryFactor', total / dd, 'not finite') : nulls.none('recoveryFactor', 'no drawdown'),
    tailRatio: nulls.keep('tailRatio', n > 0 ? tailRatio(r) : Number.NaN, '5th percentile of returns is 0'),
    gainToPain: nulls.keep('gainToPain', gainToPain(r), 'no losing bar'),
    skewness: nulls.keep('skewness', sk.skewness, 'zero variance'),
    excessKurtosis: nulls.keep('excessKurtosis', sk.excessKurtosis, 'zero variance'),
    calmar: dd > 0 ? nulls.keep('calmar', cagr / dd, 'window too short to annualize') : nulls.none('calmar', 'no drawdown'),
    nullReasons: nulls.reasons,
  };
}
