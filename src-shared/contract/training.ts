import { z } from 'zod';
import { datasetIdSchema } from './datasets.js';
import { channel, event } from './define.js';
import { backendPreferenceSchema } from './system.js';

export const MODEL_KINDS = ['mlp', 'cnn', 'lstm', 'gru', 'transformer', 'tft'] as const;
export const FEATURE_SET_NAMES = ['minimal', 'momentum', 'volatility', 'full', 'regimes', 'wide'] as const;

/**
 * Everything a run needs, with the defaults a first run should use. Stored with the run. This is
 * the one declaration of a run's settings: the training process derives its own nested config
 * from a parsed value, the UI form starts from {@link TRAINING_DEFAULTS} and `candela train` builds
 * one flag per field from this shape, using each field's description as the flag's help.
 */
export const trainingConfigSchema = z
  .object({
    datasetIds: z.array(datasetIdSchema).min(1, 'Choose at least one dataset.').max(1000).describe('dataset ids, in the order their symbols are numbered'),
    model: z.enum(MODEL_KINDS).default('gru').describe('model architecture'),
    featureSet: z.enum(FEATURE_SET_NAMES).default('minimal').describe('feature set'),
    /**
     * Bar size the run trains on, e.g. "1h". Finer datasets are rolled up to it; a dataset coarser
     * than it is refused before the run starts. Absent: the coarsest of the chosen datasets'
     * timeframes (the finest one they can all reach). The service stores the resolved value.
     */
    timeframe: z
      .string()
      .regex(/^\d+\s*[smhdwSMHDW]$/, 'A timeframe looks like 5m, 1h, 1d or 1w.')
      .optional()
      .describe("bar size to train on, e.g. 1h: finer datasets are rolled up to it (default: the coarsest chosen dataset's)"),
    /**
     * Also use the datasets' extra numeric columns (funding, open interest, indicators) as
     * features: only those every chosen dataset has at the run's timeframe.
     */
    includeExtras: z.boolean().default(false).describe('also use the extra numeric columns every chosen dataset has (funding, open interest, …)'),
    /** The extra columns the run uses, decided by the plan when it starts (set by the service, not the user). */
    extraColumns: z.array(z.string().max(200)).max(500).optional().describe('the extra columns the run uses, decided by the plan when it starts'),
    window: z.number().int().min(1).max(512).default(32).describe('input window in bars'),
    horizon: z.number().int().min(1).max(1000).default(1).describe('label horizon in bars'),
    labels: z.enum(['up-down', 'up-flat-down']).default('up-down').describe('label classes'),
    /** Flat band in basis points for UP/FLAT/DOWN labels. */
    bandBps: z.number().min(0).max(5000).default(0).describe('flat band of UP/FLAT/DOWN labels, in basis points'),
    hidden: z.number().int().min(4).max(1024).default(32).describe('hidden units per layer'),
    layers: z.number().int().min(1).max(8).default(1).describe('hidden layers'),
    dropout: z.number().min(0).max(0.9).default(0.1).describe('dropout rate'),
    magnitudeHead: z.boolean().default(false).describe('also predict the forward log return (a second head)'),
    magnitudeWeight: z.number().min(0).max(10).default(0.5).describe("weight of the magnitude head's loss"),
    epochs: z.number().int().min(1).max(1000).default(10).describe('epochs'),
    batchSize: z.number().int().min(8).max(8192).default(256).describe('batch size'),
    lr: z.number().min(1e-7).max(1).default(1e-3).describe('learning rate'),
    optimizer: z.enum(['adam', 'adamw']).default('adam').describe('optimizer'),
    weightDecay: z.number().min(0).max(1).default(0).describe('decoupled weight decay (adamw)'),
    schedule: z.enum(['constant', 'cosine', 'plateau']).default('constant').describe('learning-rate schedule'),
    warmupEpochs: z.number().int().min(0).max(100).default(0).describe('warm-up epochs of the cosine schedule'),
    clipNorm: z.number().min(0).max(1000).default(1).describe('gradient clip norm (0: off)'),
    patience: z.number().int().min(1).max(1000).default(3).describe('epochs without validation improvement before stopping early'),
    balancePerSymbol: z.boolean().default(true).describe('every symbol contributes the same number of training samples'),
    maxSamplesPerSymbol: z.number().int().min(100).optional().describe('cap on training samples per symbol (default: no cap)'),
    /**
     * 'holdout': one chronological train/validation/test split. 'walk-forward': purged walk-forward
     * folds, a fresh model per fold, every fold's test segment predicted out of sample.
     */
    validation: z.enum(['holdout', 'walk-forward']).default('holdout').describe('how the run is validated (holdout: one chronological split; walk-forward: purged folds, a fresh model per fold)'),
    folds: z.number().int().min(2).max(10).default(4).describe('walk-forward folds'),
    split: z
      .object({ train: z.number().min(0.1).max(0.9), val: z.number().min(0.05).max(0.5), test: z.number().min(0.05).max(0.5) })
      .default({ train: 0.7, val: 0.15, test: 0.15 })
      .describe('chronological train, validation and test fractions (holdout)'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('random seed (sampling, initialisation, dropout, shuffling)'),
    backend: backendPreferenceSchema.default('auto').describe('compute backend'),
  })
  .strict();
export type TrainingConfig = z.output<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;
/** The name of one setting of a run. */
export type TrainingConfigField = keyof TrainingConfig;

/** What a run uses for every setting it is not given: the schema's defaults, read from the schema itself. */
export const TRAINING_DEFAULTS: Readonly<Omit<TrainingConfig, 'datasetIds'>> = Object.freeze(trainingConfigSchema.omit({ datasetIds: true }).parse({}));

// zod's own messages begin like this; a message that does not was written for people and is kept.
const GENERIC_MESSAGE = /^(Too (small|big)|Invalid|Unrecognized)/;

/**
 * One sentence per problem of a config, each naming its field the way the caller's user knows it
 * (a form label, a CLI flag, a key of a file): `nameOf` turns an issue's path into that name.
 */
export function trainingConfigProblems(error: z.ZodError, nameOf: (path: readonly PropertyKey[]) => string = (path) => (path.length ? path.map(String).join('.') : 'The config')): string[] {
  return error.issues.map((issue) => {
    const name = nameOf(issue.path);
    if (!GENERIC_MESSAGE.test(issue.message)) return issue.path.length ? `${name}: ${issue.message}` : issue.message;
    switch (issue.code) {
      case 'invalid_type':
        if (issue.expected === 'int') return `${name} must be a whole number.`;
        if (issue.expected === 'number') return `${name} must be a number.`;
        if (issue.expected === 'boolean') return `${name} must be true or false.`;
        if (issue.expected === 'array') return `${name} must be a list.`;
        return `${name} must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}.`;
      case 'too_small':
        if (issue.origin === 'array') return `${name} needs at least ${String(issue.minimum)} ${issue.minimum === 1 ? 'entry' : 'entries'}.`;
        return `${name} must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}.`;
      case 'too_big':
        if (issue.origin === 'array') return `${name} takes at most ${String(issue.maximum)} entries.`;
        return `${name} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}.`;
      case 'invalid_value':
        return `${name} must be one of ${issue.values.map(String).join(', ')}.`;
      case 'unrecognized_keys':
        return `${name} has ${issue.keys.length === 1 ? 'an unknown setting' : 'unknown settings'}: ${issue.keys.join(', ')}.`;
      default:
        return `${name}: ${issue.message}.`;
    }
  });
}

/** The statuses of a run that trained to an end and holds a model: only these can be evaluated or backtested. */
export const FINISHED_RUN_STATUSES = ['completed', 'stopped', 'early-stopped'] as const;
export type FinishedRunStatus = (typeof FINISHED_RUN_STATUSES)[number];

export const runStatusSchema = z.enum(['queued', 'running', 'paused', ...FINISHED_RUN_STATUSES, 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const isFinishedRunStatus = (status: string): status is FinishedRunStatus => (FINISHED_RUN_STATUSES as readonly string[]).includes(status);

export const epochMetricsSchema = z.object({
  epoch: z.number().int(),
  trainLoss: z.number().nullable(),
  valLoss: z.number().nullable(),
  trainAcc: z.number().nullable(),
  valAcc: z.number().nullable(),
  lr: z.number().nullable(),
  samplesPerSec: z.number().nullable(),
  seconds: z.number().nullable(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const modelSummarySchema = z.object({
  layers: z.array(z.object({ name: z.string(), type: z.string(), outputShape: z.string(), params: z.number() })),
  totalParams: z.number(),
  trainableParams: z.number(),
});
export type ModelSummaryPayload = z.infer<typeof modelSummarySchema>;

export const runSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: runStatusSchema,
  model: z.string(),
  datasets: z.array(z.object({ id: z.number(), symbol: z.string(), timeframe: z.string() })),
  epochsDone: z.number().int(),
  epochsPlanned: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  backend: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  failure: z.string().nullable(),
  lastValAcc: z.number().nullable(),
  test: z.object({ accuracy: z.number(), baselineAccuracy: z.number(), samples: z.number() }).nullable(),
  resumable: z.boolean(),
  /** The bar size the run trained on (its datasets rolled up to it where finer). */
  timeframe: z.string(),
  validation: z.enum(['holdout', 'walk-forward']),
  /** From the newest evaluation: test accuracy's 95 % interval against the majority baseline's. */
  verdict: z.enum(['better', 'not better than baseline']).nullable(),
  /** The sweep this run is a trial of (its test split stays sealed unless it is the sweep's winner). */
  sweepId: z.number().int().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/**
 * One point of a run's per-batch curve, from the training process's batch progress. `batch` is the
 * batches done in `epoch` (counted from 1) out of `batches`; `step` = (epoch − 1) · batches + batch,
 * the optimizer step (exact for a holdout run; walk-forward folds of different sizes shift it a
 * little). `loss` is the mean training loss of the batches since the previous report (about a
 * tenth of a second of training). `at` is when the host received it, in UTC milliseconds.
 */
export const batchPointSchema = z.object({
  epoch: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  step: z.number().int(),
  loss: z.number().nullable(),
  samplesPerSec: z.number().nullable(),
  at: z.number(),
});
export type BatchPoint = z.infer<typeof batchPointSchema>;

/**
 * The most per-batch points kept per run. Progress arrives ~10 times a second, so a long run would
 * otherwise store (and send with every `training.run`) tens of thousands; the host thins the
 * series evenly along the run to stay under this.
 */
export const BATCH_HISTORY_CAP = 2000;

/** Where a batch point lies along the run, in epochs: 0 at the start, 1 at the end of epoch 1. */
export const batchPosition = (p: Pick<BatchPoint, 'epoch' | 'batch' | 'batches'>): number => p.epoch - 1 + (p.batches > 0 ? p.batch / p.batches : 0);

export const runDetailSchema = runSummarySchema.extend({
  config: trainingConfigSchema,
  epochs: z.array(epochMetricsSchema),
  /** Per-batch loss and throughput, at most {@link BATCH_HISTORY_CAP} points spread evenly along the run, oldest first. */
  batchHistory: z.array(batchPointSchema),
  modelSummary: modelSummarySchema.nullable(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** What a run would train on, decided before it starts (shown before Start; `candela train --dry-run`). */
export const trainingPlanSchema = z.object({
  /** The run's bar size; null when the chosen datasets cannot all reach one. */
  timeframe: z.string().nullable(),
  timeframeMs: z.number().nullable(),
  /** Timeframes every chosen dataset can reach (its own or one of its roll-ups), finest first. */
  timeframes: z.array(z.object({ timeframe: z.string(), timeframeMs: z.number() })),
  datasets: z.array(
    z.object({
      id: z.number().int(),
      symbol: z.string(),
      /** The dataset's own timeframe. */
      sourceTimeframe: z.string(),
      /** Trained on roll-ups of its bars rather than the bars themselves. */
      rolledUp: z.boolean(),
      /** Bars at the run's timeframe (0 when it cannot reach it). */
      bars: z.number().int(),
      /** Samples per split as the split and warm-up allow (before per-symbol balancing); null when unknown. */
      samples: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() }).nullable(),
    }),
  ),
  /** The model's input columns in order: the feature set's, then the extra columns used. */
  features: z.array(z.string()),
  extraColumns: z.array(z.string()),
  /** Extra columns of some chosen datasets that the run will not use, each with the reason. */
  extrasLeftOut: z.array(z.object({ column: z.string(), reason: z.string() })),
  /** Sentences naming what would stop the run; empty when it can start. */
  problems: z.array(z.string()),
});
export type TrainingPlan = z.infer<typeof trainingPlanSchema>;

const runRef = z.object({ runId: z.number().int().positive() }).strict();

export const trainingChannels = {
  'training.summary': channel({
    request: z.object({ config: trainingConfigSchema }).strict(),
    response: modelSummarySchema,
    summary: 'The model the config would build: its layers and parameter counts, shown before starting.',
  }),
  'training.plan': channel({
    request: z.object({ config: trainingConfigSchema }).strict(),
    response: trainingPlanSchema,
    summary: "What a run would train on: its timeframe, each dataset's bars and samples, the feature columns, and anything that would stop it.",
  }),
  'training.start': channel({
    request: z.object({ config: trainingConfigSchema, name: z.string().max(120).optional() }).strict(),
    response: z.object({ runId: z.number().int() }),
    summary: 'Starts a training run in its own process.',
  }),
  'training.pause': channel({ request: runRef, response: z.object({ runId: z.number() }), summary: 'Pauses a run within one batch and checkpoints it.' }),
  'training.resume': channel({ request: runRef, response: z.object({ runId: z.number() }), summary: 'Resumes a paused or interrupted run from its last checkpoint.' }),
  'training.stop': channel({ request: runRef, response: z.object({ runId: z.number() }), summary: 'Stops a run, keeping its best checkpoint.' }),
  'training.runs': channel({ request: z.object({}).strict(), response: z.object({ runs: z.array(runSummarySchema) }), summary: 'All runs, newest first.' }),
  'training.run': channel({ request: runRef, response: runDetailSchema, summary: 'One run with its config, per-epoch and per-batch curves and model summary.' }),
  'training.exportModel': channel({
    request: runRef,
    response: z.object({ files: z.array(z.object({ name: z.string(), base64: z.string() })) }),
    summary: "A finished run's model as files: tfjs model.json + weights.bin, and preprocessing.json (features, standardizer, classes).",
  }),
  'training.delete': channel({ request: runRef, response: z.object({ deleted: z.literal(true) }), summary: 'Deletes a finished run and its checkpoints.' }),
} as const;

export const trainingEvents = {
  'training.progress': event({
    payload: z.object({
      runId: z.number(),
      epoch: z.number(),
      batch: z.number(),
      batches: z.number(),
      /** The epoch's mean training loss so far. */
      loss: z.number().nullable(),
      /** The mean training loss of the batches since the previous report (the per-batch curve). */
      recentLoss: z.number().nullable(),
      samplesPerSec: z.number().nullable(),
      fold: z.number().optional(),
    }),
    summary: 'Batch progress of a running run, at most ~10 per second.',
  }),
  'training.epoch': event({ payload: z.object({ runId: z.number(), metrics: epochMetricsSchema }), summary: 'An epoch finished.' }),
  'training.evaluated': event({ payload: z.object({ runId: z.number() }), summary: 'A finished run was evaluated against its baselines (its verdict is known).' }),
  'training.status': event({ payload: z.object({ runId: z.number(), status: runStatusSchema, failure: z.string().nullable() }), summary: 'A run changed status.' }),
} as const;
