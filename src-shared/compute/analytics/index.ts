/**
 * Research analytics (pure compute): regimes, Monte Carlo of a backtest, significance against
 * chance, more metrics, signal quality and cost sensitivity. Typed arrays in, plain results out;
 * everything seeded is seeded with `compute/random.ts`'s mulberry32. Entry points:
 * - Regimes: `volatilityRegimesWithTraining`, `trendRegimes`, `hmmRegimes` (`fitGaussianHmm` + `filterStates`);
 *   per-regime breakdowns `accuracyByRegime`, `returnsByRegime`.
 * - Monte Carlo: `tradeMonteCarlo` (bootstrap / reorder), `blockBootstrapMonteCarlo`,
 *   `noiseMonteCarlo`; path resamplers `movingBlockBootstrapIndices`, `resampleCandles`,
 *   `perturbCandles` and `summarizeEquityPaths` for backtests re-run on resampled candles;
 *   `resampleMarket` (marketPaths.ts): a run's whole market per path, for signals recomputed on it.
 * - Significance: `randomEntryTest`, `versusBuyAndHold`.
 * - Metrics: `moreMetrics` (Omega, Lo-adjusted Sharpe/Sortino, streaks, ulcer, recovery, tail
 *   ratio, gain-to-pain, skew/kurtosis, Calmar) and each formula on its own.
 * - Signal quality: `informationCoefficient`, `icByGroup`, `icByMonth`, `icDecay`,
 *   `forwardReturns`, `predictionBias`, `wilsonInterval`.
 * - Cost sensitivity: `breakevenCost`, `costCurve`, `breakevenFromGrid`.
 * - Sharpe uncertainty: `sharpeInterval` (Lo 2002).
 */
export { sharpeInterval, Z95, type SharpeInterval } from './sharpeInterval.js';
export { breakevenCost, breakevenFromGrid, costCurve, type Breakeven, type BreakevenOptions, type ReturnAtCost } from './costSensitivity.js';
export {
  filterStates,
  fitGaussianHmm,
  hmmLogLikelihood,
  hmmRegimes,
  stationaryDistribution,
  type FilteredStates,
  type GaussianHmm,
  type HmmFitOptions,
  type HmmRegimes,
} from './hmm.js';
export { marketPathRng, resampleMarket, sharedTestCalendar, type MarketPathSpec, type MarketSymbol } from './marketPaths.js';
export {
  blockBootstrapMonteCarlo,
  defaultBlockLength,
  movingBlockBootstrapIndices,
  noiseMonteCarlo,
  perturbCandles,
  resampleCandles,
  simulateReturnPaths,
  summarizeEquityPaths,
  tradeMonteCarlo,
  type CandlePath,
  type FanChart,
  type MonteCarloOptions,
  type MonteCarloSummary,
  type PathGenerator,
  type PercentileBand,
  type TradeResampling,
} from './monteCarlo.js';
export {
  autocorrelation,
  gainToPain,
  loAdjustedSharpe,
  loAdjustedSortino,
  loAggregationFactor,
  longestStreaks,
  moreMetrics,
  omegaRatio,
  skewnessKurtosis,
  tailRatio,
  ulcerIndex,
  type MoreMetrics,
  type MoreMetricsOptions,
} from './moreMetrics.js';
export { accuracyByRegime, equalWeightIndex, pathReturnsByRegime, returnsByRegime, type RegimeAccuracyRow, type RegimeLabels, type RegimeReturnRow } from './regimeStats.js';
export {
  fitVolatilityThresholds,
  HMM_REGIMES,
  marketRegimes,
  REGIME_UNKNOWN,
  TREND_REGIMES,
  trailingVolatility,
  trendRegimes,
  VOLATILITY_REGIMES,
  volatilityRegimes,
  volatilityRegimesWithTraining,
  type MarketRegimeOptions,
  type MarketRegimes,
  type VolatilityRegimeResult,
  type VolatilityThresholds,
} from './regimes.js';
export {
  randomEntryTest,
  versusBuyAndHold,
  type BuyAndHoldComparison,
  type RandomEntryInput,
  type SignificanceOptions,
  type SignificanceResult,
} from './significance.js';
export {
  forwardReturns,
  icByGroup,
  icByMonth,
  icDecay,
  informationCoefficient,
  predictionBias,
  wilsonInterval,
  type IcDecayRow,
  type IcValue,
  type MonthlyIc,
  type PredictionBiasRow,
  type WilsonInterval,
} from './signalQuality.js';
export { drawdownSummary, quantile, sortedQuantile, type DrawdownSummary, type Series } from './statistics.js';
