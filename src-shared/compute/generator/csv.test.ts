import { describe, expect, it } from 'vitest';
import { durationMs, epochMs } from '../../domain/units.js';
import { formatCandlesCsv, generatedFileName } from './csv.js';
import { generateMarket } from './generateMarket.js';

const [series] = generateMarket({ symbols: ['BTC/USDT'], bars: 2_500, timeframeMs: durationMs(300_000), startMs: epochMs(1_700_000_000_000), seed: 9, signal: 0.2 });

describe('formatCandlesCsv', () => {
  it('yields chunks that join into a header plus one line per bar, readable back', () => {
    const chunks = [...formatCandlesCsv(series!, { rowsPerChunk: 1000 })];
    expect(chunks.length).toBe(3);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume');
    expect(lines.length).toBe(2_501);
    const row = lines[1]!.split(',').map(Number);
    expect(row[0]).toBe(1_700_000_000_000);
    expect(row[1]).toBe(60_000);
    for (let i = 1; i < lines.length; i++) {
      const [, o, h, l, c, v] = lines[i]!.split(',').map(Number);
      // Ten significant digits, and the printed candle is still consistent.
      expect(Math.abs(c! / series!.close[i - 1]! - 1)).toBeLessThan(1e-9);
      if (!(h! >= Math.max(o!, c!) && l! <= Math.min(o!, c!) && v! > 0)) throw new Error(`line ${i}: ${lines[i]}`);
    }
  });

  it('adds the signal column when asked, and refuses it when there is none', () => {
    const text = [...formatCandlesCsv(series!, { includeSignal: true })].join('');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume,signal');
    expect(Number(lines[10]!.split(',')[6])).toBeCloseTo(series!.signalFeature![9]!, 8);
    const { signalFeature: _unused, ...plain } = series!;
    expect(() => [...formatCandlesCsv(plain, { includeSignal: true })]).toThrow();
  });
});

describe('generatedFileName', () => {
  it('makes file-system-safe names from symbol and timeframe', () => {
    expect(generatedFileName('BTC/USDT', '5m')).toBe('BTC_USDT_5m.csv');
    expect(generatedFileName('ETH/USDT', 3_600_000)).toBe('ETH_USDT_1h.csv');
    expect(generatedFileName('A:B\\C', '1d')).toBe('A_B_C_1d.csv');
  });
});
