import { z } from 'zod';
import { channel } from './define.js';
import { epochMetricsSchema, runStatusSchema, runSummarySchema } from './training.js';

/*
 * Many runs at once (issue 13): repeating a run with several seeds, the Runs view's list with its
 * filter, comparing runs side by side, which hyperparameters matter, and ensembles. The pure
 * computation is in src-shared/compute/experiments (runFilter, forestImportance, seeds); the
 * service in src-main/runs.
 */

const runId = z.number().int().positive();
const interval = z.object({ low: z.number(), high: z.number() });

/** A metric across the seeds of a group (`summarizeSeeds`): mean ± sample std and the 95 % t-interval. */
export const seedMetricSchema = z.object({
  k: z.number().int(),
  mean: z.number(),
  std: z.number().nullable(),
  interval: interval.nullable(),
  /** Each seed's value, in the order of the group's finished members. */
  values: z.array(z.number()),
});
export type SeedMetric = z.infer<typeof seedMetricSchema>;

/** The model's test accuracy against one baseline, judged by the seeds' spread (`compareWithBaseline`). */
export const seedVerdictSchema = z.object({
  baseline: z.enum(['majority', 'persistence', 'class prior']),
  verdict: z.enum(['better', 'worse', 'inconclusive']),
  /** 'paired': per-seed differences (the baseline is measured on each seed's own test split). */
  method: z.enum(['against-constant', 'paired', 'welch']),
  /** Mean of model − baseline accuracy, in accuracy units (0.03 = 3 points). */
  improvement: z.number(),
  interval: interval.nullable(),
  degreesOfFreedom: z.number().nullable(),
});
export type SeedVerdict = z.infer<typeof seedVerdictSchema>;

export const SEED_METRICS = ['accuracy', 'macroF1', 'logLoss', 'brier', 'sharpe'] as const;

export const seedGroupSchema = z.object({
  groupId: z.number().int(),
  /** The run that was repeated; it counts as the group's first seed. */
  sourceRunId: z.number().int(),
  name: z.string(),
  /** K, seeds in all, the source run's included. */
  seeds: z.number().int(),
  parallel: z.number().int(),
  createdAt: z.number(),
  members: z.array(
    z.object({
      seed: z.number().int(),
      /** null while the seed waits for a free slot. */
      runId: z.number().int().nullable(),
      status: z.union([runStatusSchema, z.literal('pending')]),
      failure: z.string().nullable(),
    }),
  ),
  /** No member is pending, queued, running or paused. */
  settled: z.boolean(),
  /** Members that finished and were evaluated: the metrics below are over these. */
  evaluated: z.number().int(),
  metrics: z.object({
    accuracy: seedMetricSchema.nullable(),
    macroF1: seedMetricSchema.nullable(),
    logLoss: seedMetricSchema.nullable(),
    brier: seedMetricSchema.nullable(),
    /** Annualised Sharpe of each seed's newest backtest; null unless every evaluated seed was backtested. */
    sharpe: seedMetricSchema.nullable(),
  }),
  baselines: z.object({ majority: seedMetricSchema.nullable(), persistence: seedMetricSchema.nullable(), classPrior: seedMetricSchema.nullable() }),
  verdicts: z.array(seedVerdictSchema),
  /** What the numbers say, in one or two sentences. */
  sentence: z.string(),
});
export type SeedGroup = z.infer<typeof seedGroupSchema>;

/** A point estimate with its interval where the evaluation reports one (bootstrap, 95 %). */
const estimate = z.object({ value: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() });

/** The figures the Runs view lists, filters and compares, from each run's newest evaluation and backtest. */
export const runMetricsSchema = z.object({
  accuracy: estimate,
  macroAuc: estimate,
  majorityAccuracy: estimate,
  macroF1: z.number().nullable(),
  logLoss: z.number().nullable(),
  brier: z.number().nullable(),
  samples: z.number().nullable(),
  /** Annualised Sharpe of the newest backtest's portfolio. */
  sharpe: z.number().nullable(),
  backtestId: z.number().nullable(),
  bestValLoss: z.number().nullable(),
  bestValAcc: z.number().nullable(),
});
export type RunMetrics = z.infer<typeof runMetricsSchema>;

/** The metrics a filter, a sort or the HParams view can name, each a number per run. */
export const RUN_METRIC_NAMES = ['accuracy', 'accuracyLow', 'accuracyHigh', 'majorityAccuracy', 'macroAuc', 'macroF1', 'logLoss', 'brier', 'sharpe', 'bestValLoss', 'bestValAcc'] as const;
export type RunMetricName = (typeof RUN_METRIC_NAMES)[number];
/** Lower is better for these; higher for the rest. */
export const LOWER_IS_BETTER: readonly RunMetricName[] = ['logLoss', 'brier', 'bestValLoss'];

const fieldValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One run of the Runs view. `values` holds its flattened config fields and its metrics by name. */
export const runRowSchema = z.object({
  summary: runSummarySchema,
  tags: z.array(z.string()),
  sweepId: z.number().int().nullable(),
  /** The seed group the run belongs to, if any. */
  seedGroupId: z.number().int().nullable(),
  /** The member run ids of an ensemble; null for a trained run. */
  ensembleOf: z.array(z.number().int()).nullable(),
  metrics: runMetricsSchema,
  values: z.record(z.string(), fieldValue),
});
export type RunRow = z.infer<typeof runRowSchema>;

export const compareRunSchema = z.object({
  runId: z.number().int(),
  name: z.string(),
  status: runStatusSchema,
  model: z.string(),
  timeframe: z.string(),
  metrics: runMetricsSchema,
  verdict: z.enum(['better', 'not better than baseline']).nullable(),
  /** Per-epoch train/val loss and accuracy, for the overlay. */
  epochs: z.array(epochMetricsSchema),
});
export type CompareRun = z.infer<typeof compareRunSchema>;

export const runComparisonSchema = z.object({
  runs: z.array(compareRunSchema),
  /** Only the config fields whose values are not the same in every run, values in the runs' order. */
  configDiff: z.array(z.object({ field: z.string(), values: z.array(fieldValue) })),
  /** Finished runs that had no stored evaluation and were evaluated for this comparison. */
  evaluatedNow: z.array(z.number().int()),
});
export type RunComparison = z.infer<typeof runComparisonSchema>;

export const hparamsSchema = z.object({
  metric: z.enum(RUN_METRIC_NAMES),
  /** Selected runs that have the metric, in the order of `values` and of each dimension's values. */
  runIds: z.array(z.number().int()),
  values: z.array(z.number()),
  /** Runs left out because they lack the metric (not finished, not evaluated or not backtested). */
  leftOut: z.array(z.number().int()),
  /**
   * The config fields that vary over those runs. A numeric field's values are its own; a text or
   * boolean field's are the index of its value in `categories`.
   */
  dimensions: z.array(z.object({ field: z.string(), kind: z.enum(['number', 'category']), categories: z.array(z.string()).nullable(), values: z.array(z.number()) })),
  /** Random-forest permutation importance per dimension (same order); null with its reason when too few runs. */
  importance: z
    .object({
      parameters: z.array(z.object({ field: z.string(), increase: z.number(), standardError: z.number(), share: z.number() })),
      oobMse: z.number(),
      variance: z.number(),
      trees: z.number().int(),
    })
    .nullable(),
  importanceUnavailable: z.string().nullable(),
});
export type HParams = z.infer<typeof hparamsSchema>;

export const ensembleResultSchema = z.object({
  runId: z.number().int(),
  name: z.string(),
  weighting: z.enum(['equal', 'validation']),
  members: z.array(z.object({ runId: z.number().int(), weight: z.number(), bestValLoss: z.number().nullable() })),
  samples: z.number().int(),
  accuracy: z.number().nullable(),
  majorityAccuracy: z.number().nullable(),
  verdict: z.enum(['better', 'not better than baseline']).nullable(),
});
export type EnsembleResult = z.infer<typeof ensembleResultSchema>;

const tag = z.string().trim().min(1, 'A tag cannot be empty.').max(40, 'A tag has at most 40 characters.').regex(/^[^\s"=<>!~]+$/, 'A tag has no spaces, quotes or any of = < > ! ~.');

export const runsChannels = {
  'runs.list': channel({
    request: z
      .object({
        /** The filter language of `parseRunQuery` (src-shared/compute/experiments/runFilter.ts). */
        filter: z.string().max(2000).default(''),
        sort: z.object({ key: z.string().max(100), direction: z.enum(['asc', 'desc']) }).default({ key: 'id', direction: 'desc' }),
      })
      .strict(),
    response: z.object({ rows: z.array(runRowSchema), total: z.number().int(), fields: z.array(z.string()) }),
    summary: 'Every run with its flattened config, metrics, tags and sweep, filtered and sorted (the Runs view; `candela runs --filter`).',
  }),
  'runs.tag': channel({
    request: z.object({ runId, tags: z.array(tag).max(20) }).strict(),
    response: z.object({ runId: z.number().int(), tags: z.array(z.string()) }),
    summary: "Sets a run's tags (replacing them).",
  }),
  'runs.seeds': channel({
    request: z.object({ runId, seeds: z.number().int().min(2).max(20), parallel: z.number().int().min(1).max(8).default(1) }).strict(),
    response: seedGroupSchema,
    summary: "Repeats a finished run's config with K seeds in all (the run itself is the first; K − 1 new runs with seeds seed+1 …), `parallel` at a time, as a seed group.",
  }),
  'runs.seedGroup': channel({
    request: z.object({ groupId: z.number().int().positive() }).strict(),
    response: seedGroupSchema,
    summary: "A seed group's members and, over those finished, each metric as mean ± std with its 95 % interval and the verdict against the baselines from the seeds' spread.",
  }),
  'runs.seedGroups': channel({
    request: z.object({}).strict(),
    response: z.object({ groups: z.array(seedGroupSchema) }),
    summary: 'Every seed group, newest first.',
  }),
  'runs.compare': channel({
    request: z.object({ runIds: z.array(runId).min(1).max(20) }).strict(),
    response: runComparisonSchema,
    summary: 'Runs side by side: metrics with their intervals, per-epoch curves, and the config fields that differ.',
  }),
  'runs.hparams': channel({
    request: z.object({ runIds: z.array(runId).min(2).max(2000), metric: z.enum(RUN_METRIC_NAMES).default('accuracy') }).strict(),
    response: hparamsSchema,
    summary: 'Over the selected runs: the varying config fields and the metric for parallel coordinates, and each field’s random-forest permutation importance.',
  }),
  'runs.ensemble': channel({
    request: z.object({ runIds: z.array(runId).min(2).max(20), weights: z.enum(['equal', 'validation']).default('equal'), name: z.string().max(120).optional() }).strict(),
    response: ensembleResultSchema,
    summary: 'Averages the test probabilities of finished runs on the same datasets, timeframe and test period into a new run, evaluated (and backtestable) like any run.',
  }),
} as const;

export const runsEvents = {} as const;
