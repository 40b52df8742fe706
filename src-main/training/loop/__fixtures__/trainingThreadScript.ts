/**
 * The training thread bundled from source for tests (vitest runs TypeScript; a worker thread
 * cannot): esbuild writes it under node_modules/.cache so that its package imports resolve.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { recurrentKernelDefines } from '../../kernels/compileKernels.mjs';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Bundles src-main/training/loop/trainingThread.ts once per process and returns the bundle's path. */
let bundled: Promise<string> | null = null;
export function trainingThreadScript(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(root, 'node_modules/.cache/candela-tests', String(process.pid));
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'training-thread.mjs');
    await build({
      entryPoints: [join(root, 'src-main/training/loop/trainingThread.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'warning',
      // As scripts/build.mjs does (both builds): the threads' LSTM/GRU layers run the same fused kernels as the test's thread.
      define: await recurrentKernelDefines(),
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return outfile;
  })();
  return bundled;
}
