import { instrumentFileStem } from '../../src-shared/compute/import/instrument.js';
import type { CandleColumnsPayload, DatasetSummary } from '../../src-shared/contract/datasets.js';
import type { CandelaClient } from './client.js';

const PAGE = 200_000;

/** The name an exported dataset is saved under: the instrument, so that it imports back the same. */
export const datasetCsvFileName = (d: DatasetSummary) => `${instrumentFileStem(d)}_${d.timeframe}.csv`;

/**
 * A dataset's CSV built in the renderer from pages of the candles channel, so that both shells
 * share one path (the caller saves it through a download). Throws with the contract's sentence
 * when a page fails.
 */
export async function datasetCsvParts(client: CandelaClient, d: DatasetSummary, onProgress: (rows: number) => void): Promise<string[]> {
  const parts: string[] = ['timestamp,time_utc,open,high,low,close,volume\n'];
  let from: number | undefined = undefined;
  let rows = 0;
  for (;;) {
    const r = await client.invoke('datasets.candles', { id: d.id, limit: PAGE, anchor: 'first', ...(from === undefined ? {} : { from }) });
    if (!r.ok) throw new Error(r.error.message);
    const c: CandleColumnsPayload = r.value.candles;
    const lines: string[] = [];
    for (let i = 0; i < c.ts.length; i++) lines.push(`${c.ts[i]},${new Date(c.ts[i]!).toISOString()},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i] ?? ''}`);
    if (lines.length) parts.push(lines.join('\n') + '\n');
    rows += c.ts.length;
    onProgress(rows);
    if (c.ts.length < PAGE) break;
    from = c.ts[c.ts.length - 1]! + 1;
  }
  return parts;
}
