/**
 * Holding the PyTorch anchor to the thread count it is asked for. `torch.set_num_threads(n)`
 * sizes PyTorch's own pool, but a BLAS with a pool of its own does not follow it: Debian's
 * python3-torch on libopenblas0-pthread (the BLAS the README asks for) runs its matrix products
 * on every core at `--threads 1`. On a 2-core machine here its "1-thread" LSTM used 1.99
 * CPU-seconds per second of its timed epochs and ran 8,126 samples/s, against 6,071 at 1.00
 * CPU-second per second with OPENBLAS_NUM_THREADS=1; its GRU 8,116 against 7,832. The 1-thread
 * anchor therefore runs with every pool held to one thread (train.bench.ts, BlasPools).
 */

/** The environment variables each BLAS (and OpenMP) reads for the size of its thread pool. */
const POOL_VARIABLES = ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS'] as const;

/** `base` with every BLAS and OpenMP pool sized to `threads`, for an anchor run at that count. */
export function anchorEnvironment(threads: number, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`an anchor runs on a whole number of threads ≥ 1, not ${threads}`);
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of POOL_VARIABLES) env[name] = String(threads);
  return env;
}

/**
 * Runs a Python script as `__main__` with its own arguments, then prints one more JSON line: the
 * CPU-seconds its whole process used (every thread, the BLAS's included) and the wall-seconds it
 * took, so the benchmark can show how many cores the anchor really kept busy.
 */
export const CPU_WRAPPER = [
  'import json, resource, runpy, sys, time',
  'script = sys.argv[1]',
  'sys.argv = sys.argv[1:]',
  't0 = time.perf_counter()',
  "runpy.run_path(script, run_name='__main__')",
  'wall = time.perf_counter() - t0',
  'use = resource.getrusage(resource.RUSAGE_SELF)',
  "print(json.dumps({'cpu_s': use.ru_utime + use.ru_stime, 'wall_s': wall}))",
].join('\n');

/** CPU-seconds per wall-second from the wrapper's line, or null where it printed none. */
export function coresBusy(stdout: string): number | null {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const parsed = JSON.parse(line) as { cpu_s?: unknown; wall_s?: unknown };
      if (typeof parsed.cpu_s === 'number' && typeof parsed.wall_s === 'number' && parsed.wall_s > 0) return parsed.cpu_s / parsed.wall_s;
    } catch {
      // Not the wrapper's line.
    }
  }
  return null;
}
