import { join } from 'node:path';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import { evaluationReportSchema, type EvaluationReportPayload, type FoldMetrics } from '../../src-shared/contract/evaluation.js';
import { finiteJson } from '../../src-shared/domain/finite.js';
import { evaluateClassifier } from '../../src-shared/compute/metrics/index.js';
import type { Db } from '../db/connection.js';
import { closesOf, saveEvaluation } from '../db/queries/evaluations.js';
import { getRun } from '../db/queries/runs.js';
import { timeframeToMs } from '../../src-shared/domain/timeframe.js';
import { readImportance, readPreprocessing, readTestPredictions } from '../training/loop/artifactFiles.js';

export const TEST_FOLDS = 4;

export interface RunEvaluation {
  evaluationId: number;
  runId: number;
  report: EvaluationReportPayload;
  /** Per test sample, for the predictions CSV. */
  samples: { ts: number[]; symbol: string[]; yTrue: number[]; probs: number[][] };
}

/**
 * The class a bar's realized move belongs to, under the run's own label rule (flat band in bps),
 * for the persistence baseline: "the next move repeats the last one", known at decision time.
 */
function directionClass(prev: number, close: number, bandBps: number, classNames: string[]): number {
  const r = close / prev - 1;
  const band = bandBps / 10_000;
  const name = r > band ? 'UP' : r < -band ? 'DOWN' : classNames.length === 3 ? 'FLAT' : null;
  return name === null ? -1 : classNames.findIndex((c) => c.toUpperCase() === name);
}

/** A finished run with its saved test predictions and preprocessing, or a sentence saying why not. */
export async function readFinishedRun(db: Db, runId: number) {
  const run = getRun(db, runId);
  if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
  if (!isFinishedRunStatus(run.status)) throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status}; only finished runs can be evaluated.`);
  const dir = join(run.checkpointDir, 'final');
  try {
    const [preds, prep] = await Promise.all([readTestPredictions(dir), readPreprocessing(dir)]);
    return { run, dir, preds, prep };
  } catch {
    // A sweep's trials never open their test split: only the trial the sweep chooses is tested.
    if (run.sweepId !== undefined) throw new ContractFailure('CONFLICT', `Run ${runId} is a trial of sweep ${run.sweepId}; its test split stays sealed so that the sweep's choice is tested once. Open the sweep's winner instead.`);
    throw new ContractFailure('NOT_FOUND', `Run ${runId} has no saved test predictions (its final model was not written).`);
  }
}

/**
 * Evaluates a finished run's best model on its test split: every metric of the metrics library
 * beside the majority, class-prior and persistence baselines, per symbol too, and stores it.
 */
/**
 * Each test sample's persistence call: the class of the move into its bar under the run's label
 * rule ("the next move repeats the last one", known at decision time), −1 where there is none
 * (a first bar, a label rule that is not direction, or no class for the move).
 */
export function persistenceClasses(db: Db, run: { timeframe: string }, preds: Awaited<ReturnType<typeof readFinishedRun>>['preds'], prep: Awaited<ReturnType<typeof readFinishedRun>>['prep']): Int8Array {
  const n = preds.yTrue.length;
  const labels = prep.spec.labels as { kind: string; bandBps?: number };
  const bandBps = labels.kind === 'direction' ? (labels.bandBps ?? 0) : 0;
  const prevClass = new Int8Array(n).fill(-1);
  if (labels.kind === 'direction') {
    prep.datasetIds.forEach((datasetId, symbolIdx) => {
      const { ts, close } = closesOf(db, datasetId, timeframeToMs(run.timeframe) ?? undefined);
      let j = 0;
      for (let i = 0; i < n; i++) {
        if (preds.symbolIndex[i] !== symbolIdx) continue;
        const t = preds.ts[i]!;
        // Test samples of one symbol come in time order; walk the candles alongside.
        if (j > 0 && ts[j - 1]! > t) j = 0;
        while (j < ts.length && ts[j]! < t) j++;
        if (j < ts.length && ts[j] === t && j > 0) prevClass[i] = directionClass(close[j - 1]!, close[j]!, bandBps, preds.classNames);
      }
    });
  }
  return prevClass;
}

export async function evaluateRun(db: Db, runId: number, now: number): Promise<RunEvaluation> {
  const { run, dir, preds, prep } = await readFinishedRun(db, runId);
  const n = preds.yTrue.length;
  const prevClass = persistenceClasses(db, run, preds, prep);
  const report = evaluateClassifier({
    yTrue: preds.yTrue,
    // As float64: the predictions CSV carries these exact values, and anyone recomputing the
    // metrics from it (scikit-learn, say) clips log loss at float64's epsilon, not float32's.
    probs: Float64Array.from(preds.probs),
    classes: preds.classNames,
    symbols: preds.symbolIndex,
    symbolNames: preds.symbols,
    prevClass,
    seed: run.config.seed as number,
    // Neighbouring bars share most of a multi-bar label window: resample blocks of the horizon.
    options: { bootstrapBlockLength: Math.max(1, Number((prep.spec as { horizon?: number }).horizon ?? 1)) },
  });
  // Walk-forward runs carry the fold of every test sample; holdout runs are cut into time quarters.
  const foldOf = (preds as { fold?: Int32Array }).fold;
  const folds = testPeriodFolds(preds, prevClass, run.config.seed as number, foldOf);
  // Measured by the training process on the validation split when the run finished.
  const importance = await readImportance(dir);
  // The report promises null, never NaN or ±Infinity; the schema holds it to that (and to the
  // importance file's shape) before it is stored and sent.
  const stored = evaluationReportSchema.parse(finiteJson({ ...report, folds, importance }));
  const evaluationId = saveEvaluation(db, runId, n, JSON.stringify(stored), now);
  const k = preds.classNames.length;
  return {
    evaluationId,
    runId,
    report: stored,
    samples: {
      ts: Array.from(preds.ts),
      symbol: Array.from(preds.symbolIndex, (s) => preds.symbols[s] ?? String(s)),
      yTrue: Array.from(preds.yTrue),
      probs: Array.from({ length: n }, (_, i) => Array.from(preds.probs.subarray(i * k, i * k + k))),
    },
  };
}

/**
 * The test period cut into TEST_FOLDS consecutive slices of equal time, each judged on its own:
 * does the edge hold across the period or come from one stretch? (A stability check of the
 * same model, not a walk-forward retraining.)
 */
export function testPeriodFolds(
  preds: { ts: Float64Array; yTrue: Int8Array; probs: Float32Array; symbolIndex: Int32Array; classNames: string[]; symbols: string[] },
  prevClass: Int8Array,
  seed: number,
  foldOf?: Int32Array,
): FoldMetrics[] {
  const n = preds.ts.length;
  if (n === 0) return [];
  if (foldOf && foldOf.length === n) return walkForwardFolds(preds, prevClass, seed, foldOf);
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of preds.ts) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  const k = preds.classNames.length;
  const span = (hi - lo) / TEST_FOLDS;
  const out: FoldMetrics[] = [];
  for (let f = 0; f < TEST_FOLDS; f++) {
    const from = lo + f * span;
    const to = f === TEST_FOLDS - 1 ? hi : lo + (f + 1) * span;
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (preds.ts[i]! >= from && (f === TEST_FOLDS - 1 ? preds.ts[i]! <= to : preds.ts[i]! < to)) idx.push(i);
    if (idx.length < 10) continue;
    // The slice edges are arithmetic (04:27:30 on 5-minute bars); a fold is reported by the bars
    // it holds, its first and last sample's time.
    let firstTs = Infinity;
    let lastTs = -Infinity;
    for (const i of idx) {
      firstTs = Math.min(firstTs, preds.ts[i]!);
      lastTs = Math.max(lastTs, preds.ts[i]!);
    }
    const probs = new Float64Array(idx.length * k);
    idx.forEach((i, j) => {
      for (let c = 0; c < k; c++) probs[j * k + c] = preds.probs[i * k + c]!;
    });
    const r = evaluateClassifier({
      yTrue: Int8Array.from(idx, (i) => preds.yTrue[i]!),
      probs,
      classes: preds.classNames,
      prevClass: Int8Array.from(idx, (i) => prevClass[i]!),
      seed: seed + f,
      options: { bootstrapResamples: 100 },
    });
    out.push({
      fold: f + 1,
      fromTs: firstTs,
      toTs: lastTs,
      samples: idx.length,
      accuracy: r.classification.accuracy,
      macroAuc: r.roc.macroAuc,
      majorityAccuracy: r.baselines.majority?.accuracy ?? null,
      verdict: r.bootstrap.verdicts.accuracyVsMajority,
    });
  }
  return out;
}

/** Metrics of each walk-forward fold's out-of-sample segment (a fresh model per fold). */
function walkForwardFolds(
  preds: { ts: Float64Array; yTrue: Int8Array; probs: Float32Array; classNames: string[] },
  prevClass: Int8Array,
  seed: number,
  foldOf: Int32Array,
): FoldMetrics[] {
  const k = preds.classNames.length;
  const foldIds = [...new Set(foldOf)].sort((a, b) => a - b);
  return foldIds.flatMap((f) => {
    const idx: number[] = [];
    for (let i = 0; i < foldOf.length; i++) if (foldOf[i] === f) idx.push(i);
    if (idx.length < 10) return [];
    const probs = new Float64Array(idx.length * k);
    idx.forEach((i, j) => {
      for (let c = 0; c < k; c++) probs[j * k + c] = preds.probs[i * k + c]!;
    });
    const r = evaluateClassifier({ yTrue: Int8Array.from(idx, (i) => preds.yTrue[i]!), probs, classes: preds.classNames, prevClass: Int8Array.from(idx, (i) => prevClass[i]!), seed: seed + f, options: { bootstrapResamples: 100 } });
    let from = Infinity;
    let to = -Infinity;
    for (const i of idx) {
      from = Math.min(from, preds.ts[i]!);
      to = Math.max(to, preds.ts[i]!);
    }
    return [{ fold: f + 1, fromTs: from, toTs: to, samples: idx.length, accuracy: r.classification.accuracy, macroAuc: r.roc.macroAuc, majorityAccuracy: r.baselines.majority?.accuracy ?? null, verdict: r.bootstrap.verdicts.accuracyVsMajority }];
  });
}
