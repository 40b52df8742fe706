/**
 * Runs a market Monte Carlo (see marketMonteCarlo.ts): checks in the DB worker, predictions in a
 * short-lived training process (tfjs loads nowhere else), backtests of the paths in the DB worker,
 * the result saved beside the run. One at a time per backtest; cancellable; progress as
 * 'backtests.marketMonteCarloProgress' events (at most ~10 a second).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { MarketMonteCarlo, MarketMonteCarloRequest } from '../../src-shared/contract/backtests.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DbClient } from '../services/dbWorkerOps.js';
import type { EventBus } from '../services/eventBus.js';
import type { TrainingService } from '../training/host/trainingService.js';
import { marketMonteCarloFile, type PredictedMarketPaths } from './marketMonteCarlo.js';

const PROGRESS_INTERVAL_MS = 100;

export class MarketMonteCarloService {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly db: DbClient,
    private readonly training: Pick<TrainingService, 'predictMarketPaths'>,
    private readonly events: EventBus,
  ) {}

  async run(request: MarketMonteCarloRequest): Promise<MarketMonteCarlo> {
    const { backtestId } = request;
    if (this.running.has(backtestId)) throw new ContractFailure('CONFLICT', `The market of backtest ${backtestId} is already being resampled.`);
    const controller = new AbortController();
    this.running.set(backtestId, controller);
    try {
      const started = performance.now();
      const plan = await this.db.marketMonteCarloPlan(request);
      const paths: PredictedMarketPaths['paths'] = [];
      let lastEmit = 0;
      const emit = (done: number) => this.events.emit('backtests.marketMonteCarloProgress', { backtestId, done, total: request.paths });
      emit(0);
      const answer = await this.training.predictMarketPaths(
        plan.runId,
        { paths: request.paths, seed: request.seed, blockLength: plan.blockLength, noiseFraction: request.noise },
        (p) => {
          paths[p.path] = { probs: p.probs, lastClose: p.lastClose };
          const now = performance.now();
          if (now - lastEmit >= PROGRESS_INTERVAL_MS || p.path + 1 === request.paths) {
            lastEmit = now;
            emit(p.path + 1);
          }
        },
        controller.signal,
      );
      if (paths.length !== request.paths || paths.some((p) => p === undefined)) throw new ContractFailure('INTERNAL', `The model's process answered ${paths.length} of ${request.paths} paths.`);
      const computed = await this.db.marketMonteCarloBacktests({ ...request, blockLength: plan.blockLength }, { ...answer, paths }, Date.now());
      const result = { ...computed, seconds: (performance.now() - started) / 1000 };
      const run = await this.db.getRun(plan.runId);
      if (run) {
        const file = marketMonteCarloFile(run.checkpointDir, backtestId);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify(result));
      }
      return result;
    } finally {
      this.running.delete(backtestId);
    }
  }

  /** Stops every resampling in progress (the workspace is closing): their processes end, nothing is saved. */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** Stops a backtest's resampling in progress; false when none was running. */
  cancel(backtestId: number): boolean {
    const controller = this.running.get(backtestId);
    controller?.abort();
    return controller !== undefined;
  }
}
