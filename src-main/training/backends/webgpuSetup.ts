/**
 * Loads @tensorflow/tfjs-backend-webgpu in Node through Dawn (the npm package `webgpu`, whose
 * prebuilt `dawn.node` binaries for Linux, macOS and Windows ship inside the package).
 *
 * Dawn talks to Vulkan (Linux, Windows), Metal (macOS) or D3D12 (Windows) through the ordinary GPU
 * driver, so unlike tfjs-node-gpu it needs no CUDA toolkit and serves AMD, Intel and Apple GPUs too.
 * A software adapter (Mesa's llvmpipe/lavapipe, SwiftShader, Microsoft's WARP) runs the shaders on
 * the CPU, far slower than tfjs-node or wasm: it is reported as such and used only when asked for.
 *
 * Node has no OffscreenCanvas, so the backend's synchronous read-back (`dataSync`) throws there:
 * the training process reads tensors with `await data()` on every backend.
 */
import * as tf from '@tensorflow/tfjs';

import { registerWebGpuTrainingKernels } from './webgpuKernels.js';

/** The adapter Dawn chose, as the UI shows it. */
export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  /** The driver's own words, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
  description: string;
  /** False for a software rasteriser, which computes on the CPU. */
  hardware: boolean;
  /** The limits that bound tensor sizes, in bytes. */
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** Result of {@link initWebGpuBackend}. */
export interface WebGpuBackendInfo {
  adapter: GpuAdapterDescription;
}

/** Names and flags of software adapters: they compute on the CPU, so they count as CPU. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** The fields of GPUAdapterInfo this module reads (dawn.node exposes them as getters). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Decides from the adapter's own report whether it is a software rasteriser. */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  if (info.isFallbackAdapter === true) return true;
  if ((info.architecture ?? '').toLowerCase() === 'software') return true;
  return SOFTWARE_ADAPTER.test(`${info.vendor ?? ''} ${info.device ?? ''} ${info.description ?? ''}`);
}

function describeAdapter(info: AdapterInfoLike, limits: GPUSupportedLimits): GpuAdapterDescription {
  const description = info.description || info.device || 'unnamed adapter';
  return {
    vendor: info.vendor || 'unknown vendor',
    architecture: info.architecture || 'unknown architecture',
    description,
    hardware: !isSoftwareAdapter(info),
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
  };
}

/**
 * A fault the device reported after it was set up. An error (out of memory, a tensor too large)
 * is thrown once, for the step it spoiled; a lost device stays lost.
 */
let deviceFault: { message: string; lost: boolean } | null = null;
let initialised: { info: WebGpuBackendInfo; device: GPUDevice } | null = null;
let adapterFound: { adapter: GPUAdapter; description: GpuAdapterDescription } | null = null;

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

async function loadDawn(): Promise<DawnModule> {
  try {
    return (await import('webgpu')) as unknown as DawnModule;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the 'webgpu' package (Dawn) did not load: ${message}`, { cause: error });
  }
}

/**
 * Asks Dawn for the high-performance adapter without starting a device. Throws a sentence naming
 * what is missing when there is none (no Vulkan/Metal/D3D12 driver, or one Dawn refuses).
 */
export async function findGpuAdapter(): Promise<{ adapter: GPUAdapter; description: GpuAdapterDescription }> {
  if (adapterFound) return adapterFound;
  const dawn = await loadDawn();
  // The backend's shaders refer to GPUBufferUsage and friends as globals, as in a browser.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      process.platform === 'linux'
        ? 'Dawn found no GPU adapter: no Vulkan driver is installed (a GPU vendor driver, or a recent Mesa for the software device llvmpipe: Debian 12 needs the one from bookworm-backports)'
        : 'Dawn found no GPU adapter (no Metal/D3D12/Vulkan driver answered)',
    );
  }
  // Exposed as navigator.gpu because the tfjs backend and its feature checks look there.
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GPU };
  if (nav.gpu !== gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  adapterFound = { adapter, description: describeAdapter(adapter.info as AdapterInfoLike, adapter.limits) };
  return adapterFound;
}

/**
 * Makes 'webgpu' the active tfjs backend on the adapter {@link findGpuAdapter} returns, and
 * watches the device: an uncaptured error (out of memory) or device loss is kept for
 * {@link throwIfDeviceFault}, which the training loop calls after every step.
 */
export async function initWebGpuBackend(): Promise<WebGpuBackendInfo> {
  if (initialised) {
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend was initialised before but cannot be selected again');
    return initialised.info;
  }
  const { adapter, description } = await findGpuAdapter();
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const limits = adapter.limits;
  // The limits the tfjs backend's own factory asks for, plus every storage buffer a shader may bind
  // (Dawn's default of 8 is below what most adapters offer; fewer means more split AddN shaders).
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    const outOfMemory = (typeof GPUOutOfMemoryError === 'function' && error instanceof GPUOutOfMemoryError) || /out of memory/i.test(error.message);
    const tooLarge = /larger than the maximum (storage )?buffer (binding )?size|maxBufferSize|maxStorageBufferBindingSize/i.test(error.message);
    const advice =
      outOfMemory || tooLarge
        ? ` Lower the batch size or the window: one tensor may hold at most ${(description.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB on this adapter (the System page suggests a batch size).`
        : '';
    deviceFault ??= { message: `The GPU (${description.description}) ${outOfMemory ? 'ran out of memory' : 'reported an error'}: ${error.message.split('\n')[0]}${advice}`, lost: false };
  });
  // Nothing in Candela or tfjs destroys the device, so 'destroyed' is a loss like any other.
  void device.lost.then((info) => {
    const message = `The GPU device (${description.description}) was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
    if (!deviceFault?.lost) deviceFault = { message, lost: true };
  });
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  // Importing the package registered a factory that asks navigator.gpu for an adapter of its own;
  // this one trains on the device watched above.
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new webgpu.WebGPUBackend(device, adapter.info), 0);
  registerWebGpuTrainingKernels(device.limits.maxStorageBuffersPerShaderStage);
  if (!(await tf.setBackend('webgpu'))) throw new Error(`the webgpu backend failed to initialise on ${description.description}`);
  initialised = { info: { adapter: description }, device };
  return initialised.info;
}

/** Throws the device's fault as an Error (out of memory, device loss), so the run fails with it. */
export function throwIfDeviceFault(): void {
  // A run resumed on another backend in the same process is not the lost device's concern.
  if (!deviceFault || tf.getBackend() !== 'webgpu') return;
  const { message, lost } = deviceFault;
  if (!lost) deviceFault = null;
  throw new Error(message);
}

/**
 * Reads a tensor back; where the read fails because the device faulted (Dawn rejects it with an
 * empty message), the fault is what is thrown, so the run's failure names it.
 */
export async function readBack(tensor: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  try {
    const values = await tensor.data();
    throwIfDeviceFault();
    return values;
  } catch (error) {
    // The device's lost promise settles in the same turn of Dawn's event processing as the read.
    await new Promise((resolve) => setImmediate(resolve));
    throwIfDeviceFault();
    if (error instanceof Error && error.message) throw error;
    throw new Error(`Reading a result back from the ${tf.getBackend()} backend failed without a reason (a lost GPU device reads like this)`, { cause: error });
  }
}

/** The device the webgpu backend trains on, for tests that simulate its loss. */
export function webgpuDeviceForTests(): GPUDevice | null {
  return initialised?.device ?? null;
}
