/**
 * Two sweep trials at once against the same two one after the other: the wall time from the
 * sweep's start until both trials have finished (the winner's test prediction, the same in both,
 * is left out). Each trial is its own training process on one core (wasm, one thread), so on a
 * machine with two free cores the ratio approaches 2; process start and data preparation, which
 * also run in parallel, keep it from being worse than that. The anchor is the sequential sweep
 * measured in the same run.
 */
import { join } from 'node:path';
import { writeGeneratedMarket } from '../src-main/datasets/writeGeneratedMarket.js';
import { createHeadlessServices } from '../test-support/headlessServices.js';
import { sweepSpecSchema, type SweepSpecInput } from '../src-shared/contract/sweeps.js';
import { builtTrainingWorker } from './paths.js';
import { result, type Benchmark, type BenchContext } from './types.js';

async function twoTrials(ctx: BenchContext, parallel: 1 | 2): Promise<number> {
  const services = await createHeadlessServices(join(ctx.tmpDir, `sweep-ws-${parallel}`), { trainingWorkerScript: builtTrainingWorker() });
  try {
    const gen = join(ctx.tmpDir, `sweep-gen-${parallel}`);
    await writeGeneratedMarket({ symbols: 2, bars: 10_000, timeframe: '5m', seed: 21, signal: 0.3, outDir: gen });
    await services.datasets.whenFinished((await services.datasets.startImport([gen])).jobId);
    const datasetIds = (await services.db.listDatasets()).map((d) => d.id);
    // The same seed and random sampler in both runs: the same two configurations are trained.
    const spec: SweepSpecInput = {
      base: { datasetIds, model: 'mlp', window: 32, hidden: 64, epochs: 3, batchSize: 128, patience: 100 },
      params: { lr: { float: [0.001, 0.003], log: true } },
      sampler: 'random',
      trials: 2,
      parallel,
      prune: 'none',
      seed: 5,
    };
    const t0 = performance.now();
    const sweepId = await services.sweeps.start(sweepSpecSchema.parse(spec));
    for (;;) {
      const trials = await services.db.listTrials(sweepId);
      if (trials.length === 2 && trials.every((t) => t.finishedSeq !== null)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    ctx.log(`sweep: two trials, ${parallel} at a time: ${seconds.toFixed(2)} s`);
    await services.sweeps.whenSettled(sweepId);
    return seconds;
  } finally {
    await services.close();
  }
}

export const sweepParallelBenchmark: Benchmark = {
  prefix: 'sweep',
  description: 'Wall time of two sweep trials in parallel against the same two in sequence (each trial its own training process)',
  async run(ctx) {
    const sequential = await twoTrials(ctx, 1);
    const parallel = await twoTrials(ctx, 2);
    return [
      result('sweep.twoTrialsParallel', parallel, 's', { name: 'the same two trials in sequence', value: sequential, higherIsBetter: false }, `speed-up ${(sequential / parallel).toFixed(2)}× on this machine`),
    ];
  },
};
