import { describe, expect, it } from 'vitest';
import { fasterBackendHint } from './fasterBackendHint.js';

describe('fasterBackendHint', () => {
  it('says what to install on a machine training on wasm or the CPU, and nothing when the GPU is in use', () => {
    expect(fasterBackendHint({ name: 'wasm', gpuInUse: false })).toMatch(/npm install @tensorflow\/tfjs-node`.*tfjs-node-gpu`.*CUDA 11\.2/);
    expect(fasterBackendHint({ name: 'tensorflow', gpuInUse: false })).toMatch(/tfjs-node-gpu/);
    expect(fasterBackendHint({ name: 'tensorflow-gpu', gpuInUse: true })).toBeNull();
  });
});
