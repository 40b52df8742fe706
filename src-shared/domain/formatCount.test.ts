import { describe, expect, it } from 'vitest';
import { formatCount } from './formatCount.js';

describe('formatCount', () => {
  it("writes counts as toLocaleString('en-US') does", () => {
    const values = [0, 1, 12, 123, 999, 1000, 1001, 12_345, 123_456, 1_000_000, 14_700_000, 987_654_321, 2 ** 53 - 1, -1, -999, -1000, -1_234_567];
    for (let k = 1; k < 1e15; k *= 7) values.push(k, k + 1, -k);
    for (const v of values) expect(formatCount(v), String(v)).toBe(v.toLocaleString('en-US'));
  });

  it('leaves fractions and non-finite values to toLocaleString', () => {
    for (const v of [1234.5678, 0.5, NaN, Infinity, 2 ** 60]) expect(formatCount(v)).toBe(v.toLocaleString('en-US'));
  });
});
