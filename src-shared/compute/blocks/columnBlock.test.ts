import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock } from './columnBlock.js';

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('candle block codec', () => {
  it('returns the very same doubles for decimal prices, and stores a regular 1m series in far fewer bytes than float64', () => {
    const n = 4096;
    const ts = Float64Array.from({ length: n }, (_, i) => 1_707_225_600_000 + i * 60_000);
    let p = 60_000;
    const close = Float64Array.from({ length: n }, (_, i) => (p = Math.round((p + Math.sin(i * 12.9898) * 40) * 100) / 100));
    const volume = Float64Array.from({ length: n }, (_, i) => Math.round(Math.abs(Math.cos(i)) * 1e8) / 1e8);
    const bytes = encodeBlock(ts, [close, volume]);
    const back = decodeBlock(bytes);
    expect(back.bars).toBe(n);
    expect(same(back.ts, ts)).toBe(true);
    expect(same(back.columns[0]!, close)).toBe(true);
    expect(same(back.columns[1]!, volume)).toBe(true);
    // ts ~1 byte, close (2 decimals, ±40 steps) ~2–3 bytes, volume (8 decimals) ≤ 5 bytes
    expect(bytes.length / n).toBeLessThan(10);
  });

  it('keeps what decimals cannot hold exactly: NaN among numbers, -0, binary fractions, huge values, irregular times', () => {
    const ts = Float64Array.from([5, 7, 8, 100, -3e12, 0.5]);
    const cols = [
      Float64Array.from([1, NaN, 2, 3, 4, 5]),
      Float64Array.from([0, -0, 1, 2, 3, 4]),
      Float64Array.from([0.1 + 0.2, 1 / 3, Math.PI, 1e300, -1e-300, 2 ** 60]),
      Float64Array.from([NaN, NaN, NaN, NaN, NaN, NaN]),
      Float64Array.from([1.5, -2.25, 1e-12, 123456.789012, 0, 7]),
    ];
    const back = decodeBlock(encodeBlock(ts, cols));
    expect(same(back.ts, ts)).toBe(true);
    cols.forEach((c, k) => expect(same(back.columns[k]!, c)).toBe(true));
  });

  it('round-trips large scaled integers and steps (varints past 32 bits, both signs)', () => {
    const ts = Float64Array.from([0, 1, 2 ** 40, 2 ** 40 + 7, -(2 ** 45), 5]);
    const big = Float64Array.from([12345678.123456, -98765432.654321, 0.000001, 123456789.5, -1, 87654321.000001]);
    const back = decodeBlock(encodeBlock(ts, [big]));
    expect(same(back.ts, ts)).toBe(true);
    expect(same(back.columns[0]!, big)).toBe(true);
  });

  it('encodes an empty block and only the first `bars` entries', () => {
    expect(decodeBlock(encodeBlock(new Float64Array(0), [new Float64Array(0)])).bars).toBe(0);
    const back = decodeBlock(encodeBlock(Float64Array.from([1, 2, 3]), [Float64Array.from([4, 5, 6])], 2));
    expect([...back.ts]).toEqual([1, 2]);
    expect([...back.columns[0]!]).toEqual([4, 5]);
  });

  it('refuses bytes it did not write', () => {
    expect(() => decodeBlock(Uint8Array.from([9, 1, 0]))).toThrow(/version 9/);
    const bytes = encodeBlock(Float64Array.from([1, 2]), [Float64Array.from([Math.PI, Math.E])]);
    expect(() => decodeBlock(bytes.subarray(0, bytes.length - 3))).toThrow(/cut short/);
  });
});
