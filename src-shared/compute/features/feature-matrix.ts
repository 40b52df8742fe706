import { computeFeature, FeatureContext, parseFeatureName } from './feature-catalog.js';
import { FEATURE_SETS, isFeatureSetName, type FeatureSetName } from './feature-sets.js';
import { barCount, type OhlcvColumns } from './ohlcv.js';
import type { AssetCloses } from './wide.js';

/** A dataset's features: one row per bar, row-major `rows × features`. */
export interface FeatureMatrix {
  readonly names: string[];
  /** Row-major: value of feature j at bar t is `data[t * features + j]`. NaN = undefined (warm-up, gaps). */
  readonly data: Float32Array;
  readonly rows: number;
  readonly features: number;
  /** First row at which every feature is finite (= rows when there is none). Rows after it may still hold NaN at data gaps. */
  readonly firstValidRow: number;
}

export type FeatureSelection = FeatureSetName | readonly string[];

export interface FeatureMatrixOptions {
  /**
   * Appends every extra column of the dataset (sorted by name) not already selected:
   * 'raw' as stored, 'diff' as x_t − x_{t−1}, 'pct' as x_t / x_{t−1} − 1. Default: none.
   */
  readonly includeExtras?: 'none' | 'raw' | 'diff' | 'pct';
  /**
   * Every asset of the run, in the run's dataset order (the first is the reference asset), for the
   * cross-asset families (`xref_*`, `xrank_*`). Default: the dataset is its own reference and only asset.
   */
  readonly crossAssets?: readonly AssetCloses[];
}

const EXTRA_PREFIX = { raw: 'extra:', diff: 'extra_diff:', pct: 'extra_pct:' } as const;

/** The feature names a selection stands for (a set name or an explicit list), plus requested extras; validated. */
export function resolveFeatureNames(selection: FeatureSelection, cols?: OhlcvColumns, options: FeatureMatrixOptions = {}): string[] {
  const base: readonly string[] = typeof selection === 'string' ? (isFeatureSetName(selection) ? FEATURE_SETS[selection] : []) : selection;
  if (typeof selection === 'string' && !isFeatureSetName(selection)) throw new RangeError(`unknown feature set "${selection}"`);
  const names = [...base];
  const mode = options.includeExtras ?? 'none';
  if (mode !== 'none' && cols?.extras) {
    for (const col of Object.keys(cols.extras).sort()) names.push(`${EXTRA_PREFIX[mode]}${col}`);
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const name of names) {
    const parsed = parseFeatureName(name);
    if (typeof parsed === 'string') throw new RangeError(parsed);
    if (!seen.has(name)) {
      seen.add(name);
      unique.push(name);
    }
  }
  if (unique.length === 0) throw new RangeError('feature selection is empty');
  return unique;
}

/**
 * Computes the feature matrix of one dataset. Every feature at row t uses bars 0 … t only (trailing
 * windows, causal recursions), so no row can see the future; catalog features are scale-free
 * (returns, ratios, oscillators, z-scores), never raw prices. Values are computed in Float64 and
 * stored as Float32. NaN marks warm-up rows and rows touched by missing input.
 */
export function computeFeatureMatrix(cols: OhlcvColumns, selection: FeatureSelection, options: FeatureMatrixOptions = {}): FeatureMatrix {
  const rows = barCount(cols);
  const names = resolveFeatureNames(selection, cols, options);
  const features = names.length;
  const data = new Float32Array(rows * features);
  const ctx = new FeatureContext(cols, options.crossAssets);
  // Lower bound: no row before every column's own first finite value can be complete.
  let firstValidRow = 0;
  for (let j = 0; j < features; j++) {
    const col = computeFeature(ctx, names[j]);
    let lastInvalidBeforeFirstValid = -1;
    let foundValid = false;
    for (let t = 0; t < rows; t++) {
      const v = col[t];
      data[t * features + j] = v;
      if (!foundValid) {
        if (v - v === 0) foundValid = true;
        else lastInvalidBeforeFirstValid = t;
      }
    }
    firstValidRow = Math.max(firstValidRow, foundValid ? lastInvalidBeforeFirstValid + 1 : rows);
  }
  // A column can hold NaN after its first finite value (input gaps, Float32 overflow); the row-wise
  // check makes firstValidRow the first really complete row.
  while (firstValidRow < rows && !rowFinite(data, firstValidRow, features)) firstValidRow++;
  return { names, data, rows, features, firstValidRow };
}

function rowFinite(data: Float32Array, row: number, features: number): boolean {
  const base = row * features;
  for (let j = 0; j < features; j++) {
    const v = data[base + j];
    if (!(v - v === 0)) return false;
  }
  return true;
}
