/**
 * Chooses the tfjs compute backend for a training process:
 * @tensorflow/tfjs-node-gpu (CUDA) → webgpu (Dawn, any GPU with a Vulkan/Metal/D3D12 driver) →
 * @tensorflow/tfjs-node → wasm → pure-JS cpu.
 *
 * The native packages download TensorFlow when installed and are optional; where that failed the
 * app still trains on wasm. Whether a GPU is really doing the work is reported separately,
 * because tfjs-node-gpu silently runs on the CPU when CUDA/cuDNN are not usable, and a WebGPU
 * adapter can be a software rasteriser (llvmpipe), which 'auto' never picks.
 */
import * as tfjs from '@tensorflow/tfjs';

import type { BackendPreference } from '../../../src-shared/contract/system.js';
import { initWasmBackend } from './wasmSetup.js';
import { findGpuAdapter, initWebGpuBackend, type GpuAdapterDescription } from './webgpuSetup.js';

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
  /** The WebGPU adapter Dawn found (also when it was not used), null where none was found or asked for. */
  adapter: GpuAdapterDescription | null;
}

/** Options for {@link selectBackend}. */
export interface SelectBackendOptions {
  /** wasm threads (default 1). */
  wasmThreads?: number;
  /** Folder with the wasm binaries, when not next to the package. */
  wasmDir?: string;
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
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

/** Where the search stands: 'auto' refuses a software WebGPU adapter; the adapter is kept for the report. */
interface SearchState {
  auto: boolean;
  adapter: GpuAdapterDescription | null;
}

function adapterName(a: GpuAdapterDescription): string {
  return `${a.vendor} ${a.architecture}, ${a.description}`;
}

const loaders: Record<BackendName, (options: SelectBackendOptions, state: SearchState) => Promise<Loaded>> = {
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
  async webgpu(_options, state) {
    const { description } = await findGpuAdapter();
    state.adapter = description;
    if (!description.hardware && state.auto) {
      throw new Error(
        `the WebGPU adapter is software (${description.description}): it computes on the CPU, slower than the CPU backends, so it is used only when asked for (--backend webgpu)`,
      );
    }
    await initWebGpuBackend();
    return {
      tf: tfjs,
      gpu: description.hardware
        ? { inUse: true, reason: `WebGPU (Dawn) on the GPU ${adapterName(description)}` }
        : { inUse: false, reason: `the WebGPU adapter is software (${description.description}), it computes on the CPU` },
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
  if (backend === 'webgpu') return messageOf(error);
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
  const auto = preference === 'auto';
  const candidates = auto ? ORDER : [preference];
  const attempts: BackendAttempt[] = [];
  const state: SearchState = { auto, adapter: null };
  // tfjs-node-gpu without a CUDA device is TensorFlow on the CPU: kept in reserve while WebGPU is tried.
  let cudaLess: { loaded: Loaded; attempt: BackendAttempt } | null = null;
  const choose = (backend: BackendName, loaded: Loaded): SelectedBackend => {
    let gpu = loaded.gpu;
    // When a GPU path was not what we ended on, its failure is the reason there is no GPU.
    const gpuFailures = attempts.filter((a) => (a.backend === 'tensorflow-gpu' || a.backend === 'webgpu') && a.error).map((a) => a.error);
    if (!gpu.inUse && backend !== 'webgpu' && gpuFailures.length > 0) gpu = { inUse: false, reason: gpuFailures.join('; ') };
    lastSelected = { name: backend, tf: loaded.tf, gpu, attempts, threads: loaded.threads, adapter: state.adapter };
    return lastSelected;
  };
  for (const backend of candidates) {
    if (cudaLess && backend !== 'webgpu') {
      await cudaLess.loaded.tf.setBackend('tensorflow');
      // Loaded after all, with its note on why TensorFlow found no CUDA device.
      cudaLess.attempt.ok = true;
      return choose('tensorflow-gpu', cudaLess.loaded);
    }
    try {
      const loaded = await loaders[backend](options, state);
      if (auto && backend === 'tensorflow-gpu' && !loaded.gpu.inUse) {
        cudaLess = { loaded, attempt: { backend, ok: false, error: loaded.gpu.reason } };
        attempts.push(cudaLess.attempt);
        continue;
      }
      attempts.push({ backend, ok: true });
      return choose(backend, loaded);
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
  webgpu: 'WebGPU',
  tensorflow: 'TensorFlow',
  wasm: 'wasm',
  cpu: 'cpu (JavaScript)',
};

/**
 * One line for the UI, e.g. "wasm · CPU — native TensorFlow not installed" or
 * "TensorFlow · GPU". A WebGPU adapter is named, and a software one is called so:
 * "WebGPU · software (llvmpipe: Mesa 25.0.7) — …". Describes the last selection when called
 * without an argument.
 */
export function describeBackend(selected: SelectedBackend | null = lastSelected): string {
  if (!selected) return 'no compute backend selected yet';
  const adapter = selected.adapter;
  if (selected.name === 'webgpu' && adapter) {
    return adapter.hardware
      ? `WebGPU · GPU (${adapterName(adapter)})`
      : `WebGPU · software (${adapter.description}) — a software adapter computes on the CPU, chosen only because it was asked for`;
  }
  const device = selected.gpu.inUse ? 'GPU' : 'CPU';
  const threads = selected.name === 'wasm' && selected.threads ? `, ${selected.threads} thread${selected.threads === 1 ? '' : 's'}` : '';
  const head = `${LABEL[selected.name]} · ${device}${threads}`;
  if (selected.gpu.inUse) return head;
  const nativeMissing = selected.attempts.some((a) => !a.ok && a.error?.includes('is not installed'));
  // The WebGPU adapter is named even when unused: "software" explains why the GPU path was skipped.
  const softwareAdapter = adapter && !adapter.hardware ? `, WebGPU adapter is software (${adapter.description.split(':')[0]})` : '';
  if (selected.name === 'wasm' || selected.name === 'cpu') {
    return nativeMissing ? `${head} — native TensorFlow not installed${softwareAdapter}` : `${head} — ${selected.gpu.reason}`;
  }
  if (selected.name === 'tensorflow-gpu') return `${head} — no usable CUDA GPU, TensorFlow runs on the CPU`;
  return `${head} — ${selected.gpu.reason}`;
}
