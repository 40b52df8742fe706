/**
 * What a training run learns from: features, window, labels, split and sampling, as plain JSON
 * (stored with the run so the exact data can be prepared again).
 */
import { FEATURE_SET_NAMES, isFeatureSetName } from '../../../src-shared/compute/features/index.js';
import type { ClassScheme } from '../../../src-shared/compute/labels/index.js';
import { TRAINING_DEFAULTS, trainingConfigSchema, type TrainingConfig } from '../../../src-shared/contract/training.js';

/** Barrier widths of triple-barrier labels, as plain numbers (fractions of the close, or multipliers of σ). */
export type BarrierSpec =
  | { kind: 'fixed'; profitTake: number; stopLoss: number }
  | { kind: 'volatility'; window: number; profitTakeMult: number; stopLossMult: number };

/** How rows are labeled; every kind looks `horizon` bars ahead. */
export type LabelSpec =
  | { kind: 'direction'; bandBps: number; classes: ClassScheme }
  | { kind: 'triple-barrier'; barriers: BarrierSpec; classes: ClassScheme };

/** How a dataset's extra columns (funding, planted signal, …) enter the features. */
export type ExtraColumnsMode = 'none' | 'raw' | 'diff' | 'pct';

/** How a run is validated: one chronological split, or purged walk-forward folds with a fresh model each. */
export type ValidationMode = 'holdout' | 'walk-forward';

const foldsSchema = trainingConfigSchema.shape.folds.unwrap();
function bound(value: number | null): number {
  if (value === null) throw new Error("The contract's walk-forward folds lost a bound; the loop reads both from it.");
  return value;
}
/** Fewest and most walk-forward folds: the contract's bounds, read from its schema. */
export const MIN_FOLDS = bound(foldsSchema.minValue);
export const MAX_FOLDS = bound(foldsSchema.maxValue);

/** Everything that decides which samples a model sees. */
export interface DataSpec {
  /** A feature set name (see FEATURE_SETS). */
  featureSet: string;
  /** Appends the datasets' extra columns as features. Default 'none'. */
  extras?: ExtraColumnsMode;
  /** Bars per sample window. */
  window: number;
  /** Bars ahead the label looks. */
  horizon: number;
  labels: LabelSpec;
  /** Chronological fractions of every dataset's bars (holdout only; walk-forward cuts folds instead). */
  split: { train: number; val: number; test: number };
  /** Unused bars after each split's last label bar; never less than the horizon (the default). */
  embargo?: number;
  /** Every symbol contributes the same number of TRAINING samples (validation and test keep all). */
  balancePerSymbol: boolean;
  /** Caps the TRAINING samples per symbol (seeded uniform subsample); validation and test keep all. */
  maxSamplesPerSymbol?: number;
  /** Also prepare the forward log return as the magnitude head's target. */
  magnitudeHead: boolean;
  /** Standardized features are clipped to ±clipStd (fat-tailed returns). Default 10. */
  clipStd?: number;
  /** Default 'holdout'. */
  validation?: ValidationMode;
  /** Walk-forward folds, MIN_FOLDS … MAX_FOLDS; default DEFAULT_FOLDS (read only in walk-forward mode). */
  folds?: number;
  seed: number;
}

/** Default number of walk-forward folds: the contract's. */
export const DEFAULT_FOLDS = TRAINING_DEFAULTS.folds;

/** Default clip of standardized features, in training standard deviations. */
export const DEFAULT_CLIP_STD = 10;

const isPositiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** Checks a data spec; returns the problems as sentences (empty when valid). */
export function validateDataSpec(spec: DataSpec): string[] {
  const problems: string[] = [];
  if (!isFeatureSetName(spec.featureSet)) problems.push(`Feature set "${spec.featureSet}" is unknown; choose one of ${FEATURE_SET_NAMES.join(', ')}.`);
  if (spec.extras !== undefined && !['none', 'raw', 'diff', 'pct'].includes(spec.extras)) problems.push(`Extra columns mode "${spec.extras}" is unknown.`);
  if (!isPositiveInteger(spec.window)) problems.push('The window must be a whole number of bars, at least 1.');
  if (!isPositiveInteger(spec.horizon)) problems.push('The horizon must be a whole number of bars, at least 1.');
  if (spec.embargo !== undefined && !(Number.isInteger(spec.embargo) && spec.embargo >= 0)) problems.push('The embargo must be a whole number of bars, 0 or more.');
  const { train, val, test } = spec.split;
  if (!(train > 0 && val > 0 && test > 0)) problems.push('The train, validation and test fractions must all be greater than 0.');
  else if (train + val + test > 1 + 1e-9) problems.push('The train, validation and test fractions must add up to at most 1.');
  if (spec.maxSamplesPerSymbol !== undefined && !isPositiveInteger(spec.maxSamplesPerSymbol)) problems.push('The sample cap per symbol must be a whole number, at least 1.');
  if (spec.clipStd !== undefined && !(spec.clipStd > 0)) problems.push('The feature clip must be greater than 0 standard deviations.');
  if (spec.validation !== undefined && spec.validation !== 'holdout' && spec.validation !== 'walk-forward') problems.push(`Validation "${String(spec.validation)}" is unknown; choose holdout or walk-forward.`);
  if (spec.folds !== undefined && !(Number.isInteger(spec.folds) && spec.folds >= MIN_FOLDS && spec.folds <= MAX_FOLDS)) {
    problems.push(`The number of walk-forward folds must be a whole number from ${MIN_FOLDS} to ${MAX_FOLDS}.`);
  }
  if (!Number.isInteger(spec.seed)) problems.push('The seed must be a whole number.');
  const labels = spec.labels;
  if (labels.classes !== 'up-down' && labels.classes !== 'up-flat-down') problems.push(`Class scheme "${String(labels.classes)}" is unknown.`);
  if (labels.kind === 'direction') {
    if (!(labels.bandBps >= 0)) problems.push('The flat band must be 0 basis points or more.');
  } else if (labels.kind === 'triple-barrier') {
    const b = labels.barriers;
    if (b.kind === 'fixed' && !(b.profitTake > 0 && b.stopLoss > 0)) problems.push('Fixed barriers must be greater than 0.');
    if (b.kind === 'volatility' && !(isPositiveInteger(b.window) && b.profitTakeMult >= 0 && b.stopLossMult >= 0)) {
      problems.push('Volatility barriers need a window of at least 1 bar and multipliers of 0 or more.');
    }
  } else {
    problems.push('The label kind must be "direction" or "triple-barrier".');
  }
  return problems;
}

/**
 * The data part of a training request (the flat form the UI edits). Lives here, apart from the
 * model config, so main can plan a run's data without loading the model zoo (and tfjs).
 */
export function dataSpecFromContract(c: TrainingConfig): Omit<DataSpec, 'seed'> {
  return {
    featureSet: c.featureSet,
    extras: c.includeExtras ? 'raw' : 'none',
    window: c.window,
    horizon: c.horizon,
    labels: { kind: 'direction', bandBps: c.bandBps, classes: c.labels },
    split: c.split,
    balancePerSymbol: c.balancePerSymbol,
    ...(c.maxSamplesPerSymbol !== undefined ? { maxSamplesPerSymbol: c.maxSamplesPerSymbol } : {}),
    magnitudeHead: c.magnitudeHead,
    // Only a walk-forward run names its mode, so that holdout configs stay as they were.
    ...(c.validation === 'walk-forward' ? { validation: c.validation, folds: c.folds } : {}),
  };
}
