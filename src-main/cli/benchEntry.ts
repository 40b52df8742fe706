/**
 * What the benchmarks bundle (dist/bench/bench.mjs, built from bench/main.ts) exports for
 * `candela bench`. The CLI loads that bundle by path at run time, so no benchmark code ships in
 * cli.mjs and src-main never imports bench/; bench/main.ts checks itself against this type.
 */
export interface BenchOptions {
  json?: boolean;
  only?: string;
  list?: boolean;
}

export interface BenchEntry {
  /** Runs the selected benchmarks and prints them; resolves to the exit status. */
  runBenchmarks(opts: BenchOptions): Promise<number>;
}
