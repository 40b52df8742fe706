/**
 * Is the edge better than chance? Two tests of a backtest's result.
 *
 * Random entries: the strategy's trades (same count, same holding times, same sides) placed at
 * random non-overlapping positions in the same bars, B times; the p-value is the share of random
 * placements that do at least as well, with the +1 correction that keeps a Monte Carlo p-value
 * valid (Davison & Hinkley 1997, "Bootstrap Methods and their Application", eq. 4.11; North,
 * Curtis & Sham 2002, "A note on the calculation of empirical P values from Monte Carlo
 * procedures"): p = (1 + #{R*_b ≥ R}) / (B + 1). This is the "random entry" benchmark of
 * Aronson 2006 ("Evidence-Based Technical Analysis", ch. 5) in its simplest form.
 *
 * Against buy and hold: the per-bar difference d_t = r_t − b_t of strategy and buy-and-hold
 * returns; H0: E[d] ≤ 0, tested by a moving-block bootstrap of d centred on its mean (the
 * dependence-preserving version of the bootstrap test of Efron & Tibshirani 1993, §16.4):
 * p = (1 + #{mean(d*) − d̄ ≥ d̄}) / (B + 1).
 */
import { mulberry32, randomIntBelow } from '../random.js';
import type { Fraction } from '../../domain/units.js';
import { defaultBlockLength, type PercentileBand } from './monteCarlo.js';
import { sortedQuantile, type Series } from './statistics.js';

export interface RandomEntryInput {
  /** Simple returns of the traded asset per bar: r_t = close_t / close_{t−1} − 1 (the move a position held over bar t earns). */
  assetReturns: Series;
  /** Bars each strategy trade was held. */
  holdingBars: Int32Array;
  /** +1 long, −1 short, per trade. */
  sides: Int8Array;
  /** The strategy's compounded return over the same bars. */
  strategyReturn: number;
  /** Round-trip cost charged to each random trade, as a fraction (fees + slippage of the strategy's trades). Default 0. */
  costPerTrade?: Fraction;
}

export interface SignificanceResult {
  /** (1 + #{random ≥ strategy}) / (B + 1). */
  pValue: number;
  /** The statistic of the strategy. */
  observed: number;
  /** Percentiles of the statistic under the null. */
  null: PercentileBand;
  samples: number;
}

export interface SignificanceOptions {
  samples: number;
  seed: number;
}

/**
 * Sorts integers in [0, max] ascending, in place: by counting when `counts` (max + 1 long) is
 * given, in O(length + max), else by the typed array's sort. The same array either way. A strategy
 * in the market most of the time leaves few free bars, so the random-entry test's offsets fall in
 * a short range, and counting them beats a thousand comparison sorts per symbol.
 */
export function sortBoundedIntegers(values: Float64Array, max: number, counts: Int32Array | null): void {
  if (!counts) {
    values.sort();
    return;
  }
  counts.fill(0, 0, max + 1);
  for (let i = 0; i < values.length; i++) counts[values[i]!]!++;
  let at = 0;
  for (let v = 0; v <= max; v++) for (let c = counts[v]!; c > 0; c--) values[at++] = v;
}

/**
 * Random-entry test. Each sample shuffles the trades' order, then places them without overlap: the
 * free bars F = n − Σh are split into gaps before each trade by K sorted uniform draws from
 * {0…F}, so every trade's offset into the free time is uniform. A random trade of side s held
 * over bars [a, a + h) returns s·(Π(1 + r_t) − 1) − cost; the sample's statistic is the
 * compounded return of its trades.
 */
export function randomEntryTest(input: RandomEntryInput, options: SignificanceOptions): SignificanceResult {
  const n = input.assetReturns.length;
  const k = input.holdingBars.length;
  if (input.sides.length !== k) throw new RangeError(`${input.sides.length} sides for ${k} trades`);
  let held = 0;
  for (let i = 0; i < k; i++) {
    if (input.holdingBars[i] < 1) throw new RangeError(`trade ${i} is held ${input.holdingBars[i]} bars`);
    held += input.holdingBars[i];
  }
  if (held > n) throw new RangeError(`trades hold ${held} bars in a window of ${n}`);
  // level[t] = Π_{u<t}(1 + r_u): a trade over [a, a + h) grows by level[a + h] / level[a].
  const level = new Float64Array(n + 1);
  level[0] = 1;
  for (let t = 0; t < n; t++) level[t + 1] = level[t] * (1 + input.assetReturns[t]);
  const cost = input.costPerTrade ?? 0;
  const free = n - held;
  const rng = mulberry32(options.seed);
  const order = Int32Array.from({ length: k }, (_, i) => i);
  const offsets = new Float64Array(k);
  const counts = free < 4 * k + 64 ? new Int32Array(free + 1) : null;
  const stats = new Float64Array(options.samples);
  let atLeast = 0;
  for (let b = 0; b < options.samples; b++) {
    for (let i = k - 1; i > 0; i--) {
      const j = randomIntBelow(rng, i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let i = 0; i < k; i++) offsets[i] = randomIntBelow(rng, free + 1);
    sortBoundedIntegers(offsets, free, counts);
    let growth = 1;
    let usedBefore = 0;
    for (let i = 0; i < k; i++) {
      const trade = order[i];
      const start = offsets[i] + usedBefore;
      const h = input.holdingBars[trade];
      const move = level[start + h] / level[start] - 1;
      growth *= 1 + input.sides[trade] * move - cost;
      usedBefore += h;
    }
    stats[b] = growth - 1;
    if (stats[b] >= input.strategyReturn) atLeast++;
  }
  const sorted = stats.slice().sort();
  return {
    pValue: (1 + atLeast) / (options.samples + 1),
    observed: input.strategyReturn,
    null: { p5: sortedQuantile(sorted, 0.05), p50: sortedQuantile(sorted, 0.5), p95: sortedQuantile(sorted, 0.95) },
    samples: options.samples,
  };
}

export interface BuyAndHoldComparison extends SignificanceResult {
  /** Π(1 + r) − Π(1 + b): the strategy's compounded return minus buy and hold's. */
  excessReturn: number;
  /** d̄ = mean(r_t − b_t), per bar (the test's `observed`). */
  meanExcessPerBar: number;
  blockLength: number;
}

/** The strategy's bar returns against buy and hold's over the same bars (see the module header). */
export function versusBuyAndHold(strategyReturns: Series, buyAndHoldReturns: Series, options: SignificanceOptions & { blockLength?: number }): BuyAndHoldComparison {
  const n = strategyReturns.length;
  if (buyAndHoldReturns.length !== n) throw new RangeError(`${n} strategy returns against ${buyAndHoldReturns.length} buy-and-hold returns`);
  if (n < 2) throw new RangeError('needs at least 2 bars');
  const d = new Float64Array(n);
  let gs = 1;
  let gb = 1;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    d[t] = strategyReturns[t] - buyAndHoldReturns[t];
    sum += d[t];
    gs *= 1 + strategyReturns[t];
    gb *= 1 + buyAndHoldReturns[t];
  }
  const dBar = sum / n;
  const block = Math.min(Math.max(Math.floor(options.blockLength ?? defaultBlockLength(n)), 1), n);
  const starts = n - block + 1;
  // Block sums by prefix sums: a resample's mean is a sum of ⌈n/b⌉ block sums (the last cut short).
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t] + d[t];
  const rng = mulberry32(options.seed);
  const stats = new Float64Array(options.samples);
  let atLeast = 0;
  for (let b = 0; b < options.samples; b++) {
    let s = 0;
    for (let i = 0; i < n; i += block) {
      const start = randomIntBelow(rng, starts);
      s += prefix[start + Math.min(block, n - i)] - prefix[start];
    }
    stats[b] = s / n - dBar;
    if (stats[b] >= dBar) atLeast++;
  }
  const sorted = stats.slice().sort();
  return {
    pValue: (1 + atLeast) / (options.samples + 1),
    observed: dBar,
    null: { p5: sortedQuantile(sorted, 0.05), p50: sortedQuantile(sorted, 0.5), p95: sortedQuantile(sorted, 0.95) },
    samples: options.samples,
    excessReturn: gs - gb,
    meanExcessPerBar: dBar,
    blockLength: block,
  };
}
