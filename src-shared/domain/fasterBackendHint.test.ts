import { describe, expect, it } from 'vitest';
import { fasterBackendHint } from './fasterBackendHint.js';

const llvmpipe = { vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', hardware: false, maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 32 };

describe('fasterBackendHint', () => {
  it('says what to install on a machine training on wasm or the CPU, and nothing when the GPU is in use', () => {
    expect(fasterBackendHint({ name: 'wasm', gpuInUse: false })).toMatch(/Vulkan.*Metal.*D3D12.*WebGPU.*npm install @tensorflow\/tfjs-node`.*tfjs-node-gpu`.*CUDA 11\.2/);
    expect(fasterBackendHint({ name: 'tensorflow', gpuInUse: false })).toMatch(/tfjs-node-gpu/);
    expect(fasterBackendHint({ name: 'tensorflow-gpu', gpuInUse: true })).toBeNull();
    expect(fasterBackendHint({ name: 'webgpu', gpuInUse: true })).toBeNull();
  });

  it('names a software WebGPU adapter and what to do about it', () => {
    expect(fasterBackendHint({ name: 'wasm', gpuInUse: false, adapter: llvmpipe })).toMatch(/^WebGPU found only a software adapter \(llvmpipe\), which computes on the CPU/);
    expect(fasterBackendHint({ name: 'webgpu', gpuInUse: false, adapter: llvmpipe })).toMatch(/tensorflow or wasm backend is faster than a software adapter/);
  });
});
