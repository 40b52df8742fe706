import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SUSPECT_CATEGORIES } from '../../src-shared/compute/health/index.js';
import { healthSummarySchema } from '../../src-shared/contract/datasets.js';
import { runCli } from './main.js';

let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'candela-health-cli-'));
  ws = join(dir, 'ws');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<string> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const saved = process.exitCode;
  try {
    await runCli(['--workspace', ws, ...args]);
    return out;
  } finally {
    process.exitCode = saved;
    o.mockRestore();
    e.mockRestore();
  }
}

/** Hourly bars over four weeks with one bar missing on a Wednesday and a zero-volume bar. */
function csv(): string {
  const lines = ['open_time,open,high,low,close,volume'];
  for (let i = 0; i < 24 * 28; i++) {
    const t = Date.UTC(2024, 0, 1) + i * 3_600_000;
    if (i === 24 * 2 + 12) continue;
    const p = 100 + Math.sin(i / 5);
    lines.push(`${t},${p},${p + 0.3},${p - 0.3},${p + 0.1},${i === 100 ? 0 : 10 + (i % 7)}`);
  }
  return lines.join('\n');
}

it('candela health prints the breakdown the panel shows, and --json carries it typed', async () => {
  const f = join(dir, 'BTC_USDT_1h.csv');
  writeFileSync(f, csv());
  await cli('import', f);
  const text = await cli('health', '1');
  expect(text).toMatch(/^Data health: 99 \/ 100 · suspect\nScore = 100 − /);
  expect(text).toMatch(/Missing bars\s+1 in 1 gap\s/);
  expect(text).toMatch(/ {2}Zero volume\s+1\s/);
  expect(text).toMatch(/ {2}First candle after a gap\s+1\s/);
  expect(text).toContain('2024-01-03T11:00:00.000Z → 2024-01-03T13:00:00.000Z: 1 bar missing');
  expect(text).toContain('2 candles flagged (0 bad).');
  expect(text).not.toMatch(/\b1 [a-z]+s\b/);

  const doc = JSON.parse(await cli('health', '1', '--json')) as Record<string, unknown> & { breakdown: { key: string; value: string; part?: boolean }[] };
  const { datasetId: _id, largestGaps: _g, scoringRule, breakdown, flagged: _f, ...rest } = doc;
  const summary = healthSummarySchema.omit({ largestGaps: true }).parse(rest);
  expect(summary.suspectBars).toBe(2);
  expect(SUSPECT_CATEGORIES.reduce((n, c) => n + summary.suspectByReason[c], 0)).toBe(summary.suspectBars);
  expect(scoringRule).toMatch(/clean at 100/);
  expect(breakdown.filter((l) => l.part).map((l) => l.key)).toEqual(['zeroVolume', 'gapBefore']);
});
