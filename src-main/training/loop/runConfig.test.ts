import { describe, expect, it } from 'vitest';

import { TRAINING_DEFAULTS, trainingConfigSchema } from '../../../src-shared/contract/training.js';
import { loopSettingsOf, trainingRunConfig, trainingRunConfigOf } from './runConfig.js';

describe('the loop’s run config, derived from the contract', () => {
  it('takes every default from the contract schema', () => {
    const config = trainingRunConfigOf({ datasetIds: [3, 4] });
    const d = TRAINING_DEFAULTS;
    expect(config).toEqual({
      datasets: [3, 4],
      model: { kind: d.model, hidden: d.hidden, layers: d.layers, dropout: d.dropout },
      data: {
        featureSet: d.featureSet,
        // Extra columns only when asked: the contract's includeExtras is false by default.
        extras: 'none',
        window: d.window,
        horizon: d.horizon,
        labels: { kind: 'direction', bandBps: d.bandBps, classes: d.labels },
        split: d.split,
        balancePerSymbol: d.balancePerSymbol,
        magnitudeHead: d.magnitudeHead,
      },
      optimizer: { kind: d.optimizer, lr: d.lr, weightDecay: d.weightDecay, clipNorm: d.clipNorm },
      schedule: { kind: 'constant' },
      epochs: d.epochs,
      batchSize: d.batchSize,
      patience: d.patience,
      magnitudeWeight: d.magnitudeWeight,
      seed: d.seed,
      backend: d.backend,
    });
    expect(d.includeExtras).toBe(false);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    const settings = loopSettingsOf(config, { window: 32, features: 9, classes: 2 });
    expect(settings.model).toMatchObject({ kind: d.model, window: 32, features: 9, classes: 2, hidden: d.hidden, seed: d.seed, magnitudeHead: false });
  });

  it('converts the contract’s flat training config', () => {
    const contract = trainingConfigSchema.parse({ datasetIds: [5], schedule: 'cosine', warmupEpochs: 2, optimizer: 'adamw', weightDecay: 0.01, maxSamplesPerSymbol: 5000, includeExtras: true });
    const config = trainingRunConfig(contract);
    expect(config).toMatchObject({
      datasets: [5],
      model: { kind: 'gru', hidden: 32, layers: 1, dropout: 0.1 },
      data: { featureSet: 'minimal', extras: 'raw', window: 32, horizon: 1, labels: { kind: 'direction', bandBps: 0, classes: 'up-down' }, maxSamplesPerSymbol: 5000 },
      optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 0.01, clipNorm: 1 },
      schedule: { kind: 'cosine', warmupEpochs: 2 },
      patience: 3,
      seed: 42,
    });
    expect(config.data.validation).toBeUndefined();
    expect(trainingRunConfigOf({ datasetIds: [5], schedule: 'plateau', patience: 6 }).schedule).toEqual({ kind: 'plateau', factor: 0.5, patience: 3 });
  });

  it('carries walk-forward validation and its folds through; the contract refuses a fold count out of range', () => {
    const config = trainingRunConfigOf({ datasetIds: [5], validation: 'walk-forward', folds: 6 });
    expect(config.data).toMatchObject({ validation: 'walk-forward', folds: 6 });
    expect(() => trainingRunConfigOf({ datasetIds: [5], validation: 'walk-forward', folds: 11 })).toThrow('folds must be at most 10.');
  });

  it('answers one sentence per problem, naming the field', () => {
    expect(() => trainingRunConfigOf({ datasetIds: [1], model: 'rnn' as 'gru', lr: 0, batchSize: 4.5 })).toThrow(
      'model must be one of mlp, cnn, lstm, gru, transformer, tft. batchSize must be a whole number. lr must be at least 1e-7.',
    );
  });
});
