import { describe, expect, it } from 'vitest';

import { BLOCK_WIDTHS, createSimdBatchMatMul, simdBatchMatMulModuleBytes, type WasmMemory } from './simdBatchMatMul.js';

// The Node tsconfig has no DOM lib, where the WebAssembly typings live.
const wasmApi = (globalThis as unknown as {
  WebAssembly: { validate(bytes: Uint8Array): boolean; Memory: new (descriptor: { initial: number }) => WasmMemory };
}).WebAssembly;

describe('SIMD batched matMul module', () => {
  it('is valid WebAssembly', () => {
    expect(wasmApi.validate(simdBatchMatMulModuleBytes())).toBe(true);
  });

  it.each([false, true])('computes C[b] = A[b]·B[b] block by block in the memory it imports (A stored transposed: %s)', (transposedA) => {
    const memory = new wasmApi.Memory({ initial: 1 });
    const kernels = createSimdBatchMatMul(memory);
    expect([...(kernels?.keys() ?? [])]).toEqual([...BLOCK_WIDTHS]);
    const [batch, m, k, n] = [2, 3, 5, 24];
    const heap = new Float32Array(memory.buffer);
    const a = 0;
    const b = a + batch * m * k;
    const c = b + batch * k * n;
    for (let i = 0; i < batch * m * k; i++) heap[a + i] = Math.sin(i + 1);
    for (let i = 0; i < batch * k * n; i++) heap[b + i] = Math.cos(i + 1);
    heap.fill(42, c, c + batch * m * n); // stale output must be overwritten, not accumulated
    // A[b][i, kk]: row-major [m, k], or stored as its transpose [k, m].
    const aAt = (bb: number, i: number, kk: number): number => heap[a + bb * m * k + (transposedA ? kk * m + i : i * k + kk)];
    // 24 columns: a block of 16, then one of 8.
    for (const [column, width] of [[0, 16], [16, 8]]) {
      kernels!.get(width)!(a * 4, (b + column) * 4, (c + column) * 4, batch, m, k, transposedA ? 4 : k * 4, transposedA ? m * 4 : 4, n * 4, n * 4);
    }
    for (let bb = 0; bb < batch; bb++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let expected = 0;
          for (let kk = 0; kk < k; kk++) expected = Math.fround(expected + Math.fround(aAt(bb, i, kk) * heap[b + (bb * k + kk) * n + j]));
          expect(heap[c + (bb * m + i) * n + j]).toBe(expected);
        }
      }
    }
  });
});
