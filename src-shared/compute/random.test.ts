import { describe, expect, it } from 'vitest';
import { mulberry32, randomIntBelow } from './random.js';

describe('mulberry32', () => {
  it('matches an independent Python port of the reference (scripts/golden/features_random.py)', () => {
    const golden: [number, number[]][] = [
      [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]],
      [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]],
      [0xdeadbeef, [0.9413696140982211, 0.26719574979506433, 0.772033357527107, 0.35816076025366783]],
    ];
    for (const [seed, want] of golden) {
      const rng = mulberry32(seed);
      expect(want.map(() => rng())).toEqual(want);
    }
  });

  it('stays in [0, 1) and draws integers uniformly enough', () => {
    const rng = mulberry32(1);
    const counts = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng();
      if (!(u >= 0 && u < 1)) outside++;
      counts[randomIntBelow(rng, 10)]++;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});
