import { z } from 'zod';
import { channel } from './define.js';

/**
 * The evaluation report is produced by src-shared/compute/metrics (plain JSON, no NaN); its
 * full shape is that library's EvaluationReport type, so the contract carries it as a record.
 */
const reportSchema = z.record(z.string(), z.unknown());

export const evaluationChannels = {
  'evaluation.run': channel({
    request: z.object({ runId: z.number().int().positive() }).strict(),
    response: z.object({ evaluationId: z.number(), runId: z.number(), createdAt: z.number(), report: reportSchema }),
    summary: "Evaluates a finished run's best model on its test split (metrics, curves, baselines, per symbol) and stores the report.",
  }),
  'evaluation.latest': channel({
    request: z.object({ runId: z.number().int().positive() }).strict(),
    response: z.object({ evaluationId: z.number(), runId: z.number(), createdAt: z.number(), report: reportSchema }).nullable(),
    summary: 'The newest stored evaluation of a run, or null.',
  }),
} as const;

export const evaluationEvents = {} as const;

/**
 * Metrics of one fold of a run's out-of-sample predictions: a walk-forward fold (fresh model),
 * or for holdout runs one of consecutive slices of the test period (same model). Part of the
 * stored report beside the metrics library's EvaluationReport.
 */
export interface FoldMetrics {
  fold: number;
  fromTs: number;
  toTs: number;
  samples: number;
  accuracy: number | null;
  macroAuc: number | null;
  majorityAccuracy: number | null;
  verdict: string | null;
}

/** Permutation importance on the validation split (and TFT-lite's variable-selection weights), as stored in the report. */
export interface FeatureImportanceReport {
  features: string[];
  accuracyDrop: number[];
  logLossIncrease: number[];
  baseline: { accuracy: number; logLoss: number };
  samples: number;
  variableSelection: number[] | null;
}
