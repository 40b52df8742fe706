import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built pieces live relative to the bundled CLI (dist/main/cli.mjs). Only meaningful
 * in the build; tests that need them run against `dist/`.
 */
export const builtPaths = () => {
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    cliScript: resolve(here, 'cli.mjs'),
    dbWorker: resolve(here, 'db-worker.mjs'),
    trainingWorker: resolve(here, 'training-worker.mjs'),
    rendererDir: resolve(here, '../renderer'),
    benchScript: resolve(here, '../bench/bench.mjs'),
  };
};

export const isBuilt = (): boolean => existsSync(builtPaths().dbWorker);
