import { benchBacktest } from './backtest.bench.js';
import { contractBenchmark } from './contract.bench.js';
import { cliBenchmark, journeyBenchmark } from './cli.bench.js';
import { importBenchmark, readDuringImportBenchmark, viewportBenchmark } from './datasets.bench.js';
import { pipelineBenchmark } from './pipeline.bench.js';
import { runsBenchmark } from './runs.bench.js';
import { trainBenchmark, trainEndToEndBenchmark } from './train.bench.js';
import { sweepParallelBenchmark } from './sweepParallel.bench.js';
import { result, type Benchmark } from './types.js';

/** The backtest engine's bar-loop throughput; vectorbt's published M1 figure is no same-run anchor, so none is shown. */
const backtestBenchmark: Benchmark = {
  prefix: 'backtest',
  description: 'Backtest engine bar-steps/s with stops, targets, fees, slippage and funding on (goal ≥ 50M/s on one core)',
  run: async () => benchBacktest().map((r) => result(r.name, r.value, r.unit)),
};

/** Every benchmark `candela bench` knows, in the order they run. */
export const benchmarks: Benchmark[] = [importBenchmark, viewportBenchmark, readDuringImportBenchmark, journeyBenchmark, cliBenchmark, trainBenchmark, trainEndToEndBenchmark, pipelineBenchmark, backtestBenchmark, contractBenchmark, sweepParallelBenchmark, runsBenchmark];
