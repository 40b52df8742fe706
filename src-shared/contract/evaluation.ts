import { z } from 'zod';
import { channel } from './define.js';
import { ContractFailure } from './result.js';

/*
 * The evaluation report as `evaluateClassifier` (src-shared/compute/metrics/evaluationReport.ts,
 * where each field is documented) produces it, plus what the evaluation service adds: test-period
 * folds and the run's feature importance. evaluationReport.test.ts keeps these schemas and the
 * compute types the same type and parses a computed report with them.
 */

/** A number of the report: null where it is undefined (NaN or ±Infinity never cross as JSON). */
const reportNumber = z.number().nullable();
const reportNumbers = z.array(reportNumber);

export const baselineVerdictSchema = z.enum(['better', 'not better than baseline']);

const confusionSchema = z.object({ counts: z.array(reportNumbers), rowNormalized: z.array(reportNumbers) });

const intervalSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number(), level: z.number(), resamples: z.number() });

const baselineLabelSchema = z.object({
  samples: z.number(),
  accuracy: reportNumber,
  balancedAccuracy: reportNumber,
  macroF1: reportNumber,
  matthewsCorrelation: reportNumber,
  confusion: confusionSchema,
});

const perSymbolSchema = z.object({
  symbol: z.string(),
  samples: z.number(),
  accuracy: reportNumber,
  balancedAccuracy: reportNumber,
  macroF1: reportNumber,
  matthewsCorrelation: reportNumber,
  logLoss: reportNumber,
  macroAuc: reportNumber,
  aucClasses: z.array(z.number()),
  majorityAccuracy: reportNumber,
  persistenceAccuracy: reportNumber,
});

const precisionRecallF1Schema = z.object({ precision: reportNumber, recall: reportNumber, f1: reportNumber });

/** What `evaluateClassifier` returns (`EvaluationReport`). */
export const classifierReportSchema = z.object({
  schemaVersion: z.literal(1),
  classes: z.array(z.string()),
  samples: z.number(),
  support: z.array(z.number()),
  predictedCounts: z.array(z.number()),
  classification: z.object({
    accuracy: reportNumber,
    balancedAccuracy: reportNumber,
    matthewsCorrelation: reportNumber,
    cohenKappa: reportNumber,
    perClass: z.object({ precision: reportNumbers, recall: reportNumbers, f1: reportNumbers }),
    macro: precisionRecallF1Schema,
    weighted: precisionRecallF1Schema,
    averagedClasses: z.array(z.number()),
    confusion: confusionSchema,
  }),
  probabilistic: z.object({ logLoss: reportNumber, logLossEpsilon: z.number(), brier: reportNumber, brierOneVsRest: reportNumbers }),
  roc: z.object({
    perClass: z.array(
      z.object({
        auc: reportNumber,
        reason: z.string().nullable(),
        curve: z.object({ fpr: reportNumbers, tpr: reportNumbers, thresholds: reportNumbers }).nullable(),
      }),
    ),
    macroAuc: reportNumber,
    microAuc: reportNumber,
    definedClasses: z.array(z.number()),
  }),
  precisionRecall: z.object({
    perClass: z.array(
      z.object({
        averagePrecision: reportNumber,
        reason: z.string().nullable(),
        curve: z.object({ precision: reportNumbers, recall: reportNumbers, thresholds: reportNumbers }).nullable(),
      }),
    ),
    macroAveragePrecision: reportNumber,
    microAveragePrecision: reportNumber,
    definedClasses: z.array(z.number()),
  }),
  calibration: z.object({
    bins: z.array(z.object({ lower: z.number(), upper: z.number(), count: z.number(), meanConfidence: reportNumber, accuracy: reportNumber })),
    expectedCalibrationError: reportNumber,
    maximumCalibrationError: reportNumber,
  }),
  confidence: z.array(z.object({ threshold: z.number(), covered: z.number(), coverage: reportNumber, accuracy: reportNumber, confusion: confusionSchema })),
  confidenceSweep: z.object({
    thresholds: z.array(z.number()),
    covered: z.array(z.number()),
    accuracy: reportNumbers,
    confusionCounts: z.array(z.array(reportNumbers)),
  }),
  baselines: z.object({
    priorSource: z.enum(['training', 'evaluated']).nullable(),
    majority: baselineLabelSchema.extend({ classId: z.number() }).nullable(),
    classPrior: z
      .object({ priors: reportNumbers, expectedAccuracy: reportNumber, logLoss: reportNumber, brier: reportNumber, macroAuc: reportNumber })
      .nullable(),
    persistence: baselineLabelSchema.extend({ skipped: z.number() }).nullable(),
  }),
  bootstrap: z.object({
    method: z.literal('percentile, Poisson(1) weights'),
    seed: z.number(),
    resamples: z.number(),
    level: z.number(),
    blockLength: z.number(),
    accuracy: intervalSchema.nullable(),
    macroAuc: intervalSchema.nullable(),
    majorityAccuracy: intervalSchema.nullable(),
    classPriorAccuracy: intervalSchema.nullable(),
    persistenceAccuracy: intervalSchema.nullable(),
    verdicts: z.object({
      accuracyVsMajority: baselineVerdictSchema.nullable(),
      accuracyVsClassPrior: baselineVerdictSchema.nullable(),
      accuracyVsPersistence: baselineVerdictSchema.nullable(),
      macroAucVsChance: baselineVerdictSchema.nullable(),
    }),
  }),
  perSymbol: z.array(perSymbolSchema).nullable(),
  regression: z
    .object({
      samples: z.number(),
      meanAbsoluteError: reportNumber,
      rootMeanSquaredError: reportNumber,
      directionalAccuracy: reportNumber,
      directionalCounted: z.number(),
      directionalZeroActual: z.number(),
      informationCoefficient: reportNumber,
      rankInformationCoefficient: reportNumber,
    })
    .nullable(),
});
export type ClassifierReportPayload = z.infer<typeof classifierReportSchema>;

/**
 * Metrics of one fold of a run's out-of-sample predictions: a walk-forward fold (fresh model),
 * or for holdout runs one of consecutive slices of the test period (same model).
 */
export const foldMetricsSchema = z.object({
  fold: z.number(),
  fromTs: z.number(),
  toTs: z.number(),
  samples: z.number(),
  accuracy: reportNumber,
  macroAuc: reportNumber,
  majorityAccuracy: reportNumber,
  verdict: baselineVerdictSchema.nullable(),
});
export type FoldMetrics = z.infer<typeof foldMetricsSchema>;

/**
 * Permutation importance on the validation split (and TFT-lite's variable-selection weights), as
 * the training process writes it (`ImportanceFile` in src-main/training/loop/artifactFiles.ts).
 */
export const featureImportanceSchema = z.object({
  method: z.literal('permutation'),
  split: z.literal('val'),
  features: z.array(z.string()),
  accuracyDrop: z.array(z.number()),
  logLossIncrease: z.array(z.number()),
  baseline: z.object({ accuracy: z.number(), logLoss: z.number() }),
  samples: z.number(),
  repeats: z.number(),
  variableSelection: z.array(z.number()).nullable(),
});
export type FeatureImportanceReport = z.infer<typeof featureImportanceSchema>;

/**
 * A stored evaluation's report. Reports stored before folds and importance existed read as
 * having none (the defaults), so an older workspace still opens.
 */
export const evaluationReportSchema = classifierReportSchema.extend({
  folds: z.array(foldMetricsSchema).default([]),
  importance: featureImportanceSchema.nullable().default(null),
});
export type EvaluationReportPayload = z.infer<typeof evaluationReportSchema>;

/**
 * A report as the workspace stored it (JSON text), read with the schema: a report that does not
 * fit is refused with a sentence rather than handed to a chart that would misread it.
 */
export function parseStoredReport(evaluationId: number, json: string): EvaluationReportPayload {
  const parsed = evaluationReportSchema.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ContractFailure('WORKSPACE', `Evaluation ${evaluationId} was stored in a shape this version does not read (${issue?.path.join('.') || 'report'}: ${issue?.message ?? 'wrong shape'}); evaluate the run again.`);
}

export const storedEvaluationSchema = z.object({ evaluationId: z.number(), runId: z.number(), createdAt: z.number(), report: evaluationReportSchema });
export type StoredEvaluation = z.infer<typeof storedEvaluationSchema>;

/*
 * Signal quality and regimes of a finished run's test predictions (src-main/evaluation/runAnalytics.ts
 * computes it with src-shared/compute/analytics). Numbers that are undefined (too few pairs, a
 * constant side, an empty regime) are null.
 */
const icSchema = z.object({ n: z.number(), ic: reportNumber, rankIc: reportNumber });

const predictionBiasSchema = z.object({
  symbol: z.string(),
  n: z.number(),
  upCallShare: reportNumber,
  /** 95 % Wilson interval of upCallShare. */
  lower: reportNumber,
  upper: reportNumber,
  baseRate: reportNumber,
  /** upCallShare − baseRate: positive when the model leans long. */
  bias: reportNumber,
  /** The base rate lies outside the interval. */
  biased: z.boolean(),
});

/** One regime's samples: the model's accuracy beside the majority and persistence baselines (persistence over the samples that have a previous move). */
const regimeRowSchema = z.object({ regime: z.string(), bars: z.number(), accuracy: reportNumber, majorityAccuracy: reportNumber, persistenceAccuracy: reportNumber, persistenceBars: z.number() });
/** A regime kind's rows over all test samples, and the same per symbol (the rows of each add up to its samples). */
const regimeRowsSchema = z.object({ rows: z.array(regimeRowSchema), perSymbol: z.array(z.object({ symbol: z.string(), rows: z.array(regimeRowSchema) })) });

/** Gaussian HMM regimes: 2 or 3 states of log returns, fitted on the bars before the test period. */
export const hmmStatesSchema = z.union([z.literal(2), z.literal(3)]);

export const runAnalyticsSchema = z.object({
  runId: z.number(),
  /** The run's label horizon in bars. */
  horizon: z.number(),
  samples: z.number(),
  signalQuality: z.object({
    /** What the score is: P(UP) − P(DOWN). */
    score: z.string(),
    overall: icSchema,
    perSymbol: z.array(icSchema.extend({ symbol: z.string() })),
    /** Per UTC calendar month ("YYYY-MM") of the samples' bars. */
    perMonth: z.array(icSchema.extend({ month: z.string() })),
    /** IC against forward log returns over 1…4 × the label horizon. */
    decay: z.array(icSchema.extend({ horizon: z.number() })),
    /** The same four views with the magnitude head's predicted log return as the score; null for a run without one. */
    magnitude: z
      .object({
        overall: icSchema,
        perSymbol: z.array(icSchema.extend({ symbol: z.string() })),
        perMonth: z.array(icSchema.extend({ month: z.string() })),
        decay: z.array(icSchema.extend({ horizon: z.number() })),
      })
      .nullable(),
  }),
  bias: z.array(predictionBiasSchema),
  regimes: z.object({
    volatility: z.object({
      lookback: z.number(),
      /** Per symbol, the tercile cut points fitted on the bars before its test period. */
      thresholds: z.array(z.object({ symbol: z.string(), lower: reportNumber, upper: reportNumber, trainingBars: z.number() })),
    }).merge(regimeRowsSchema),
    trend: z.object({ lookback: z.number() }).merge(regimeRowsSchema),
    /** Null unless asked for (`hmmStates`). `unfitted`: symbols whose HMM could not be fitted, with the reason (their samples count as unknown). */
    hmm: z.object({ states: hmmStatesSchema, unfitted: z.array(z.string()) }).merge(regimeRowsSchema).nullable(),
  }),
});
export type RunAnalytics = z.infer<typeof runAnalyticsSchema>;

export const evaluationChannels = {
  'evaluation.run': channel({
    request: z.object({ runId: z.number().int().positive() }).strict(),
    response: storedEvaluationSchema,
    summary: "Evaluates a finished run's best model on its test split (metrics, curves, baselines, per symbol) and stores the report.",
  }),
  'evaluation.latest': channel({
    request: z.object({ runId: z.number().int().positive() }).strict(),
    response: storedEvaluationSchema.nullable(),
    summary: 'The newest stored evaluation of a run, or null.',
  }),
  'evaluation.analytics': channel({
    request: z.object({ runId: z.number().int().positive(), hmmStates: hmmStatesSchema.nullable().default(null) }).strict(),
    response: runAnalyticsSchema,
    summary: "Signal quality (IC, rank IC per symbol, per month and over 1…4 × the horizon; per-symbol prediction bias) and volatility/trend (optionally HMM) regimes of a finished run's test predictions.",
  }),
  'evaluation.report': channel({
    request: z.object({ runId: z.number().int().positive(), backtestId: z.number().int().positive().nullable().default(null) }).strict(),
    response: z.object({ html: z.string(), fileName: z.string() }),
    summary: "A finished run's report as one self-contained HTML file (no network): config and lineage, evaluation beside baselines, regimes, signal quality and, with a backtest, its per-symbol results, Monte Carlo and cost sensitivity, with the caveats.",
  }),
  'evaluation.reportPdf': channel({
    request: z.object({ runId: z.number().int().positive(), backtestId: z.number().int().positive().nullable().default(null) }).strict(),
    response: z.object({
      /** The PDF file, base64-encoded (the transports carry JSON). */
      pdfBase64: z.string(),
      fileName: z.string(),
      bytes: z.number().int().positive(),
    }),
    summary: "The same report printed to PDF by Chromium's print-to-PDF: the desktop app's own (webContents.printToPDF), or the server's headless Chromium; its outline lists the report's sections.",
  }),
} as const;

export const evaluationEvents = {} as const;
