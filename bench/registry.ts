import { contractBenchmark } from './contract.bench.js';
import type { Benchmark } from './types.js';

/** Every benchmark `candela bench` knows, in the order they run. */
export const benchmarks: Benchmark[] = [contractBenchmark];
