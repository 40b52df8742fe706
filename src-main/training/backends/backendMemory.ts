/**
 * The active tfjs backend's own account of its tensor memory. WebGPU reports no device memory to
 * applications, and nvidia-smi sees only NVIDIA cards, so this is the figure the resource panel
 * can show for every backend: bytes of live tensors, and on webgpu also the GPU buffers the
 * backend keeps allocated (live ones plus its pool for reuse).
 */
import * as tf from '@tensorflow/tfjs';

/** Tensor memory of the active backend at one moment. */
export interface BackendMemory {
  backend: string;
  /** True when the tensors live in GPU memory (webgpu, CUDA TensorFlow). */
  onGpu: boolean;
  bytesInUse: number;
  /** GPU buffers the backend holds, its reuse pool included; null where it does not say. */
  bytesAllocated: number | null;
}

/** The webgpu backend adds these to tf.memory(); other backends leave them out. */
interface WebGpuMemoryInfo extends tf.MemoryInfo {
  numBytesInGPU?: number;
  numBytesAllocatedInGPU?: number;
}

/** Reads tf.memory() of the active backend. */
export function backendMemory(): BackendMemory {
  const info = tf.memory() as WebGpuMemoryInfo;
  const backend = tf.getBackend();
  if (typeof info.numBytesInGPU === 'number') {
    return { backend, onGpu: true, bytesInUse: info.numBytesInGPU, bytesAllocated: info.numBytesAllocatedInGPU ?? null };
  }
  // tfjs-node-gpu keeps tensors on the device TensorFlow chose; it reports their bytes as numBytes.
  const onGpu = backend === 'tensorflow' && (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  return { backend, onGpu, bytesInUse: info.numBytes, bytesAllocated: null };
}
