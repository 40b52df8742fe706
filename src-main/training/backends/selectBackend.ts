/**
 * Chooses the tfjs compute backend for a training process:
 * @tensorflow/tfjs-node-gpu → @tensorflow/tfjs-node → wasm → pure-JS cpu.
 *
 * The native packages download TensorFlow when installed and are optional; where that failed the
 * app still trains on wasm. Whether a GPU is really doing the work is reported separately,
 * because tfjs-node-gpu silently runs on the CPU when CUDA/cuDNN are not usable.
 */
import * as tfjs from '@tensorflow/tfjs';

import type { BackendPreference } from '../../../src-shared/contract/system.js';
import { initWasmBackend } from './wasmSetup.js';

/** What the user asked for (the contract's choices); 'auto' takes the first backend that loads. */
export type { BackendPreference };
/** A concrete backend. 'tensorflow-gpu' is native TensorFlow loaded from tfjs-node-gpu. */
export type BackendName = Exclude<BackendPreference, 'auto'>;
/** The tfjs namespace; tfjs-node re-exports it with extras this code does not use. */
export type TfNamespace = typeof tfjs;

/** One step of the search, kept so the UI can say why a faster backend was not used. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  error?: string;
}

/** The backend in use after {@link selectBackend}. */
export interface SelectedBackend {
  name: BackendName;
  tf: TfNamespace;
  gpu: { inUse: boolean; reason: string };
  attempts: BackendAttempt[];
  /** XNNPACK threads, for wasm. */
  threads?: number;
}

/** Options for {@link selectBackend}. */
export interface SelectBackendOptions {
  /** wasm threads (default 1). */
  wasmThreads?: number;
  /** Folder with the wasm binaries, when not next to the package. */
  wasmDir?: string;
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const NATIVE_PACKAGE: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** The tfjs-node backend object; `isUsingGpuDevice` is set from TensorFlow's device list. */
interface NativeBackend {
  isUsingGpuDevice?: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMissingPackage(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = messageOf(error);
  if (!message.includes(pkg)) return false;
  // Node says ERR_MODULE_NOT_FOUND; test runners and bundlers word it their own way.
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find|failed to (load|resolve)|not found/i.test(message);
}

async function importNative(pkg: string): Promise<TfNamespace> {
  // A non-literal specifier keeps bundlers and tsc from requiring the optional package to exist.
  const specifier: string = pkg;
  const mod = (await import(specifier)) as { default?: unknown };
  // tfjs-node re-exports @tensorflow/tfjs; through CommonJS interop it can sit under `default`.
  const ns = (typeof (mod as Partial<TfNamespace>).setBackend === 'function' ? mod : mod.default) as TfNamespace;
  if (typeof ns?.setBackend !== 'function') throw new Error(`${pkg} did not export the tfjs API`);
  return ns;
}

interface Loaded {
  tf: TfNamespace;
  gpu: { inUse: boolean; reason: string };
  threads?: number;
}

const loaders: Record<BackendName, (options: SelectBackendOptions) => Promise<Loaded>> = {
  async 'tensorflow-gpu'() {
    const pkg = NATIVE_PACKAGE['tensorflow-gpu'];
    const tf = await importNative(pkg);
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its 'tensorflow' backend did not initialise`);
    const usingGpu = (tf.backend() as unknown as NativeBackend).isUsingGpuDevice === true;
    return {
      tf,
      gpu: usingGpu
        ? { inUse: true, reason: 'TensorFlow (tfjs-node-gpu) found a CUDA GPU device' }
        : {
            inUse: false,
            reason:
              'tfjs-node-gpu loaded but TensorFlow lists no GPU device, so it runs on the CPU ' +
              '(it needs an NVIDIA driver with CUDA 11.2 and cuDNN 8.1 libraries on the library path)',
          },
    };
  },
  async tensorflow() {
    const pkg = NATIVE_PACKAGE.tensorflow;
    const tf = await importNative(pkg);
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its 'tensorflow' backend did not initialise`);
    return { tf, gpu: { inUse: false, reason: 'native TensorFlow CPU build (@tensorflow/tfjs-node) has no GPU support' } };
  },
  async wasm(options) {
    const info = await initWasmBackend({ threads: options.wasmThreads, dir: options.wasmDir });
    return { tf: tfjs, threads: info.threads, gpu: { inUse: false, reason: 'the wasm backend runs on the CPU only' } };
  },
  async cpu() {
    if (!(await tfjs.setBackend('cpu'))) throw new Error("tfjs's pure-JavaScript cpu backend did not initialise");
    return { tf: tfjs, gpu: { inUse: false, reason: 'the pure-JavaScript cpu backend runs on the CPU only' } };
  },
};

function explainFailure(backend: BackendName, error: unknown): string {
  if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
    const pkg = NATIVE_PACKAGE[backend];
    // npm can keep the package folder of an optional dependency whose libtensorflow download
    // failed: the binding is missing, which for the user is the same as not installed.
    if (isMissingPackage(error, pkg) || /tfjs_binding\.node\) can not be found/.test(messageOf(error))) return `${pkg} is not installed (its native TensorFlow download failed or was skipped)`;
    return `${pkg} failed to load: ${messageOf(error)}`;
  }
  return `${backend} backend failed: ${messageOf(error)}`;
}

let lastSelected: SelectedBackend | null = null;

/**
 * Loads and activates a tfjs backend. With 'auto' it walks tfjs-node-gpu → tfjs-node → wasm →
 * cpu and keeps the first that loads; a named backend that fails throws (no silent fallback).
 * Sets TF_FORCE_GPU_ALLOW_GROWTH so TensorFlow does not reserve all GPU memory up front.
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  options: SelectBackendOptions = {},
): Promise<SelectedBackend> {
  process.env.TF_FORCE_GPU_ALLOW_GROWTH = 'true';
  const candidates = preference === 'auto' ? ORDER : [preference];
  const attempts: BackendAttempt[] = [];
  for (const backend of candidates) {
    try {
      const loaded = await loaders[backend](options);
      attempts.push({ backend, ok: true });
      let gpu = loaded.gpu;
      // When the GPU package was not what we ended on, its failure is the reason there is no GPU.
      const gpuFailure = attempts.find((a) => a.backend === 'tensorflow-gpu' && !a.ok);
      if (backend !== 'tensorflow-gpu' && gpuFailure?.error) gpu = { inUse: false, reason: gpuFailure.error };
      lastSelected = { name: backend, tf: loaded.tf, gpu, attempts, threads: loaded.threads };
      return lastSelected;
    } catch (error) {
      const explained = explainFailure(backend, error);
      attempts.push({ backend, ok: false, error: explained });
      if (preference !== 'auto') {
        throw new Error(`The '${backend}' compute backend was requested but is unavailable: ${explained}`, { cause: error });
      }
    }
  }
  throw new Error(`No tfjs compute backend could be loaded: ${attempts.map((a) => a.error).join('; ')}`);
}

const LABEL: Record<BackendName, string> = {
  'tensorflow-gpu': 'TensorFlow',
  tensorflow: 'TensorFlow',
  wasm: 'wasm',
  cpu: 'cpu (JavaScript)',
};

/**
 * One line for the UI, e.g. "wasm · CPU — native TensorFlow not installed" or
 * "TensorFlow · GPU". Describes the last selection when called without an argument.
 */
export function describeBackend(selected: SelectedBackend | null = lastSelected): string {
  if (!selected) return 'no compute backend selected yet';
  const device = selected.gpu.inUse ? 'GPU' : 'CPU';
  const threads = selected.name === 'wasm' && selected.threads ? `, ${selected.threads} thread${selected.threads === 1 ? '' : 's'}` : '';
  const head = `${LABEL[selected.name]} · ${device}${threads}`;
  if (selected.gpu.inUse) return head;
  const nativeMissing = selected.attempts.some((a) => !a.ok && a.error?.includes('is not installed'));
  if (selected.name === 'wasm' || selected.name === 'cpu') {
    return nativeMissing ? `${head} — native TensorFlow not installed` : `${head} — ${selected.gpu.reason}`;
  }
  if (selected.name === 'tensorflow-gpu') return `${head} — no usable CUDA GPU, TensorFlow runs on the CPU`;
  return `${head} — ${selected.gpu.reason}`;
}
