/**
 * Market regimes by look-ahead-free rules: every label at bar t is a function of bars 0…t only
 * (the bar's close included, so a label is known when the bar closes and may steer decisions from
 * the next bar on). Labels are small integers 0…k−1 with `REGIME_UNKNOWN` (−1) while the trailing
 * window is still filling, so that the grouping helpers in `regimeStats.ts` can index by them.
 *
 * Volatility regime: terciles of trailing realised volatility, the two cut points fitted on the
 * training period only and then applied unchanged to the test period, the usual way to keep a
 * threshold from seeing the data it labels (e.g. López de Prado 2018, "Advances in Financial
 * Machine Learning", ch. 7 on leakage). Trend regime: the sign of the trailing L-bar return
 * outside a ± band, a time-series-momentum rule (Moskowitz, Ooi & Pedersen 2012, "Time series
 * momentum") with a dead band for "sideways".
 */
import { rollingLogReturnVolatility } from '../backtest/volatility.js';
import type { Fraction } from '../../domain/units.js';
import { hmmRegimes } from './hmm.js';
import { sortedQuantile, type Series } from './statistics.js';

/** Label of a bar whose trailing window is not yet full. */
export const REGIME_UNKNOWN = -1;

/** Volatility regime labels. */
export const VOLATILITY_REGIMES = ['low', 'medium', 'high'] as const;
/** Trend regime labels (index = label code). */
export const TREND_REGIMES = ['down', 'sideways', 'up'] as const;

/** The two cut points of the volatility terciles, fitted on a training period. */
export interface VolatilityThresholds {
  /** 1/3 quantile (type 7) of the training period's trailing volatility. */
  lower: number;
  /** 2/3 quantile. */
  upper: number;
  /** Finite training values the cut points came from. */
  trainingBars: number;
}

/**
 * Trailing realised volatility at each bar: the sample standard deviation (n − 1) of the last
 * `lookback` close-to-close log returns ending at that bar's close; NaN for the first `lookback`
 * bars. The same estimator the backtest's volatility sizing uses (`backtest/volatility.ts`).
 */
export function trailingVolatility(close: Series, lookback: number): Float64Array {
  if (!Number.isInteger(lookback) || lookback < 2) throw new RangeError(`volatility lookback must be an integer ≥ 2, got ${lookback}`);
  return rollingLogReturnVolatility(Float64Array.from(close), lookback);
}

/**
 * Tercile cut points of the finite values of a training period's trailing volatility
 * (quantiles 1/3 and 2/3, Hyndman & Fan type 7 = numpy's default). Throws when fewer than 3 values are finite.
 */
export function fitVolatilityThresholds(trainingVolatility: Series): VolatilityThresholds {
  const finite: number[] = [];
  for (let i = 0; i < trainingVolatility.length; i++) if (Number.isFinite(trainingVolatility[i])) finite.push(trainingVolatility[i]);
  if (finite.length < 3) throw new RangeError(`volatility terciles need at least 3 training values, got ${finite.length}`);
  const sorted = Float64Array.from(finite).sort();
  return { lower: sortedQuantile(sorted, 1 / 3), upper: sortedQuantile(sorted, 2 / 3), trainingBars: finite.length };
}

/** Labels each bar low (0) when vol ≤ lower, medium (1) when ≤ upper, high (2) above; unknown where vol is NaN. */
export function volatilityRegimes(volatility: Series, thresholds: VolatilityThresholds): Int8Array {
  const out = new Int8Array(volatility.length);
  for (let t = 0; t < volatility.length; t++) {
    const v = volatility[t];
    out[t] = !Number.isFinite(v) ? REGIME_UNKNOWN : v <= thresholds.lower ? 0 : v <= thresholds.upper ? 1 : 2;
  }
  return out;
}

/** Volatility regimes of a whole series with the thresholds fitted on its training prefix. */
export interface VolatilityRegimeResult {
  volatility: Float64Array;
  thresholds: VolatilityThresholds;
  labels: Int8Array;
}

/**
 * Trailing volatility over the whole series (causal, so bars of the test period use only earlier
 * closes), thresholds fitted on bars [0, trainEnd) and applied to every bar.
 */
export function volatilityRegimesWithTraining(close: Series, lookback: number, trainEnd: number): VolatilityRegimeResult {
  const volatility = trailingVolatility(close, lookback);
  const thresholds = fitVolatilityThresholds(volatility.subarray(0, trainEnd));
  return { volatility, thresholds, labels: volatilityRegimes(volatility, thresholds) };
}

/**
 * Trend regime from the trailing return R_t = close_t / close_{t−L} − 1: up (2) when R_t > band,
 * down (0) when R_t < −band, sideways (1) otherwise; unknown for t < L or a non-finite ratio.
 * @param band - half-width of the sideways band as a fraction (0.02 = ±2 %).
 */
export function trendRegimes(close: Series, lookback: number, band: Fraction): Int8Array {
  if (!Number.isInteger(lookback) || lookback < 1) throw new RangeError(`trend lookback must be a positive integer, got ${lookback}`);
  if (!(band >= 0)) throw new RangeError(`trend band must be ≥ 0, got ${band}`);
  const out = new Int8Array(close.length).fill(REGIME_UNKNOWN);
  for (let t = lookback; t < close.length; t++) {
    const r = close[t] / close[t - lookback] - 1;
    if (Number.isFinite(r)) out[t] = r > band ? 2 : r < -band ? 0 : 1;
  }
  return out;
}

/** HMM regime labels (state 0 the calmest), as `marketRegimes` names them by state count. */
export const HMM_REGIMES = { 2: ['calm', 'turbulent'], 3: ['calm', 'normal', 'turbulent'] } as const;

/** What `marketRegimes` labels a series with. */
export interface MarketRegimeOptions {
  volatilityLookback: number;
  trendLookback: number;
  /** Also label with a Gaussian HMM of 2 or 3 states fitted on the training log returns; null for none. */
  hmmStates?: 2 | 3 | null;
  seed?: number;
}

/** Every regime of one series; a kind that cannot be fitted (too few training bars) is null with its reason. */
export interface MarketRegimes {
  volatility: VolatilityRegimeResult | null;
  /** Half-width of the trend's sideways band: the median training volatility × √trendLookback. */
  trendBand: number | null;
  trend: Int8Array | null;
  hmm: Int8Array | null;
  /** Why a kind is null, by kind. */
  reasons: Partial<Record<'volatility' | 'trend' | 'hmm', string>>;
}

/**
 * Volatility, trend and (optionally) HMM regimes of one close series, every parameter fitted on
 * bars [0, trainEnd) only and every label at t a function of closes 0…t. The trend band is the
 * median training volatility × √L, the size of a typical L-bar move of this series, so that
 * "sideways" means the same on 5-minute and daily bars and across assets. The HMM's label at bar t
 * is the filtered state of the log return ending at t (unknown at bar 0).
 */
export function marketRegimes(close: Series, trainEnd: number, options: MarketRegimeOptions): MarketRegimes {
  const reasons: MarketRegimes['reasons'] = {};
  let volatility: VolatilityRegimeResult | null = null;
  try {
    volatility = volatilityRegimesWithTraining(close, options.volatilityLookback, trainEnd);
  } catch (e) {
    reasons.volatility = (e as Error).message;
  }
  let trendBand: number | null = null;
  let trend: Int8Array | null = null;
  if (volatility) {
    const training = volatility.volatility.subarray(options.volatilityLookback, trainEnd);
    const band = training.length > 0 ? sortedQuantile(Float64Array.from(training).sort(), 0.5) * Math.sqrt(options.trendLookback) : Number.NaN;
    if (Number.isFinite(band)) {
      trendBand = band;
      trend = trendRegimes(close, options.trendLookback, band as Fraction);
    } else reasons.trend = 'no training volatility to size the sideways band';
  } else reasons.trend = `no training volatility to size the sideways band (${reasons.volatility})`;
  let hmm: Int8Array | null = null;
  if (options.hmmStates) {
    const n = close.length;
    const logReturns = new Float64Array(Math.max(n - 1, 0));
    for (let t = 1; t < n; t++) logReturns[t - 1] = Math.log(close[t] / close[t - 1]);
    try {
      const { filtered } = hmmRegimes(logReturns, Math.min(trainEnd - 1, logReturns.length), { states: options.hmmStates, seed: options.seed ?? 1 });
      hmm = new Int8Array(n).fill(REGIME_UNKNOWN);
      hmm.set(filtered.labels, 1);
    } catch (e) {
      reasons.hmm = (e as Error).message;
    }
  }
  return { volatility, trendBand, trend, hmm, reasons };
}
