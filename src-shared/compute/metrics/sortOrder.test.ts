import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { sortDescending } from './sortOrder.js';
import type { RealSeries } from './types.js';

function tricky(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const special = [0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, 0.30000000000000004];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    // A mix of special values, many duplicates and wide-ranging magnitudes of both signs.
    if (u < 0.1) out[i] = special[Math.floor(random() * special.length)];
    else if (u < 0.4) out[i] = Math.floor(random() * 50) / 7;
    else out[i] = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  }
  return out;
}

function check(values: RealSeries): void {
  const { order, sorted } = sortDescending(values);
  const reference = Array.from(values, (v) => (v === 0 ? 0 : v)).sort((a, b) => b - a);
  expect(Array.from(sorted)).toEqual(reference);
  const seen = new Uint8Array(values.length);
  let mismatches = 0;
  for (let j = 0; j < order.length; j++) {
    seen[order[j]]++;
    // `===` makes -0 equal to the +0 it is sorted as.
    if (values[order[j]] !== sorted[j]) mismatches++;
  }
  expect(mismatches).toBe(0);
  expect(seen.every((c) => c === 1)).toBe(true);
}

describe('sortDescending', () => {
  it.each([10, 100, 4095, 4096, 20_000])('orders %i float64 values with ±0, ±∞, subnormals and ties', (n) => {
    check(tricky(n, n));
  });

  it.each([100, 20_000])('orders %i float32 values (32-bit radix path)', (n) => {
    check(Float32Array.from(tricky(n, n + 1)));
  });

  it('rejects NaN', () => {
    expect(() => sortDescending(Float64Array.from([1, Number.NaN]))).toThrow(RangeError);
  });
});
