/**
 * Monte Carlo of a backtest: how the outcome spreads when the same edge meets another ordering of
 * its trades, or another path of the market.
 *
 * - Trade resampling: the trade returns r_1…r_K compounded in another order. `'bootstrap'` draws K
 *   trades with replacement (Efron 1979); `'reorder'` permutes them (Fisher–Yates), which keeps
 *   the final return Π(1 + r_i) − 1 exactly and only moves the drawdown.
 * - Market resampling: a moving-block bootstrap of the bar-return path (Künsch 1989, "The
 *   jackknife and the bootstrap for general stationary observations"): blocks of b consecutive
 *   bars from uniform starts, concatenated, so autocorrelation and volatility clustering up to b
 *   bars survive; and a noise-perturbed path (each bar's gross return times exp(f·σ·ε), σ the
 *   sample std of log returns, ε standard normal, Box–Muller).
 *
 * Block length: the default b = ⌈n^{1/3}⌉ is the rate Hall, Horowitz & Jing (1995, "On blocking
 * rules for the bootstrap with dependent data", Biometrika 82) show minimises the error of
 * bootstrap variance and distribution estimates; for 10,000 hourly bars that is 22 bars, about a
 * day, long enough for intraday volatility clusters and short enough for ~450 distinct blocks.
 * A caller who knows the strategy's holding time should pass a b of at least that.
 *
 * The market resamplers here resample returns (and, for the wiring, candles: `resampleCandles`,
 * `perturbCandles`). Re-running the model on each resampled candle path, so that its signals
 * react to the new path, needs the trained model and the feature pipeline; that part belongs to
 * the wiring, which calls these resamplers and then `summarizeEquityPaths` on the backtests.
 *
 * Everything is seeded with the project's mulberry32 (`compute/random.ts`): the same seed gives the
 * same paths on every machine. Percentiles are type 7 (numpy's default).
 */
import { mulberry32, randomIntBelow, type Rng } from '../random.js';
import type { Fraction } from '../../domain/units.js';
import { normalSampler, sampleStd, sortedQuantile, type Series } from './statistics.js';

/** 5th, 50th and 95th percentiles. */
export interface PercentileBand {
  p5: number;
  p50: number;
  p95: number;
}

/** Quantile bands of equity over the path, for a fan chart. */
export interface FanChart {
  /** Step indices (0 = start, equity 1) at which the bands are taken, ascending. */
  steps: Int32Array;
  /** The quantile levels, e.g. [0.05, 0.25, 0.5, 0.75, 0.95]. */
  levels: Float64Array;
  /** bands[q][s]: the levels[q] quantile of equity across paths at steps[s]. */
  bands: Float64Array[];
}

export interface MonteCarloSummary {
  paths: number;
  /** Steps per path (trades or bars). */
  steps: number;
  finalReturn: PercentileBand;
  /** Max drawdown, positive fraction. */
  maxDrawdown: PercentileBand;
  /** Longest stretch under water, in steps. */
  longestDrawdown: PercentileBand;
  /** Mean final return of the worst 5 % of paths (⌈0.05·paths⌉ paths): the expected shortfall of the outcome. */
  worst5PercentFinalReturn: number;
  /** The threshold asked about, or null. */
  drawdownThreshold: number | null;
  /** Share of paths whose max drawdown exceeds the threshold; null without one. */
  probabilityDrawdownBeyond: number | null;
  fan: FanChart;
  /** Per-path outcomes, in path order (for histograms and further tests). */
  samples: { finalReturn: Float64Array; maxDrawdown: Float64Array; longestDrawdown: Float64Array };
}

export interface MonteCarloOptions {
  /** Number of resampled paths. */
  paths: number;
  seed: number;
  /** Report P(max drawdown > threshold). */
  drawdownThreshold?: Fraction;
  /** Quantile levels of the fan chart. Default [0.05, 0.25, 0.5, 0.75, 0.95]. */
  fanLevels?: readonly number[];
  /** Points along the path at which the fan is sampled (evenly spaced, ends included). Default 101. */
  fanPoints?: number;
}

/** Writes one path's per-step returns into `out`. */
export type PathGenerator = (rng: Rng, out: Float64Array) => void;

function percentiles(values: Float64Array): PercentileBand {
  const s = values.slice().sort();
  return { p5: sortedQuantile(s, 0.05), p50: sortedQuantile(s, 0.5), p95: sortedQuantile(s, 0.95) };
}

/**
 * Runs `paths` seeded paths of `steps` returns each from a generator and summarises them: the
 * common core of every Monte Carlo here. Equity starts at 1 and compounds; paths are generated in
 * order from one mulberry32 stream, so path i depends on the seed and i only. Memory is
 * O(steps + paths × fanPoints): paths are never all held at once.
 */
export function simulateReturnPaths(steps: number, options: MonteCarloOptions, generate: PathGenerator): MonteCarloSummary {
  const paths = options.paths;
  if (!Number.isInteger(paths) || paths < 1) throw new RangeError(`paths must be a positive integer, got ${paths}`);
  const levels = Float64Array.from(options.fanLevels ?? [0.05, 0.25, 0.5, 0.75, 0.95]);
  const points = Math.min(Math.max(options.fanPoints ?? 101, 2), steps + 1);
  const fanSteps = new Int32Array(points);
  for (let s = 0; s < points; s++) fanSteps[s] = Math.round((s * steps) / (points - 1));
  const fanValues = new Float64Array(points * paths);

  const rng = mulberry32(options.seed);
  const buffer = new Float64Array(steps);
  const finalReturn = new Float64Array(paths);
  const maxDrawdown = new Float64Array(paths);
  const longestDrawdown = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    generate(rng, buffer);
    let equity = 1;
    let peak = 1;
    let peakAt = 0;
    let maxDd = 0;
    let longest = 0;
    let nextFan = 0;
    if (fanSteps[0] === 0) fanValues[nextFan++ * paths + p] = 1;
    for (let j = 1; j <= steps; j++) {
      equity *= 1 + buffer[j - 1];
      // Same drawdown conventions as backtest/metrics.ts: a stretch ends at the step that regains the peak.
      if (equity >= peak) {
        if (j - peakAt > 1 && j - peakAt > longest) longest = j - peakAt;
        peak = equity;
        peakAt = j;
      } else {
        const d = peak > 0 ? 1 - equity / peak : 0;
        if (d > maxDd) maxDd = d;
      }
      while (nextFan < points && fanSteps[nextFan] === j) fanValues[nextFan++ * paths + p] = equity;
    }
    if (steps - peakAt > longest) longest = steps - peakAt;
    finalReturn[p] = equity - 1;
    maxDrawdown[p] = maxDd;
    longestDrawdown[p] = longest;
  }

  const bands = Array.from(levels, () => new Float64Array(points));
  for (let s = 0; s < points; s++) {
    const column = fanValues.subarray(s * paths, (s + 1) * paths).sort();
    for (let q = 0; q < levels.length; q++) bands[q][s] = sortedQuantile(column, levels[q]);
  }
  const sortedFinal = finalReturn.slice().sort();
  const worstCount = Math.ceil(0.05 * paths);
  let worst = 0;
  for (let i = 0; i < worstCount; i++) worst += sortedFinal[i];
  const threshold = options.drawdownThreshold ?? null;
  let beyond = 0;
  if (threshold !== null) for (let p = 0; p < paths; p++) if (maxDrawdown[p] > threshold) beyond++;
  return {
    paths,
    steps,
    finalReturn: percentiles(finalReturn),
    maxDrawdown: percentiles(maxDrawdown),
    longestDrawdown: percentiles(longestDrawdown),
    worst5PercentFinalReturn: worst / worstCount,
    drawdownThreshold: threshold,
    probabilityDrawdownBeyond: threshold === null ? null : beyond / paths,
    fan: { steps: fanSteps, levels, bands },
    samples: { finalReturn, maxDrawdown, longestDrawdown },
  };
}

/** How trades are resampled. */
export type TradeResampling = 'bootstrap' | 'reorder';

/**
 * Monte Carlo of the trade sequence: each path compounds K trade returns (`pnl / equity at entry`,
 * net of costs) drawn with replacement (`'bootstrap'`) or permuted (`'reorder'`). Steps are trades,
 * so drawdown durations are in trades. Compounding trade returns assumes each trade risks the
 * equity it finds, as the backtest's fraction-of-equity sizing does.
 */
export function tradeMonteCarlo(tradeReturns: Series, method: TradeResampling, options: MonteCarloOptions): MonteCarloSummary {
  const k = tradeReturns.length;
  if (k === 0) throw new RangeError('no trades to resample');
  const source = Float64Array.from(tradeReturns);
  return simulateReturnPaths(k, options, (rng, out) => {
    if (method === 'bootstrap') {
      for (let i = 0; i < k; i++) out[i] = source[randomIntBelow(rng, k)];
    } else {
      out.set(source);
      for (let i = k - 1; i > 0; i--) {
        const j = randomIntBelow(rng, i + 1);
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
  });
}

/** b = ⌈n^{1/3}⌉ (Hall, Horowitz & Jing 1995), at least 1 and at most n. */
export function defaultBlockLength(n: number): number {
  return Math.min(Math.max(Math.ceil(Math.cbrt(n) - 1e-9), 1), Math.max(n, 1));
}

/**
 * Source indices of one moving-block bootstrap path of length n (Künsch 1989): blocks of
 * `blockLength` consecutive indices starting uniformly in [0, n − b], concatenated, the last block
 * cut at n. Apply the indices to returns, candles or any per-bar column.
 */
export function movingBlockBootstrapIndices(n: number, blockLength: number, rng: Rng, out: Int32Array = new Int32Array(n)): Int32Array {
  const b = Math.min(Math.max(Math.floor(blockLength), 1), n);
  const starts = n - b + 1;
  let i = 0;
  while (i < n) {
    const s = randomIntBelow(rng, starts);
    for (let j = 0; j < b && i < n; j++) out[i++] = s + j;
  }
  return out;
}

/** Monte Carlo of the bar-return path by moving-block bootstrap; steps are bars. */
export function blockBootstrapMonteCarlo(barReturns: Series, options: MonteCarloOptions & { blockLength?: number }): MonteCarloSummary {
  const n = barReturns.length;
  if (n === 0) throw new RangeError('no bar returns to resample');
  const source = Float64Array.from(barReturns);
  const b = options.blockLength ?? defaultBlockLength(n);
  const starts = n - Math.min(Math.max(Math.floor(b), 1), n) + 1;
  const block = Math.min(Math.max(Math.floor(b), 1), n);
  return simulateReturnPaths(n, options, (rng, out) => {
    // Inlined movingBlockBootstrapIndices: the copy loop is the hot path of a 10⁷-bar run.
    let i = 0;
    while (i < n) {
      const s = randomIntBelow(rng, starts);
      const end = Math.min(i + block, n);
      for (let j = s; i < end; j++) out[i++] = source[j];
    }
  });
}

/** Sample standard deviation of log(1 + r), the σ the noise is scaled by. */
function logReturnStd(r: Series): number {
  const logs = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) logs[i] = Math.log1p(r[i]);
  return sampleStd(logs);
}

/**
 * Monte Carlo of a noise-perturbed bar-return path: r'_t = (1 + r_t)·exp(f·σ·ε_t) − 1, σ the sample
 * std of log(1 + r), ε_t standard normal (Box–Muller). Default f = 0.25: noise a quarter of a
 * typical bar's move, enough to shake exact price levels (stops, thresholds) without drowning the path.
 */
export function noiseMonteCarlo(barReturns: Series, options: MonteCarloOptions & { noiseFraction?: number }): MonteCarloSummary {
  const n = barReturns.length;
  if (n < 2) throw new RangeError('noise needs at least 2 bar returns to size it');
  const source = Float64Array.from(barReturns);
  const scale = (options.noiseFraction ?? 0.25) * logReturnStd(source);
  let normal: (() => number) | null = null;
  return simulateReturnPaths(n, options, (rng, out) => {
    // simulateReturnPaths hands every path the same stream, so one sampler (and its spare draw) serves all paths.
    normal ??= normalSampler(rng);
    for (let i = 0; i < n; i++) out[i] = (1 + source[i]) * Math.exp(scale * normal()) - 1;
  });
}

/**
 * Summarises equity paths computed elsewhere (e.g. backtests re-run on resampled candles with
 * re-predicted signals): each path is an equity series of equal length, rescaled to start at 1
 * (only its step returns are used), so fan bands are in multiples of initial equity.
 */
export function summarizeEquityPaths(equityPaths: readonly Series[], options: Omit<MonteCarloOptions, 'paths' | 'seed'> = {}): MonteCarloSummary {
  if (equityPaths.length === 0) throw new RangeError('no equity paths');
  const steps = equityPaths[0].length - 1;
  for (const e of equityPaths) if (e.length - 1 !== steps) throw new RangeError('equity paths differ in length');
  let p = 0;
  return simulateReturnPaths(steps, { ...options, paths: equityPaths.length, seed: 0 }, (_rng, out) => {
    const e = equityPaths[p++];
    for (let j = 1; j <= steps; j++) out[j - 1] = e[j - 1] > 0 ? e[j] / e[j - 1] - 1 : 0;
  });
}

/** OHLCV columns, as the features and backtest modules take them. */
export interface CandlePath {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * A candle path rebuilt from source bars in the order `indices` gives (from
 * `movingBlockBootstrapIndices`). Each source bar is kept as its shape relative to the previous
 * close (open, high, low and close divided by close_{s−1}; the first bar relative to its own
 * open), and the new path chains these ratios from `startPrice` (default the first open). Gaps,
 * wicks and volume travel with their bar; timestamps stay those of the original calendar.
 */
export function resampleCandles(candles: CandlePath, indices: Int32Array, startPrice = candles.open[0]): CandlePath {
  const n = indices.length;
  const out: CandlePath = {
    ts: candles.ts.slice(0, n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let prev = startPrice;
  for (let i = 0; i < n; i++) {
    const s = indices[i];
    const ref = s > 0 ? candles.close[s - 1] : candles.open[0];
    const k = prev / ref;
    out.open[i] = candles.open[s] * k;
    out.high[i] = candles.high[s] * k;
    out.low[i] = candles.low[s] * k;
    out.close[i] = candles.close[s] * k;
    out.volume[i] = candles.volume[s];
    prev = out.close[i];
  }
  return out;
}

/**
 * A noise-perturbed candle path: each bar, relative to the previous close, is scaled by
 * exp(f·σ·ε_t) (σ the sample std of close-to-close log returns, ε_t standard normal), the whole bar
 * at once so that high ≥ max(open, close) ≥ min(open, close) ≥ low still holds. The perturbations
 * compound, as they would in a real alternative path.
 */
export function perturbCandles(candles: CandlePath, noiseFraction: number, rng: Rng): CandlePath {
  const n = candles.close.length;
  const logs = new Float64Array(Math.max(n - 1, 0));
  for (let i = 1; i < n; i++) logs[i - 1] = Math.log(candles.close[i] / candles.close[i - 1]);
  const scale = noiseFraction * (n > 2 ? sampleStd(logs) : 0);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const out = resampleCandles(candles, identity);
  const normal = normalSampler(rng);
  let factor = 1;
  for (let i = 0; i < n; i++) {
    factor *= Math.exp(scale * normal());
    out.open[i] *= factor;
    out.high[i] *= factor;
    out.low[i] *= factor;
    out.close[i] *= factor;
  }
  return out;
}
