/**
 * A sweep's trial trains with its test split sealed: the run writes its validation predictions
 * and no test predictions, and only predictTestOfRun (the winner's one look, after the sweep)
 * predicts the test split, with the same model and data an ordinary run of the config would use.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import { PREDICTIONS_FILE, readValidationPredictions, VALIDATION_DIR } from './artifactFiles.js';
import { readTestPredictions } from './finalArtifacts.js';
import { trainingRunConfigOf } from './runConfig.js';
import { predictTestOfRun, runTraining, type TrainingIo } from './runTraining.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import type { WorkerToHost } from '../protocol.js';

const INPUTS = syntheticTrainingInputs({ symbols: 2, bars: 1200, signal: 0.4, seed: 3 });
const CONFIG = trainingRunConfigOf({ datasetIds: [1, 2], model: 'mlp', hidden: 8, window: 8, includeExtras: true, epochs: 2, batchSize: 64, patience: 1000, backend: 'cpu' });

function io(): TrainingIo & { sent: WorkerToHost[] } {
  const sent: WorkerToHost[] = [];
  return {
    sent,
    loadCandles: (id) => {
      const input = INPUTS.find((i) => i.datasetId === id)!;
      return { symbol: input.symbol, candles: input.candles };
    },
    send: (m) => void sent.push(m),
    onControl: () => {},
  };
}

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'candela-sealed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sealed run (a sweep trial)', () => {
  it('writes validation predictions, never test ones, and ends with validated', async () => {
    const trial = io();
    const end = await runTraining(CONFIG, trial, { checkpointDir: join(dir, 'trial'), test: 'sealed' });
    expect(end.type).toBe('validated');
    if (end.type !== 'validated') return;
    expect(trial.sent.some((m) => m.type === 'finished')).toBe(false);
    expect(existsSync(join(end.artifactsDir, PREDICTIONS_FILE))).toBe(false);
    const val = await readValidationPredictions(end.artifactsDir);
    expect(val.yTrue.length).toBe(end.validation.samples);
    expect(val.nextReturn.length).toBe(val.yTrue.length);
    // Each sample's next-bar return is the log return of the bar after it, from the candles.
    const btc = INPUTS[0]!.candles;
    const i = val.symbolIndex.indexOf(0);
    const row = btc.ts.indexOf(val.ts[i]!);
    expect(val.nextReturn[i]).toBeCloseTo(Math.log(btc.close[row + 1]! / btc.close[row]!), 12);
    expect(existsSync(join(end.artifactsDir, VALIDATION_DIR))).toBe(true);
  });

  it('predicts the test split once asked, as an ordinary run of the same config does', async () => {
    const tested = io();
    const answer = await predictTestOfRun(CONFIG, tested, { checkpointDir: join(dir, 'trial') });
    expect(answer.type).toBe('tested');
    const ordinary = await runTraining(CONFIG, io(), { checkpointDir: join(dir, 'ordinary') });
    if (answer.type !== 'tested' || ordinary.type !== 'finished') throw new Error('expected tested and finished');
    // Same seed, same data, same training: the same test figures and predictions.
    expect(answer.test).toEqual(ordinary.test);
    const [a, b] = await Promise.all([readTestPredictions(answer.artifactsDir), readTestPredictions(ordinary.artifactsDir)]);
    expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
    expect(Array.from(a.ts)).toEqual(Array.from(b.ts));
  });

  it('refuses walk-forward: its folds are judged on test', async () => {
    const wf = trainingRunConfigOf({ ...{ datasetIds: [1, 2], model: 'mlp', window: 8, epochs: 1, backend: 'cpu' }, validation: 'walk-forward', folds: 2 });
    const end = await runTraining(wf, io(), { checkpointDir: join(dir, 'wf'), test: 'sealed' });
    expect(end).toMatchObject({ type: 'failed', reason: expect.stringMatching(/needs a holdout split/) });
  });
});
