import { describe, expect, it } from 'vitest';
import { CHAR_COMMA, CHAR_DOT, isMissingValue, looksNumeric, parseDecimal } from './parseDecimal.js';

const p = (s: string, dec = CHAR_DOT, thou = CHAR_COMMA): number => parseDecimal(s, 0, s.length, dec, thou);

describe('parseDecimal', () => {
  it('gives exactly what Number() gives for plain decimals', () => {
    const cases = ['96407.99000000', '0.09946999', '1.12525', '100', '0', '-3.5', '+7', '0.00000123', '1599436800.0', '6956813209.79086', '181924955.15246880', '1e-7', '2.5E3', '.5', '5.'];
    for (const c of cases) expect(p(c), c).toBe(Number(c));
    // pseudo-random 8-decimal prices: the Clinger fast path must round like Number()
    let seed = 12345;
    for (let k = 0; k < 2000; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const s = (seed / 1000).toFixed(k % 9);
      expect(p(s), s).toBe(Number(s));
    }
  });

  it('reads a slice of a longer string and ignores surrounding blanks', () => {
    const line = 'x, 12.5 ,y';
    expect(parseDecimal(line, 2, 8, CHAR_DOT, CHAR_COMMA)).toBe(12.5);
  });

  it('skips thousands separators and reads decimal commas', () => {
    expect(p('1,234.50')).toBe(1234.5);
    expect(p('1,2345', CHAR_COMMA, CHAR_DOT)).toBe(1.2345);
    expect(p('1.234,5', CHAR_COMMA, CHAR_DOT)).toBe(1234.5);
    expect(p('12,5', CHAR_DOT, -1)).toBeNaN();
  });

  it('ignores a leading currency sign and reads signs, blanks and exponents on the general path', () => {
    expect(p('$123.45')).toBe(123.45);
    expect(p('-$1,234.5')).toBe(-1234.5);
    expect(p('€1,5', CHAR_COMMA, CHAR_DOT)).toBe(1.5);
    expect(p(' -0.25 ')).toBe(-0.25);
    expect(p('3.5e-2')).toBe(0.035);
    expect(p('12345678901234567890')).toBe(12345678901234567890);
  });

  it('rejects text, empties and special words', () => {
    for (const s of ['', '  ', '-', '.', '$', 'abc', '1.2.', '1,2,3.4.5', '12abc', '1.2.3', 'NaN', 'null', 'Infinity', '1e', '0x10', ',5']) expect(p(s), s).toBeNaN();
  });

  it('handles zeros that would overflow the exact powers of ten', () => {
    expect(p('1' + '0'.repeat(25))).toBe(1e25);
    expect(p('0.' + '0'.repeat(30) + '1')).toBe(1e-31);
  });
});

describe('isMissingValue / looksNumeric', () => {
  it('knows the spellings of a missing cell', () => {
    for (const s of ['', ' ', 'null', 'NULL', 'NaN', 'None', 'N/A', '-']) expect(isMissingValue(s, 0, s.length), s).toBe(true);
    expect(isMissingValue('0', 0, 1)).toBe(false);
  });
  it('accepts both decimal conventions while sniffing', () => {
    expect(looksNumeric('1,25')).toBe(true);
    expect(looksNumeric('1.25')).toBe(true);
    expect(looksNumeric('Open')).toBe(false);
  });
});
