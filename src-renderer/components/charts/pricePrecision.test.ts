import { describe, expect, it } from 'vitest';
import { decimalsOf, formatPrice, pricePrecisionFromData } from './pricePrecision.js';

describe('decimalsOf', () => {
  it('reads the decimals a value is written in, through binary float noise', () => {
    expect(decimalsOf(97012)).toBe(0);
    expect(decimalsOf(97012.3)).toBe(1);
    expect(decimalsOf(1.10523)).toBe(5);
    expect(decimalsOf(0.1 + 0.2)).toBe(1);
    expect(decimalsOf(0.00001234)).toBe(8);
    expect(decimalsOf(-3.25)).toBe(2);
  });
});

describe('pricePrecisionFromData', () => {
  it('gives forex its five decimals and a 0.00001 tick (MetaTrader EURUSD)', () => {
    const close = [1.13245, 1.1325, 1.1331, 1.13301, 1.134];
    expect(pricePrecisionFromData(close)).toEqual({ precision: 5, minMove: 0.00001 });
  });

  it('gives BTC/USDT two decimals (Binance klines)', () => {
    expect(pricePrecisionFromData([96312.5, 96400.01, 96388], [96000])).toEqual({ precision: 2, minMove: 0.01 });
  });

  it('takes the most decimals any series uses, so a high of 1.0 does not hide a close of 1.00012', () => {
    expect(pricePrecisionFromData([1, 1.1], [1.00012]).precision).toBe(5);
  });

  it('shows whole-number prices (an index quoted in points) without decimals', () => {
    expect(pricePrecisionFromData([4500, 4501, 4499]).precision).toBe(0);
  });

  it('writes computed prices to six significant digits instead of their float tail', () => {
    expect(pricePrecisionFromData([100.07349120981, 99.91234567]).precision).toBe(3);
    expect(pricePrecisionFromData([0.000012345678, 0.0000123]).precision).toBe(10);
  });

  it('ignores missing values and gives an empty series two decimals', () => {
    expect(pricePrecisionFromData([NaN, 1.5, Infinity]).precision).toBe(1);
    expect(pricePrecisionFromData([])).toEqual({ precision: 2, minMove: 0.01 });
  });

  it('reads only the newest bars, where the current quote convention is', () => {
    const old = Array.from({ length: 1000 }, () => 1.123456);
    const recent = Array.from({ length: 500 }, () => 1.1234);
    expect(pricePrecisionFromData([...old, ...recent]).precision).toBe(4);
  });

  it('formats a price with the precision', () => {
    expect(formatPrice(1.1, { precision: 5, minMove: 0.00001 })).toBe('1.10000');
  });
});
