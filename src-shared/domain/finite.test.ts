import { describe, expect, expectTypeOf, it } from 'vitest';
import { bps, type Bps } from './units.js';
import { finiteJson, finiteOrNull } from './finite.js';

describe('finiteOrNull', () => {
  it('keeps finite numbers and maps NaN, ±Infinity and missing values to null', () => {
    expect([0, -1.5, NaN, Infinity, -Infinity, null, undefined].map(finiteOrNull)).toEqual([0, -1.5, null, null, null, null, null]);
  });
});

describe('finiteJson', () => {
  it('reads like a JSON round trip, typed arrays included', () => {
    const value = { a: 1, b: NaN, c: [Infinity, 2, undefined], d: { e: -Infinity, f: 'x', g: undefined, h: null, i: true }, t: Float64Array.of(1, NaN), fee: bps(5) };
    const viaJson: unknown = JSON.parse(JSON.stringify({ ...value, t: Array.from(value.t) }));
    expect(finiteJson(value)).toEqual(viaJson);
    expect(Object.keys(finiteJson(value).d)).not.toContain('g');
  });

  it('says in its type that every number may be null and typed arrays become arrays', () => {
    const out = finiteJson({ n: 1, fee: bps(5) as Bps, xs: new Float32Array(2), s: 'x', o: { m: [1] as readonly number[] } });
    expectTypeOf(out).toEqualTypeOf<{ n: number | null; fee: number | null; xs: (number | null)[]; s: string; o: { m: (number | null)[] } }>();
  });
});
