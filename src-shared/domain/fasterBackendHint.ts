import type { ComputeBackend } from '../contract/system.js';

/** Where the README explains the GPU paths and their drivers (the System page points there). */
export const BACKEND_REQUIREMENTS_DOC = 'README.md, section "GPU training"';

/**
 * One sentence on how this machine could train faster than on `backend`, or null when it already
 * trains on the GPU. Shown on the System page and by `candela system` beside the backend line, so
 * "native TensorFlow not installed" or "the WebGPU adapter is software" comes with what to do.
 */
export function fasterBackendHint(backend: Pick<ComputeBackend, 'name' | 'gpuInUse'> & { adapter?: ComputeBackend['adapter'] }): string | null {
  if (backend.gpuInUse) return null;
  const softwareAdapter = backend.adapter && !backend.adapter.hardware;
  const gpuDriver = softwareAdapter
    ? `WebGPU found only a software adapter (${backend.adapter!.description.split(':')[0]}), which computes on the CPU: with a GPU, install its vendor driver (Vulkan on Linux) and Candela trains on it through WebGPU.`
    : 'A GPU with a Vulkan (Linux, Windows), Metal (macOS) or D3D12 (Windows) driver trains through WebGPU with nothing more to install.';
  if (backend.name === 'webgpu') {
    return `${gpuDriver} On the CPU, the tensorflow or wasm backend is faster than a software adapter.`;
  }
  if (backend.name === 'wasm' || backend.name === 'cpu') {
    return `${gpuDriver} Without a GPU, install native TensorFlow in the Candela folder for all CPU cores: \`npm install @tensorflow/tfjs-node\` (or \`@tensorflow/tfjs-node-gpu\` where an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 is present).`;
  }
  return `${gpuDriver} Training runs on native TensorFlow on the CPU; with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, \`npm install @tensorflow/tfjs-node-gpu\` in the Candela folder also makes it train on the GPU.`;
}
