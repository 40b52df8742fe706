/**
 * Evaluation metrics of Candela's classifiers (and regression heads): pure functions on typed
 * arrays, definitions following scikit-learn's documentation (linked on each function), and
 * `evaluateClassifier`, which bundles them into one JSON-serializable report.
 */
export * from './types.js';
export { argmaxClasses, confusionMatrix, marginals, maxProbabilities, rowNormalized, type ConfusionMatrix } from './confusion.js';
export * from './classification.js';
export * from './probabilistic.js';
export { binaryCurveCounts, type BinaryCurveCounts } from './binaryCurve.js';
export * from './roc.js';
export * from './precisionRecall.js';
export * from './calibration.js';
export * from './confidence.js';
export * from './regression.js';
export { averageRanks } from './ranks.js';
export * from './baselines.js';
export * from './bootstrap.js';
export * from './resampledStatistics.js';
export { Mulberry32, mulberry32 } from '../random.js';
export { descendingOrder } from './sortOrder.js';
export * from './evaluationReport.js';
export * from './evaluateClassifier.js';
