import { describe, expect, it } from 'vitest';
import { validateCandle } from './validateCandle.js';

describe('validateCandle', () => {
  it('accepts valid candles, flat bars, zero and missing volume', () => {
    expect(validateCandle(10, 12, 9, 11, 5)).toBeNull();
    expect(validateCandle(10, 10, 10, 10, 0)).toBeNull();
    expect(validateCandle(10, 12, 9, 11, NaN)).toBeNull();
  });
  it('rejects each broken rule with a reason naming the numbers', () => {
    expect(validateCandle(11, 10, 12, 11, 1)).toBe('high 10 is below low 12');
    expect(validateCandle(13, 12, 9, 11, 1)).toMatch(/^open 13 is outside/);
    expect(validateCandle(10, 12, 9, 8, 1)).toMatch(/^close 8 is outside/);
    expect(validateCandle(10, 12, 9, 11, -1)).toBe('volume -1 is negative');
    expect(validateCandle(0, 12, 0, 11, 1)).toBe('low 0 is not a positive price');
    expect(validateCandle(-1, -1, -1, -1, 1)).toMatch(/not a positive price/);
    expect(validateCandle(NaN, 12, 9, 11, 1)).toMatch(/^open NaN/);
    expect(validateCandle(10, Infinity, 9, 11, 1)).toMatch(/^high Infinity/);
    expect(validateCandle(10, 12, 9, 11, Infinity)).toBe('volume is infinite');
  });
});
