import { instrumentFileStem } from '../../src-shared/compute/import/instrument.js';
import type { CandleColumnsPayload, DatasetSummary } from '../../src-shared/contract/datasets.js';
import type { ResponseOf } from '../../src-shared/contract/index.js';
import type { Result } from '../../src-shared/contract/result.js';
import type { CandelaClient } from './client.js';

const PAGE = 200_000;

/**
 * Builds a dataset's CSV in the renderer from pages of the candles channel and saves it through a
 * download (the browser asks where; Electron shows its save dialog), so both shells share one path.
 */
export async function exportDatasetCsv(client: CandelaClient, d: DatasetSummary, onProgress: (rows: number) => void): Promise<void> {
  const parts: string[] = ['timestamp,time_utc,open,high,low,close,volume\n'];
  let from: number | undefined = undefined;
  let rows = 0;
  for (;;) {
    const r: Result<ResponseOf<'datasets.candles'>> = await client.invoke('datasets.candles', { id: d.id, limit: PAGE, anchor: 'first', ...(from === undefined ? {} : { from }) });
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
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${instrumentFileStem(d)}_${d.timeframe}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
