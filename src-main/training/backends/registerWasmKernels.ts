/**
 * Installs the project's kernels on the tfjs 'wasm' backend: the gradient kernels it lacks and
 * faster BatchMatMul / Concat / Identity / Cast / Slice variants (see wasmFastKernels.ts for why).
 */
import * as tf from '@tensorflow/tfjs';

import { fastBatchMatMulConfig, fastConcatConfig, fastConv2DConfig, inPlaceSliceConfigs, sharedCastConfig, sharedIdentityConfig } from './wasmFastKernels.js';
import { missingGradientKernelConfigs } from './wasmGradientKernels.js';
import { fastMeanConfig, fastSumConfig, fastTransposeConfig } from './wasmLayoutKernels.js';

/** What {@link registerWasmTrainingKernels} did, for logs and the System page. */
export interface WasmKernelReport {
  /** Kernels the backend did not have and the project supplied. */
  supplied: string[];
  /** Kernels the backend had and the project replaced with a faster variant. */
  replaced: string[];
}

let installed: WasmKernelReport | null = null;

/**
 * Registers the project's wasm kernels once per process. Requires @tensorflow/tfjs-backend-wasm
 * to have been imported (its kernels must be registered); safe to call before or after the
 * backend is initialised, since each replacement keeps the original's setup function.
 */
export function registerWasmTrainingKernels(options: { fastKernels?: boolean } = {}): WasmKernelReport {
  if (installed) return installed;
  const report: WasmKernelReport = { supplied: [], replaced: [] };
  for (const config of missingGradientKernelConfigs()) {
    if (tf.getKernel(config.kernelName, 'wasm') != null) continue;
    tf.registerKernel(config);
    report.supplied.push(config.kernelName);
  }
  if (options.fastKernels !== false) {
    // Transpose first: the BatchMatMul replacement calls whichever Transpose is registered when it is built.
    for (const config of [fastTransposeConfig(), fastSumConfig(), fastMeanConfig()]) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
      report.replaced.push(config.kernelName);
    }
    // Build every replacement before unregistering anything: they capture the originals.
    for (const config of [fastBatchMatMulConfig(), fastConv2DConfig(), fastConcatConfig(), sharedIdentityConfig(), sharedCastConfig(), ...inPlaceSliceConfigs()]) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
      report.replaced.push(config.kernelName);
    }
  }
  installed = report;
  return report;
}
