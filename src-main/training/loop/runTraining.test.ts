import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import { readModelFiles } from './checkpoint.js';
import { readImportance, readPreprocessing, readTestPredictions } from './finalArtifacts.js';
import type { EpochMetrics } from './loopTypes.js';
import { predictTest } from './predictTest.js';
import { prepareTrainingData } from './prepareTrainingData.js';
import { dataSpecOf, trainingRunConfigOf, type TrainingRunConfig } from './runConfig.js';
import { runTraining, type RunEnd, type TrainingIo } from './runTraining.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import type { ControlMessage, WorkerToHost } from '../protocol.js';

const INPUTS = syntheticTrainingInputs({ symbols: 2, bars: 1500, signal: 0.4, seed: 8 });

// The planted signal is an extra column, so the run asks for extra columns. Patience above the
// epochs: no early stop, so every run of this config trains the same epochs.
const CONFIG: TrainingRunConfig = trainingRunConfigOf({
  datasetIds: [1, 2],
  model: 'mlp',
  hidden: 16,
  layers: 1,
  dropout: 0,
  window: 8,
  magnitudeHead: true,
  includeExtras: true,
  optimizer: 'adamw',
  lr: 3e-3,
  weightDecay: 1e-3,
  schedule: 'cosine',
  warmupEpochs: 1,
  epochs: 3,
  batchSize: 64,
  patience: 1000,
  backend: 'cpu',
});

/** A fake process: records what the run sends and lets the test play the host. */
function fakeIo(onMessage: (m: WorkerToHost, control: (c: ControlMessage) => void) => void = () => {}): TrainingIo & { sent: WorkerToHost[]; control: (c: ControlMessage) => void } {
  let handler: (c: ControlMessage) => void = () => {};
  const sent: WorkerToHost[] = [];
  return {
    sent,
    control: (c) => handler(c),
    loadCandles: (id) => {
      const input = INPUTS.find((i) => i.datasetId === id);
      if (!input) throw new Error(`no dataset ${id}`);
      return { symbol: input.symbol, candles: input.candles };
    },
    send: (m) => {
      sent.push(m);
      // Controls arrive asynchronously, as they would over IPC.
      onMessage(m, (c) => setImmediate(() => handler(c)));
    },
    onControl: (h) => {
      handler = h;
    },
  };
}

/** The reproducible part of the epoch messages (timings never reproduce). */
const epochsOf = (sent: WorkerToHost[]): Omit<EpochMetrics, 'samplesPerSec' | 'seconds'>[] =>
  sent.flatMap((m) => (m.type === 'epoch' ? [m.metrics] : [])).map(({ samplesPerSec: _s, seconds: _t, ...rest }) => rest);

let dir: string;
let reference: { end: RunEnd; sent: WorkerToHost[] };
beforeAll(async () => {
  await selectBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'candela-run-'));
  const io = fakeIo();
  const end = await runTraining(CONFIG, io, { checkpointDir: join(dir, 'reference') });
  reference = { end, sent: io.sent };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runTraining', () => {
  it('reports ready, prepared, epochs, checkpoints and finished, and leaves model, preprocessing and test predictions', async () => {
    const types = reference.sent.map((m) => m.type);
    expect(types[0]).toBe('ready');
    expect(types[1]).toBe('prepared');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types.filter((t) => t === 'checkpoint')).toHaveLength(3);
    expect(types.at(-1)).toBe('finished');
    expect(reference.sent[0]).toMatchObject({ type: 'ready', backend: 'cpu', gpu: false });
    const end = reference.end;
    if (end.type !== 'finished') throw new Error(end.type === 'failed' ? end.reason : end.type);
    expect(end.status).toBe('completed');
    expect(end.test.samples).toBeGreaterThan(400);
    expect(end.test.accuracy).toBeGreaterThan(end.test.baselineAccuracy);

    const predictions = await readTestPredictions(end.artifactsDir);
    expect(predictions.yTrue.length).toBe(end.test.samples);
    expect(predictions.magnitude?.length).toBe(end.test.samples);
    expect(predictions.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    const pre = await readPreprocessing(end.artifactsDir);
    expect(pre.featureNames).toContain('extra:signal');
    expect(pre.standardizer.mean).toHaveLength(pre.featureNames.length);
    const importance = await readImportance(end.artifactsDir);
    expect(importance).toMatchObject({ method: 'permutation', split: 'val', features: pre.featureNames, variableSelection: null });
    expect(importance?.accuracyDrop).toHaveLength(pre.featureNames.length);
    expect(importance?.logLossIncrease).toHaveLength(pre.featureNames.length);
    expect(await readImportance(dir)).toBeNull();
    // The saved model loads back and, on the same data prepared again, reproduces the stored probabilities.
    const model = await readModelFiles(end.artifactsDir);
    const again = await predictTest(model, prepareTrainingData(INPUTS, dataSpecOf(CONFIG)));
    expect(Array.from(again.probs)).toEqual(Array.from(predictions.probs));
    model.dispose();
  });

  it('pauses on request, waits, and resumes in the same process to the same metrics', async () => {
    let paused = 0;
    const io = fakeIo((m, control) => {
      // On epoch 1's report, not on a progress message of epoch 2: those are time-driven, and a fast epoch sends none.
      if (m.type === 'epoch' && m.metrics.epoch === 1 && paused === 0) control({ type: 'pause' });
      if (m.type === 'paused') {
        paused++;
        control({ type: 'resume' });
      }
    });
    const end = await runTraining(CONFIG, io, { checkpointDir: join(dir, 'same') });
    expect(end.type).toBe('finished');
    expect(paused).toBe(1);
    expect(epochsOf(io.sent)).toEqual(epochsOf(reference.sent));
  });

  it('resumes in a new process from the checkpoint of a paused run', async () => {
    const first = fakeIo((m, control) => {
      if (m.type === 'epoch' && m.metrics.epoch === 1) control({ type: 'pause' });
    });
    const firstRun = runTraining(CONFIG, first, { checkpointDir: join(dir, 'first') });
    while (!first.sent.some((m) => m.type === 'paused')) await new Promise((r) => setTimeout(r, 10));
    // The host would kill the paused process; here its folder is copied and a second run takes over.
    cpSync(join(dir, 'first'), join(dir, 'second'), { recursive: true });
    const second = fakeIo();
    const end = await runTraining(CONFIG, second, { checkpointDir: join(dir, 'second'), resume: true });
    expect(end.type).toBe('finished');
    expect([...epochsOf(first.sent), ...epochsOf(second.sent)]).toEqual(epochsOf(reference.sent));
    // The paused first run still waits for its host: stop it, so that it ends and frees its tensors.
    first.control({ type: 'stop' });
    expect(await firstRun).toMatchObject({ type: 'finished', status: 'stopped', bestEpoch: 1 });
  });

  it('stops on request, keeping the best epoch, and still evaluates the test set', async () => {
    // Asked for when epoch 1 reports, so the stop lands in epoch 2 however fast an epoch is (a
    // progress message is time-driven: a fast epoch 2 may send none).
    const io = fakeIo((m, control) => {
      if (m.type === 'epoch' && m.metrics.epoch === 1) control({ type: 'stop' });
    });
    const end = await runTraining({ ...CONFIG, epochs: 20 }, io, { checkpointDir: join(dir, 'stopped') });
    if (end.type !== 'finished') throw new Error(end.type === 'failed' ? end.reason : end.type);
    expect(end.status).toBe('stopped');
    expect(end.bestEpoch).toBe(1);
    expect(existsSync(join(end.artifactsDir, 'model.json'))).toBe(true);
  });

  it('has no run config but one the contract parsed, and fails with a sentence on a missing dataset, without throwing', async () => {
    expect(() => trainingRunConfigOf({ datasetIds: [], epochs: 0 })).toThrow(/^datasetIds: Choose at least one dataset\. epochs must be at least 1\.$/);
    const missing = await runTraining({ ...CONFIG, datasets: [1, 9] }, fakeIo(), { checkpointDir: join(dir, 'missing') });
    expect(missing).toEqual({ type: 'failed', reason: 'no dataset 9' });
    expect(tf.getBackend()).toBe('cpu');
  });
});
