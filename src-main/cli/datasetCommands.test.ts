import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './main.js';

let dir: string;
let ws: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-dataset-cli-'));
  ws = join(dir, 'ws');
  // Ten hourly bars whose close is 100 + their index, so which end of the range came back is plain.
  const lines = ['open_time,open,high,low,close,volume'];
  for (let i = 0; i < 10; i++) lines.push(`${Date.UTC(2024, 0, 1) + i * 3_600_000},${100 + i},${101 + i},${100 + i},${100 + i},${i + 1}`);
  const f = join(dir, 'BTC_USDT_1h.csv');
  writeFileSync(f, lines.join('\n'));
  await cli('import', f);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const saved = process.exitCode;
  process.exitCode = 0;
  try {
    const code = await runCli(['--workspace', ws, ...args]);
    return { out, err, code: Number(process.exitCode || code || 0) };
  } finally {
    process.exitCode = saved;
    o.mockRestore();
    e.mockRestore();
  }
}

const closes = (out: string) => (JSON.parse(out) as { candles: { close: number }[] }).candles.map((c) => c.close - 100);

describe('candela candles --limit', () => {
  it('takes the newest bars by default and says so under the table', async () => {
    const r = await cli('candles', '1', '--limit', '3');
    expect(r.out).toMatch(/2024-01-01T07:00:00\.000Z[\s\S]*2024-01-01T09:00:00\.000Z/);
    expect(r.out).not.toContain('2024-01-01T06:00:00.000Z');
    expect(r.out).toContain('The last 3 candles of the range (the newest, --limit 3); --first shows the oldest.');
    expect(closes((await cli('candles', '1', '--limit', '3', '--json')).out)).toEqual([7, 8, 9]);
  });

  it('--first takes the oldest bars, --last the newest, in time order either way', async () => {
    const first = await cli('candles', '1', '--limit', '3', '--first');
    expect(first.out).toContain('The first 3 candles of the range (the oldest, --limit 3); --last shows the newest.');
    expect(closes((await cli('candles', '1', '--limit', '3', '--first', '--json')).out)).toEqual([0, 1, 2]);
    expect(closes((await cli('candles', '1', '--limit', '2', '--last', '--json')).out)).toEqual([8, 9]);
  });

  it('--from alone starts at that time; --last with --from keeps the newest of the range', async () => {
    expect(closes((await cli('candles', '1', '--from', '2024-01-01T02:00:00Z', '--limit', '2', '--json')).out)).toEqual([2, 3]);
    expect(closes((await cli('candles', '1', '--from', '2024-01-01T02:00:00Z', '--limit', '2', '--last', '--json')).out)).toEqual([8, 9]);
  });

  it('a range shorter than the limit is printed whole, and said to be', async () => {
    const r = await cli('candles', '1', '--limit', '50');
    expect(r.out).toContain('10 candles: all of the range.');
  });

  it('refuses --first with --last', async () => {
    const r = await cli('candles', '1', '--first', '--last');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--first and --last exclude each other');
  });

  it('the help names the default end', async () => {
    const r = await cli('candles', '--help');
    expect(r.out).toMatch(/prints the last N bars of the range/);
  });
});

describe('candela import --dry-run', () => {
  it('prints the first row\'s raw time beside the UTC time the import would store', async () => {
    const f = join(dir, 'EURUSD60.csv');
    writeFileSync(f, 'Date,Time,Open,High,Low,Close,Volume\n2019.02.15,14:00,1.12645,1.12701,1.126,1.12688,3201\n2019.02.15,15:00,1.12688,1.1275,1.1265,1.127,2800\n');
    const r = await cli('import', f, '--dry-run');
    expect(r.out).toContain('first row (line 2): 2019.02.15 14:00 → 2019-02-15T14:00:00.000Z (UTC)');
  });
});
