/**
 * The one configuration every model in the zoo is built from.
 */

/** Architectures the zoo can build. */
export const MODEL_KINDS = ['mlp', 'cnn', 'lstm', 'gru', 'transformer', 'tft'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Model configuration; the input is `[batch, window, features]`. */
export interface ModelConfig {
  kind: ModelKind;
  /** Time steps per sample. */
  window: number;
  /** Features per time step. */
  features: number;
  /** Direction classes (softmax head). */
  classes: number;
  /** Width: units (MLP, RNN), channels (CNN), model dimension (transformer, TFT). */
  hidden: number;
  /** Depth: dense layers, conv blocks, stacked RNNs, encoder layers. */
  layers: number;
  /** Dropout rate in [0, 1). */
  dropout: number;
  /** Attention heads (transformer, TFT); must divide `hidden`. Default 4. */
  heads?: number;
  /** Adds a regression head predicting the move's magnitude. */
  magnitudeHead: boolean;
  /** Seed for weight initialisation and dropout masks. */
  seed: number;
  /** CNN kernel width (default 5). */
  kernelSize?: number;
  /** MLP: use only the last k time steps (default: all of them, flattened). */
  lastSteps?: number;
  /** Transformer positions: learned embeddings (default) or fixed sinusoids. */
  positions?: 'learned' | 'sinusoidal';
}

/** Checks a config and returns a list of problems in the user's words (empty when valid). */
export function validateModelConfig(config: ModelConfig): string[] {
  const problems: string[] = [];
  const positiveInt = (name: keyof ModelConfig, value: unknown): void => {
    if (!Number.isInteger(value) || (value as number) < 1) problems.push(`${name} must be a positive integer (got ${String(value)})`);
  };
  if (!MODEL_KINDS.includes(config.kind)) problems.push(`unknown model kind '${String(config.kind)}'`);
  positiveInt('window', config.window);
  positiveInt('features', config.features);
  positiveInt('hidden', config.hidden);
  positiveInt('layers', config.layers);
  if (!Number.isInteger(config.classes) || config.classes < 2) problems.push(`classes must be an integer ≥ 2 (got ${config.classes})`);
  if (!(config.dropout >= 0 && config.dropout < 1)) problems.push(`dropout must be in [0, 1) (got ${config.dropout})`);
  if (!Number.isInteger(config.seed)) problems.push(`seed must be an integer (got ${config.seed})`);
  if (config.kind === 'transformer' || config.kind === 'tft') {
    const heads = config.heads ?? 4;
    if (!Number.isInteger(heads) || heads < 1 || config.hidden % heads !== 0) {
      problems.push(`heads (${heads}) must be a positive integer dividing hidden (${config.hidden})`);
    }
  }
  if (config.kernelSize !== undefined) positiveInt('kernelSize', config.kernelSize);
  if (config.lastSteps !== undefined && (!Number.isInteger(config.lastSteps) || config.lastSteps < 1 || config.lastSteps > config.window)) {
    problems.push(`lastSteps must be an integer in [1, window] (got ${config.lastSteps})`);
  }
  return problems;
}
