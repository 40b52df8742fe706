import { describe, expect, it } from 'vitest';

import { createSimdBatchMatMul, simdBatchMatMulModuleBytes, type WasmMemory } from './simdBatchMatMul.js';

// The Node tsconfig has no DOM lib, where the WebAssembly typings live.
const wasmApi = (globalThis as unknown as {
  WebAssembly: { validate(bytes: Uint8Array): boolean; Memory: new (descriptor: { initial: number }) => WasmMemory };
}).WebAssembly;

describe('SIMD batched matMul module', () => {
  it('is valid WebAssembly', () => {
    expect(wasmApi.validate(simdBatchMatMulModuleBytes())).toBe(true);
  });

  it('computes C[b] = A[b]·B[b] in place in the memory it imports', () => {
    const memory = new wasmApi.Memory({ initial: 1 });
    const run = createSimdBatchMatMul(memory);
    expect(run).not.toBeNull();
    const [batch, m, k, n] = [2, 3, 5, 8];
    const heap = new Float32Array(memory.buffer);
    const a = 0;
    const b = a + batch * m * k;
    const c = b + batch * k * n;
    for (let i = 0; i < batch * m * k; i++) heap[a + i] = Math.sin(i + 1);
    for (let i = 0; i < batch * k * n; i++) heap[b + i] = Math.cos(i + 1);
    heap.fill(42, c, c + batch * m * n); // stale output must be overwritten, not accumulated
    run!(a * 4, b * 4, c * 4, batch, m, k, n);
    for (let bb = 0; bb < batch; bb++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let expected = 0;
          for (let kk = 0; kk < k; kk++) expected += heap[a + (bb * m + i) * k + kk] * heap[b + (bb * k + kk) * n + j];
          expect(heap[c + (bb * m + i) * n + j]).toBeCloseTo(expected, 5);
        }
      }
    }
  });
});
