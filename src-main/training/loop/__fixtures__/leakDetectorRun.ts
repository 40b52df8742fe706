/**
 * The leak detector's training run, shared by its test on the cpu backend and the WebGPU suite:
 * 3 independent synthetic symbols × 6000 bars of 5m, a small MLP, early stopping, then the test
 * split's accuracy beside the majority baseline. Runs on whatever backend is active, on the
 * threads a run would use there.
 */
import * as tf from '@tensorflow/tfjs';

import { fitThreadsToWorkload, trainingThreads } from '../dataParallel.js';
import type { DataSpec } from '../dataSpec.js';
import type { LoopSettings } from '../loopTypes.js';
import { predictTest, testAccuracy } from '../predictTest.js';
import { prepareTrainingData } from '../prepareTrainingData.js';
import { TrainingLoop } from '../trainingLoop.js';
import { nextBarSpec, syntheticTrainingInputs } from './syntheticInputs.js';

const SPEC: DataSpec = nextBarSpec(7);

export interface LeakDetectorResult {
  accuracy: number;
  baselineAccuracy: number;
  samples: number;
  bestEpoch: number | null;
}

/**
 * Trains on a synthetic market with planted signal strength `signal` (0: a pure random walk), on
 * the threads a run would use, or on `threads` data-parallel threads started from `threadScript`.
 */
export async function trainAndTest(signal: number, fixed?: { threads: number; threadScript: string }): Promise<LeakDetectorResult> {
  // Independent symbols (correlation 0) so that test samples are independent draws and the
  // binomial standard error is the right yardstick.
  const inputs = syntheticTrainingInputs({ symbols: 3, bars: 6000, signal, seed: 2024, correlation: 0 });
  const data = prepareTrainingData(inputs, SPEC);
  const settings: LoopSettings = {
    model: { kind: 'mlp', window: SPEC.window, features: data.features, classes: data.classes, hidden: 32, layers: 1, dropout: 0, magnitudeHead: false, seed: 3 },
    optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 1e-4, clipNorm: 1 },
    schedule: { kind: 'constant' },
    epochs: 6,
    batchSize: 128,
    patience: 2,
    magnitudeWeight: 0,
    seed: 11,
  };
  // As a run would train: data-parallel when the thread bundle is given (CANDELA_TRAIN_THREAD_SCRIPT).
  const threading = fixed ?? fitThreadsToWorkload(trainingThreads(tf.getBackend()), settings.model, settings.batchSize);
  const loop = new TrainingLoop(data, settings, { threads: threading.threads, ...(threading.threadScript ? { threadScript: threading.threadScript } : {}) });
  const outcome = await loop.run();
  const result = testAccuracy(await predictTest(loop.model, data), data.classes);
  loop.dispose();
  return { ...result, bestEpoch: outcome.bestEpoch };
}

/** Three binomial standard errors of the baseline accuracy: the null test's tolerance. */
export function nullTolerance(r: LeakDetectorResult): number {
  return 3 * Math.sqrt((r.baselineAccuracy * (1 - r.baselineAccuracy)) / r.samples);
}
