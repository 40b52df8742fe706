import { describe, expect, it } from 'vitest';

import { ceilingSamplesPerSec, stepMatMulFlops } from './trainCeiling.js';

const shape = { batch: 256, steps: 64, features: 16, hidden: 64, classes: 3 };

describe("a training step's matrix products", () => {
  it('counts an LSTM step of the benchmark shapes as its gemm calls add up', () => {
    // Per step t: x [256,16]·W [16,256] and ∂W += xᵀ·∂z; from t = 1 on also h·R [256,64]·[64,256], ∂R += hᵀ·∂z, ∂h = ∂z·Rᵀ.
    const perInput = 2 * 256 * 16 * 256;
    const perRecurrent = 2 * 256 * 64 * 256;
    const head = 3 * 2 * 256 * 64 * 3;
    expect(stepMatMulFlops('lstm', shape)).toBe(64 * 2 * perInput + 63 * 3 * perRecurrent + head);
  });

  it('gives a GRU three gates where an LSTM has four, and a one-step sequence no recurrent product', () => {
    const one = { ...shape, steps: 1 };
    expect(stepMatMulFlops('gru', one)).toBe(2 * (2 * 256 * 16 * 192) + 3 * 2 * 256 * 64 * 3);
    expect(stepMatMulFlops('lstm', one) - 3 * 2 * 256 * 64 * 3).toBe((4 / 3) * (stepMatMulFlops('gru', one) - 3 * 2 * 256 * 64 * 3));
  });

  it('counts the MLP without the gradient of its input', () => {
    expect(stepMatMulFlops('mlp', { ...shape, hidden: 128 })).toBe(2 * (2 * 256 * 1024 * 128) + 3 * 2 * 256 * 128 * 3);
  });

  it('turns a peak into samples per second: twice the peak, twice the ceiling', () => {
    const at60 = ceilingSamplesPerSec('lstm', shape, 60);
    expect(ceilingSamplesPerSec('lstm', shape, 120)).toBeCloseTo(2 * at60, 6);
    // The LSTM step is ~1.88 GFLOP: at 60 GFLOP/s, 256 samples in ~31 ms.
    expect(at60).toBeGreaterThan(8000);
    expect(at60).toBeLessThan(8400);
  });
});
