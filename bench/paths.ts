import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The built CLI beside this bundle (dist/bench/bench.mjs → dist/main/cli.mjs), for benchmarks that time a whole CLI process. */
export const builtCliScript = (): string => resolve(here, '../main/cli.mjs');

/** ../shared/anchors beside the repository, unless CANDELA_ANCHORS says otherwise. */
export function findAnchorsDir(): string | null {
  if (process.env.CANDELA_ANCHORS) return resolve(process.env.CANDELA_ANCHORS);
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, '..', 'shared', 'anchors');
    if (existsSync(candidate)) return resolve(candidate);
    dir = dirname(dir);
  }
  return null;
}

/** The built training worker beside this bundle (dist/main/training-worker.mjs), for benchmarks that train through the services. */
export const builtTrainingWorker = (): string => resolve(here, '../main/training-worker.mjs');

/** The built data-parallel training thread beside this bundle (dist/main/training-thread.mjs). */
export const builtTrainingThread = (): string => resolve(here, '../main/training-thread.mjs');
