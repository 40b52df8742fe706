/**
 * The configuration of a training run as the training process receives it: plain JSON, with
 * defaults and a validation that answers in sentences.
 */
import type { TrainingConfig } from '../../../src-shared/contract/training.js';
import type { BackendPreference } from '../backends/selectBackend.js';
import { MODEL_KINDS, validateModelConfig, type ModelConfig, type ModelKind } from '../models/index.js';
import type { OptimizerSpec } from './adamw.js';
import { dataSpecFromContract, validateDataSpec, type DataSpec } from './dataSpec.js';
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

/** Everything a training run needs. JSON-serializable; stored with the run. */
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

/** A config with every field but the datasets optional (nested objects merge with the defaults). */
export interface TrainingRunConfigInput {
  datasets: number[];
  model?: Partial<ModelSpec>;
  data?: Partial<Omit<DataSpec, 'seed'>>;
  optimizer?: Partial<OptimizerSpec>;
  schedule?: ScheduleSpec;
  epochs?: number;
  batchSize?: number;
  patience?: number;
  magnitudeWeight?: number;
  seed?: number;
  backend?: BackendPreference;
}

/** The defaults a first run should use: a small GRU on the minimal features, next-bar direction. */
export const DEFAULT_TRAINING_RUN_CONFIG: Omit<TrainingRunConfig, 'datasets'> = {
  model: { kind: 'gru', hidden: 32, layers: 1, dropout: 0.1 },
  data: {
    featureSet: 'minimal',
    extras: 'raw',
    window: 32,
    horizon: 1,
    labels: { kind: 'direction', bandBps: 0, classes: 'up-down' },
    split: { train: 0.7, val: 0.15, test: 0.15 },
    balancePerSymbol: true,
    magnitudeHead: false,
  },
  optimizer: { kind: 'adam', lr: 1e-3, weightDecay: 0, clipNorm: 1 },
  schedule: { kind: 'constant' },
  epochs: 10,
  batchSize: 256,
  patience: 3,
  magnitudeWeight: 0.5,
  seed: 42,
  backend: 'auto',
};

/** Fills a partial config with {@link DEFAULT_TRAINING_RUN_CONFIG}. */
export function withDefaults(input: TrainingRunConfigInput): TrainingRunConfig {
  const d = DEFAULT_TRAINING_RUN_CONFIG;
  return {
    datasets: [...input.datasets],
    model: { ...d.model, ...input.model },
    data: { ...d.data, ...input.data },
    optimizer: { ...d.optimizer, ...input.optimizer },
    schedule: input.schedule ?? d.schedule,
    epochs: input.epochs ?? d.epochs,
    batchSize: input.batchSize ?? d.batchSize,
    patience: input.patience ?? d.patience,
    magnitudeWeight: input.magnitudeWeight ?? d.magnitudeWeight,
    seed: input.seed ?? d.seed,
    backend: input.backend ?? d.backend,
  };
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

const BACKENDS: readonly BackendPreference[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const isWhole = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min;

/** Checks a config; returns the problems as sentences (empty when it can run). */
export function validateTrainingRunConfig(config: TrainingRunConfig): string[] {
  const problems: string[] = [];
  if (!Array.isArray(config.datasets) || config.datasets.length === 0) problems.push('Choose at least one dataset.');
  else if (!config.datasets.every((id) => isWhole(id, 1))) problems.push('Dataset ids must be positive whole numbers.');
  else if (new Set(config.datasets).size !== config.datasets.length) problems.push('A dataset is listed twice.');
  problems.push(...validateDataSpec(dataSpecOf(config)));
  if (!MODEL_KINDS.includes(config.model.kind)) {
    problems.push(`Model kind "${String(config.model.kind)}" is unknown; choose one of ${MODEL_KINDS.join(', ')}.`);
  } else {
    // Shapes come from the data later; placeholders let the model's own checks run now.
    const shapeless = modelConfigOf(config, { window: isWhole(config.data.window, 1) ? config.data.window : 1, features: 1, classes: 2 });
    problems.push(...validateModelConfig(shapeless).map((p) => `Model: ${p}.`));
  }
  const o = config.optimizer;
  if (o.kind !== 'adam' && o.kind !== 'adamw') problems.push(`Optimizer "${String(o.kind)}" is unknown; choose adam or adamw.`);
  if (!(o.lr > 0 && o.lr <= 1)) problems.push('The learning rate must be greater than 0 and at most 1.');
  if (!(o.weightDecay >= 0)) problems.push('Weight decay must be 0 or more.');
  if (!(o.clipNorm >= 0)) problems.push('The gradient clip norm must be 0 (off) or more.');
  const s = config.schedule;
  if (s.kind === 'cosine') {
    if (!(s.warmupEpochs >= 0)) problems.push('Warm-up epochs must be 0 or more.');
    if (s.minLr !== undefined && !(s.minLr >= 0 && s.minLr <= o.lr)) problems.push('The cosine schedule’s minimum rate must lie between 0 and the learning rate.');
  } else if (s.kind === 'plateau') {
    if (!(s.factor > 0 && s.factor < 1)) problems.push('The plateau factor must lie between 0 and 1.');
    if (!isWhole(s.patience, 1)) problems.push('The plateau patience must be a whole number of epochs, at least 1.');
  } else if (s.kind !== 'constant') {
    problems.push(`Schedule "${String((s as { kind: unknown }).kind)}" is unknown; choose constant, cosine or plateau.`);
  }
  if (!isWhole(config.epochs, 1)) problems.push('Epochs must be a whole number, at least 1.');
  if (!isWhole(config.batchSize, 1)) problems.push('The batch size must be a whole number, at least 1.');
  if (!isWhole(config.patience, 0)) problems.push('Patience must be a whole number of epochs, 0 or more.');
  if (!(config.magnitudeWeight >= 0)) problems.push('The magnitude weight must be 0 or more.');
  if (!Number.isInteger(config.seed)) problems.push('The seed must be a whole number.');
  if (!BACKENDS.includes(config.backend)) problems.push(`Compute backend "${String(config.backend)}" is unknown.`);
  return problems;
}

/** The run config for a request of the training contract (the flat form the UI edits). */
export function trainingRunConfigFromContract(c: TrainingConfig): TrainingRunConfig {
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
