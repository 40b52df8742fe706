export type { OhlcvColumns } from './ohlcv.js';
export { barCount } from './ohlcv.js';
export { rollingSum, rollingMean, rollingStd, rollingMax, rollingMin } from './rolling-window.js';
export { sma, ema, wilderSmoothing, seededExponentialSmoothing } from './moving-averages.js';
export { simpleReturns, logReturns } from './returns.js';
export { realizedVolatility, parkinsonVolatility, garmanKlassVolatility } from './volatility.js';
export { trueRange, averageTrueRange } from './atr.js';
export { relativeStrengthIndex } from './rsi.js';
export { macd, type Macd } from './macd.js';
export { bollingerBands, type BollingerBands } from './bollinger.js';
export { stochasticOscillator, type Stochastic } from './stochastic.js';
export { typicalPrice, commodityChannelIndex } from './cci.js';
export { williamsR } from './williams-r.js';
export { directionalMovement, type DirectionalMovement } from './adx.js';
export { onBalanceVolume, onBalanceVolumeFlow, moneyFlowIndex, rollingVwapDistance, volumeZScore } from './volume-flow.js';
export { smaDistance, emaDistance } from './ma-distance.js';
export { candleShape, type CandleShape } from './candle-shape.js';
export { hourOfDayCyclic, dayOfWeekCyclic, type CyclicEncoding } from './calendar.js';
export {
  coarseBars,
  coarseLogReturn,
  coarseRsi,
  coarseSmaDistance,
  coarseVolatility,
  alignLastBar,
  crossSectionalRank,
  referenceLogReturn,
  referenceVolatility,
  dayOfMonthCyclic,
  monthOfYearCyclic,
  SESSIONS,
  sessionFlag,
  trendRegimeFeature,
  volatilityPercentRank,
  volatilityRegimeFeature,
  weekendFlag,
  type AssetCloses,
  type CoarseBars,
} from './wide.js';
export { featureFamilies, parseFeatureName, computeFeature, FeatureContext } from './feature-catalog.js';
export { FEATURE_SETS, FEATURE_SET_NAMES, isFeatureSetName, type FeatureSetName } from './feature-sets.js';
export {
  computeFeatureMatrix,
  resolveFeatureNames,
  type FeatureMatrix,
  type FeatureMatrixOptions,
  type FeatureSelection,
} from './feature-matrix.js';
