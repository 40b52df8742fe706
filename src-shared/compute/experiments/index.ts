/**
 * Experiments: the pure computation behind hyperparameter sweeps and their honest reporting
 * (issue 13). Typed inputs, no I/O; a sweep service stores trials and curves and calls these.
 *
 * - Search spaces ({@link parseSearchSpace} reads `space.json`'s `params`) and samplers: grid,
 *   random, and TPE (Bergstra et al. 2011); {@link proposeTrial} is the one entry point a sweep
 *   needs, reproducible from (seed, trial index).
 * - Pruners on per-epoch validation loss: the median rule and ASHA (Li et al. 2020).
 * - Selection bias: the probability of backtest overfitting by CSCV (Bailey et al. 2015) and the
 *   deflated Sharpe ratio (Bailey & López de Prado 2014), with {@link selectionStatistics} producing
 *   the sweep report's numbers and sentence.
 * - Multi-seed summaries: mean ± std, t-intervals, and a verdict against a baseline from the seeds'
 *   spread.
 * - Many runs: a filter language and sort over flattened run records, config diffs, and which
 *   hyperparameters matter (random-forest permutation importance).
 * - The normal and Student-t functions these need.
 */
export {
  parseSearchSpace,
  validateSearchSpace,
  SearchSpaceError,
  toInternal,
  fromInternal,
  internalBounds,
  type ParamValue,
  type TrialParams,
  type ChoiceParam,
  type IntParam,
  type FloatParam,
  type ParamSpec,
  type SearchSpace,
} from './searchSpace.js';
export { sampleRandom, sampleParamUniform, gridSearch, gridAxis, type Grid, type GridOptions } from './samplers.js';
export { sampleTpe, parzenMixture, defaultGamma, defaultWeights, type TpeOptions, type TrialObservation } from './tpe.js';
export { proposeTrial, trialSeed, trialRng, type SamplerConfig } from './sweepSampler.js';
export { medianPrune, ashaPrune, ashaRungs, type PruneDecision, type MedianPrunerOptions, type AshaOptions } from './pruners.js';
export { probabilityOfBacktestOverfitting, binomial, type PboOptions, type PboResult, type PboMetric } from './pbo.js';
export {
  returnMoments,
  expectedMaxSharpe,
  probabilisticSharpeRatio,
  deflatedSharpeRatio,
  deflatedSharpeOfTrials,
  perPeriodSharpe,
  perPeriodFromAnnualSharpe,
  type PerPeriodSharpe,
  type ReturnMoments,
  type SharpeEstimate,
  type DeflatedSharpe,
  type TrialsDeflatedSharpe,
} from './deflatedSharpe.js';
export { selectionStatistics, type SelectionStatistics } from './selection.js';
export { alignedTrialReturns, trialPeriodReturns, type TrialPredictions, type TradingCosts } from './trialReturns.js';
export { summarizeSeeds, compareWithBaseline, type SeedSummary, type BaselineComparison, type CompareOptions, type ComparisonMethod } from './seeds.js';
export { normalCdf, normalPdf, normalQuantile, studentTCdf, studentTQuantile, EULER_MASCHERONI } from './distributions.js';
export {
  parseRunQuery,
  filterRuns,
  sortRuns,
  runFields,
  flattenConfig,
  configDiff,
  RunQueryError,
  type RunRecord,
  type RunFieldValue,
  type RunQueryClause,
  type RunQueryOperator,
  type RunSortKey,
  type ConfigDifference,
} from './runFilter.js';
export { forestImportance, type ForestImportance, type ForestOptions, type ParameterImportance } from './forestImportance.js';
