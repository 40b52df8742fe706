import { HEALTH_REPORT_VERSION, HealthMerger, healthReport, type HealthContext } from '../../src-shared/compute/health/index.js';
import type { DurationMs, EpochMs } from '../../src-shared/domain/units.js';
import type { Db } from '../db/connection.js';
import { loadHealth, readCandlePage, saveHealth } from '../db/queries/candles.js';
import { getDataset } from '../db/queries/datasets.js';

type Page = ReturnType<typeof readCandlePage>;

/** Rows per page, as the importer's walk (about 12 MB of columns). */
const PAGE_ROWS = 250_000;

/**
 * Recomputes a dataset's stored health report when an older version of Candela made it (its
 * summary lacks the current `version`), so every report read has the breakdowns the panel and the
 * CLI show. Runs once per dataset: the new report is saved, unless the connection is read-only
 * (the reader thread that serves the health panel), where it is only returned: the next import
 * or a writer's request stores it. Walks the candles page by page, as the importer does for
 * long datasets, so memory stays bounded. Returns the fresh report, or null when the stored one
 * is current (or there is none).
 */
export function refreshStaleHealth(db: Db, datasetId: number, now: number): { summaryJson: string; flags: Uint8Array; computedAt: number } | null {
  const stored = loadHealth(db, datasetId);
  if (!stored || storedVersion(stored.summaryJson) === HEALTH_REPORT_VERSION) return null;
  const ds = getDataset(db, datasetId);
  if (!ds) return null;
  const merger = new HealthMerger();
  let carry: HealthContext | undefined;
  let previous: Page | null = null;
  for (let after = -Infinity; ; ) {
    const page = readCandlePage(db, datasetId, after, PAGE_ROWS);
    if (page.ts.length === 0) break;
    const cols = previous ? withLastOf(previous, page) : page;
    const report = healthReport(cols, ds.timeframeMs as DurationMs, { nowMs: now as EpochMs, symbol: ds.symbol, carry });
    merger.add({ report, overlapsPrevious: previous !== null });
    carry = report.context;
    previous = page;
    after = page.ts[page.ts.length - 1]!;
    if (page.ts.length < PAGE_ROWS) break;
  }
  const { summary, flags } = merger.finish();
  const summaryJson = JSON.stringify(summary);
  if (!db.readonly) saveHealth(db, datasetId, summaryJson, flags, summary.score, summary.verdict, now);
  return { summaryJson, flags, computedAt: now };
}

function storedVersion(json: string): unknown {
  try {
    return (JSON.parse(json) as { version?: unknown }).version;
  } catch {
    return undefined;
  }
}

/** The page with the previous page's last candle in front, so the gap between pages is seen. */
function withLastOf(previous: Page, page: Page): Page {
  const join = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(b.length + 1);
    out[0] = a[a.length - 1]!;
    out.set(b, 1);
    return out;
  };
  return { ts: join(previous.ts, page.ts), open: join(previous.open, page.open), high: join(previous.high, page.high), low: join(previous.low, page.low), close: join(previous.close, page.close), volume: join(previous.volume, page.volume) };
}
