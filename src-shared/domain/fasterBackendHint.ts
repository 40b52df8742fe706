import type { ComputeBackend } from '../contract/system.js';

/** Where the README explains the backends and their requirements (the System page links there). */
export const BACKEND_REQUIREMENTS_DOC = 'README.md, section "Requirements" (GPU training)';

/**
 * One sentence on how this machine could train faster than on `backend`, or null when it already
 * trains on the GPU. Shown on the System page and by `candela system` beside the backend line, so
 * "native TensorFlow not installed" comes with what to do about it.
 */
export function fasterBackendHint(backend: Pick<ComputeBackend, 'name' | 'gpuInUse'>): string | null {
  if (backend.gpuInUse) return null;
  if (backend.name === 'wasm' || backend.name === 'cpu') {
    return 'For faster training install native TensorFlow in the Candela folder: `npm install @tensorflow/tfjs-node` (all CPU cores), or `@tensorflow/tfjs-node-gpu` where an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 is present.';
  }
  return 'Training runs on native TensorFlow on the CPU; with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, `npm install @tensorflow/tfjs-node-gpu` in the Candela folder makes it train on the GPU.';
}
