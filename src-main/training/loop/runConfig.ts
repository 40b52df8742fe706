/**
 * The training loop's own, nested view of a run's settings. It has no defaults and no validator of
 * its own: it is derived only from a config the contract's `trainingConfigSchema` has parsed
 * (which filled its defaults and checked its bounds), so a request, the UI form, the CLI and the
 * loop can never disagree about what a run trains with.
 */
import { trainingConfigProblems, trainingConfigSchema, type TrainingConfig, type TrainingConfigInput } from '../../../src-shared/contract/training.js';
import type { BackendPreference } from '../backends/selectBackend.js';
import type { ModelConfig, ModelKind } from '../models/index.js';
import type { OptimizerSpec } from './adamw.js';
import { dataSpecFromContract, type DataSpec } from './dataSpec.js';
import type { LoopSettings } from './loopTypes.js';
import type { ScheduleSpec } from './lrSchedule.js';
import type { PreparedData } from './prepareTrainingData.js';

/** The architecture part of a model config; shapes (window, features, classes) come from the data. */
export interface ModelSpec {
  kind: ModelKind;
  hidden: number;
  layers: number;
  dropout: number;
  heads?: number;
  kernelSize?: number;
  lastSteps?: number;
  positions?: 'learned' | 'sinusoidal';
}

/** Everything a training run needs, nested the way the loop uses it. Plain JSON; the run stores its contract config, not this. */
export interface TrainingRunConfig {
  /** Dataset ids, in the order their symbols are numbered. */
  datasets: number[];
  model: ModelSpec;
  /** The data spec; its seed is the run's `seed`. */
  data: Omit<DataSpec, 'seed'>;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  epochs: number;
  batchSize: number;
  /** Epochs without validation improvement before stopping early; 0 never stops early. */
  patience: number;
  /** Weight of the magnitude head's MSE in the loss. */
  magnitudeWeight: number;
  /** One seed for sampling, initialisation, dropout and shuffling. */
  seed: number;
  backend: BackendPreference;
}

/** The run's data spec. */
export const dataSpecOf = (config: TrainingRunConfig): DataSpec => ({ ...config.data, seed: config.seed });

/** The full model config for prepared data. */
export function modelConfigOf(config: TrainingRunConfig, data: Pick<PreparedData, 'window' | 'features' | 'classes'>): ModelConfig {
  return { ...config.model, window: data.window, features: data.features, classes: data.classes, magnitudeHead: config.data.magnitudeHead, seed: config.seed };
}

/** The loop settings for prepared data. */
export function loopSettingsOf(config: TrainingRunConfig, data: Pick<PreparedData, 'window' | 'features' | 'classes'>): LoopSettings {
  return {
    model: modelConfigOf(config, data),
    optimizer: config.optimizer,
    schedule: config.schedule,
    epochs: config.epochs,
    batchSize: config.batchSize,
    patience: config.patience,
    magnitudeWeight: config.magnitudeWeight,
    seed: config.seed,
  };
}

/** The loop's config of a run, from its contract config as `trainingConfigSchema` parsed it. */
export function trainingRunConfig(c: TrainingConfig): TrainingRunConfig {
  const schedule: ScheduleSpec =
    c.schedule === 'cosine'
      ? { kind: 'cosine', warmupEpochs: c.warmupEpochs }
      : c.schedule === 'plateau'
        ? // Halve the rate when validation has not improved for half the early-stopping patience.
          { kind: 'plateau', factor: 0.5, patience: Math.max(1, Math.floor(c.patience / 2)) }
        : { kind: 'constant' };
  return {
    datasets: [...c.datasetIds],
    model: { kind: c.model, hidden: c.hidden, layers: c.layers, dropout: c.dropout },
    data: dataSpecFromContract(c),
    optimizer: { kind: c.optimizer, lr: c.lr, weightDecay: c.weightDecay, clipNorm: c.clipNorm },
    schedule,
    epochs: c.epochs,
    batchSize: c.batchSize,
    patience: c.patience,
    magnitudeWeight: c.magnitudeWeight,
    seed: c.seed,
    backend: c.backend,
  };
}

/**
 * Parses a partial contract config (the schema fills every default) and derives the loop's config;
 * throws one sentence per problem. For scripts and tests that start from a few fields.
 */
export function trainingRunConfigOf(input: TrainingConfigInput): TrainingRunConfig {
  const parsed = trainingConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(trainingConfigProblems(parsed.error).join(' '));
  return trainingRunConfig(parsed.data);
}
