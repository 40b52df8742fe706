/**
 * The messages between the training host (TrainingService, in main) and a training process, in
 * one place. Both ends check what arrives against these schemas before acting on it: the two
 * sides are built separately (the worker is its own bundle, and an app update can meet a stale
 * one), so a message is data from another program, not a value of a type. A message that does not
 * fit is refused with a sentence saying what is wrong; neither end throws on it.
 *
 * Every message is plain data that survives structured clone (Electron's utilityProcess) and
 * Node's 'advanced' IPC serialization alike. Numbers measured during training may be NaN
 * (a validation split too small to score), so they are checked as numbers, not as finite ones.
 *
 * Loads no tfjs: main imports this module.
 */
import { z } from 'zod';

import { trainingMemorySchema } from '../../src-shared/contract/system.js';
import { FINISHED_RUN_STATUSES, trainingConfigSchema } from '../../src-shared/contract/training.js';

/** Any JS number, NaN and ±Infinity included (z.number() refuses those). */
const measured = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const count = z.number().int().min(0);

// ---- host → training process ----------------------------------------------------------------

const startSchema = z
  .object({
    type: z.literal('start'),
    runId: z.number().int().positive(),
    /** The contract's config; the process derives its own nested shape (tfjs never loads in main). */
    config: trainingConfigSchema,
    /** The workspace folder (its candela.db holds the candles; the process opens it read-only). */
    workspaceDir: z.string().min(1),
    /** The run's own folder for checkpoints and final artifacts. */
    checkpointDir: z.string().min(1),
    /** Continue from the newest checkpoint in checkpointDir (a run resumed in a new process). */
    resume: z.boolean(),
    /**
     * 'sealed': a sweep's trial. The process never predicts the test split; it writes the
     * validation split's predictions instead and ends with 'validated'. Absent: 'predict'.
     */
    test: z.enum(['predict', 'sealed']).optional(),
    /**
     * At most this many training threads (data-parallel backends), unless CANDELA_TRAIN_THREADS
     * says otherwise: trials of a sweep running side by side share the cores instead of each
     * taking all of them.
     */
    threads: z.number().int().min(1).max(256).optional(),
  })
  .strict();

/** Predict the test split with a sealed run's final model (a sweep's winner, once); answered by 'tested'. */
const predictTestSchema = z
  .object({
    type: z.literal('predictTest'),
    runId: z.number().int().positive(),
    config: trainingConfigSchema,
    workspaceDir: z.string().min(1),
    checkpointDir: z.string().min(1),
  })
  .strict();

/**
 * Predict the test period again on `paths` resampled markets (moving-block bootstrap of the test
 * candles, optionally noise; `src-shared/compute/analytics/marketPaths.ts`) with a finished run's
 * final model; answered by one 'marketPath' per path, then 'marketPathsDone'. Seed and spec, not
 * candles, cross the channel: the process rebuilds each path from the run's own candles.
 */
const marketPathsSchema = z
  .object({
    type: z.literal('marketPaths'),
    runId: z.number().int().positive(),
    config: trainingConfigSchema,
    workspaceDir: z.string().min(1),
    checkpointDir: z.string().min(1),
    paths: z.number().int().min(1).max(10_000),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    blockLength: z.number().int().min(1),
    noiseFraction: z.number().min(0).max(10),
  })
  .strict();

const hostToWorkerSchema = z.discriminatedUnion('type', [
  startSchema,
  predictTestSchema,
  marketPathsSchema,
  /** Build the model a config would train and answer 'summary'; a short-lived process does only this. */
  z.object({ type: z.literal('summary'), config: trainingConfigSchema, workspaceDir: z.string().min(1) }).strict(),
  /** Pause after the current batch and checkpoint; the process answers 'paused' and waits for 'resume' or 'stop'. */
  z.object({ type: z.literal('pause') }).strict(),
  /** Continue a run paused in this same process (a run resumed in a new process gets 'start' with resume: true). */
  z.object({ type: z.literal('resume') }).strict(),
  /** End after the current batch, keeping the best weights; the process still predicts the test set and answers 'finished'. */
  z.object({ type: z.literal('stop') }).strict(),
]);

export type HostToWorker = z.infer<typeof hostToWorkerSchema>;
export type StartMessage = z.infer<typeof startSchema>;
export type PredictTestMessage = z.infer<typeof predictTestSchema>;
export type MarketPathsMessage = z.infer<typeof marketPathsSchema>;
/** The messages a running run reacts to. */
export type ControlMessage = Extract<HostToWorker, { type: 'pause' | 'resume' | 'stop' }>;

// ---- training process → host ----------------------------------------------------------------

/** The model zoo's layer table as the process builds it (output shapes as arrays, null for the batch). */
const modelSummarySchema = z.object({
  name: z.string(),
  layers: z.array(z.object({ name: z.string(), type: z.string(), outputShapes: z.array(z.array(z.number().int().nullable())), params: count })),
  totalParams: count,
  trainableParams: count,
});
export type RawModelSummary = z.infer<typeof modelSummarySchema>;

const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  trainLoss: measured,
  valLoss: measured,
  trainAcc: measured,
  valAcc: measured,
  lr: measured,
  samplesPerSec: measured,
  seconds: measured,
});

/** Test-set figures of a finished run. */
const testSummarySchema = z.object({
  accuracy: measured,
  /** Share of the test set's most frequent class: what always guessing it would score. */
  baselineAccuracy: measured,
  samples: count,
});
export type TestSummary = z.infer<typeof testSummarySchema>;

/** How a run ended: the contract's finished statuses. */
export const finishStatusSchema = z.enum(FINISHED_RUN_STATUSES);
export type FinishStatus = z.infer<typeof finishStatusSchema>;

/** Walk-forward runs name the fold (from 0) of 'progress' and 'epoch'; holdout runs leave it out. */
const fold = z.number().int().min(0).optional();

const workerToHostSchema = z.discriminatedUnion('type', [
  /** The compute backend is up; `description` is the one-line text for the UI. */
  z.object({ type: z.literal('ready'), backend: z.string(), gpu: z.boolean(), description: z.string() }),
  /** Data prepared and model built: what the run trains on. */
  z.object({
    type: z.literal('prepared'),
    samples: z.object({ train: count, val: count, test: count }),
    featureNames: z.array(z.string()),
    classNames: z.array(z.string()),
    symbols: z.array(z.string()),
    summary: modelSummarySchema,
  }),
  /** The answer to 'summary'. */
  z.object({ type: z.literal('summary'), summary: modelSummarySchema }),
  /**
   * Batch progress, at most ~10 per second. `epoch` counts from 1, `batch` is the batches done;
   * `loss` is the epoch's running mean, `recentLoss` the mean of the batches since the last report.
   * Walk-forward runs number epochs on across folds (fold k has epochs k·epochs+1 … (k+1)·epochs).
   */
  z.object({ type: z.literal('progress'), epoch: z.number().int().min(1), batch: count, batches: count, loss: measured, samplesPerSec: measured, recentLoss: measured, fold, memory: trainingMemorySchema.omit({ runId: true }).optional() }),
  /** An epoch's metrics; `metrics.epoch` and `fold` as in 'progress'. */
  z.object({ type: z.literal('epoch'), metrics: epochMetricsSchema, fold }),
  /** A checkpoint was written; `epoch` = epochs completed when it was taken. */
  z.object({ type: z.literal('checkpoint'), path: z.string(), epoch: count }),
  z.object({ type: z.literal('paused'), epoch: count }),
  /**
   * The run is over and the model holds its best weights. Walk-forward: `test` covers every fold's
   * test segment, `bestEpoch` and the model are those of the last fold trained. `artifactsDir` holds
   * model.json + weights.bin, preprocessing.json (standardizer, features, classes) and the test predictions.
   */
  z.object({ type: z.literal('finished'), status: finishStatusSchema, bestEpoch: z.number().int().min(1).nullable(), test: testSummarySchema, artifactsDir: z.string() }),
  /**
   * A sealed run is over: like 'finished', but with validation figures only (its test split was not
   * predicted). `artifactsDir` holds the model, preprocessing and the validation predictions.
   */
  z.object({ type: z.literal('validated'), status: finishStatusSchema, bestEpoch: z.number().int().min(1).nullable(), validation: testSummarySchema, artifactsDir: z.string() }).strict(),
  /** The answer to 'predictTest': the test figures of the final model, its test predictions written to `artifactsDir`. */
  z.object({ type: z.literal('tested'), test: testSummarySchema, artifactsDir: z.string() }),
  /**
   * One resampled market's test predictions (answering 'marketPaths'): class probabilities in the
   * test split's order (row-major [samples × classes]), and each symbol's last close on the path,
   * by which the backtesting side checks that it rebuilt the same path.
   */
  z.object({ type: z.literal('marketPath'), path: count, probs: z.custom<Float32Array>((v) => v instanceof Float32Array, { message: 'expected a Float32Array' }), lastClose: z.array(measured) }).strict(),
  /** All paths sent: the test samples' bar times and symbols (the order of every 'marketPath' probs), and each symbol's first test bar. */
  z
    .object({
      type: z.literal('marketPathsDone'),
      paths: count,
      classes: z.number().int().min(2),
      ts: z.custom<Float64Array>((v) => v instanceof Float64Array, { message: 'expected a Float64Array' }),
      symbolIndex: z.custom<Int32Array>((v) => v instanceof Int32Array, { message: 'expected an Int32Array' }),
      testStarts: z.array(count),
    })
    .strict(),
  z.object({ type: z.literal('failed'), reason: z.string() }),
]);

export type WorkerToHost = z.infer<typeof workerToHostSchema>;

// ---- the guards --------------------------------------------------------------------------------

/** A message that passed its guard, or the sentence saying why it was refused. */
export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

const where = (path: readonly PropertyKey[]): string => (path.length ? path.map(String).join('.') : 'the message');

function check<T>(schema: z.ZodType<T>, message: unknown, from: string): Checked<T> {
  const parsed = schema.safeParse(message);
  if (parsed.success) return { ok: true, message: parsed.data };
  const type = typeof message === 'object' && message !== null && 'type' in message ? JSON.stringify((message as { type: unknown }).type) : null;
  const problems = parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`).join('; ');
  return { ok: false, error: `A message ${from}${type ? ` of type ${type}` : ''} was refused (${problems}).` };
}

/** The training process's guard on what its host sends. */
export const checkHostMessage = (message: unknown): Checked<HostToWorker> => check(hostToWorkerSchema, message, 'from the training host');

/** The host's guard on what a training process sends. */
export const checkWorkerMessage = (message: unknown): Checked<WorkerToHost> => check(workerToHostSchema, message, 'from the training process');

