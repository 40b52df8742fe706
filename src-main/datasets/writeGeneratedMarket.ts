import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { formatCandlesCsv, generatedFileName, generateMarket } from '../../src-shared/compute/generator/index.js';
import { timeframeToMs } from '../../src-shared/domain/timeframe.js';
import type { DurationMs, EpochMs } from '../../src-shared/domain/units.js';

export interface GenerateOptions {
  symbols: number;
  bars: number;
  timeframe: string;
  seed: number;
  /** Planted signal strength 0..1; 0 is a pure random walk (the leak detector's control). */
  signal: number;
  outDir: string;
  /** Open time of the first bar; default: so that the last bar ends about now. */
  startMs?: number;
}

/** Generates a synthetic market and writes one CSV per symbol (`BTC_USDT_5m.csv` …). */
export async function writeGeneratedMarket(o: GenerateOptions): Promise<string[]> {
  const tf = timeframeToMs(o.timeframe);
  if (tf === null) throw new Error(`"${o.timeframe}" is not a timeframe like 1m, 5m, 1h or 1d.`);
  const start = o.startMs ?? Math.floor((Date.UTC(2026, 0, 1) - o.bars * tf) / tf) * tf;
  const series = generateMarket({ symbols: o.symbols, bars: o.bars, timeframeMs: tf as DurationMs, startMs: start as EpochMs, seed: o.seed, signal: o.signal });
  await mkdir(o.outDir, { recursive: true });
  const files: string[] = [];
  for (const s of series) {
    const file = join(o.outDir, generatedFileName(s.symbol, o.timeframe));
    const out = createWriteStream(file);
    for (const chunk of formatCandlesCsv(s, { includeSignal: o.signal > 0 })) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    files.push(file);
  }
  return files;
}
