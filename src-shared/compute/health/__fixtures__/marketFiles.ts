import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OhlcvColumns } from '../../../domain/ohlcv.js';
import { CandleBatch } from '../../import/candleBatch.js';
import { parseFreqtradeJson } from '../../import/freqtradeJson.js';
import { LineSplitter } from '../../import/lineSplitter.js';
import { createRowParser } from '../../import/rowParser.js';
import { sniffFormat } from '../../import/sniff.js';
import type { ParsePlan } from '../../import/plan.js';

/**
 * Parses one file of the real-file corpus (`marketCorpus()` in test-support/fixtures.ts finds the
 * folder) the way the importer does: sniff, parse, sort, drop repeated times.
 */
export function loadMarketFile(dir: string, relPath: string): { plan: ParsePlan; columns: OhlcvColumns; timeframeMs: number } {
  const path = join(dir, relPath);
  if (!existsSync(path)) throw new Error(`corpus file missing: ${path}`);
  const text = readFileSync(path, 'utf8');
  const splitter = new LineSplitter();
  const lines = [...splitter.push(text), ...splitter.end()];
  const sniffed = sniffFormat(lines.slice(0, 200), relPath.split('/').at(-1)!);
  if (!sniffed.ok) throw new Error(sniffed.error);
  const { plan } = sniffed;
  const batch = new CandleBatch(plan.extras.length);
  if (plan.format === 'json') parseFreqtradeJson(text, batch);
  else {
    const parse = createRowParser(plan);
    for (let i = plan.dataStartLine; i < lines.length; i++) parse(lines[i]!, i + 1, batch);
  }
  const order = Array.from({ length: batch.length }, (_, i) => i).sort((a, b) => batch.ts[a]! - batch.ts[b]!);
  const kept = order.filter((row, k) => k === 0 || batch.ts[row] !== batch.ts[order[k - 1]!]);
  const pick = (a: Float64Array): Float64Array => Float64Array.from(kept, (row) => a[row]!);
  const columns = { ts: pick(batch.ts), open: pick(batch.open), high: pick(batch.high), low: pick(batch.low), close: pick(batch.close), volume: pick(batch.volume) };
  return { plan, columns, timeframeMs: plan.timeframeMs ?? commonestSpacing(columns.ts) };
}

/** Where the file does not name its timeframe (Yahoo), the importer takes the usual bar spacing. */
function commonestSpacing(ts: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < ts.length; i++) counts.set(ts[i]! - ts[i - 1]!, (counts.get(ts[i]! - ts[i - 1]!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}
