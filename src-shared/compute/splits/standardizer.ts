import type { IndexRange } from './index-range.js';

/** Per-feature location and scale fitted on training rows. */
export interface Standardizer {
  readonly mean: Float64Array;
  /** Population std (ddof = 0, as scikit-learn's StandardScaler); 1 where the training std is 0 or undefined. */
  readonly std: Float64Array;
  /** Finite training values seen per feature. */
  readonly count: Float64Array;
}

/** Training rows: a half-open range or an explicit list of row indices. */
export type RowSelection = IndexRange | ArrayLike<number>;

export interface StandardizerSource {
  readonly data: Float32Array;
  readonly rows: number;
  readonly trainRows: RowSelection;
}

function forEachRow(sel: RowSelection, rows: number, visit: (row: number) => void): void {
  if ('start' in sel) {
    if (sel.start < 0 || sel.end > rows) throw new RangeError(`row range [${sel.start}, ${sel.end}) outside 0 … ${rows}`);
    for (let r = sel.start; r < sel.end; r++) visit(r);
    return;
  }
  for (let i = 0; i < sel.length; i++) {
    const r = sel[i];
    if (!(Number.isInteger(r) && r >= 0 && r < rows)) throw new RangeError(`row ${r} outside 0 … ${rows - 1}`);
    visit(r);
  }
}

/**
 * Fits mean and std per feature on the training rows of one or more row-major matrices (pooled, so
 * several symbols share one scale). Only the listed rows are read — validation and test rows never
 * influence the scale. Non-finite values are skipped. Two passes in Float64 (mean, then squared
 * deviations) to stay exact on features with a large offset.
 */
export function fitPooledStandardizer(sources: readonly StandardizerSource[], features: number): Standardizer {
  const sum = new Float64Array(features);
  const count = new Float64Array(features);
  for (const src of sources) {
    if (src.data.length !== src.rows * features) throw new RangeError(`matrix has ${src.data.length} values, expected ${src.rows}×${features}`);
    forEachRow(src.trainRows, src.rows, (r) => {
      const base = r * features;
      for (let j = 0; j < features; j++) {
        const v = src.data[base + j];
        if (v - v === 0) {
          sum[j] += v;
          count[j]++;
        }
      }
    });
  }
  const mean = new Float64Array(features);
  for (let j = 0; j < features; j++) mean[j] = count[j] > 0 ? sum[j] / count[j] : 0;
  const m2 = new Float64Array(features);
  for (const src of sources) {
    forEachRow(src.trainRows, src.rows, (r) => {
      const base = r * features;
      for (let j = 0; j < features; j++) {
        const v = src.data[base + j];
        if (v - v === 0) {
          const d = v - mean[j];
          m2[j] += d * d;
        }
      }
    });
  }
  const std = new Float64Array(features);
  for (let j = 0; j < features; j++) {
    const s = count[j] > 0 ? Math.sqrt(m2[j] / count[j]) : 0;
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std, count };
}

/** {@link fitPooledStandardizer} for one matrix: mean/std per feature from the training rows only. */
export function fitStandardizer(data: Float32Array, rows: number, features: number, trainRowIndices: RowSelection): Standardizer {
  return fitPooledStandardizer([{ data, rows, trainRows: trainRowIndices }], features);
}

/**
 * Standardizes a row-major matrix: (x − mean) / std, then every non-finite result (NaN warm-up rows,
 * gaps) becomes 0 — the training mean — so that a network never sees NaN; rows before the feature
 * matrix's firstValidRow should still be excluded from sampling. `out` may be `data` (in place).
 * Optional `clip` bounds the result to ±clip (outliers in fat-tailed returns).
 */
export function applyStandardizer(
  data: Float32Array,
  rows: number,
  features: number,
  standardizer: Standardizer,
  out: Float32Array = new Float32Array(rows * features),
  clip = Infinity,
): Float32Array {
  if (data.length !== rows * features || out.length !== rows * features) throw new RangeError('matrix size does not match rows × features');
  if (standardizer.mean.length !== features) throw new RangeError('standardizer was fitted on a different feature count');
  const { mean, std } = standardizer;
  const inv = new Float64Array(features);
  for (let j = 0; j < features; j++) inv[j] = 1 / std[j];
  for (let r = 0; r < rows; r++) {
    const base = r * features;
    for (let j = 0; j < features; j++) {
      let z = (data[base + j] - mean[j]) * inv[j];
      if (!(z - z === 0)) z = 0;
      else if (z > clip) z = clip;
      else if (z < -clip) z = -clip;
      out[base + j] = z;
    }
  }
  return out;
}
