import { describe, expect, it } from 'vitest';

import { largestTensorBytesPerSample, suggestedGpuBatchSize } from './gpuBatchSize.js';

describe('suggestedGpuBatchSize', () => {
  it('takes the largest per-sample tensor: recurrent gates, attention scores or the input', () => {
    expect(largestTensorBytesPerSample({ window: 32, features: 10, hidden: 32, heads: 4 })).toBe(4 * 32 * 128);
    expect(largestTensorBytesPerSample({ window: 256, features: 10, hidden: 16, heads: 8 })).toBe(4 * 8 * 256 * 256);
    expect(largestTensorBytesPerSample({ window: 8, features: 500, hidden: 4, heads: 1 })).toBe(4 * 8 * 500);
  });

  it('is the largest power of two that fits half the binding limit, between 8 and 8192', () => {
    // llvmpipe's 128 MiB: 64 MiB / (4 · 32 · 128 B) = 4096.
    expect(suggestedGpuBatchSize({ maxStorageBufferBindingSize: 128 * 2 ** 20 }, { window: 32, features: 10, hidden: 32, heads: 4 })).toBe(4096);
    // 1 MiB binding, 16 KiB per sample: 32 fit in half of it.
    expect(suggestedGpuBatchSize({ maxStorageBufferBindingSize: 2 ** 20 }, { window: 32, features: 10, hidden: 32, heads: 4 })).toBe(32);
    expect(suggestedGpuBatchSize({ maxStorageBufferBindingSize: 2 ** 40 }, { window: 32, features: 10, hidden: 32, heads: 4 })).toBe(8192);
    expect(suggestedGpuBatchSize({ maxStorageBufferBindingSize: 1000 }, { window: 32, features: 10, hidden: 32, heads: 4 })).toBe(8);
  });
});
