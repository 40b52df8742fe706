import { Mulberry32 } from '../random.js';
import type { ConfidenceInterval } from './types.js';

/** How to resample. */
export interface BootstrapOptions {
  /** Number of resamples (default 200). */
  readonly resamples?: number;
  /** PRNG seed: the same seed and data give the same intervals. */
  readonly seed: number;
  /** Interval coverage (default 0.95). */
  readonly level?: number;
  /**
   * Length of the blocks of consecutive samples that share one weight (default 1: every sample
   * resampled independently). Bars of a time series are autocorrelated and independent
   * resampling then gives intervals that are too narrow; a block of about the label horizon (or
   * longer) keeps the dependence inside a block. Blocks are fixed, non-overlapping runs of
   * `blockLength` samples in input order.
   */
  readonly blockLength?: number;
}

/**
 * Default number of resamples. With 200, the Monte Carlo error of each 95 % endpoint is about 5 %
 * of the interval width (≈ 0.19 σ of a normal replicate distribution): fine for a verdict, cheap
 * at a million samples. Raise it for publication-grade endpoints.
 */
export const DEFAULT_RESAMPLES = 200;
/** Default interval coverage. */
export const DEFAULT_LEVEL = 0.95;

/** Which cell each sample falls in, for one family of cells. */
export interface CellLayer {
  /** Cell index of each sample, in `[0, cellCount)`. */
  readonly cellOfSample: Uint16Array | Uint32Array;
  readonly cellCount: number;
}

/**
 * Statistics that depend on the samples only through weighted cell totals. Every statistic this
 * library bootstraps has that form (an accuracy is a ratio of totals over (class, right?) cells;
 * an AUC a sum over (rank bucket, label) cells), and it is what makes a resample cheap: the
 * engine adds each sample's multiplicity to its cells in one pass, and the statistics read only
 * the small tables of totals.
 */
export interface CellStatistics<Name extends string> {
  readonly layers: readonly CellLayer[];
  /** The statistics from each layer's weighted totals (null where undefined). */
  evaluate(totals: readonly Int32Array[]): Record<Name, number | null>;
}

/** Bundles several cell statistics into one, so that they share the resamples and the pass. */
export function combineCellStatistics<A extends string, B extends string>(
  first: CellStatistics<A>,
  second: CellStatistics<B>,
): CellStatistics<A | B> {
  const split = first.layers.length;
  return {
    layers: [...first.layers, ...second.layers],
    evaluate: (totals) => ({ ...first.evaluate(totals.slice(0, split)), ...second.evaluate(totals.slice(split)) }),
  };
}

/**
 * The statistics under explicit per-sample multiplicities (`weights[i]` copies of sample i):
 * what one resample computes, exposed for tests and for the all-ones estimate.
 */
export function evaluateWeighted<Name extends string>(
  statistics: CellStatistics<Name>,
  weights: ArrayLike<number>,
): Record<Name, number | null> {
  const totals = statistics.layers.map((layer) => {
    const out = new Int32Array(layer.cellCount);
    for (let i = 0; i < weights.length; i++) out[layer.cellOfSample[i]] += weights[i];
    return out;
  });
  return statistics.evaluate(totals);
}

/**
 * Percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13) of several statistics on the
 * SAME resamples, so the intervals of a model and of its baselines are paired.
 *
 * Resampling is the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): each
 * sample (or block, see {@link BootstrapOptions.blockLength}) gets an independent Poisson(1)
 * multiplicity instead of the multinomial counts of n draws with replacement. Both give
 * multiplicities of mean 1 and variance 1 (asymptotically the same bootstrap) and the same
 * intervals for ratio statistics such as accuracy and AUC; the Poisson form is drawn sample by
 * sample, so one sequential pass draws the weights and adds them to the cell totals (see
 * {@link CellStatistics}) — a resample of a million samples costs milliseconds.
 *
 * Endpoints are the (1 − level)/2 and (1 + level)/2 quantiles of the replicates with linear
 * interpolation, as `numpy.percentile`'s default. A statistic undefined on the original data
 * gets null; resamples where it is undefined are dropped (`resamples` says how many were kept),
 * and it is null again if none is left.
 */
export function bootstrapIntervals<Name extends string>(
  sampleCount: number,
  statistics: CellStatistics<Name>,
  options: BootstrapOptions,
): Record<Name, ConfidenceInterval | null> {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? DEFAULT_LEVEL;
  const blockLength = options.blockLength ?? 1;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(blockLength) || blockLength < 1) {
    throw new RangeError(`blockLength must be a positive integer, got ${blockLength}`);
  }
  for (const layer of statistics.layers) {
    if (layer.cellOfSample.length !== sampleCount) {
      throw new RangeError(`a cell layer has ${layer.cellOfSample.length} samples, expected ${sampleCount}`);
    }
  }

  const estimates = evaluateWeighted(statistics, new Uint8Array(sampleCount).fill(1));
  const names = Object.keys(estimates) as Name[];
  const tracks = names.map((name) => ({
    name,
    estimate: sampleCount === 0 ? null : estimates[name],
    replicates: new Float64Array(resamples),
    kept: 0,
  }));

  // All layers' cells interleaved by sample, as indices into one table of totals.
  const layerCount = statistics.layers.length;
  const offsets: number[] = [];
  let cellTotal = 0;
  for (const layer of statistics.layers) {
    offsets.push(cellTotal);
    cellTotal += layer.cellCount;
  }
  // Two bytes per cell index whenever the totals table allows (it does for up to 7 classes): the
  // per-resample pass streams this array, and halving it about triples the pass's speed.
  const narrow = cellTotal <= 0x10000;
  const cells = narrow ? new Uint16Array(sampleCount * layerCount) : new Uint32Array(sampleCount * layerCount);
  statistics.layers.forEach((layer, l) => {
    for (let i = 0; i < sampleCount; i++) cells[i * layerCount + l] = offsets[l] + layer.cellOfSample[i];
  });
  const totals = new Int32Array(cellTotal);
  const views = statistics.layers.map((layer, l) => totals.subarray(offsets[l], offsets[l] + layer.cellCount));
  const weights = new Uint8Array(sampleCount);
  const draws = new PoissonDraws(options.seed, sampleCount, blockLength);

  if (sampleCount > 0) {
    for (let r = 0; r < resamples; r++) {
      draws.fill(weights);
      totals.fill(0);
      if (cells instanceof Uint16Array) addWeights(cells, layerCount, weights, totals);
      else addWeightsWide(cells, layerCount, weights, totals);
      const values = statistics.evaluate(views);
      for (const track of tracks) {
        const value = values[track.name];
        if (track.estimate === null || value === null || !Number.isFinite(value)) continue;
        track.replicates[track.kept++] = value;
      }
    }
  }
  const out = {} as Record<Name, ConfidenceInterval | null>;
  for (const track of tracks) {
    if (track.estimate === null || track.kept === 0) {
      out[track.name] = null;
      continue;
    }
    const sorted = track.replicates.subarray(0, track.kept).sort();
    out[track.name] = {
      estimate: track.estimate,
      lower: quantile(sorted, (1 - level) / 2),
      upper: quantile(sorted, (1 + level) / 2),
      level,
      resamples: track.kept,
    };
  }
  return out;
}

/**
 * Adds each sample's multiplicity to its cell in every layer: the innermost loop of the bootstrap.
 * A top-level function on fixed array types, unrolled for the usual layer counts (labels + 2–4
 * classes): a generic inner loop over layers costs about twice as much per sample in V8.
 */
function addWeights(cells: Uint16Array, layerCount: number, weights: Uint8Array, totals: Int32Array): void {
  const n = weights.length;
  switch (layerCount) {
    case 1:
      for (let i = 0; i < n; i++) totals[cells[i]] += weights[i];
      return;
    case 2:
      for (let i = 0, j = 0; i < n; i++, j += 2) {
        const w = weights[i];
        totals[cells[j]] += w;
        totals[cells[j + 1]] += w;
      }
      return;
    case 3:
      for (let i = 0, j = 0; i < n; i++, j += 3) {
        const w = weights[i];
        totals[cells[j]] += w;
        totals[cells[j + 1]] += w;
        totals[cells[j + 2]] += w;
      }
      return;
    case 4:
      for (let i = 0, j = 0; i < n; i++, j += 4) {
        const w = weights[i];
        totals[cells[j]] += w;
        totals[cells[j + 1]] += w;
        totals[cells[j + 2]] += w;
        totals[cells[j + 3]] += w;
      }
      return;
    case 5:
      for (let i = 0, j = 0; i < n; i++, j += 5) {
        const w = weights[i];
        totals[cells[j]] += w;
        totals[cells[j + 1]] += w;
        totals[cells[j + 2]] += w;
        totals[cells[j + 3]] += w;
        totals[cells[j + 4]] += w;
      }
      return;
    default:
      for (let i = 0, j = 0; i < n; i++) {
        const w = weights[i];
        for (let l = 0; l < layerCount; l++, j++) totals[cells[j]] += w;
      }
  }
}

/** {@link addWeights} for tables of more than 2¹⁶ cells (8 classes or more). */
function addWeightsWide(cells: Uint32Array, layerCount: number, weights: Uint8Array, totals: Int32Array): void {
  for (let i = 0, j = 0; i < weights.length; i++) {
    const w = weights[i];
    for (let l = 0; l < layerCount; l++, j++) totals[cells[j]] += w;
  }
}

/** P(X ≤ k) for X ~ Poisson(1), k = 0, 1, …, until it rounds to 1. */
const POISSON_ONE_CDF: Float64Array = (() => {
  const cdf: number[] = [];
  let term = Math.exp(-1);
  let sum = 0;
  for (let k = 0; k < 24; k++) {
    sum += term;
    cdf.push(sum);
    term /= k + 1;
  }
  return Float64Array.from(cdf);
})();

/** Inverse CDF of Poisson(1) for u in [0, 1), by search. */
function poissonOneQuantile(u: number): number {
  let k = 0;
  while (k < POISSON_ONE_CDF.length - 1 && u >= POISSON_ONE_CDF[k]) k++;
  return k;
}

const SLOTS = 256;
/** Marks a slot that contains a CDF step, where the slot alone cannot decide the value. */
const AMBIGUOUS = 255;

/**
 * Inversion table on 8-bit slots: slot s covers u ∈ [s/256, (s+1)/256) and holds the Poisson value
 * shared by the whole slot, or AMBIGUOUS for the few slots a CDF step crosses. So one 32-bit
 * random number gives four exact Poisson(1) draws; a draw landing in an ambiguous slot (5 of 256)
 * takes a fresh random fraction within the slot and is decided by the CDF itself.
 */
const POISSON_ONE_SLOTS: Uint8Array = (() => {
  const table = new Uint8Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) {
    const low = poissonOneQuantile(s / SLOTS);
    const high = poissonOneQuantile((s + 1) / SLOTS - Number.EPSILON);
    table[s] = low === high ? low : AMBIGUOUS;
  }
  return table;
})();

/**
 * Independent Poisson(1) multiplicities, one per block of `blockLength` consecutive samples, four
 * draws per 32-bit random number: the random numbers of a resample are generated in one bulk
 * call, then turned into weights through the slot table (per-sample work is a table lookup).
 */
class PoissonDraws {
  private readonly generator: Mulberry32;
  private readonly bits: Uint32Array;

  constructor(
    seed: number,
    private readonly sampleCount: number,
    private readonly blockLength: number,
  ) {
    this.generator = new Mulberry32(seed);
    this.bits = new Uint32Array(Math.ceil(Math.ceil(sampleCount / blockLength) / 4));
  }

  /** Fills `weights` (length `sampleCount`) with the next resample's multiplicities. */
  fill(weights: Uint8Array): void {
    const { bits, blockLength, sampleCount } = this;
    this.generator.fillUint32(bits);
    if (blockLength === 1) {
      // Unrolled by the four draws of each random number: this loop runs n times per resample.
      const whole = sampleCount >>> 2;
      for (let q = 0, i = 0; q < whole; q++, i += 4) {
        const b = bits[q];
        weights[i] = this.draw(b & 0xff);
        weights[i + 1] = this.draw((b >>> 8) & 0xff);
        weights[i + 2] = this.draw((b >>> 16) & 0xff);
        weights[i + 3] = this.draw(b >>> 24);
      }
      for (let i = whole * 4; i < sampleCount; i++) weights[i] = this.draw((bits[whole] >>> (8 * (i & 3))) & 0xff);
      return;
    }
    const blocks = Math.ceil(sampleCount / blockLength);
    for (let block = 0; block < blocks; block++) {
      const start = block * blockLength;
      const k = this.draw((bits[block >>> 2] >>> (8 * (block & 3))) & 0xff);
      weights.fill(k, start, Math.min(start + blockLength, sampleCount));
    }
  }

  /** The Poisson value of a slot; an ambiguous slot is decided with a fresh fraction. */
  private draw(slot: number): number {
    const k = POISSON_ONE_SLOTS[slot];
    return k !== AMBIGUOUS ? k : poissonOneQuantile((slot + this.generator.nextUint32() / 4294967296) / SLOTS);
  }
}

/**
 * Independent Poisson(1) multiplicities, one per block of `blockLength` consecutive samples,
 * drawn exactly as {@link bootstrapIntervals} draws its first resample (exposed to test the
 * distribution).
 */
export function poissonWeights(count: number, seed: number, blockLength = 1): Uint8Array {
  const weights = new Uint8Array(count);
  new PoissonDraws(seed, count, blockLength).fill(weights);
  return weights;
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** Verdict of a model against a baseline. */
export type BaselineVerdict = 'better' | 'not better than baseline';

/**
 * Interval-overlap rule: the model is 'better' only when its whole interval lies beyond the
 * baseline's (model lower bound > baseline upper bound); any overlap, even partial, gives 'not
 * better than baseline'. Conservative on purpose: two 95 % intervals that just fail to overlap
 * mean a difference significant well beyond the 5 % level, so 'better' is hard to get by luck.
 * For a loss (lower is better) pass `higherIsBetter = false`.
 */
export function compareToBaseline(
  model: ConfidenceInterval,
  baseline: ConfidenceInterval,
  higherIsBetter = true,
): BaselineVerdict {
  const better = higherIsBetter ? model.lower > baseline.upper : model.upper < baseline.lower;
  return better ? 'better' : 'not better than baseline';
}
