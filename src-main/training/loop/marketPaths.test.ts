/**
 * The model's predictions on resampled markets, in process (cpu backend): the real market gives
 * back the run's own test predictions bit for bit; a walk-forward run is refused with a sentence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import { readTestPredictions } from './artifactFiles.js';
import { predictMarketPaths } from './marketPaths.js';
import { trainingRunConfigOf } from './runConfig.js';
import { runTraining } from './runTraining.js';
import { recordingIo, syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import type { WorkerToHost } from '../protocol.js';

const INPUTS = syntheticTrainingInputs({ symbols: 2, bars: 900, signal: 0.4, seed: 5 });
const CONFIG = trainingRunConfigOf({ datasetIds: [1, 2], model: 'mlp', hidden: 8, window: 8, includeExtras: true, epochs: 1, batchSize: 64, backend: 'cpu' });

const io = () => recordingIo(INPUTS);

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'candela-market-paths-'));
  const end = await runTraining(CONFIG, io(), { checkpointDir: dir });
  expect(end.type).toBe('finished');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('predictions on resampled markets', () => {
  it('on the real market (one block over the test period, no noise) are the run’s test predictions, bit for bit', async () => {
    const channel = io();
    const end = await predictMarketPaths(CONFIG, channel, { checkpointDir: dir }, { paths: 2, seed: 3, blockLength: 1_000_000, noiseFraction: 0 });
    expect(end.type).toBe('marketPathsDone');
    const saved = await readTestPredictions(join(dir, 'final'));
    const paths = channel.sent.filter((m): m is Extract<WorkerToHost, { type: 'marketPath' }> => m.type === 'marketPath');
    expect(paths.map((p) => p.path)).toEqual([0, 1]);
    for (const p of paths) expect(Array.from(p.probs)).toStrictEqual(Array.from(saved.probs));
    if (end.type !== 'marketPathsDone') return;
    expect(Array.from(end.ts)).toStrictEqual(Array.from(saved.ts));
    expect(Array.from(end.symbolIndex)).toStrictEqual(Array.from(saved.symbolIndex));
  }, 60_000);

  it('on resampled markets differ from them, and repeat for a seed', async () => {
    const probsOf = async (seed: number) => {
      const channel = io();
      await predictMarketPaths(CONFIG, channel, { checkpointDir: dir }, { paths: 1, seed, blockLength: 10, noiseFraction: 0.5 });
      return Array.from((channel.sent.find((m) => m.type === 'marketPath') as Extract<WorkerToHost, { type: 'marketPath' }>).probs);
    };
    const saved = Array.from((await readTestPredictions(join(dir, 'final'))).probs);
    const a = await probsOf(4);
    expect(a).not.toStrictEqual(saved);
    expect(await probsOf(4)).toStrictEqual(a);
  }, 60_000);

  it('refuses a walk-forward run with a sentence (only its last fold’s model is kept)', async () => {
    const wf = trainingRunConfigOf({ datasetIds: [1, 2], model: 'mlp', window: 8, epochs: 1, backend: 'cpu', validation: 'walk-forward', folds: 2 });
    const end = await predictMarketPaths(wf, io(), { checkpointDir: dir }, { paths: 1, seed: 1, blockLength: 5, noiseFraction: 0 });
    expect(end).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^The market could not be resampled: a walk-forward run predicts each fold with its own model/) });
  });
});
