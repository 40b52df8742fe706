import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HEALTH_REPORT_VERSION } from '../../src-shared/compute/health/index.js';
import { healthSummarySchema } from '../../src-shared/contract/datasets.js';
import { openWorkspaceDb, type Db } from '../db/connection.js';
import { datasetWorkerOps } from './workerOps.js';
import { loadHealth } from '../db/queries/candles.js';
import { importFile } from './importFile.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candela-health-'));
  db = openWorkspaceDb(join(dir, 'candela.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Weekday hourly EUR/USD bars, Friday 21:00 to Sunday 22:00 UTC closed, as a broker exports them. */
function fxCsv(): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2024, 1, 1); t += 3_600_000) {
    const d = new Date(t);
    const day = d.getUTCDay();
    const h = d.getUTCHours();
    if (day === 6 || (day === 5 && h >= 21) || (day === 0 && h < 22)) continue;
    const p = 1.1 + 0.001 * Math.sin(t / 7e6);
    lines.push(`${t},${p},${p + 0.0004},${p - 0.0004},${p + 0.0001},${100 + (t % 7)}`);
  }
  return lines.join('\n');
}

it('recomputes a report stored by an older version the first time it is read', async () => {
  const path = join(dir, 'EURUSD_60.csv');
  writeFileSync(path, fxCsv());
  const r = await importFile(db, path);
  expect(r.ok).toBe(true);
  const fresh = healthSummarySchema.parse(JSON.parse(loadHealth(db, r.datasetId!)!.summaryJson));
  expect(fresh.calendar).toBe('fx');
  expect(fresh.missingBars).toBe(0);

  // A version-1 summary (no version, no breakdowns) as older workspaces hold it.
  const { version: _v, suspectByReason: _s, badByReason: _b, calendar: _c, calendarSource: _cs, closures: _cl, offGridTimes: _o, ...old } = fresh;
  db.prepare('UPDATE dataset_health SET report_json = ? WHERE dataset_id = ?').run(JSON.stringify(old), r.datasetId);

  const read = datasetWorkerOps.datasetHealth(db, r.datasetId!)!;
  const summary = healthSummarySchema.parse(JSON.parse(read.summaryJson));
  expect(summary.version).toBe(HEALTH_REPORT_VERSION);
  expect(summary.closures.weekends).toBe(fresh.closures.weekends);
  expect(summary.suspectByReason).toEqual(fresh.suspectByReason);
});
