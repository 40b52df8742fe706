export {
  buildSampleIndex,
  shuffleSampleIndex,
  sampleCount,
  type SampleSource,
  type SampleIndexOptions,
} from './sample-index.js';
export { gatherWindows, gatherLabels } from './gather.js';
export { classWeights } from './class-weights.js';
