import { contractBenchmark } from './contract.bench.js';
import { importBenchmark, viewportBenchmark } from './datasets.bench.js';
import type { Benchmark } from './types.js';

/** Every benchmark `candela bench` knows, in the order they run. */
export const benchmarks: Benchmark[] = [importBenchmark, viewportBenchmark, contractBenchmark];
