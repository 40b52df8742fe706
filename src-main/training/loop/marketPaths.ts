/**
 * The model's test predictions on resampled markets: for a Monte Carlo of a backtest in which the
 * signals react to each new path. Per path (`resampleMarket`, src-shared/compute/analytics/marketPaths.ts):
 * the run's own features recomputed on the path's candles, standardized with the run's standardizer
 * (fitted on the real training rows, which every path keeps), the final model's class probabilities
 * at the same test samples. Runs in the training process: the only one that loads tfjs.
 *
 * Holdout runs only: a walk-forward run's test predictions come from one model per fold, and only
 * the last fold's model is kept in final/, so its signals could not be recomputed faithfully.
 */
import { join } from 'node:path';

import { resampleMarket, type MarketPathSpec, type MarketSymbol } from '../../../src-shared/compute/analytics/marketPaths.js';
import { applyStandardizer } from '../../../src-shared/compute/splits/index.js';
import { describeBackend, selectBackend } from '../backends/selectBackend.js';
import { readModelFiles } from './checkpoint.js';
import { DEFAULT_CLIP_STD } from './dataSpec.js';
import { predictTest } from './predictTest.js';
import { featureMatricesOf, prepareTrainingData, type TrainingInput } from './prepareTrainingData.js';
import { dataSpecOf, type TrainingRunConfig } from './runConfig.js';
import { runSymbolLabels } from './runSymbols.js';
import type { TrainingIo } from './runTraining.js';
import type { WorkerToHost } from '../protocol.js';

export type MarketPathsEnd = Extract<WorkerToHost, { type: 'marketPathsDone' } | { type: 'failed' }>;

/**
 * Sends 'ready', one 'marketPath' per path (in path order) and 'marketPathsDone', or 'failed' with
 * a sentence. Never throws. The host cancels by ending the process.
 */
export async function predictMarketPaths(
  config: TrainingRunConfig,
  io: Pick<TrainingIo, 'loadCandles' | 'send'>,
  place: { checkpointDir: string },
  request: MarketPathSpec & { paths: number },
): Promise<MarketPathsEnd> {
  let model: Awaited<ReturnType<typeof readModelFiles>> | null = null;
  const end = (message: MarketPathsEnd): MarketPathsEnd => {
    io.send(message);
    return message;
  };
  try {
    if (config.data.validation === 'walk-forward') {
      throw new Error('a walk-forward run predicts each fold with its own model and keeps only the last one, so its signals cannot be recomputed on another market; resample the market of a holdout run');
    }
    const backend = await selectBackend(config.backend);
    io.send({ type: 'ready', backend: backend.name, gpu: backend.gpu.inUse, description: describeBackend(backend) });
    const inputs: TrainingInput[] = [];
    for (const datasetId of config.datasets) inputs.push({ datasetId, ...(await io.loadCandles(datasetId)) });
    runSymbolLabels(inputs.map((i) => ({ id: i.datasetId, symbol: i.symbol }))).forEach((label, k) => (inputs[k]!.symbol = label));
    const spec = dataSpecOf(config);
    // The real run's data: its splits, standardizer and test samples (each path keeps them all).
    const data = prepareTrainingData(inputs, spec);
    model = await readModelFiles(join(place.checkpointDir, 'final'));

    const testStarts = inputs.map(() => Number.POSITIVE_INFINITY);
    for (let i = 0; i < data.test.length; i += 2) testStarts[data.test[i]!] = Math.min(testStarts[data.test[i]!]!, data.test[i + 1]!);
    const symbols: MarketSymbol[] = inputs.map((input, s) => {
      if (!Number.isFinite(testStarts[s])) throw new Error(`${input.symbol} has no test sample to predict`);
      return { candles: input.candles, testStart: testStarts[s]! };
    });
    const clip = spec.clipStd ?? DEFAULT_CLIP_STD;
    for (let p = 0; p < request.paths; p++) {
      const market = resampleMarket(symbols, request, p);
      const matrices = featureMatricesOf(
        market.map((candles, s) => ({ ...inputs[s]!, candles })),
        spec,
      ).map((fm) => applyStandardizer(fm.data, fm.rows, data.features, data.standardizer, fm.data, clip));
      const predicted = await predictTest(model, { ...data, matrices });
      io.send({ type: 'marketPath', path: p, probs: predicted.probs, lastClose: market.map((c) => c.close[c.close.length - 1]!) });
    }
    return end({ type: 'marketPathsDone', paths: request.paths, classes: data.classes, ts: data.testSamples.ts.slice(), symbolIndex: data.testSamples.symbolIndex.slice(), testStarts: testStarts as number[] });
  } catch (error) {
    return end({ type: 'failed', reason: `The market could not be resampled: ${error instanceof Error ? error.message : String(error)}` });
  } finally {
    model?.dispose();
  }
}
