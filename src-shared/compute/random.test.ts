import { describe, expect, it } from 'vitest';
import { Mulberry32, mulberry32, randomIntBelow } from './random.js';

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

describe('Mulberry32 (the one implementation behind every seeded stream)', () => {
  it('gives the golden sequence as integers, floats and filled arrays alike', () => {
    const golden = [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693];
    const ints = new Mulberry32(42);
    expect(golden.map(() => ints.nextUint32())).toEqual(golden.map((u) => u * 4294967296));
    const floats = new Mulberry32(42);
    expect(golden.map(() => floats.next())).toEqual(golden);
    const filled = new Uint32Array(4);
    new Mulberry32(42).fillUint32(filled);
    expect(Array.from(filled)).toEqual(golden.map((u) => u * 4294967296));
  });

  it('continues exactly from a restored state (a resumed training run shuffles as an uninterrupted one)', () => {
    const a = new Mulberry32(7);
    for (let i = 0; i < 5; i++) a.nextUint32();
    const b = new Mulberry32(0);
    b.state = a.state;
    expect(Array.from({ length: 10 }, () => b.nextUint32())).toEqual(Array.from({ length: 10 }, () => a.nextUint32()));
  });
});
