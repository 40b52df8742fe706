/**
 * Loads @tensorflow/tfjs-backend-wasm in Node and Electron: points it at its `.wasm` binaries
 * on disk (bundling moves the JS away from them) and fixes the XNNPACK thread count.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { registerWasmTrainingKernels, type WasmKernelReport } from './registerWasmKernels.js';

/** The binary the backend will pick on this machine (SIMD is available in every supported Node). */
const WASM_BINARIES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'];

/**
 * Folder holding the wasm binaries: `CANDELA_TFJS_WASM_DIR` when set (packaged apps unpack them
 * outside the asar archive), otherwise the installed package's `dist/` folder.
 */
export function locateWasmBinaries(explicitDir?: string): string {
  const fromEnv = explicitDir ?? process.env.CANDELA_TFJS_WASM_DIR;
  if (fromEnv) return fromEnv;
  // import.meta.url is absent once esbuild has turned this module into CommonJS.
  const base = typeof import.meta.url === 'string' ? import.meta.url : path.join(process.cwd(), 'package.json');
  const entry = createRequire(base).resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(entry);
}

/** Result of {@link initWasmBackend}. */
export interface WasmBackendInfo {
  dir: string;
  threads: number;
  simd: boolean;
  kernels: WasmKernelReport;
}

let initialised: WasmBackendInfo | null = null;

/**
 * Makes 'wasm' the active tfjs backend. Single-threaded unless `threads` says otherwise: the
 * app runs several training processes and XNNPACK threads would fight over the same cores.
 * Throws with the reason when the binaries are missing or fail to instantiate.
 */
export async function initWasmBackend(options: { threads?: number; dir?: string } = {}): Promise<WasmBackendInfo> {
  if (initialised) {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend was initialised before but cannot be selected again');
    return initialised;
  }
  const dir = locateWasmBinaries(options.dir);
  const present = WASM_BINARIES.filter((name) => existsSync(path.join(dir, name)));
  if (present.length === 0) {
    throw new Error(`the wasm backend's binaries (${WASM_BINARIES.join(', ')}) are not in ${dir}`);
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // A path prefix (not a URL) is what Emscripten's Node loader reads with fs.
  wasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
  wasm.setThreadsCount(Math.max(1, Math.floor(options.threads ?? 1)));
  const kernels = registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) {
    throw new Error(`the wasm backend failed to initialise from ${dir} (see the warning above for the cause)`);
  }
  initialised = {
    dir,
    threads: wasm.getThreadsCount(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') === true,
    kernels,
  };
  return initialised;
}
