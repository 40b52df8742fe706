/**
 * Training threads as a user sees them: the status bar's compute label (the probe's) and a run's
 * backend line name the threads a run trains on, and a whole run on threads (magnitude head
 * included) finishes and repeats its numbers exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { probeBackendHere } from '../../system/backendProbe.js';
import { trainingRunConfigOf, type TrainingRunConfig } from './runConfig.js';
import { runTraining, type TrainingIo } from './runTraining.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { trainingThreadScript } from './__fixtures__/trainingThreadScript.js';
import type { WorkerToHost } from '../protocol.js';

let dir: string;
let script: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-run-threads-'));
  script = await trainingThreadScript();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('thread count in the compute label', () => {
  it('says × N threads on cpu when a run would train on N threads, and nothing when on 1', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', script);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '3');
    const threaded = await probeBackendHere('cpu');
    expect(threaded.label).toMatch(/^[^—]*· CPU × 3 threads/);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '1');
    const single = await probeBackendHere('cpu');
    expect(single.label).not.toMatch(/threads/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('says × up to N threads by default, since a run of a small model takes fewer', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', script);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '');
    const cores = availableParallelism();
    const label = (await probeBackendHere('cpu')).label;
    if (cores > 1) expect(label).toMatch(new RegExp(`^[^—]*· CPU × up to ${cores} threads`));
    else expect(label).not.toMatch(/threads/);
  });

  it('keeps the label when CANDELA_TRAIN_THREADS is invalid (the run itself refuses it with a sentence)', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREADS', 'lots');
    expect((await probeBackendHere('cpu')).label).not.toMatch(/threads/);
  });
});

describe('a run on 2 threads', () => {
  const INPUTS = syntheticTrainingInputs({ symbols: 2, bars: 1200, signal: 0.4, seed: 8 });
  const CONFIG_INPUT: Parameters<typeof trainingRunConfigOf>[0] = {
    datasetIds: [1, 2],
    model: 'mlp',
    hidden: 16,
    window: 8,
    dropout: 0.1,
    magnitudeHead: true,
    includeExtras: true,
    epochs: 2,
    batchSize: 64,
    patience: 1000,
    backend: 'cpu',
  };
  const CONFIG: TrainingRunConfig = trainingRunConfigOf(CONFIG_INPUT);
  const io = (): TrainingIo & { sent: WorkerToHost[] } => {
    const sent: WorkerToHost[] = [];
    return {
      sent,
      loadCandles: (id) => {
        const input = INPUTS.find((i) => i.datasetId === id);
        if (!input) throw new Error(`no dataset ${id}`);
        return { symbol: input.symbol, candles: input.candles };
      },
      send: (m) => sent.push(m),
      onControl: () => {},
    };
  };
  const epochs = (sent: WorkerToHost[]) => sent.flatMap((m) => (m.type === 'epoch' ? [[m.metrics.trainLoss, m.metrics.valLoss, m.metrics.trainAcc, m.metrics.valAcc]] : []));

  it('names its threads in the backend line, finishes, and repeats its epochs exactly', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', script);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '2');
    const runs = [io(), io()];
    for (const [k, run] of runs.entries()) {
      const end = await runTraining(CONFIG, run, { checkpointDir: join(dir, `run-${k}`) });
      expect(end.type, end.type === 'failed' ? end.reason : '').toBe('finished');
    }
    const ready = runs[0].sent.find((m) => m.type === 'ready');
    expect(ready?.type === 'ready' && ready.description).toMatch(/^[^—]*× 2 threads/);
    expect(epochs(runs[0].sent)).toHaveLength(2);
    expect(epochs(runs[1].sent)).toEqual(epochs(runs[0].sent));
  }, 120_000);

  it('by default trains a model too small to split on one thread and says so in its backend line', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', script);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '');
    const run = io();
    const end = await runTraining({ ...CONFIG, epochs: 1 }, run, { checkpointDir: join(dir, 'fitted') });
    expect(end.type, end.type === 'failed' ? end.reason : '').toBe('finished');
    const lines = run.sent.flatMap((m) => (m.type === 'ready' ? [m.description] : []));
    const cores = availableParallelism();
    // The host keeps the last line it was sent.
    if (cores > 1) expect(lines.at(-1)).toMatch(new RegExp(`^[^—]*× 1 of ${cores} threads \\(too little work per batch to split further\\)`));
    else expect(lines.at(-1)).not.toMatch(/threads/);
  }, 120_000);

  it('names the fused recurrent kernels a GRU run uses (and none for an MLP)', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', script);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '1');
    const gru = io();
    const end = await runTraining(trainingRunConfigOf({ ...CONFIG_INPUT, model: 'gru', epochs: 1 }), gru, { checkpointDir: join(dir, 'gru') });
    expect(end.type, end.type === 'failed' ? end.reason : '').toBe('finished');
    const line = (run: ReturnType<typeof io>) => run.sent.flatMap((m) => (m.type === 'ready' ? [m.description] : [])).at(-1);
    expect(line(gru)).toMatch(/ · fused (relaxed-SIMD \(FMA\)|SIMD) GRU kernels$/);
    const mlp = io();
    await runTraining({ ...CONFIG, epochs: 1 }, mlp, { checkpointDir: join(dir, 'mlp-line') });
    expect(line(mlp)).not.toMatch(/kernels/);
  }, 120_000);

  it('fails with a sentence when CANDELA_TRAIN_THREADS is not a count', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREADS', 'lots');
    const end = await runTraining(CONFIG, io(), { checkpointDir: join(dir, 'bad') });
    expect(end.type).toBe('failed');
    expect(end.type === 'failed' && end.reason).toMatch(/CANDELA_TRAIN_THREADS must be a whole number from 1 to 256, not 'lots'/);
  });
});
