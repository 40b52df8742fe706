import { describe, expect, expectTypeOf, it } from 'vitest';
import { featureImportanceSchema, type FeatureImportanceReport } from '../../src-shared/contract/evaluation.js';
import type { ImportanceFile } from '../training/loop/artifactFiles.js';

describe('feature importance in the evaluation report', () => {
  it('is the training process’s importance file, both ways', () => {
    expectTypeOf<ImportanceFile>().toExtend<FeatureImportanceReport>();
    expectTypeOf<FeatureImportanceReport>().toExtend<ImportanceFile>();
  });

  it('reads an importance file as it is written (JSON), and refuses one without its baseline', () => {
    const file: ImportanceFile = {
      method: 'permutation',
      split: 'val',
      features: ['ret_1', 'rsi_14'],
      accuracyDrop: [0.012, -0.001],
      logLossIncrease: [0.03, 0],
      baseline: { accuracy: 0.52, logLoss: 0.69 },
      samples: 2000,
      repeats: 3,
      variableSelection: null,
    };
    expect(featureImportanceSchema.parse(JSON.parse(JSON.stringify(file)))).toEqual(file);
    const { baseline: _baseline, ...withoutBaseline } = file;
    expect(featureImportanceSchema.safeParse(withoutBaseline).success).toBe(false);
  });
});
