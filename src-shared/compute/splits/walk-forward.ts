import type { IndexRange } from './index-range.js';
import { effectiveEmbargo } from './purge.js';

export interface WalkForwardOptions {
  readonly folds: number;
  /** Label horizon: a row's label uses bars t+1 … t+horizon. */
  readonly horizon: number;
  /** Bars left unused after the last training label bar; raised to the horizon if smaller. */
  readonly embargo: number;
  /** Fewest training rows of the first fold. */
  readonly minTrain: number;
  /** Rolling instead of expanding window: train on at most this many rows. */
  readonly maxTrain?: number;
}

export interface WalkForwardFold {
  readonly train: IndexRange;
  readonly test: IndexRange;
}

/**
 * Purged walk-forward folds (López de Prado, "Advances in Financial Machine Learning", ch. 7 —
 * purging and embargo applied to the walk-forward scheme, where training always precedes testing).
 * The rows [minTrain + gap, n − horizon) are cut into `folds` consecutive test blocks of near-equal
 * size, gap = horizon + embargo. Fold k trains on rows before its test block, ending `gap` rows
 * before it: the last training label window [t+1, t+horizon] ends `embargo` bars before the first
 * test row. Training windows expand from row 0 (or roll, with `maxTrain`). Test label windows stay
 * inside the data. Throws when there are fewer test rows than folds.
 */
export function purgedWalkForwardSplits(n: number, options: WalkForwardOptions): WalkForwardFold[] {
  const { folds, horizon, minTrain } = options;
  if (!Number.isInteger(folds) || folds < 1) throw new RangeError(`folds must be an integer ≥ 1, got ${folds}`);
  if (!Number.isInteger(minTrain) || minTrain < 1) throw new RangeError(`minTrain must be an integer ≥ 1, got ${minTrain}`);
  const maxTrain = options.maxTrain ?? Infinity;
  if (!(maxTrain >= minTrain)) throw new RangeError('maxTrain must be ≥ minTrain');
  const gap = horizon + effectiveEmbargo(horizon, options.embargo);
  const testStart = minTrain + gap;
  const testEnd = n - horizon;
  const span = testEnd - testStart;
  if (span < folds) {
    throw new RangeError(`${n} rows leave ${Math.max(0, span)} test rows for ${folds} folds (minTrain ${minTrain}, gap ${gap}, horizon ${horizon})`);
  }
  const out: WalkForwardFold[] = [];
  for (let k = 0; k < folds; k++) {
    const start = testStart + Math.floor((span * k) / folds);
    const end = testStart + Math.floor((span * (k + 1)) / folds);
    const trainEnd = start - gap;
    out.push({ train: { start: Math.max(0, trainEnd - maxTrain), end: trainEnd }, test: { start, end } });
  }
  return out;
}
