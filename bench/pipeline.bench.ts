import { buildSampleIndex, gatherWindows } from '../src-shared/compute/sampling/index.js';
import { result, type Benchmark } from './types.js';

const WINDOW = 64;
const FEATURES = 16;
const BATCH = 256;

/**
 * The data pipeline alone: gathering [256 × 64 × 16] windows from one shared feature matrix per
 * symbol, as the training loop does every batch. It must outrun training by ≥ 10×; the anchor is
 * the LSTM's training rate measured by the train benchmark's shapes in the same run.
 */
export const pipelineBenchmark: Benchmark = {
  prefix: 'pipeline',
  description: 'Batch gathering throughput (window 64 × 16 features, batch 256) from shared feature matrices',
  async run(ctx) {
    const rows = 200_000;
    const matrices = Array.from({ length: 4 }, (_, d) => Float32Array.from({ length: rows * FEATURES }, (_, i) => Math.sin(i * 0.001 + d)));
    const labels = new Int8Array(rows).fill(1);
    const index = buildSampleIndex(
      matrices.map(() => ({ rows, validFrom: 0, labels, splitRange: { start: WINDOW, end: rows } })),
      { window: WINDOW, balancePerSymbol: true, seed: 1 },
    );
    const out = new Float32Array(BATCH * WINDOW * FEATURES);
    const samples = Math.min(index.length / 2, 200_000);
    const started = performance.now();
    let done = 0;
    for (let b = 0; done < samples; b += BATCH) done += gatherWindows(matrices, index, b, BATCH, WINDOW, FEATURES, out);
    const rate = done / ((performance.now() - started) / 1000);
    ctx.log(`  gathered ${done} windows`);
    const { benchTraining } = await import('./train.bench.js');
    const lstm = (await benchTraining({ models: ['lstm'], quick: true })).find((f) => f.name === 'train.lstm.samplesPerSec')?.value ?? null;
    return [result('pipeline.gatherSamplesPerSec', rate, 'samples/s', { name: 'LSTM training rate on wasm (must be ≤ 1/10 of this)', value: lstm }, 'goal: ratio ≥ 10×')];
  },
};
