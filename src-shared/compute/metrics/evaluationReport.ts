import type { BaselineVerdict } from './bootstrap.js';

/*
 * The JSON shape of an evaluation, as `evaluateClassifier` returns it and as it is stored and
 * sent to the renderer: plain arrays, numbers, strings and null — no typed arrays, and null
 * wherever a value is undefined (never NaN or ±Infinity).
 */

/** A number in the report: null where the value is undefined (never NaN or ±Infinity). */
export type ReportNumber = number | null;

/** A confusion matrix in the report. */
export interface ConfusionReport {
  /** counts[true][predicted]. */
  readonly counts: ReportNumber[][];
  /** Each row divided by its sum (rows of absent classes are zeros). */
  readonly rowNormalized: ReportNumber[][];
}

export interface IntervalReport {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly resamples: number;
}

export interface BaselineLabelReport {
  readonly samples: number;
  readonly accuracy: ReportNumber;
  readonly balancedAccuracy: ReportNumber;
  readonly macroF1: ReportNumber;
  readonly matthewsCorrelation: ReportNumber;
  readonly confusion: ConfusionReport;
}

export interface PerSymbolReport {
  readonly symbol: string;
  readonly samples: number;
  readonly accuracy: ReportNumber;
  readonly balancedAccuracy: ReportNumber;
  readonly macroF1: ReportNumber;
  readonly matthewsCorrelation: ReportNumber;
  readonly logLoss: ReportNumber;
  readonly macroAuc: ReportNumber;
  /** Classes the macro AUC averages over (those with positives and negatives in this symbol). */
  readonly aucClasses: number[];
  /** Accuracy of the overall majority class on this symbol's samples. */
  readonly majorityAccuracy: ReportNumber;
  /** Accuracy of the persistence baseline on this symbol (null without prevClass). */
  readonly persistenceAccuracy: ReportNumber;
}

/** Everything `evaluateClassifier` computes. Plain JSON: arrays, numbers, strings, null. */
export interface EvaluationReport {
  readonly schemaVersion: 1;
  readonly classes: string[];
  readonly samples: number;
  /** True-class counts. */
  readonly support: number[];
  /** Predicted-class (argmax) counts. */
  readonly predictedCounts: number[];
  readonly classification: {
    readonly accuracy: ReportNumber;
    readonly balancedAccuracy: ReportNumber;
    readonly matthewsCorrelation: ReportNumber;
    readonly cohenKappa: ReportNumber;
    readonly perClass: {
      readonly precision: ReportNumber[];
      readonly recall: ReportNumber[];
      readonly f1: ReportNumber[];
    };
    readonly macro: { readonly precision: ReportNumber; readonly recall: ReportNumber; readonly f1: ReportNumber };
    readonly weighted: { readonly precision: ReportNumber; readonly recall: ReportNumber; readonly f1: ReportNumber };
    /** Classes present in the truth or the predictions: the ones the averages run over. */
    readonly averagedClasses: number[];
    readonly confusion: ConfusionReport;
  };
  readonly probabilistic: {
    readonly logLoss: ReportNumber;
    /** The clipping epsilon used (float32 or float64 machine epsilon, per the input array). */
    readonly logLossEpsilon: number;
    /** Shown Brier score: Σₖ (p − onehot)² averaged over samples, in [0, 2]. */
    readonly brier: ReportNumber;
    /** Binary one-vs-rest Brier score of each class, in [0, 1]. */
    readonly brierOneVsRest: ReportNumber[];
  };
  readonly roc: {
    readonly perClass: {
      readonly auc: ReportNumber;
      /** Why the AUC is null (no positive or no negative sample), else null. */
      readonly reason: string | null;
      /** Thinned curve; the first threshold (+∞ in scikit-learn ≥ 1.3) is null. */
      readonly curve: { readonly fpr: ReportNumber[]; readonly tpr: ReportNumber[]; readonly thresholds: ReportNumber[] } | null;
    }[];
    readonly macroAuc: ReportNumber;
    readonly microAuc: ReportNumber;
    /** Classes the macro AUC averages over. */
    readonly definedClasses: number[];
  };
  readonly precisionRecall: {
    readonly perClass: {
      readonly averagePrecision: ReportNumber;
      readonly reason: string | null;
      /** Thinned curve in scikit-learn's layout (the last point, recall 0, has no threshold). */
      readonly curve: { readonly precision: ReportNumber[]; readonly recall: ReportNumber[]; readonly thresholds: ReportNumber[] } | null;
    }[];
    readonly macroAveragePrecision: ReportNumber;
    readonly microAveragePrecision: ReportNumber;
    readonly definedClasses: number[];
  };
  readonly calibration: {
    readonly bins: {
      readonly lower: number;
      readonly upper: number;
      readonly count: number;
      readonly meanConfidence: ReportNumber;
      readonly accuracy: ReportNumber;
    }[];
    readonly expectedCalibrationError: ReportNumber;
    readonly maximumCalibrationError: ReportNumber;
  };
  /** Accuracy and coverage when only predictions with max probability > threshold are kept. */
  readonly confidence: {
    readonly threshold: number;
    readonly covered: number;
    readonly coverage: ReportNumber;
    readonly accuracy: ReportNumber;
    readonly confusion: ConfusionReport;
  }[];
  /**
   * The same at thresholds 0.00, 0.01, …, 0.99, column-wise, so a UI slider can move without
   * going back to the samples.
   */
  readonly confidenceSweep: {
    readonly thresholds: number[];
    readonly covered: number[];
    readonly accuracy: ReportNumber[];
    /** confusionCounts[t][true][predicted] at thresholds[t]. */
    readonly confusionCounts: ReportNumber[][][];
  };
  readonly baselines: {
    /** Where the baselines' class distribution came from. */
    readonly priorSource: 'training' | 'evaluated' | null;
    readonly majority: (BaselineLabelReport & { readonly classId: number }) | null;
    readonly classPrior: {
      readonly priors: ReportNumber[];
      readonly expectedAccuracy: ReportNumber;
      readonly logLoss: ReportNumber;
      readonly brier: ReportNumber;
      readonly macroAuc: ReportNumber;
    } | null;
    readonly persistence: (BaselineLabelReport & { readonly skipped: number }) | null;
  };
  readonly bootstrap: {
    readonly method: 'percentile, Poisson(1) weights';
    readonly seed: number;
    readonly resamples: number;
    readonly level: number;
    readonly blockLength: number;
    readonly accuracy: IntervalReport | null;
    readonly macroAuc: IntervalReport | null;
    readonly majorityAccuracy: IntervalReport | null;
    readonly classPriorAccuracy: IntervalReport | null;
    readonly persistenceAccuracy: IntervalReport | null;
    /** Interval-overlap verdicts (see `compareToBaseline`); null where an interval is missing. */
    readonly verdicts: {
      readonly accuracyVsMajority: BaselineVerdict | null;
      readonly accuracyVsClassPrior: BaselineVerdict | null;
      readonly accuracyVsPersistence: BaselineVerdict | null;
      /** Against the constant-score AUC of 0.5 (the class-prior baseline's, in every resample). */
      readonly macroAucVsChance: BaselineVerdict | null;
    };
  };
  readonly perSymbol: PerSymbolReport[] | null;
  readonly regression: {
    readonly samples: number;
    readonly meanAbsoluteError: ReportNumber;
    readonly rootMeanSquaredError: ReportNumber;
    readonly directionalAccuracy: ReportNumber;
    readonly directionalCounted: number;
    readonly directionalZeroActual: number;
    readonly informationCoefficient: ReportNumber;
    readonly rankInformationCoefficient: ReportNumber;
  } | null;
}
