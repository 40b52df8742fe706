import { describe, expect, it } from 'vitest';

import { FINISHED_RUN_STATUSES, isFinishedRunStatus, runStatusSchema, TRAINING_DEFAULTS, trainingConfigProblems, trainingConfigSchema } from './training.js';

describe('the training config schema is the one source of a run’s defaults', () => {
  it('TRAINING_DEFAULTS is what the schema fills in for a request naming only its datasets', () => {
    const { datasetIds, ...filled } = trainingConfigSchema.parse({ datasetIds: [1] });
    expect(datasetIds).toEqual([1]);
    expect(TRAINING_DEFAULTS).toEqual(filled);
    expect(Object.isFrozen(TRAINING_DEFAULTS)).toBe(true);
    // Optional settings have no default: the service decides them (timeframe, extra columns) or they are off.
    for (const field of ['timeframe', 'extraColumns', 'maxSamplesPerSymbol']) expect(TRAINING_DEFAULTS).not.toHaveProperty(field);
  });

  it('describes every field, so that the CLI help and any other face can show it', () => {
    for (const [field, schema] of Object.entries(trainingConfigSchema.shape)) expect(schema.description, field).toMatch(/\w/);
  });

  it('says each problem in a sentence naming the field, with the names the caller chooses', () => {
    const parsed = trainingConfigSchema.safeParse({ datasetIds: [], window: 600, labels: 'up', seed: 1.5, split: { train: 0.7, val: 0.15 }, colour: 'red' });
    if (parsed.success) throw new Error('should not parse');
    expect(trainingConfigProblems(parsed.error)).toEqual([
      'datasetIds: Choose at least one dataset.',
      'window must be at most 512.',
      'labels must be one of up-down, up-flat-down.',
      'split.test must be a number.',
      'seed must be a whole number.',
      'The config has an unknown setting: colour.',
    ]);
    expect(trainingConfigProblems(parsed.error, (path) => (path.length ? `the ${path.join(' ')} field` : 'The form'))[1]).toBe('the window field must be at most 512.');
  });
});

describe('finished run statuses', () => {
  it('are run statuses, and only they are finished', () => {
    for (const s of FINISHED_RUN_STATUSES) expect(runStatusSchema.parse(s)).toBe(s);
    expect(runStatusSchema.options.filter(isFinishedRunStatus)).toEqual(['completed', 'stopped', 'early-stopped']);
  });
});
