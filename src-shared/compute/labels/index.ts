export {
  forwardWindow,
  NO_LABEL,
  CLASS_NAMES,
  DOWN,
  FLAT,
  upClass,
  type LabelWindow,
  type ClassScheme,
  type ClassLabels,
} from './label-window.js';
export { directionLabels, type DirectionThreshold } from './direction.js';
export {
  tripleBarrierLabels,
  BARRIER_TOUCH,
  type BarrierWidths,
  type TripleBarrierOptions,
  type TripleBarrierLabels,
} from './triple-barrier.js';
export { forwardLogReturn, type RegressionTarget } from './forward-return.js';
