import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewFile } from './previewFile.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'candela-preview-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('previewFile', () => {
  it('gives each sample row the UTC time the import will store, and each role its column', async () => {
    const p = file('EURUSD60.csv', 'Date,Time,Open,High,Low,Close,Volume\n2019.02.15,14:00,1.12645,1.12701,1.12600,1.12688,3201\n2019.02.15,15:00,1.12688,1.1275,1.1265,1.1270,2800\n');
    const r = await previewFile(p);
    expect(r.ok).toBe(true);
    expect(r.columnIndex).toEqual({ time: 0, timeOfDay: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 });
    expect(r.sampleParsed).toEqual([
      { line: 2, ts: Date.UTC(2019, 1, 15, 14), problem: null },
      { line: 3, ts: Date.UTC(2019, 1, 15, 15), problem: null },
    ]);
  });

  it('a line the import would reject carries the same reason', async () => {
    const p = file('BTCUSDT-1h.csv', 'open_time,open,high,low,close,volume\n1704067200000,10,11,9,10.5,1\n1704070800000,10,9,11,10.5,1\n');
    const r = await previewFile(p);
    expect(r.sampleParsed[0]).toEqual({ line: 2, ts: 1704067200000, problem: null });
    expect(r.sampleParsed[1]!.ts).toBeNull();
    expect(r.sampleParsed[1]!.problem).toMatch(/high/);
  });

  it('a remap by column index reads the file that way: swapped high and low columns put right', async () => {
    // The export wrote low before high; read as written, every row has high below low.
    const p = file('swapped.csv', '1704067200000,10,9,11,10.5,1\n1704070800000,10.5,10,12,11,2\n');
    const asDetected = await previewFile(p);
    expect(asDetected.sampleParsed.every((s) => s.problem !== null)).toBe(true);
    const fixed = await previewFile(p, { columns: { time: '0', open: '1', high: '3', low: '2', close: '4', volume: '5' } });
    expect(fixed.columnIndex).toMatchObject({ high: 3, low: 2 });
    expect(fixed.sampleParsed).toEqual([
      { line: 1, ts: 1704067200000, problem: null },
      { line: 2, ts: 1704070800000, problem: null },
    ]);
  });

  it('a header no role can be placed in still shows its columns and rows, and reads once the columns are named', async () => {
    const p = file('export.csv', 'when,a,b,c,d,qty\n2024-01-01 00:00,10,11,9,10.5,1\n2024-01-01 00:01,10.5,11,10,10.8,2\n');
    const refused = await previewFile(p);
    expect(refused).toMatchObject({ ok: false, header: ['when', 'a', 'b', 'c', 'd', 'qty'], columnIndex: {}, sampleParsed: [] });
    expect(refused.error).toMatch(/No open\/high\/low\/close columns/);
    expect(refused.sampleRows[0]).toEqual(['2024-01-01 00:00', '10', '11', '9', '10.5', '1']);
    const named = await previewFile(p, { columns: { open: '1', high: '2', low: '3', close: '4', volume: '5' } });
    expect(named.ok).toBe(true);
    expect(named.columnIndex).toEqual({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
    expect(named.sampleParsed[1]).toEqual({ line: 3, ts: Date.UTC(2024, 0, 1, 0, 1), problem: null });
  });

  it('a plan that reads no row shows its mapping and each row\'s reason', async () => {
    const p = file('lowhigh.csv', 'time,open,high,low,close\n1704067200000,10,9,11,10.5\n');
    const r = await previewFile(p);
    expect(r.ok).toBe(false);
    expect(r.columnIndex).toMatchObject({ high: 2, low: 3 });
    expect(r.sampleParsed[0]!.problem).toMatch(/high/);
  });

  it('a freqtrade JSON file shows each record as written beside its UTC time', async () => {
    const p = file('ETH_BTC-5m.json', '[[1515560100000,0.0943,0.0945,0.094,0.0944,12.5],[1515560400000,0.0944,0.0943,0.0946,0.0944,3]]');
    const r = await previewFile(p);
    expect(r.ok).toBe(true);
    expect(r.sampleRows).toEqual([['[1515560100000,0.0943,0.0945,0.094,0.0944,12.5]'], ['[1515560400000,0.0944,0.0943,0.0946,0.0944,3]']]);
    expect(r.columnIndex).toEqual({});
    expect(r.sampleParsed[0]).toEqual({ line: 1, ts: 1515560100000, problem: null });
    expect(r.sampleParsed[1]!.ts).toBeNull();
    expect(r.sampleParsed[1]!.problem).toMatch(/high/);
  });
});
