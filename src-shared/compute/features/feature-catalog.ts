import { directionalMovement, type DirectionalMovement } from './adx.js';
import { averageTrueRange } from './atr.js';
import { bollingerBands, type BollingerBands } from './bollinger.js';
import { dayOfWeekCyclic, hourOfDayCyclic, type CyclicEncoding } from './calendar.js';
import { candleShape, type CandleShape } from './candle-shape.js';
import { commodityChannelIndex } from './cci.js';
import { emaDistance, smaDistance } from './ma-distance.js';
import { macd, type Macd } from './macd.js';
import type { OhlcvColumns } from './ohlcv.js';
import { logReturns, simpleReturns } from './returns.js';
import { relativeStrengthIndex } from './rsi.js';
import { stochasticOscillator, type Stochastic } from './stochastic.js';
import { garmanKlassVolatility, parkinsonVolatility, realizedVolatility } from './volatility.js';
import { moneyFlowIndex, onBalanceVolumeFlow, rollingVwapDistance, volumeZScore } from './volume-flow.js';
import { williamsR } from './williams-r.js';
import {
  coarseBars,
  coarseLogReturn,
  coarseRsi,
  coarseSmaDistance,
  coarseVolatility,
  crossSectionalRank,
  dayOfMonthCyclic,
  monthOfYearCyclic,
  referenceLogReturn,
  referenceVolatility,
  sessionFlag,
  trendRegimeFeature,
  volatilityPercentRank,
  volatilityRegimeFeature,
  weekendFlag,
  type AssetCloses,
  type CoarseBars,
} from './wide.js';

/**
 * The feature catalog: every feature is named `family` or `family_p1_p2…` (integer parameters),
 * e.g. `logret_5`, `sma_dist_200`, `macd_hist` (= `macd_hist_12_26_9`). Dataset extra columns are
 * named `extra:NAME` (as stored), `extra_diff:NAME` (x_t − x_{t−1}) or `extra_pct:NAME`
 * (x_t / x_{t−1} − 1). Every catalog feature is scale-free (invariant to multiplying all prices by a
 * constant, and volume features to multiplying volume by one); only `extra:NAME` passes a column
 * through unchanged, because the caller asked for it.
 */

/** Memoizes multi-output indicators (MACD, ADX, …) so that asking for all their outputs computes them once. */
export class FeatureContext {
  private readonly memo = new Map<string, unknown>();
  /**
   * @param assets - every asset of the run (this one among them, the first the reference asset),
   *   for the cross-asset families; without them the dataset is its own reference and only asset.
   */
  constructor(
    readonly cols: OhlcvColumns,
    readonly assets: readonly AssetCloses[] = [],
  ) {}

  /** The run's reference asset: the first of `assets`, or the dataset itself. */
  get reference(): AssetCloses {
    return this.assets[0] ?? this.cols;
  }

  /** The run's assets, or the dataset alone. */
  get universe(): readonly AssetCloses[] {
    return this.assets.length > 0 ? this.assets : [this.cols];
  }

  once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

interface FeatureFamily {
  /** Number of integer parameters the name carries. */
  readonly arity: number;
  /** Parameters used when the name carries none (e.g. MACD's 12/26/9). */
  readonly defaults?: readonly number[];
  readonly describe: string;
  compute(ctx: FeatureContext, p: readonly number[]): Float64Array;
}

const overClose = (x: Float64Array, close: Float64Array): Float64Array => {
  for (let t = 0; t < x.length; t++) x[t] /= close[t];
  return x;
};

const macdOf = (ctx: FeatureContext, p: readonly number[]): Macd =>
  ctx.once(`macd:${p.join(',')}`, () => macd(ctx.cols.close, p[0], p[1], p[2]));
const bollingerOf = (ctx: FeatureContext, period: number): BollingerBands =>
  ctx.once(`bb:${period}`, () => bollingerBands(ctx.cols.close, period, 2));
const stochasticOf = (ctx: FeatureContext, k: number, d: number): Stochastic =>
  ctx.once(`stoch:${k},${d}`, () => stochasticOscillator(ctx.cols.high, ctx.cols.low, ctx.cols.close, k, d));
const dmiOf = (ctx: FeatureContext, period: number): DirectionalMovement =>
  ctx.once(`dmi:${period}`, () => directionalMovement(ctx.cols.high, ctx.cols.low, ctx.cols.close, period));
const candleOf = (ctx: FeatureContext): CandleShape =>
  ctx.once('candle', () => candleShape(ctx.cols.open, ctx.cols.high, ctx.cols.low, ctx.cols.close));
const hourOf = (ctx: FeatureContext): CyclicEncoding => ctx.once('hour', () => hourOfDayCyclic(ctx.cols.ts));
const dowOf = (ctx: FeatureContext): CyclicEncoding => ctx.once('dow', () => dayOfWeekCyclic(ctx.cols.ts));

const monthOf = (ctx: FeatureContext): CyclicEncoding => ctx.once('month', () => monthOfYearCyclic(ctx.cols.ts));
const domOf = (ctx: FeatureContext): CyclicEncoding => ctx.once('dom', () => dayOfMonthCyclic(ctx.cols.ts));
const coarseOf = (ctx: FeatureContext, minutes: number): CoarseBars => ctx.once(`coarse:${minutes}`, () => coarseBars(ctx.cols.ts, ctx.cols.close, minutes));

// Multi-output indicators are copied out of the memo so a caller mutating one column can't corrupt another.
const copy = (x: Float64Array): Float64Array => x.slice();

const FAMILIES: Readonly<Record<string, FeatureFamily>> = {
  ret: { arity: 1, describe: 'simple return over k bars', compute: (c, p) => simpleReturns(c.cols.close, p[0]) },
  logret: { arity: 1, describe: 'log return over k bars', compute: (c, p) => logReturns(c.cols.close, p[0]) },
  rv: { arity: 1, describe: 'realized volatility (std of 1-bar log returns)', compute: (c, p) => realizedVolatility(c.cols.close, p[0]) },
  parkinson: {
    arity: 1,
    describe: 'Parkinson high-low volatility',
    compute: (c, p) => parkinsonVolatility(c.cols.high, c.cols.low, p[0]),
  },
  gk: {
    arity: 1,
    describe: 'Garman-Klass volatility',
    compute: (c, p) => garmanKlassVolatility(c.cols.open, c.cols.high, c.cols.low, c.cols.close, p[0]),
  },
  natr: {
    arity: 1,
    describe: 'ATR (Wilder) / close',
    compute: (c, p) => overClose(averageTrueRange(c.cols.high, c.cols.low, c.cols.close, p[0]), c.cols.close),
  },
  rsi: { arity: 1, describe: 'RSI (Wilder)', compute: (c, p) => relativeStrengthIndex(c.cols.close, p[0]) },
  macd_line: {
    arity: 3,
    defaults: [12, 26, 9],
    describe: 'MACD line / close',
    compute: (c, p) => overClose(copy(macdOf(c, p).line), c.cols.close),
  },
  macd_signal: {
    arity: 3,
    defaults: [12, 26, 9],
    describe: 'MACD signal / close',
    compute: (c, p) => overClose(copy(macdOf(c, p).signal), c.cols.close),
  },
  macd_hist: {
    arity: 3,
    defaults: [12, 26, 9],
    describe: 'MACD histogram / close',
    compute: (c, p) => overClose(copy(macdOf(c, p).histogram), c.cols.close),
  },
  bb_pctb: { arity: 1, describe: 'Bollinger %B (k = 2)', compute: (c, p) => copy(bollingerOf(c, p[0]).percentB) },
  bb_width: { arity: 1, describe: 'Bollinger bandwidth (k = 2)', compute: (c, p) => copy(bollingerOf(c, p[0]).bandwidth) },
  stoch_k: { arity: 1, describe: 'stochastic %K (fast)', compute: (c, p) => copy(stochasticOf(c, p[0], 3).k) },
  stoch_d: { arity: 2, describe: 'stochastic %D = SMA of %K', compute: (c, p) => copy(stochasticOf(c, p[0], p[1]).d) },
  cci: { arity: 1, describe: 'commodity channel index', compute: (c, p) => commodityChannelIndex(c.cols.high, c.cols.low, c.cols.close, p[0]) },
  willr: { arity: 1, describe: 'Williams %R', compute: (c, p) => williamsR(c.cols.high, c.cols.low, c.cols.close, p[0]) },
  adx: { arity: 1, describe: 'ADX (Wilder)', compute: (c, p) => copy(dmiOf(c, p[0]).adx) },
  plus_di: { arity: 1, describe: '+DI (Wilder)', compute: (c, p) => copy(dmiOf(c, p[0]).plusDi) },
  minus_di: { arity: 1, describe: '−DI (Wilder)', compute: (c, p) => copy(dmiOf(c, p[0]).minusDi) },
  obv_flow: { arity: 1, describe: 'OBV change / window volume', compute: (c, p) => onBalanceVolumeFlow(c.cols.close, c.cols.volume, p[0]) },
  mfi: {
    arity: 1,
    describe: 'money flow index',
    compute: (c, p) => moneyFlowIndex(c.cols.high, c.cols.low, c.cols.close, c.cols.volume, p[0]),
  },
  vwap_dist: {
    arity: 1,
    describe: 'close / rolling VWAP − 1',
    compute: (c, p) => rollingVwapDistance(c.cols.high, c.cols.low, c.cols.close, c.cols.volume, p[0]),
  },
  sma_dist: { arity: 1, describe: 'close / SMA − 1', compute: (c, p) => smaDistance(c.cols.close, p[0]) },
  ema_dist: { arity: 1, describe: 'close / EMA − 1', compute: (c, p) => emaDistance(c.cols.close, p[0]) },
  candle_body: { arity: 0, describe: 'signed body / range', compute: (c) => copy(candleOf(c).body) },
  candle_upper: { arity: 0, describe: 'upper shadow / range', compute: (c) => copy(candleOf(c).upperShadow) },
  candle_lower: { arity: 0, describe: 'lower shadow / range', compute: (c) => copy(candleOf(c).lowerShadow) },
  vol_z: { arity: 1, describe: 'volume z-score', compute: (c, p) => volumeZScore(c.cols.volume, p[0]) },
  hour_sin: { arity: 0, describe: 'sin of UTC hour of day', compute: (c) => copy(hourOf(c).sin) },
  hour_cos: { arity: 0, describe: 'cos of UTC hour of day', compute: (c) => copy(hourOf(c).cos) },
  dow_sin: { arity: 0, describe: 'sin of UTC day of week', compute: (c) => copy(dowOf(c).sin) },
  dow_cos: { arity: 0, describe: 'cos of UTC day of week', compute: (c) => copy(dowOf(c).cos) },
  month_sin: { arity: 0, describe: 'sin of UTC month of year', compute: (c) => copy(monthOf(c).sin) },
  month_cos: { arity: 0, describe: 'cos of UTC month of year', compute: (c) => copy(monthOf(c).cos) },
  dom_sin: { arity: 0, describe: 'sin of UTC day of month', compute: (c) => copy(domOf(c).sin) },
  dom_cos: { arity: 0, describe: 'cos of UTC day of month', compute: (c) => copy(domOf(c).cos) },
  session_asia: { arity: 0, describe: 'bar opens in the Asian session (UTC 00–08)', compute: (c) => sessionFlag(c.cols.ts, 'asia') },
  session_europe: { arity: 0, describe: 'bar opens in the European session (UTC 07–16)', compute: (c) => sessionFlag(c.cols.ts, 'europe') },
  session_us: { arity: 0, describe: 'bar opens in the US session (UTC 13–22)', compute: (c) => sessionFlag(c.cols.ts, 'us') },
  weekend: { arity: 0, describe: 'bar opens on a UTC Saturday or Sunday', compute: (c) => weekendFlag(c.cols.ts) },
  htf_logret: { arity: 2, describe: 'log return over k completed M-minute bars (multi-timeframe, no look-ahead)', compute: (c, p) => coarseLogReturn(coarseOf(c, p[0]), p[1]) },
  htf_rv: { arity: 2, describe: 'volatility of the last k completed M-minute bars', compute: (c, p) => coarseVolatility(coarseOf(c, p[0]), p[1]) },
  htf_rsi: { arity: 2, describe: 'RSI (Wilder) over completed M-minute bars', compute: (c, p) => coarseRsi(coarseOf(c, p[0]), p[1]) },
  htf_sma_dist: { arity: 2, describe: 'close / SMA of the last k completed M-minute closes − 1', compute: (c, p) => coarseSmaDistance(coarseOf(c, p[0]), c.cols.close, p[1]) },
  vol_pctrank: { arity: 1, describe: 'expanding percentile rank of the trailing volatility', compute: (c, p) => volatilityPercentRank(c.cols.close, p[0]) },
  vol_regime: { arity: 1, describe: 'volatility regime 0/1/2 by expanding terciles', compute: (c, p) => volatilityRegimeFeature(c.cols.close, p[0]) },
  xref_logret: { arity: 1, describe: "the run's reference asset's k-bar log return (its first dataset)", compute: (c, p) => referenceLogReturn(c.cols.ts, c.reference, p[0]) },
  xref_rv: { arity: 1, describe: "the reference asset's realised volatility over k bars", compute: (c, p) => referenceVolatility(c.cols.ts, c.reference, p[0]) },
  xrank_logret: { arity: 1, describe: "cross-sectional rank (0–1] of the k-bar log return among the run's assets", compute: (c, p) => crossSectionalRank(c.cols, c.universe, p[0]) },
  trend_regime: { arity: 1, describe: 'trend regime −1/0/+1: k-bar log return beyond ± a typical k-bar move', compute: (c, p) => trendRegimeFeature(c.cols.close, p[0]) },
};

/** Family names and one-line descriptions, for UIs that let users compose a feature list. */
export function featureFamilies(): { family: string; arity: number; defaults?: readonly number[]; describe: string }[] {
  return Object.entries(FAMILIES).map(([family, f]) => ({ family, arity: f.arity, defaults: f.defaults, describe: f.describe }));
}

const EXTRA_PREFIXES = ['extra:', 'extra_diff:', 'extra_pct:'] as const;
type ExtraTransform = 'raw' | 'diff' | 'pct';
const EXTRA_TRANSFORM: Record<(typeof EXTRA_PREFIXES)[number], ExtraTransform> = {
  'extra:': 'raw',
  'extra_diff:': 'diff',
  'extra_pct:': 'pct',
};

type ParsedFeature =
  | { kind: 'catalog'; family: FeatureFamily; params: readonly number[] }
  | { kind: 'extra'; column: string; transform: ExtraTransform };

/** Parses a feature name; returns an error message instead of throwing so contract validation can reuse it. */
export function parseFeatureName(name: string): ParsedFeature | string {
  for (const prefix of EXTRA_PREFIXES) {
    if (name.startsWith(prefix)) {
      const column = name.slice(prefix.length);
      return column.length > 0 ? { kind: 'extra', column, transform: EXTRA_TRANSFORM[prefix] } : `empty extra column name in "${name}"`;
    }
  }
  const m = /^([a-z][a-z_]*?)((?:_\d+)*)$/.exec(name);
  if (!m) return `malformed feature name "${name}"`;
  const family = FAMILIES[m[1]];
  if (!family) return `unknown feature family "${m[1]}" in "${name}"`;
  const given = m[2] ? m[2].slice(1).split('_').map(Number) : [];
  const params = given.length === 0 && family.defaults ? family.defaults : given;
  if (params.length !== family.arity) return `feature "${name}" needs ${family.arity} integer parameter(s)`;
  if (params.some((p) => p < 1 || !Number.isSafeInteger(p))) return `feature "${name}" has a parameter < 1`;
  return { kind: 'catalog', family, params };
}

function extraColumn(ctx: FeatureContext, column: string, transform: ExtraTransform): Float64Array {
  const src = ctx.cols.extras?.[column];
  if (!src) throw new RangeError(`dataset has no extra column "${column}"`);
  if (transform === 'raw') return Float64Array.from(src);
  const out = new Float64Array(src.length).fill(NaN);
  for (let t = 1; t < src.length; t++) {
    const v = transform === 'diff' ? src[t] - src[t - 1] : src[t] / src[t - 1] - 1;
    if (v - v === 0) out[t] = v;
  }
  return out;
}

/** Computes one named feature column over all bars (Float64, NaN during warm-up). Throws on unknown names. */
export function computeFeature(ctx: FeatureContext, name: string): Float64Array {
  const parsed = parseFeatureName(name);
  if (typeof parsed === 'string') throw new RangeError(parsed);
  if (parsed.kind === 'extra') return extraColumn(ctx, parsed.column, parsed.transform);
  return parsed.family.compute(ctx, parsed.params);
}
