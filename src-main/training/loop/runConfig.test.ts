import { describe, expect, it } from 'vitest';

import { trainingConfigSchema } from '../../../src-shared/contract/training.js';
import { DEFAULT_TRAINING_RUN_CONFIG, loopSettingsOf, trainingRunConfigFromContract, validateTrainingRunConfig, withDefaults } from './runConfig.js';
import { isHostToWorker } from './worker-protocol.js';

describe('TrainingRunConfig', () => {
  it('fills defaults that validate, merging nested objects', () => {
    const config = withDefaults({ datasets: [3, 4], model: { hidden: 64 }, optimizer: { lr: 0.01 } });
    expect(validateTrainingRunConfig(config)).toEqual([]);
    expect(config.model).toEqual({ ...DEFAULT_TRAINING_RUN_CONFIG.model, hidden: 64 });
    expect(config.optimizer.lr).toBe(0.01);
    expect(config.optimizer.clipNorm).toBe(DEFAULT_TRAINING_RUN_CONFIG.optimizer.clipNorm);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    const settings = loopSettingsOf(config, { window: 32, features: 9, classes: 2 });
    expect(settings.model).toMatchObject({ kind: 'gru', window: 32, features: 9, classes: 2, hidden: 64, seed: 42, magnitudeHead: false });
  });

  it('answers with one sentence per problem', () => {
    const problems = validateTrainingRunConfig({
      ...withDefaults({ datasets: [1, 1] }),
      model: { kind: 'transformer', hidden: 30, layers: 2, dropout: 0.1, heads: 4 },
      optimizer: { kind: 'adamw', lr: 0, weightDecay: -1, clipNorm: 1 },
      schedule: { kind: 'plateau', factor: 2, patience: 0 },
      batchSize: 0,
    });
    expect(problems).toEqual([
      'A dataset is listed twice.',
      'Model: heads (4) must be a positive integer dividing hidden (30).',
      'The learning rate must be greater than 0 and at most 1.',
      'Weight decay must be 0 or more.',
      'The plateau factor must lie between 0 and 1.',
      'The plateau patience must be a whole number of epochs, at least 1.',
      'The batch size must be a whole number, at least 1.',
    ]);
    expect(validateTrainingRunConfig(withDefaults({ datasets: [] }))).toEqual(['Choose at least one dataset.']);
  });

  it('converts the contract’s flat training config', () => {
    const contract = trainingConfigSchema.parse({ datasetIds: [5], schedule: 'cosine', warmupEpochs: 2, optimizer: 'adamw', weightDecay: 0.01, maxSamplesPerSymbol: 5000 });
    const config = trainingRunConfigFromContract(contract);
    expect(validateTrainingRunConfig(config)).toEqual([]);
    expect(config).toMatchObject({
      datasets: [5],
      model: { kind: 'gru', hidden: 32, layers: 1, dropout: 0.1 },
      data: { featureSet: 'minimal', extras: 'none', window: 32, horizon: 1, labels: { kind: 'direction', bandBps: 0, classes: 'up-down' }, maxSamplesPerSymbol: 5000 },
      optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 0.01, clipNorm: 1 },
      schedule: { kind: 'cosine', warmupEpochs: 2 },
      patience: 3,
      seed: 42,
    });
    expect(config.data.validation).toBeUndefined();
  });

  it('carries walk-forward validation and its folds through, and checks the fold count', () => {
    const contract = trainingConfigSchema.parse({ datasetIds: [5], validation: 'walk-forward', folds: 6 });
    const config = trainingRunConfigFromContract(contract);
    expect(config.data).toMatchObject({ validation: 'walk-forward', folds: 6 });
    expect(validateTrainingRunConfig(config)).toEqual([]);
    expect(validateTrainingRunConfig({ ...config, data: { ...config.data, folds: 11 } })).toEqual(['The number of walk-forward folds must be a whole number from 2 to 10.']);
  });
});

describe('worker protocol', () => {
  it('recognises host messages and rejects anything else', () => {
    const config = withDefaults({ datasets: [1] });
    expect(isHostToWorker({ type: 'start', runId: 1, config, workspaceDir: '/w', checkpointDir: '/w/runs/1' })).toBe(true);
    expect(isHostToWorker({ type: 'pause' })).toBe(true);
    expect(isHostToWorker({ type: 'resume', runId: 1 })).toBe(false);
    expect(isHostToWorker({ type: 'progress' })).toBe(false);
    expect(isHostToWorker(null)).toBe(false);
  });
});
