/**
 * Walk-forward mode: folds purged and embargoed like the holdout split, a fresh model per fold,
 * and the folds' test segments together as the run's out-of-sample predictions.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { selectBackend } from '../backends/selectBackend.js';
import { PREDICTIONS_FILE, type PredictionManifest } from './artifactFiles.js';
import type { DataSpec } from './dataSpec.js';
import { readTestPredictions, writeTestPredictions } from './finalArtifacts.js';
import { testAccuracy } from './predictTest.js';
import { prepareTrainingData, prepareWalkForwardData, type TrainingInput } from './prepareTrainingData.js';
import { dataSpecOf, trainingRunConfigOf, type TrainingRunConfig } from './runConfig.js';
import { runTraining, type RunEnd, type TrainingIo } from './runTraining.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import type { ControlMessage, WorkerToHost } from '../protocol.js';

const FOLDS = 3;
const EPOCHS = 3;

/**
 * The planted signal is an extra column, so the run asks for extra columns; patience above the
 * epochs means no early stop. The embargo is the loop's own setting (the contract leaves it at the
 * horizon), widened here so that the purge between folds is visible.
 */
const configFor = (validation: 'holdout' | 'walk-forward'): TrainingRunConfig => {
  const config = trainingRunConfigOf({
    datasetIds: [1, 2],
    model: 'mlp',
    hidden: 16,
    layers: 1,
    dropout: 0,
    window: 8,
    horizon: 2,
    includeExtras: true,
    validation,
    folds: FOLDS,
    optimizer: 'adamw',
    lr: 3e-3,
    weightDecay: 1e-4,
    epochs: EPOCHS,
    batchSize: 64,
    patience: 1000,
    seed: 5,
    backend: 'cpu',
  });
  return { ...config, data: { ...config.data, embargo: 3 } };
};
const WALK_FORWARD = configFor('walk-forward');

// Independent symbols, so that test samples are independent draws for the binomial yardstick.
const inputsOf = (signal: number): TrainingInput[] => syntheticTrainingInputs({ symbols: 2, bars: 2500, signal, seed: 31, correlation: 0 });

function fakeIo(inputs: TrainingInput[], onMessage: (m: WorkerToHost, control: (c: ControlMessage) => void) => void = () => {}): TrainingIo & { sent: WorkerToHost[]; control: (c: ControlMessage) => void } {
  let handler: (c: ControlMessage) => void = () => {};
  const sent: WorkerToHost[] = [];
  return {
    sent,
    control: (c) => handler(c),
    loadCandles: (id) => {
      const input = inputs.find((i) => i.datasetId === id);
      if (!input) throw new Error(`no dataset ${id}`);
      return { symbol: input.symbol, candles: input.candles };
    },
    send: (m) => {
      sent.push(m);
      onMessage(m, (c) => setImmediate(() => handler(c)));
    },
    onControl: (h) => {
      handler = h;
    },
  };
}

const finished = (end: RunEnd): Extract<RunEnd, { type: 'finished' }> => {
  if (end.type !== 'finished') throw new Error(end.type === 'failed' ? end.reason : end.type);
  return end;
};

function rowsOf(index: Uint32Array, ds: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < sampleCount(index); i++) if (index[2 * i] === ds) rows.push(index[2 * i + 1]);
  return rows;
}

describe('prepareWalkForwardData', () => {
  const inputs = inputsOf(0.2);
  const spec: DataSpec = { ...dataSpecOf(WALK_FORWARD), seed: 5 };
  const wf = prepareWalkForwardData(inputs, spec);
  const folds = Array.from({ length: FOLDS }, (_, k) => wf.prepareFold(k));

  it('purges and embargoes every fold: training labels end embargo bars before validation, validation labels before test', () => {
    const gap = spec.horizon + (spec.embargo ?? 0);
    folds.forEach((data) => {
      for (let ds = 0; ds < inputs.length; ds++) {
        const [train, val, test] = [rowsOf(data.train, ds), rowsOf(data.val, ds), rowsOf(data.test, ds)];
        expect(train.length && val.length && test.length).toBeTruthy();
        expect(Math.max(...train) + gap).toBeLessThan(Math.min(...val));
        expect(Math.max(...val) + gap).toBeLessThan(Math.min(...test));
      }
    });
  });

  it('expands the training window and lays the test segments end to end without overlap', () => {
    for (let ds = 0; ds < inputs.length; ds++) {
      for (let k = 1; k < FOLDS; k++) {
        const [prev, next] = [wf.splits[k - 1][ds], wf.splits[k][ds]];
        expect(next.train.start).toBe(prev.train.start);
        expect(next.val.end).toBeGreaterThan(prev.val.end);
        expect(next.test.start).toBe(prev.test.end);
      }
    }
  });

  it('fits each fold’s standardizer on its own training rows only: later bars leave it unchanged', () => {
    const firstTestBar = Math.min(...wf.splits[0].map((s) => s.val.start));
    const changed = inputs.map((input) => {
      const close = input.candles.close.slice();
      for (let t = firstTestBar; t < close.length; t++) close[t] *= 1 + 0.05 * Math.sin(t);
      return { ...input, candles: { ...input.candles, close } };
    });
    const first = prepareWalkForwardData(changed, spec).prepareFold(0);
    expect(Array.from(first.standardizer.mean)).toEqual(Array.from(folds[0].standardizer.mean));
    expect(Array.from(first.standardizer.std)).toEqual(Array.from(folds[0].standardizer.std));
    expect(Array.from(folds[1].standardizer.mean)).not.toEqual(Array.from(folds[0].standardizer.mean));
  });

  it('refuses datasets too short for the folds, with a sentence', () => {
    const short = syntheticTrainingInputs({ symbols: 1, bars: 60, signal: 0, seed: 1 });
    expect(() => prepareWalkForwardData(short, { ...spec, folds: 10 })).toThrow(/too short|no samples/);
  });
});

describe('walk-forward runTraining (2 symbols × 2500 bars, MLP, 3 folds × 3 epochs)', () => {
  let dir: string;
  let signal: { end: Extract<RunEnd, { type: 'finished' }>; sent: WorkerToHost[] };
  beforeAll(async () => {
    await selectBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'candela-wf-'));
    const io = fakeIo(inputsOf(0.4));
    const end = finished(await runTraining(WALK_FORWARD, io, { checkpointDir: join(dir, 'signal') }));
    signal = { end, sent: io.sent };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('numbers epochs on across folds and names the fold in epoch and progress messages', () => {
    const epochs = signal.sent.flatMap((m) => (m.type === 'epoch' ? [m] : []));
    expect(epochs.map((m) => m.metrics.epoch)).toEqual(Array.from({ length: FOLDS * EPOCHS }, (_, i) => i + 1));
    expect(epochs.map((m) => m.fold)).toEqual(Array.from({ length: FOLDS * EPOCHS }, (_, i) => Math.floor(i / EPOCHS)));
    const progress = signal.sent.flatMap((m) => (m.type === 'progress' ? [m] : []));
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(Math.floor((p.epoch - 1) / EPOCHS)).toBe(p.fold);
    expect(signal.sent.filter((m) => m.type === 'prepared')).toHaveLength(1);
    expect(signal.end).toMatchObject({ status: 'completed', bestEpoch: FOLDS * EPOCHS });
  });

  it('predicts every fold’s test segment exactly once, in time order per symbol, with its fold index', async () => {
    const stored = await readTestPredictions(signal.end.artifactsDir);
    const manifest = JSON.parse(readFileSync(join(signal.end.artifactsDir, PREDICTIONS_FILE), 'utf8')) as PredictionManifest;
    expect(manifest.files.fold).toBe('test-fold.i32');
    const fold = stored.fold;
    if (!fold) throw new Error('no fold column');
    expect(new Set(fold)).toEqual(new Set(Array.from({ length: FOLDS }, (_, k) => k)));
    expect(signal.end.test.samples).toBe(stored.yTrue.length);

    // The expected samples: each fold's test segment, prepared on its own.
    const wf = prepareWalkForwardData(inputsOf(0.4), dataSpecOf(WALK_FORWARD));
    const expected: string[] = [];
    for (let k = 0; k < FOLDS; k++) {
      const t = wf.prepareFold(k).testSamples;
      for (let i = 0; i < t.ts.length; i++) expected.push(`${t.symbolIndex[i]}@${t.ts[i]}#${k}`);
    }
    const got = Array.from(stored.ts, (ts, i) => `${stored.symbolIndex[i]}@${ts}#${fold[i]}`);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual([...expected].sort());
    for (let i = 1; i < stored.ts.length; i++) {
      if (stored.symbolIndex[i] !== stored.symbolIndex[i - 1]) {
        expect(stored.symbolIndex[i]).toBeGreaterThan(stored.symbolIndex[i - 1]);
        continue;
      }
      expect(stored.ts[i]).toBeGreaterThan(stored.ts[i - 1]);
      expect(fold[i]).toBeGreaterThanOrEqual(fold[i - 1]);
    }

    // Purge: no test sample's fold trained on a row whose label window reaches the sample's bar.
    const barMs = inputsOf(0.4)[0].candles.ts[1] - inputsOf(0.4)[0].candles.ts[0];
    for (let k = 0; k < FOLDS; k++) {
      const data = wf.prepareFold(k);
      for (let ds = 0; ds < 2; ds++) {
        const ts = inputsOf(0.4)[ds].candles.ts;
        const lastTrainLabelBar = Math.max(...rowsOf(data.train, ds), ...rowsOf(data.val, ds)) + data.horizon;
        const firstTest = Math.min(...Array.from(stored.ts).filter((_, i) => fold[i] === k && stored.symbolIndex[i] === ds));
        expect(ts[lastTrainLabelBar] + barMs).toBeLessThan(firstTest);
      }
    }
  });

  it('beats the majority baseline with a planted signal, and the finished summary is over all folds', async () => {
    const stored = await readTestPredictions(signal.end.artifactsDir);
    const again = testAccuracy({ ...stored }, stored.classNames.length);
    expect(signal.end.test).toEqual(again);
    console.log(`walk-forward, signal 0.4: ${(100 * again.accuracy).toFixed(2)}% vs majority ${(100 * again.baselineAccuracy).toFixed(2)}% (n = ${again.samples})`);
    expect(again.accuracy - again.baselineAccuracy).toBeGreaterThan(0.05);
  });

  it('stays within noise of the majority baseline on a pure random walk', async () => {
    const end = finished(await runTraining(WALK_FORWARD, fakeIo(inputsOf(0)), { checkpointDir: join(dir, 'null') }));
    const { accuracy, baselineAccuracy, samples } = end.test;
    const se = Math.sqrt((baselineAccuracy * (1 - baselineAccuracy)) / samples);
    console.log(`walk-forward, null: ${(100 * accuracy).toFixed(2)}% vs majority ${(100 * baselineAccuracy).toFixed(2)}% (n = ${samples}, 3 SE = ${(300 * se).toFixed(2)} points)`);
    expect(Math.abs(accuracy - baselineAccuracy)).toBeLessThan(3 * se);
  });

  it('is deterministic by seed', async () => {
    const io = fakeIo(inputsOf(0.4));
    const end = finished(await runTraining(WALK_FORWARD, io, { checkpointDir: join(dir, 'again') }));
    const [a, b] = await Promise.all([readTestPredictions(signal.end.artifactsDir), readTestPredictions(end.artifactsDir)]);
    expect(Array.from(b.probs)).toEqual(Array.from(a.probs));
    const strip = (sent: WorkerToHost[]): unknown[] => sent.flatMap((m) => (m.type === 'epoch' ? [{ ...m.metrics, samplesPerSec: 0, seconds: 0 }] : []));
    expect(strip(io.sent)).toEqual(strip(signal.sent));
  });

  it('pauses and resumes within a fold, in the same process and in a new one, to the same predictions', async () => {
    const strip = (sent: WorkerToHost[]): unknown[] => sent.flatMap((m) => (m.type === 'epoch' ? [{ ...m.metrics, samplesPerSec: 0, seconds: 0, fold: m.fold }] : []));
    const reference = await readTestPredictions(signal.end.artifactsDir);
    let paused = 0;
    const same = fakeIo(inputsOf(0.4), (m, control) => {
      if (m.type === 'progress' && m.fold === 1 && paused === 0) control({ type: 'pause' });
      if (m.type === 'paused') {
        paused++;
        control({ type: 'resume' });
      }
    });
    const sameEnd = finished(await runTraining(WALK_FORWARD, same, { checkpointDir: join(dir, 'same') }));
    expect(paused).toBe(1);
    expect(strip(same.sent)).toEqual(strip(signal.sent));
    expect(Array.from((await readTestPredictions(sameEnd.artifactsDir)).probs)).toEqual(Array.from(reference.probs));

    const first = fakeIo(inputsOf(0.4), (m, control) => {
      if (m.type === 'epoch' && m.metrics.epoch === EPOCHS + 1) control({ type: 'pause' });
    });
    const firstRun = runTraining(WALK_FORWARD, first, { checkpointDir: join(dir, 'first') });
    while (!first.sent.some((m) => m.type === 'paused')) await new Promise((r) => setTimeout(r, 10));
    cpSync(join(dir, 'first'), join(dir, 'second'), { recursive: true });
    const second = fakeIo(inputsOf(0.4));
    const end = finished(await runTraining(WALK_FORWARD, second, { checkpointDir: join(dir, 'second'), resume: true }));
    expect([...strip(first.sent), ...strip(second.sent)]).toEqual(strip(signal.sent));
    const resumed = await readTestPredictions(end.artifactsDir);
    expect(Array.from(resumed.probs)).toEqual(Array.from(reference.probs));
    expect(Array.from(resumed.fold ?? [])).toEqual(Array.from(reference.fold ?? []));
    first.control({ type: 'stop' });
    expect(await firstRun).toMatchObject({ type: 'finished', status: 'stopped' });
  });

  it('stops after the current fold’s test predictions and finishes with the folds done', async () => {
    const io = fakeIo(inputsOf(0.4), (m, control) => {
      if (m.type === 'epoch' && m.fold === 1 && m.metrics.epoch === EPOCHS + 1) control({ type: 'stop' });
    });
    const end = finished(await runTraining(WALK_FORWARD, io, { checkpointDir: join(dir, 'stopped') }));
    expect(end.status).toBe('stopped');
    const stored = await readTestPredictions(end.artifactsDir);
    expect(new Set(stored.fold)).toEqual(new Set([0, 1]));
    expect(io.sent.some((m) => m.type === 'epoch' && m.fold === 2)).toBe(false);
  });

  it('leaves holdout runs without a fold column', async () => {
    const holdout = configFor('holdout');
    const io = fakeIo(inputsOf(0.4));
    const end = finished(await runTraining(holdout, io, { checkpointDir: join(dir, 'holdout') }));
    expect(io.sent.some((m) => (m.type === 'epoch' || m.type === 'progress') && m.fold !== undefined)).toBe(false);
    const stored = await readTestPredictions(end.artifactsDir);
    expect(stored.fold).toBeUndefined();
    const manifest = JSON.parse(readFileSync(join(end.artifactsDir, PREDICTIONS_FILE), 'utf8')) as PredictionManifest;
    expect(manifest.files.fold).toBeNull();
    // The holdout split itself is what prepareTrainingData always made.
    const data = prepareTrainingData(inputsOf(0.4), dataSpecOf(holdout));
    expect(stored.yTrue.length).toBe(sampleCount(data.test));
    const only = join(dir, 'written');
    await mkdir(only);
    await writeTestPredictions(only, data, { probs: new Float32Array(0), yTrue: new Int8Array(0), ts: new Float64Array(0), symbolIndex: new Int32Array(0) });
    expect((await readTestPredictions(only)).fold).toBeUndefined();
  });
});
