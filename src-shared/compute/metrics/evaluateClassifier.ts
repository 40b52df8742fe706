import {
  classPriorBaseline,
  majorityClassBaseline,
  persistenceBaseline,
  resolvePriors,
  type LabelBaselineMetrics,
} from './baselines.js';
import { oneVsRestCounts, type BinaryCurveCounts } from './binaryCurve.js';
import {
  bootstrapIntervals,
  combineCellStatistics,
  compareToBaseline,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
  type BaselineVerdict,
} from './bootstrap.js';
import type {
  BaselineLabelReport,
  ConfusionReport,
  EvaluationReport,
  IntervalReport,
  PerSymbolReport,
} from './evaluationReport.js';
import { reliabilityDiagram } from './calibration.js';
import {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  matthewsCorrelation,
  precisionRecallF1,
} from './classification.js';
import { confidenceSweep, REPORTED_CONFIDENCE_THRESHOLDS, SLIDER_CONFIDENCE_THRESHOLDS } from './confidence.js';
import { argmaxClasses, confusionMatrix, marginals, rowNormalized, type ConfusionMatrix } from './confusion.js';
import { checkClassificationInput, checkSameLength } from './input.js';
import { finiteOrNull, pick, thinnedIndices, toJsonArray, toJsonMatrix } from './json.js';
import { oneVsRestPrecisionRecallFromCounts } from './precisionRecall.js';
import { logLoss, logLossEpsilon, multiclassBrier, oneVsRestBrier } from './probabilistic.js';
import { regressionMetrics } from './regression.js';
import { labelStatistics, macroAucStatistics } from './resampledStatistics.js';
import { oneVsRestRocFromCounts } from './roc.js';
import type { ClassIds, ConfidenceInterval, ProbabilityMatrix, RealSeries } from './types.js';

/** What `evaluateClassifier` judges. */
export interface EvaluateClassifierInput {
  /** True class id of each sample, in `[0, classes.length)`. */
  readonly yTrue: ClassIds;
  /** Predicted probabilities, row-major `[samples × classes.length]`. */
  readonly probs: ProbabilityMatrix;
  /** Class names, in class-id order (e.g. ['down', 'flat', 'up']). */
  readonly classes: readonly string[];
  /** Symbol id of each sample, in `[0, symbolNames.length)`, for the per-symbol table. */
  readonly symbols?: Int32Array;
  /** Symbol names by id; ids are shown as text when absent. */
  readonly symbolNames?: readonly string[];
  /** Previous bar's realized class per sample (persistence baseline); −1 = no previous bar. */
  readonly prevClass?: Int8Array | Int32Array;
  /** Training label distribution (counts or fractions) for the baselines. */
  readonly trainPriors?: ArrayLike<number>;
  /** Regression head output and target, when the model has one. */
  readonly regression?: { readonly actual: RealSeries; readonly predicted: RealSeries };
  /** Seed of the bootstrap's PRNG. */
  readonly seed: number;
  readonly options?: EvaluateClassifierOptions;
}

/** Tuning of `evaluateClassifier`; every field has a default. */
export interface EvaluateClassifierOptions {
  /** Bootstrap resamples (default 200). */
  readonly bootstrapResamples?: number;
  /** Bootstrap interval coverage (default 0.95). */
  readonly bootstrapLevel?: number;
  /** Bootstrap block length in samples (default 1; see `BootstrapOptions.blockLength`). */
  readonly bootstrapBlockLength?: number;
  /** Reliability-diagram bins (default 10). */
  readonly calibrationBins?: number;
  /** Most points kept per curve in the report (default 1000); areas use the full curves. */
  readonly maxCurvePoints?: number;
  /** Confidence thresholds tabulated (default 0.6, 0.7, 0.8, 0.9). */
  readonly confidenceThresholds?: readonly number[];
}

const DEFAULT_CALIBRATION_BINS = 10;
const DEFAULT_MAX_CURVE_POINTS = 1000;

/**
 * Evaluates a probabilistic classifier on a set of samples: label metrics, probabilistic scores,
 * one-vs-rest ROC and precision–recall curves, calibration, selective accuracy by confidence,
 * naive baselines on the same samples, bootstrap intervals with baseline verdicts, a per-symbol
 * table and, when given, the regression head. Each part's definition is documented on the
 * function computing it. The result is plain JSON with null wherever a value is undefined.
 *
 * Shown choices, documented where computed: the Brier score is the multiclass sum over classes
 * (one-vs-rest scores beside it); log loss clips at the input array's machine epsilon; AUC/AP of
 * a class without positives or negatives is null with a reason and macro means run over the
 * defined classes; intervals are percentile bootstraps with Poisson(1) weights; a verdict is
 * 'better' only when the model's interval lies entirely above the baseline's.
 *
 * Cost: one radix sort per class plus one of all probabilities (micro averages), O(n) passes for
 * the rest, and O(n) per bootstrap resample.
 */
export function evaluateClassifier(input: EvaluateClassifierInput): EvaluationReport {
  const { yTrue, probs } = input;
  const classes = [...input.classes];
  const classCount = classes.length;
  const n = checkClassificationInput(yTrue, probs, classCount);
  const options = input.options ?? {};
  if (input.prevClass !== undefined) checkSameLength(yTrue, input.prevClass, 'prevClass');
  if (input.symbols !== undefined) checkSameLength(yTrue, input.symbols, 'symbols');

  const yPred = argmaxClasses(probs, classCount);
  const confusion = confusionMatrix(yTrue, yPred, classCount);
  const { truth, predicted } = marginals(confusion);
  const prf = precisionRecallF1(confusion);

  // With groups: the bootstrap reuses these sorts.
  const { perClass: perClassCounts, micro: microCounts } = oneVsRestCounts(yTrue, probs, classCount, { withGroups: true });
  const roc = oneVsRestRocFromCounts(perClassCounts, microCounts);
  const pr = oneVsRestPrecisionRecallFromCounts(perClassCounts, microCounts);
  const maxPoints = Math.max(2, options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS);

  const calibration = reliabilityDiagram(yTrue, probs, classCount, options.calibrationBins ?? DEFAULT_CALIBRATION_BINS);
  const thresholds = [...new Set(options.confidenceThresholds ?? REPORTED_CONFIDENCE_THRESHOLDS)].sort((a, b) => a - b);
  const sweep = confidenceSweep(yTrue, probs, classCount, SLIDER_CONFIDENCE_THRESHOLDS);

  const resolvedPriors = resolvePriors(yTrue, classCount, input.trainPriors);
  const majority = majorityClassBaseline(yTrue, classCount, input.trainPriors);
  const classPrior = classPriorBaseline(yTrue, classCount, input.trainPriors);
  const persistence =
    input.prevClass === undefined ? null : persistenceBaseline(yTrue, input.prevClass, classCount);

  const bootstrap = bootstrapSection(input, yPred, perClassCounts, majority?.classId, resolvedPriors?.priors);
  const oneVsRestBriers = oneVsRestBrier(yTrue, probs, classCount);

  return {
    schemaVersion: 1,
    classes,
    samples: n,
    support: Array.from(truth),
    predictedCounts: Array.from(predicted),
    classification: {
      accuracy: finiteOrNull(accuracy(confusion)),
      balancedAccuracy: finiteOrNull(balancedAccuracy(confusion)),
      matthewsCorrelation: finiteOrNull(matthewsCorrelation(confusion)),
      cohenKappa: finiteOrNull(cohenKappa(confusion)),
      perClass: {
        precision: toJsonArray(prf.precision),
        recall: toJsonArray(prf.recall),
        f1: toJsonArray(prf.f1),
      },
      macro: {
        precision: finiteOrNull(prf.macro.precision),
        recall: finiteOrNull(prf.macro.recall),
        f1: finiteOrNull(prf.macro.f1),
      },
      weighted: {
        precision: finiteOrNull(prf.weighted.precision),
        recall: finiteOrNull(prf.weighted.recall),
        f1: finiteOrNull(prf.weighted.f1),
      },
      averagedClasses: prf.averagedClasses,
      confusion: confusionReport(confusion),
    },
    probabilistic: {
      logLoss: finiteOrNull(logLoss(yTrue, probs, classCount)),
      logLossEpsilon: logLossEpsilon(probs),
      brier: finiteOrNull(multiclassBrier(yTrue, probs, classCount)),
      brierOneVsRest: oneVsRestBriers === null ? classes.map(() => null) : toJsonArray(oneVsRestBriers),
    },
    roc: {
      perClass: roc.perClass.map((result) => {
        if (result.curve === null) return { auc: null, reason: result.reason, curve: null };
        const keep = thinnedIndices(result.curve.fpr.length, maxPoints);
        return {
          auc: finiteOrNull(result.auc),
          reason: null,
          curve: {
            fpr: pick(result.curve.fpr, keep),
            tpr: pick(result.curve.tpr, keep),
            thresholds: pick(result.curve.thresholds, keep),
          },
        };
      }),
      macroAuc: finiteOrNull(roc.macroAuc),
      microAuc: finiteOrNull(roc.microAuc),
      definedClasses: roc.definedClasses,
    },
    precisionRecall: {
      perClass: pr.perClass.map((result) => {
        if (result.curve === null) return { averagePrecision: null, reason: result.reason, curve: null };
        const keep = thinnedIndices(result.curve.precision.length, maxPoints);
        return {
          averagePrecision: finiteOrNull(result.averagePrecision),
          reason: null,
          curve: {
            precision: pick(result.curve.precision, keep),
            recall: pick(result.curve.recall, keep),
            thresholds: pick(result.curve.thresholds, keep),
          },
        };
      }),
      macroAveragePrecision: finiteOrNull(pr.macroAveragePrecision),
      microAveragePrecision: finiteOrNull(pr.microAveragePrecision),
      definedClasses: pr.definedClasses,
    },
    calibration: {
      bins: calibration.bins.map((bin) => ({
        lower: bin.lower,
        upper: bin.upper,
        count: bin.count,
        meanConfidence: finiteOrNull(bin.meanConfidence),
        accuracy: finiteOrNull(bin.accuracy),
      })),
      expectedCalibrationError: finiteOrNull(calibration.expectedCalibrationError),
      maximumCalibrationError: finiteOrNull(calibration.maximumCalibrationError),
    },
    confidence: confidenceSweep(yTrue, probs, classCount, thresholds).map((cut) => ({
      threshold: cut.threshold,
      covered: cut.covered,
      coverage: finiteOrNull(cut.coverage),
      accuracy: finiteOrNull(cut.accuracy),
      confusion: confusionReport(cut.confusion),
    })),
    confidenceSweep: {
      thresholds: sweep.map((cut) => cut.threshold),
      covered: sweep.map((cut) => cut.covered),
      accuracy: sweep.map((cut) => finiteOrNull(cut.accuracy)),
      confusionCounts: sweep.map((cut) => toJsonMatrix(cut.confusion.counts, classCount)),
    },
    baselines: {
      priorSource: resolvedPriors?.source ?? null,
      majority: majority === null ? null : { classId: majority.classId, ...baselineLabelReport(majority) },
      classPrior:
        classPrior === null
          ? null
          : {
              priors: toJsonArray(classPrior.priors),
              expectedAccuracy: finiteOrNull(classPrior.expectedAccuracy),
              logLoss: finiteOrNull(classPrior.logLoss),
              brier: finiteOrNull(classPrior.multiclassBrier),
              macroAuc: finiteOrNull(classPrior.macroAuc),
            },
      persistence:
        persistence === null ? null : { skipped: persistence.skipped, ...baselineLabelReport(persistence) },
    },
    bootstrap,
    perSymbol: input.symbols === undefined ? null : perSymbolTable(input, yPred, majority?.classId ?? null),
    regression: regressionSection(input.regression),
  };
}

function confusionReport(matrix: ConfusionMatrix): ConfusionReport {
  return {
    counts: toJsonMatrix(matrix.counts, matrix.classCount),
    rowNormalized: toJsonMatrix(rowNormalized(matrix), matrix.classCount),
  };
}

function baselineLabelReport(metrics: LabelBaselineMetrics): BaselineLabelReport {
  return {
    samples: metrics.samples,
    accuracy: finiteOrNull(metrics.accuracy),
    balancedAccuracy: finiteOrNull(metrics.balancedAccuracy),
    macroF1: finiteOrNull(metrics.macroF1),
    matthewsCorrelation: finiteOrNull(metrics.matthewsCorrelation),
    confusion: confusionReport(metrics.confusion),
  };
}

function intervalReport(interval: ConfidenceInterval | null): IntervalReport | null {
  if (interval === null) return null;
  const { estimate, lower, upper, level, resamples } = interval;
  if (![estimate, lower, upper].every(Number.isFinite)) return null;
  return { estimate, lower, upper, level, resamples };
}

function verdict(model: IntervalReport | null, baseline: IntervalReport | null): BaselineVerdict | null {
  return model === null || baseline === null ? null : compareToBaseline(model, baseline);
}

function bootstrapSection(
  input: EvaluateClassifierInput,
  yPred: Int32Array,
  perClassCounts: readonly BinaryCurveCounts[],
  majorityClass: number | undefined,
  priors: Float64Array | undefined,
): EvaluationReport['bootstrap'] {
  const { yTrue, probs, seed } = input;
  const classCount = input.classes.length;
  const resamples = input.options?.bootstrapResamples ?? DEFAULT_RESAMPLES;
  const level = input.options?.bootstrapLevel ?? DEFAULT_LEVEL;
  const blockLength = input.options?.bootstrapBlockLength ?? 1;
  const labels = labelStatistics({
    yTrue,
    yPred,
    classCount,
    majorityClass,
    priors,
    prevClass: input.prevClass,
  });
  const macroAuc = macroAucStatistics(yTrue, probs, classCount, perClassCounts);
  const intervals = bootstrapIntervals(yTrue.length, combineCellStatistics(labels, macroAuc), {
    seed,
    resamples,
    level,
    blockLength,
  });
  const accuracyCi = intervalReport(intervals.accuracy);
  const macroAucCi = intervalReport(intervals.macroAuc);
  const majorityCi = intervalReport(intervals.majorityAccuracy);
  const classPriorCi = intervalReport(intervals.classPriorAccuracy);
  const persistenceCi = intervalReport(intervals.persistenceAccuracy);
  const chance: IntervalReport = { estimate: 0.5, lower: 0.5, upper: 0.5, level, resamples };
  return {
    method: 'percentile, Poisson(1) weights',
    seed,
    resamples,
    level,
    blockLength,
    accuracy: accuracyCi,
    macroAuc: macroAucCi,
    majorityAccuracy: majorityCi,
    classPriorAccuracy: classPriorCi,
    persistenceAccuracy: persistenceCi,
    verdicts: {
      accuracyVsMajority: verdict(accuracyCi, majorityCi),
      accuracyVsClassPrior: verdict(accuracyCi, classPriorCi),
      accuracyVsPersistence: verdict(accuracyCi, persistenceCi),
      macroAucVsChance: verdict(macroAucCi, macroAucCi === null ? null : chance),
    },
  };
}

/**
 * Per-symbol metrics: each symbol's samples are gathered and evaluated on their own (macro AUC
 * over the classes defined within the symbol). Baselines use the overall majority class, the one
 * the model would be compared against.
 */
function perSymbolTable(
  input: EvaluateClassifierInput,
  yPred: Int32Array,
  majorityClass: number | null,
): PerSymbolReport[] {
  const symbols = input.symbols as Int32Array;
  const classCount = input.classes.length;
  const names = input.symbolNames;
  let symbolCount = names?.length ?? 0;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    if (s < 0 || (names !== undefined && s >= names.length)) {
      throw new RangeError(`symbols[${i}] = ${s} is not a symbol id in [0, ${names?.length ?? '∞'})`);
    }
    if (s + 1 > symbolCount) symbolCount = s + 1;
  }
  const sizes = new Int32Array(symbolCount);
  for (let i = 0; i < symbols.length; i++) sizes[symbols[i]]++;
  const members = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(symbolCount);
  for (let i = 0; i < symbols.length; i++) members[symbols[i]][filled[symbols[i]]++] = i;

  const rows: PerSymbolReport[] = [];
  for (let s = 0; s < symbolCount; s++) {
    const index = members[s];
    if (index.length === 0) continue;
    rows.push(symbolRow(input, yPred, majorityClass, names?.[s] ?? String(s), index, classCount));
  }
  return rows;
}

function symbolRow(
  input: EvaluateClassifierInput,
  yPred: Int32Array,
  majorityClass: number | null,
  symbol: string,
  index: Int32Array,
  classCount: number,
): PerSymbolReport {
  const m = index.length;
  const yTrue = new Int32Array(m);
  const pred = new Int32Array(m);
  const probs = input.probs instanceof Float32Array ? new Float32Array(m * classCount) : new Float64Array(m * classCount);
  for (let j = 0; j < m; j++) {
    const i = index[j];
    yTrue[j] = input.yTrue[i];
    pred[j] = yPred[i];
    for (let k = 0; k < classCount; k++) probs[j * classCount + k] = input.probs[i * classCount + k];
  }
  const confusion = confusionMatrix(yTrue, pred, classCount);
  const roc = oneVsRestRocFromCounts(oneVsRestCounts(yTrue, probs, classCount, { micro: false }).perClass, null);
  let majorityAccuracy: number | null = null;
  if (majorityClass !== null) {
    let hits = 0;
    for (let j = 0; j < m; j++) if (yTrue[j] === majorityClass) hits++;
    majorityAccuracy = hits / m;
  }
  let persistenceAccuracy: number | null = null;
  if (input.prevClass !== undefined) {
    const prev = new Int32Array(m);
    for (let j = 0; j < m; j++) prev[j] = input.prevClass[index[j]];
    persistenceAccuracy = persistenceBaseline(yTrue, prev, classCount)?.accuracy ?? null;
  }
  return {
    symbol,
    samples: m,
    accuracy: finiteOrNull(accuracy(confusion)),
    balancedAccuracy: finiteOrNull(balancedAccuracy(confusion)),
    macroF1: finiteOrNull(precisionRecallF1(confusion).macro.f1),
    matthewsCorrelation: finiteOrNull(matthewsCorrelation(confusion)),
    logLoss: finiteOrNull(logLoss(yTrue, probs, classCount)),
    macroAuc: finiteOrNull(roc.macroAuc),
    aucClasses: roc.definedClasses,
    majorityAccuracy,
    persistenceAccuracy,
  };
}

function regressionSection(regression: EvaluateClassifierInput['regression']): EvaluationReport['regression'] {
  if (regression === undefined) return null;
  const metrics = regressionMetrics(regression.actual, regression.predicted);
  return {
    samples: metrics.samples,
    meanAbsoluteError: finiteOrNull(metrics.meanAbsoluteError),
    rootMeanSquaredError: finiteOrNull(metrics.rootMeanSquaredError),
    directionalAccuracy: finiteOrNull(metrics.directionalAccuracy.value),
    directionalCounted: metrics.directionalAccuracy.counted,
    directionalZeroActual: metrics.directionalAccuracy.zeroActual,
    informationCoefficient: finiteOrNull(metrics.informationCoefficient),
    rankInformationCoefficient: finiteOrNull(metrics.rankInformationCoefficient),
  };
}
