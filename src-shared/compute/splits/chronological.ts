import type { IndexRange } from './index-range.js';
import { effectiveEmbargo } from './purge.js';

export interface SplitFractions {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

export interface ChronologicalSplit {
  /** Sample rows (rows whose features and label may be used) of each split. */
  readonly train: IndexRange;
  readonly val: IndexRange;
  readonly test: IndexRange;
  readonly horizon: number;
  /** Embargo applied: max(requested, horizon). */
  readonly embargo: number;
}

/**
 * Chronological train/val/test split of n rows with purge and embargo (López de Prado, "Advances in
 * Financial Machine Learning", ch. 7.4). The rows are first cut into segments by the fractions
 * ([0, c1), [c1, c2), [c2, c3) with c = ⌊n·cumulative fraction⌋); then each segment keeps only the
 * rows whose label window [t+1, t+horizon] ends inside it (purge), and the train and val segments
 * also drop the `embargo` rows before the next segment, so between the last label bar of one split
 * and the first sample of the next lie at least `embargo` unused bars. The embargo is never shorter
 * than the horizon (so at least 2·horizon rows separate two splits' samples).
 * Ranges that would be negative come out empty.
 */
export function chronologicalSplit(n: number, fractions: SplitFractions, horizon: number, embargo: number): ChronologicalSplit {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  const { train, val, test } = fractions;
  if (!(train >= 0 && val >= 0 && test >= 0) || train + val + test > 1 + 1e-9) {
    throw new RangeError('split fractions must be ≥ 0 and sum to at most 1');
  }
  const e = effectiveEmbargo(horizon, embargo);
  const c1 = Math.floor(n * train);
  const c2 = Math.min(n, Math.floor(n * (train + val)));
  const c3 = Math.min(n, Math.floor(n * (train + val + test) + 1e-9));
  const range = (start: number, end: number): IndexRange => ({ start, end: Math.max(start, end) });
  return {
    train: range(0, c1 - horizon - e),
    val: range(c1, c2 - horizon - e),
    test: range(c2, c3 - horizon),
    horizon,
    embargo: e,
  };
}
