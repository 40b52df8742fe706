/**
 * Training on the webgpu backend (Dawn). On this kind of machine the adapter is Mesa's software
 * Vulkan device llvmpipe, which runs the very shaders a GPU would, on the CPU: slow, so the shapes
 * are tiny, and one file keeps every compiled shader in one process.
 *
 * Tolerances against the cpu backend: one epoch is a few dozen Adam steps, and both backends do
 * float32 arithmetic in a different order (GPU reductions are tree-shaped), so losses and metrics
 * agree to rounding that grows with the steps. Measured on llvmpipe: at most 6e-8 on the first
 * epoch's training loss of any model kind; the bound 1e-3 leaves room for a hardware GPU's fused
 * multiply-adds and reduction orders while still failing on a wrong kernel (a wrong gradient moves
 * the loss by 1e-2 or more within an epoch). Accuracies are counts over a few hundred samples: a
 * sample near p = 0.5 flipped by rounding moves them by 1/n, so they may differ by 2/n.
 *
 * Time on the 2-core development machine: about 60 s for the file, 35 s of it the leak detector's
 * two 6-epoch runs; the first run on a machine also compiles every shader (Mesa caches them on disk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import type { Prerequisite } from '../../../test-support/prerequisites.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import type { EpochMetrics, LoopSettings } from '../loop/loopTypes.js';
import { prepareTrainingData, type PreparedData } from '../loop/prepareTrainingData.js';
import { nullTolerance, trainAndTest } from '../loop/__fixtures__/leakDetectorRun.js';
import { nextBarSpec, syntheticTrainingInputs } from '../loop/__fixtures__/syntheticInputs.js';
import { TrainingLoop } from '../loop/trainingLoop.js';
import { MODEL_KINDS, type ModelKind } from '../models/config.js';
import type { BackendMemory } from './backendMemory.js';
import { describeBackend, selectBackend } from './selectBackend.js';
import { findGpuAdapter, isSoftwareAdapter, webgpuDeviceForTests } from './webgpuSetup.js';

const LOSS_TOLERANCE = 1e-3;

const found = await findGpuAdapter().then(
  (f) => f.description,
  (e: Error) => e.message,
);

const webgpuDevice: Prerequisite = {
  what: 'a WebGPU adapter (a GPU driver, or the software Vulkan device llvmpipe)',
  met: typeof found !== 'string',
  why:
    `${String(found)}. On Debian 12 as root: add the bookworm-backports suite and ` +
    '`apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1` (.ci/run does this)',
};

describe('software adapters count as CPU', () => {
  it('recognises llvmpipe, lavapipe, SwiftShader and WARP, and not a hardware GPU', () => {
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', description: 'Google SwiftShader' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'lavapipe' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XTX (RADV NAVI31)' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' })).toBe(false);
  });
});

function settingsFor(kind: ModelKind, data: PreparedData, epochs = 1): LoopSettings {
  return {
    model: { kind, window: data.window, features: data.features, classes: data.classes, hidden: 8, layers: 1, heads: 2, dropout: 0, magnitudeHead: true, seed: 5 },
    optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 1e-2, clipNorm: 1 },
    schedule: { kind: 'constant' },
    epochs,
    batchSize: 64,
    patience: 0,
    magnitudeWeight: 0.5,
    seed: 9,
  };
}

/** Trains a fresh loop; `memory` is the backend's tensor memory from the last progress report. */
async function trainOn(backend: 'webgpu' | 'cpu' | 'wasm', data: PreparedData, settings: LoopSettings): Promise<EpochMetrics[] & { memory?: BackendMemory }> {
  await selectBackend(backend);
  let memory: BackendMemory | undefined;
  const loop = new TrainingLoop(data, settings, { progressIntervalMs: 0, onProgress: (p) => (memory = p.memory) });
  const history = (await loop.run()).history;
  loop.dispose();
  return Object.assign(history, { memory });
}

function expectClose(actual: EpochMetrics[], expected: EpochMetrics[], samples: { train: number; val: number }): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((m, i) => {
    const e = expected[i]!;
    expect(Math.abs(m.trainLoss - e.trainLoss), `epoch ${m.epoch} trainLoss`).toBeLessThanOrEqual(LOSS_TOLERANCE);
    expect(Math.abs(m.valLoss - e.valLoss), `epoch ${m.epoch} valLoss`).toBeLessThanOrEqual(LOSS_TOLERANCE);
    expect(Math.abs(m.trainAcc - e.trainAcc), `epoch ${m.epoch} trainAcc`).toBeLessThanOrEqual(2 / samples.train);
    expect(Math.abs(m.valAcc - e.valAcc), `epoch ${m.epoch} valAcc`).toBeLessThanOrEqual(2 / samples.val);
  });
}

describe('training on webgpu', () => {
  if (!requirePrerequisite(webgpuDevice)) return;
  const adapter = found as Exclude<typeof found, string>;
  // A small next-bar set with the magnitude head's targets: every model kind trains with the head.
  const data = prepareTrainingData(syntheticTrainingInputs({ symbols: 1, bars: 700, signal: 0.3, seed: 4 }), { ...nextBarSpec(2), magnitudeHead: true });
  const samples = { train: sampleCount(data.train), val: sampleCount(data.val) };
  const dir = mkdtempSync(join(tmpdir(), 'candela-webgpu-'));

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tf.setBackend('cpu');
  });

  it('describes the adapter, and calls a software one so', async () => {
    const selected = await selectBackend('webgpu');
    expect(selected.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(selected.adapter).toEqual(adapter);
    expect(adapter.maxStorageBufferBindingSize).toBeGreaterThan(0);
    const label = describeBackend(selected);
    expect(label).toContain(adapter.description);
    if (/llvmpipe|lavapipe|swiftshader/i.test(adapter.description)) expect(adapter.hardware).toBe(false);
    if (adapter.hardware) {
      expect(label).toBe(`WebGPU · GPU (${adapter.vendor} ${adapter.architecture}, ${adapter.description})`);
      expect(selected.gpu.inUse).toBe(true);
    } else {
      expect(label).toMatch(/^WebGPU · software \(/);
      expect(selected.gpu.inUse).toBe(false);
    }
  });

  it('auto selection never picks a software adapter', async ({ skip }) => {
    if (adapter.hardware) skip('this machine has a hardware WebGPU adapter');
    const selected = await selectBackend('auto');
    expect(selected.name).not.toBe('webgpu');
    const attempt = selected.attempts.find((a) => a.backend === 'webgpu');
    expect(attempt?.ok).toBe(false);
    expect(attempt?.error).toContain(`the WebGPU adapter is software (${adapter.description})`);
    expect(describeBackend(selected)).toContain('WebGPU adapter is software');
  });

  it.each(MODEL_KINDS)('%s (with the magnitude head) trains one epoch with losses within 1e-3 of the cpu backend', async (kind) => {
    const settings = settingsFor(kind, data);
    const gpu = await trainOn('webgpu', data, settings);
    const cpu = await trainOn('cpu', data, settings);
    console.log(`${kind}: webgpu trainLoss ${gpu[0]!.trainLoss.toFixed(6)} vs cpu ${cpu[0]!.trainLoss.toFixed(6)} (Δ ${Math.abs(gpu[0]!.trainLoss - cpu[0]!.trainLoss).toExponential(1)})`);
    expect(gpu.every((m) => Number.isFinite(m.trainLoss) && Number.isFinite(m.valLoss))).toBe(true);
    // What the resource panel shows: the tensors' bytes on the GPU, and the buffers the backend holds.
    expect(gpu.memory).toMatchObject({ backend: 'webgpu', onGpu: true });
    expect(gpu.memory!.bytesInUse).toBeGreaterThan(0);
    expect(gpu.memory!.bytesAllocated).toBeGreaterThanOrEqual(gpu.memory!.bytesInUse);
    expect(cpu.memory).toMatchObject({ backend: 'cpu', onGpu: false, bytesAllocated: null });
    expectClose(gpu, cpu, samples);
  });

  it('stays at the baseline on a random walk and finds the planted signal (the leak detector on webgpu)', async () => {
    await selectBackend('webgpu');
    const random = await trainAndTest(0);
    const planted = await trainAndTest(0.4);
    console.log(`webgpu null: ${(100 * random.accuracy).toFixed(2)}% vs ${(100 * random.baselineAccuracy).toFixed(2)}%; planted: ${(100 * planted.accuracy).toFixed(2)}% vs ${(100 * planted.baselineAccuracy).toFixed(2)}%`);
    expect(Math.abs(random.accuracy - random.baselineAccuracy)).toBeLessThan(nullTolerance(random));
    expect(planted.accuracy - planted.baselineAccuracy).toBeGreaterThan(0.05);
    // ~18 s on the 2-core machine's software device: the default minute is too close under load.
  }, 180_000);

  it.each([
    ['webgpu', 'webgpu'],
    ['webgpu', 'wasm'],
    ['wasm', 'webgpu'],
  ] as const)('a run paused on %s resumes on %s and ends where an uninterrupted run does', async (first, second) => {
    const settings = settingsFor('gru', data, 3);
    const reference = await trainOn('cpu', data, settings);
    const checkpoints = join(dir, `${first}-${second}`);
    await selectBackend(first);
    const paused = new TrainingLoop(data, settings, { checkpointDir: checkpoints, progressIntervalMs: 0, onProgress: (p) => p.epoch === 2 && p.batch === 2 && paused.pause() });
    expect((await paused.run()).status).toBe('paused');
    paused.dispose();
    await selectBackend(second);
    const resumed = await TrainingLoop.resumeFromCheckpoint(checkpoints, data);
    const outcome = await resumed.run();
    resumed.dispose();
    expect(outcome.status).toBe('completed');
    expectClose(outcome.history, reference, samples);
  });

  it('a tensor larger than the adapter takes fails the run with the reason and what to change', async () => {
    const long = prepareTrainingData(syntheticTrainingInputs({ symbols: 1, bars: 1400, signal: 0, seed: 6 }), { ...nextBarSpec(3), window: 512 });
    // Attention scores of 64 windows × 4 heads × 512² steps: 256 MiB in one tensor.
    const settings = { ...settingsFor('transformer', long), model: { ...settingsFor('transformer', long).model, heads: 4, magnitudeHead: false }, magnitudeWeight: 0 };
    await selectBackend('webgpu');
    const loop = new TrainingLoop(long, settings);
    const fits = adapter.maxStorageBufferBindingSize >= 64 * 4 * 512 * 512 * 4;
    if (fits) await expect(loop.run()).resolves.toMatchObject({ status: 'completed' });
    else await expect(loop.run()).rejects.toThrow(/larger than the maximum storage buffer binding size.*Lower the batch size or the window/);
    loop.dispose();
    // An error spoils its step, not the device: the next run trains.
    expect((await trainOn('webgpu', data, settingsFor('mlp', data)))[0]!.trainLoss).toBeGreaterThan(0);
  });

  // Last: the device is gone afterwards, for the rest of this process.
  it('a lost device fails the run with the reason, and the last checkpoint resumes on wasm', async () => {
    const settings = settingsFor('mlp', data, 3);
    const checkpoints = join(dir, 'lost');
    await selectBackend('webgpu');
    const loop = new TrainingLoop(data, settings, {
      checkpointDir: checkpoints,
      progressIntervalMs: 0,
      onProgress: (p) => p.epoch === 2 && p.batch === 2 && webgpuDeviceForTests()?.destroy(),
    });
    await expect(loop.run()).rejects.toThrow(`The GPU device (${adapter.description}) was lost`);
    await selectBackend('wasm');
    const resumed = await TrainingLoop.resumeFromCheckpoint(checkpoints, data);
    const outcome = await resumed.run();
    resumed.dispose();
    expect(outcome.status).toBe('completed');
    expect(outcome.history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expectClose(outcome.history, await trainOn('cpu', data, settings), samples);
  });
});
