import { describe, expect, it } from 'vitest';
import { CandleBatch } from './candleBatch.js';
import { FreqtradeJsonReader, JsonCandlesError, parseFreqtradeJson, startsLikeJson } from './freqtradeJson.js';

const SAMPLE = '[[1515560100000, 0.0984, 0.0994766, 0.09828605, 0.0994766, 1820.54447418], [1515560400000, 0.09946999, 0.0997238, 0.099, 0.09969, 2527.92100293], [1515560700, 0.09969, 0.10072981, 0.09900001, 0.09999, 3653.02612961]]';

describe('parseFreqtradeJson', () => {
  it('reads arrays of [ms, o, h, l, c, v] with the time unit chosen per value', () => {
    const out = new CandleBatch(0);
    const { rejected } = parseFreqtradeJson(SAMPLE, out);
    expect(rejected).toEqual([]);
    expect(out.length).toBe(3);
    expect(Array.from(out.ts.subarray(0, 3))).toEqual([1515560100000, 1515560400000, 1515560700000]);
    expect(out.close[1]).toBe(0.09969);
    expect(out.volume[0]).toBe(1820.54447418);
    expect(Array.from(out.lineNo.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it('gives the same candles whatever the chunking', () => {
    const whole = new CandleBatch(0);
    parseFreqtradeJson(SAMPLE, whole);
    for (const size of [1, 5, 33]) {
      const out = new CandleBatch(0);
      const reader = new FreqtradeJsonReader();
      for (let i = 0; i < SAMPLE.length; i += size) expect(reader.push(SAMPLE.slice(i, i + size), out)).toEqual([]);
      reader.end();
      expect(Array.from(out.ts.subarray(0, out.length))).toEqual(Array.from(whole.ts.subarray(0, whole.length)));
      expect(Array.from(out.high.subarray(0, out.length))).toEqual(Array.from(whole.high.subarray(0, whole.length)));
    }
  });

  it('reads arrays of objects with date strings or epoch numbers', () => {
    const out = new CandleBatch(0);
    const text = JSON.stringify([
      { date: '2018-01-10T04:55:00Z', open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { timestamp: 1515560400000, open: '1', high: '2', low: '0.5', close: '1.5' },
    ]);
    expect(parseFreqtradeJson(text, out).rejected).toEqual([]);
    expect(out.ts[0]).toBe(Date.parse('2018-01-10T04:55:00Z'));
    expect(out.ts[1]).toBe(1515560400000);
    expect(out.volume[1]).toBeNaN();
  });

  it('rejects bad records with their record number and keeps the rest', () => {
    const out = new CandleBatch(0);
    const { rejected } = parseFreqtradeJson('[[1515560100000,1,2,0.5,1.5,1],[1515560400000,1,0.4,0.5,1.5,1],[1515560700000,null,2,0.5,1,1],["soon",1,2,0.5,1,1],[1,2]]', out);
    expect(out.length).toBe(1);
    expect(rejected.map((r) => r.lineNo)).toEqual([2, 3, 4, 5]);
    expect(rejected[0]!.reason).toBe('high 0.4 is below low 0.5');
    expect(rejected[1]!.reason).toMatch(/missing or not a number/);
    expect(rejected[2]!.reason).toMatch(/not a date/);
    expect(rejected[3]!.reason).toMatch(/has 2 values/);
  });

  it('throws one sentence for files that are not candle arrays', () => {
    const out = new CandleBatch(0);
    expect(() => parseFreqtradeJson('', out)).toThrow('The file is empty.');
    expect(() => parseFreqtradeJson('{"data": []}', out)).toThrow(JsonCandlesError);
    expect(() => parseFreqtradeJson('[1, 2, 3]', out)).toThrow(/not an array of candles/);
    expect(() => parseFreqtradeJson('[[1515560100000,1,2,0.5,1.5,1]', out)).toThrow(/truncated/);
    expect(() => parseFreqtradeJson('[] x', out)).toThrow(/after its closing bracket/);
    expect(parseFreqtradeJson(' [ ] ', out).rejected).toEqual([]);
  });
});

describe('startsLikeJson', () => {
  it('tells JSON from a table by its first non-blank character', () => {
    expect(startsLikeJson('\uFEFF\n  [[1,2')).toBe(true);
    expect(startsLikeJson('{"a":1}')).toBe(true);
    expect(startsLikeJson('time,open\n')).toBe(false);
    expect(startsLikeJson('')).toBe(false);
  });
});
