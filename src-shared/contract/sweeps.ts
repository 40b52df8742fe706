/**
 * Hyperparameter sweeps (issue 13): a search space over training-config fields, a sampler, a budget,
 * a validation-only objective and a pruner. Every trial is a normal run (in the runs list, tagged
 * with its sweep) whose test split stays sealed; only the winner is predicted on test, once the
 * sweep has ended.
 */
import { z } from 'zod';
import { parseSearchSpace, SearchSpaceError, type SearchSpace } from '../compute/experiments/searchSpace.js';
import { channel, event } from './define.js';
import { trainingConfigSchema, type TrainingConfig, type TrainingConfigField, type TrainingConfigInput } from './training.js';

export const SWEEP_SAMPLERS = ['grid', 'random', 'tpe'] as const;
export const SWEEP_PRUNERS = ['median', 'asha', 'none'] as const;
export const SWEEP_OBJECTIVES = ['val-logloss', 'val-accuracy', 'val-f1', 'val-sharpe'] as const;
export type SweepObjective = (typeof SWEEP_OBJECTIVES)[number];

/** Lower is better only for the log loss; the service ranks trials with this. */
export const objectiveIsMinimized = (o: SweepObjective): boolean => o === 'val-logloss';

/** What each objective measures, for the UI, the CLI help and the report. */
export const OBJECTIVE_TEXT: Record<SweepObjective, string> = {
  'val-logloss': "validation log loss of the trial's best epoch (lower is better)",
  'val-accuracy': "accuracy of the trial's best model on the validation split",
  'val-f1': "macro-F1 of the trial's best model on the validation split",
  'val-sharpe': "per-period Sharpe ratio of trading the trial's validation predictions after the sweep's costs",
};

/**
 * Fields a space may search: numbers, enums and booleans of the training config. Datasets,
 * timeframe, the split and the validation scheme are the sweep's base, shared by every trial, so
 * trials see the same validation period and can be compared (and aligned for the PBO).
 */
export const SWEEPABLE_FIELDS = [
  'model',
  'featureSet',
  'includeExtras',
  'window',
  'horizon',
  'labels',
  'bandBps',
  'hidden',
  'layers',
  'dropout',
  'magnitudeHead',
  'magnitudeWeight',
  'epochs',
  'batchSize',
  'lr',
  'optimizer',
  'weightDecay',
  'schedule',
  'warmupEpochs',
  'clipNorm',
  'patience',
  'balancePerSymbol',
  'maxSamplesPerSymbol',
  'seed',
] as const satisfies readonly TrainingConfigField[];

const sweepable = new Set<string>(SWEEPABLE_FIELDS);

/** The `params` of space.json, validated by the experiments library's parser (its sentences name the field). */
export const searchSpaceSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): SearchSpace => {
  for (const name of Object.keys(raw)) {
    if (!sweepable.has(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" cannot be searched; searchable fields: ${SWEEPABLE_FIELDS.join(', ')}.` });
      return z.NEVER;
    }
  }
  try {
    return parseSearchSpace(raw);
  } catch (e) {
    // The message names the field itself ("lr.float: low 0.1 is above high 0.01"), so that it reads
    // alone wherever it is shown (the dispatcher's refusal quotes only the message).
    ctx.addIssue({ code: 'custom', path: e instanceof SearchSpaceError ? e.path.split('.') : [], message: e instanceof Error ? e.message : String(e) });
    return z.NEVER;
  }
});

/** A typed search space back in space.json's form (what the parser reads). */
export function searchSpaceJson(space: SearchSpace): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(space)) {
    if (p.kind === 'choice') out[name] = { choice: [...p.values] };
    else if (p.kind === 'int') out[name] = { int: [p.low, p.high], ...(p.step !== undefined ? { step: p.step } : {}), ...(p.log ? { log: true } : {}) };
    else out[name] = { float: [p.low, p.high], ...(p.log ? { log: true } : {}) };
  }
  return out;
}

const withoutDefault = (t: z.ZodType): z.ZodType => (t instanceof z.ZodDefault ? (t.unwrap() as z.ZodType) : t);

/**
 * The base config of every trial: the training config's fields, each optional and WITHOUT its
 * default, so that a field left out stays out (the trial's config fills defaults after the searched
 * values are merged in, and "searched and fixed in base" can be told apart from "defaulted").
 */
export const sweepBaseSchema = z
  .object(Object.fromEntries(Object.entries(trainingConfigSchema.shape).map(([k, t]) => [k, withoutDefault(t as z.ZodType).optional()])))
  .extend({ datasetIds: trainingConfigSchema.shape.datasetIds })
  .strict() as unknown as z.ZodType<Partial<TrainingConfig> & Pick<TrainingConfig, 'datasetIds'>, TrainingConfigInput>;

/** The default number of trials run at once: one per core, never more than the trials. */
export const defaultParallel = (cores: number, trials: number): number => Math.max(1, Math.min(cores, trials));

export const sweepSpecSchema = z
  .object({
    base: sweepBaseSchema,
    params: searchSpaceSchema,
    sampler: z.enum(SWEEP_SAMPLERS).default('tpe'),
    trials: z.number().int().min(1).max(1000).default(20),
    /** Stop proposing trials after this many seconds (running trials finish). */
    timeBudgetSec: z.number().int().min(1).max(30 * 24 * 3600).optional(),
    /** Trials at once; absent: {@link defaultParallel} of the host's cores. */
    parallel: z.number().int().min(1).max(64).optional(),
    prune: z.enum(SWEEP_PRUNERS).default('median'),
    objective: z.enum(SWEEP_OBJECTIVES).default('val-logloss'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Costs of the validation-period trading behind val-sharpe and the selection statistics, per side. */
    costs: z.object({ feeBps: z.number().min(0).max(1000).default(5), slippageBps: z.number().min(0).max(1000).default(2) }).strict().default({ feeBps: 5, slippageBps: 2 }),
    name: z.string().max(120).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const validation = s.base.validation ?? 'holdout';
    if (validation !== 'holdout') ctx.addIssue({ code: 'custom', path: ['base', 'validation'], message: 'Sweeps use a holdout split: every trial is judged on the same validation period.' });
    for (const name of Object.keys(s.params)) {
      if (name in s.base) ctx.addIssue({ code: 'custom', path: ['base', name], message: `"${name}" is both searched and fixed in base; remove it from one of them.` });
    }
  });
export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

/**
 * A field of a sweep spec as a person names it in a sentence: `base.lr`, `trials`; a search-space
 * problem's message already names its parameter, so its path is just `params`.
 */
export const sweepFieldName = (path: readonly PropertyKey[]): string => (path.length === 0 ? 'The sweep' : path[0] === 'params' ? 'params' : path.map(String).join('.'));

export const SWEEP_STATUSES = ['running', 'paused', 'interrupted', 'stopping', 'completed', 'stopped', 'failed'] as const;
export const sweepStatusSchema = z.enum(SWEEP_STATUSES);
export type SweepStatus = z.infer<typeof sweepStatusSchema>;

export const TRIAL_STATUSES = ['running', 'paused', 'interrupted', 'completed', 'pruned', 'failed', 'stopped'] as const;
export const trialStatusSchema = z.enum(TRIAL_STATUSES);
export type TrialStatus = z.infer<typeof trialStatusSchema>;

const paramValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const sweepTrialSchema = z.object({
  trialId: z.number().int(),
  /** 0-based order in which trials were proposed. */
  index: z.number().int(),
  runId: z.number().int(),
  params: z.record(z.string(), paramValueSchema),
  status: trialStatusSchema,
  /** The objective on validation; null until the trial has finished (or when it failed). */
  objective: z.number().nullable(),
  epochs: z.number().int(),
  /** Validation loss per epoch (the pruners' curve). */
  valLoss: z.array(z.number().nullable()),
  /** Why it was pruned or failed. */
  reason: z.string().nullable(),
  /** Its place in the order trials finished (1 = first); null while it runs. */
  finished: z.number().int().nullable(),
  /** The best objective among completed trials finished up to and including this one, in finishing order. */
  bestSoFar: z.number().nullable(),
});
export type SweepTrial = z.infer<typeof sweepTrialSchema>;

export const selectionSchema = z.object({
  trials: z.number().int(),
  /** Probability of backtest overfitting (CSCV); null when too few trials or periods. */
  pbo: z.number().nullable(),
  /** Deflated Sharpe ratio of the winner's validation returns, given the number and spread of the trials' Sharpe ratios. */
  deflatedSharpe: z.number().nullable(),
  significant: z.boolean(),
  /** Validation periods the trials were aligned on. */
  periods: z.number().int(),
  sentence: z.string(),
  pboSentence: z.string(),
  deflatedSharpeSentence: z.string(),
});
export type SweepSelection = z.infer<typeof selectionSchema>;

export const sweepBestSchema = z.object({
  trialId: z.number().int(),
  runId: z.number().int(),
  params: z.record(z.string(), paramValueSchema),
  objective: z.number(),
  /** The winner's test figures, measured once after the sweep ended; null until then. */
  test: z.object({ accuracy: z.number(), baselineAccuracy: z.number(), samples: z.number().int() }).nullable(),
  /** "Best of N trials …": what the winner's numbers are. */
  note: z.string(),
});

export const sweepSummarySchema = z.object({
  sweepId: z.number().int(),
  name: z.string(),
  status: sweepStatusSchema,
  sampler: z.enum(SWEEP_SAMPLERS),
  objective: z.enum(SWEEP_OBJECTIVES),
  prune: z.enum(SWEEP_PRUNERS),
  trialsPlanned: z.number().int(),
  trialsDone: z.number().int(),
  parallel: z.number().int(),
  createdAt: z.number(),
  endedAt: z.number().nullable(),
  bestObjective: z.number().nullable(),
  failure: z.string().nullable(),
});
export type SweepSummary = z.infer<typeof sweepSummarySchema>;

export const sweepDetailSchema = sweepSummarySchema.extend({
  spec: z.object({ base: z.record(z.string(), z.unknown()), params: z.record(z.string(), z.unknown()) }).passthrough(),
  trials: z.array(sweepTrialSchema),
  best: sweepBestSchema.nullable(),
  selection: selectionSchema.nullable(),
});
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

const sweepRef = z.object({ sweepId: z.number().int().positive() }).strict();

export const sweepsChannels = {
  'sweeps.start': channel({
    request: z.object({ spec: sweepSpecSchema }).strict(),
    response: z.object({ sweepId: z.number().int() }),
    summary: 'Starts a hyperparameter sweep: trials run as normal runs with a sealed test split, up to `parallel` at once.',
  }),
  'sweeps.pause': channel({ request: sweepRef, response: z.object({ sweepId: z.number() }), summary: 'Pauses a sweep: its running trials pause, no new trial starts.' }),
  'sweeps.resume': channel({
    request: sweepRef,
    response: z.object({ sweepId: z.number() }),
    summary: 'Resumes a paused or interrupted sweep without repeating finished trials (interrupted trials continue from their checkpoints).',
  }),
  'sweeps.stop': channel({ request: sweepRef, response: z.object({ sweepId: z.number() }), summary: 'Stops a sweep: running trials stop, the best finished trial is tested.' }),
  'sweeps.list': channel({ request: z.object({}).strict(), response: z.object({ sweeps: z.array(sweepSummarySchema) }), summary: 'All sweeps, newest first.' }),
  'sweeps.get': channel({ request: sweepRef, response: sweepDetailSchema, summary: 'One sweep: its trial table, the winner and the selection statistics.' }),
} as const;

export const sweepsEvents = {
  'sweeps.updated': event({
    payload: z.object({ sweepId: z.number(), status: sweepStatusSchema, trialsDone: z.number().int(), bestObjective: z.number().nullable() }),
    summary: 'A sweep changed: a trial started, reported an epoch, was pruned or finished, or the sweep changed status.',
  }),
} as const;
