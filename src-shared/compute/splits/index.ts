export { rangeLength, rangeIndices, type IndexRange } from './index-range.js';
export { effectiveEmbargo } from './purge.js';
export { chronologicalSplit, type SplitFractions, type ChronologicalSplit } from './chronological.js';
export { purgedWalkForwardSplits, type WalkForwardOptions, type WalkForwardFold } from './walk-forward.js';
export {
  fitStandardizer,
  fitPooledStandardizer,
  applyStandardizer,
  type Standardizer,
  type StandardizerSource,
  type RowSelection,
} from './standardizer.js';
