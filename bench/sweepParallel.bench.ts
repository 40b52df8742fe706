/**
 * Two sweep trials at once against the same two one after the other: the wall time from the
 * sweep's start until both trials have finished (the winner's test prediction, the same in both,
 * is left out). Each trial is its own training process; on a machine with two free cores the ratio
 * approaches 2, less the process starts and data preparation. The anchor is the sequential sweep,
 * measured in the same run on the same workspace. Each is measured twice, alternating, and the
 * faster of the two kept: on a shared machine a neighbour's burst then moves the figure less.
 */
import { join } from 'node:path';
import { writeGeneratedMarket } from '../src-main/datasets/writeGeneratedMarket.js';
import type { Services } from '../src-main/services/createServices.js';
import { createHeadlessServices } from '../test-support/headlessServices.js';
import { sweepSpecSchema } from '../src-shared/contract/sweeps.js';
import { builtTrainingWorker } from './paths.js';
import { result, type Benchmark, type BenchContext } from './types.js';

async function twoTrials(ctx: BenchContext, services: Services, datasetIds: number[], parallel: 1 | 2): Promise<number> {
  // The same seed and random sampler every time: the same two configurations are trained.
  const spec = sweepSpecSchema.parse({
    base: { datasetIds, model: 'mlp', window: 32, hidden: 64, epochs: 5, batchSize: 128, patience: 100 },
    params: { lr: { float: [0.001, 0.003], log: true } },
    sampler: 'random',
    trials: 2,
    parallel,
    prune: 'none',
    seed: 5,
  });
  const t0 = performance.now();
  const sweepId = await services.sweeps.start(spec);
  for (;;) {
    const trials = await services.db.listTrials(sweepId);
    if (trials.length === 2 && trials.every((t) => t.finishedSeq !== null)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  ctx.log(`sweep: two trials, ${parallel} at a time: ${seconds.toFixed(2)} s`);
  await services.sweeps.whenSettled(sweepId);
  return seconds;
}

export const sweepParallelBenchmark: Benchmark = {
  prefix: 'sweep',
  description: 'Wall time of two sweep trials in parallel against the same two in sequence (each trial its own training process)',
  async run(ctx) {
    const services = await createHeadlessServices(join(ctx.tmpDir, 'sweep-ws'), { trainingWorkerScript: builtTrainingWorker() });
    try {
      const gen = join(ctx.tmpDir, 'sweep-gen');
      await writeGeneratedMarket({ symbols: 2, bars: 20_000, timeframe: '5m', seed: 21, signal: 0.3, outDir: gen });
      await services.datasets.whenFinished((await services.datasets.startImport([gen])).jobId);
      const datasetIds = (await services.db.listDatasets()).map((d) => d.id);
      const sequential: number[] = [];
      const parallel: number[] = [];
      for (let i = 0; i < 2; i++) {
        sequential.push(await twoTrials(ctx, services, datasetIds, 1));
        parallel.push(await twoTrials(ctx, services, datasetIds, 2));
      }
      const seq = Math.min(...sequential);
      const par = Math.min(...parallel);
      return [result('sweep.twoTrialsParallel', par, 's', { name: 'the same two trials in sequence', value: seq, higherIsBetter: false }, `speed-up ${(seq / par).toFixed(2)}× (best of 2 each)`)];
    } finally {
      await services.close();
    }
  },
};
