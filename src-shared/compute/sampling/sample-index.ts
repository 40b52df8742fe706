import { mulberry32, randomIntBelow, type Rng } from '../random.js';
import type { IndexRange } from '../splits/index-range.js';

/** One dataset's view for sampling: its feature-matrix rows, the labels and the split to draw from. */
export interface SampleSource {
  readonly rows: number;
  /** First row whose features are all defined (FeatureMatrix.firstValidRow). */
  readonly validFrom: number;
  /** Class id per row; negative = no label. */
  readonly labels: Int8Array;
  /** Rows of the split (train/val/test) a sample's END row must lie in. */
  readonly splitRange: IndexRange;
}

export interface SampleIndexOptions {
  /** Rows per sample window; a window ends at its sample row and starts window−1 rows earlier. */
  readonly window: number;
  /** Every dataset contributes the same number of samples: the smallest dataset's count (capped by maxPerSymbol). */
  readonly balancePerSymbol: boolean;
  /** Most samples one dataset contributes; larger ones are subsampled (seeded, uniformly without replacement). */
  readonly maxPerSymbol?: number;
  /** Spacing of candidate end rows (1 = every row; `window` = non-overlapping windows). Default 1. */
  readonly stride?: number;
  /** With stride > 1: start each dataset's stride grid at a seeded random phase instead of its first row. */
  readonly randomOffsets?: boolean;
  readonly seed: number;
}

function candidates(src: SampleSource, window: number, stride: number, phase: number): Uint32Array {
  const lo = Math.max(src.splitRange.start, src.validFrom + window - 1, 0) + phase;
  const hi = Math.min(src.splitRange.end, src.rows, src.labels.length);
  const out = new Uint32Array(Math.max(0, Math.ceil((hi - lo) / stride)));
  let k = 0;
  for (let t = lo; t < hi; t += stride) if (src.labels[t] >= 0) out[k++] = t;
  return out.subarray(0, k);
}

function subsample(rows: Uint32Array, quota: number, rng: Rng): Uint32Array {
  if (quota >= rows.length) return rows;
  // Partial Fisher–Yates draws `quota` rows uniformly without replacement; re-sorting keeps time order.
  const pool = rows.slice();
  for (let i = 0; i < quota; i++) {
    const j = i + randomIntBelow(rng, pool.length - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.subarray(0, quota).sort();
}

/**
 * Builds the sample index of a split: (dataset index, window end row) pairs, flattened into one
 * Uint32Array [ds0, row0, ds1, row1, …], ordered by dataset then row. Samples are only references —
 * windows are read later from each dataset's single feature matrix by {@link gatherWindows}.
 * A row qualifies when it lies in the dataset's splitRange, its whole window [row−window+1, row]
 * lies at or after validFrom (the window may reach back before the split's start: those rows are
 * the past, not labels), and it has a label. Deterministic for a given seed.
 */
export function buildSampleIndex(datasets: readonly SampleSource[], options: SampleIndexOptions): Uint32Array {
  const { window, balancePerSymbol, seed } = options;
  const stride = options.stride ?? 1;
  const cap = options.maxPerSymbol ?? Infinity;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`stride must be an integer ≥ 1, got ${stride}`);
  if (!(cap >= 0)) throw new RangeError('maxPerSymbol must be ≥ 0');
  const rng = mulberry32(seed);
  const perDataset = datasets.map((src) => {
    const phase = options.randomOffsets && stride > 1 ? randomIntBelow(rng, stride) : 0;
    return candidates(src, window, stride, phase);
  });
  let smallest = Infinity;
  for (const c of perDataset) if (c.length > 0) smallest = Math.min(smallest, c.length);
  const quota = Math.min(cap, balancePerSymbol ? smallest : Infinity);
  const chosen = perDataset.map((c) => subsample(c, quota, rng));
  const total = chosen.reduce((s, c) => s + c.length, 0);
  const index = new Uint32Array(total * 2);
  let k = 0;
  chosen.forEach((rows, ds) => {
    for (let i = 0; i < rows.length; i++) {
      index[k++] = ds;
      index[k++] = rows[i];
    }
  });
  return index;
}

/** Shuffles the (dataset, row) pairs of a sample index in place (seeded Fisher–Yates); returns it. */
export function shuffleSampleIndex(index: Uint32Array, seed: number): Uint32Array {
  const rng = mulberry32(seed);
  for (let i = index.length / 2 - 1; i > 0; i--) {
    const j = randomIntBelow(rng, i + 1);
    const a0 = index[2 * i];
    const a1 = index[2 * i + 1];
    index[2 * i] = index[2 * j];
    index[2 * i + 1] = index[2 * j + 1];
    index[2 * j] = a0;
    index[2 * j + 1] = a1;
  }
  return index;
}

/** Number of samples in a sample index. */
export const sampleCount = (index: Uint32Array): number => index.length >>> 1;
