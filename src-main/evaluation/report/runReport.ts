/**
 * The data of a run's report, gathered in the DB worker: the run and its lineage (the source-file
 * hashes the run recorded when it started, and a SHA-256 of the candles it read, computed now),
 * the stored evaluation (or a fresh one), signal quality and regimes, and a backtest with its
 * analytics. The HTML is rendered from it by `reportHtml`.
 */
import { createHash } from 'node:crypto';
import { backtestAnalyticsOptionsSchema, backtestSettingsFromStored, parseStoredBacktest, type BacktestAnalytics, type BacktestSummary, type MarketMonteCarlo } from '../../../src-shared/contract/backtests.js';
import { parseStoredReport, type EvaluationReportPayload, type RunAnalytics } from '../../../src-shared/contract/evaluation.js';
import { ContractFailure } from '../../../src-shared/contract/result.js';
import type { RunDetail } from '../../../src-shared/contract/training.js';
import { msToTimeframe, timeframeToMs } from '../../../src-shared/domain/timeframe.js';
import type { Db } from '../../db/connection.js';
import { getBacktest, listBacktests } from '../../db/queries/backtests.js';
import { latestEvaluation } from '../../db/queries/evaluations.js';
import { runLineage, type RunDatasetLineage } from '../../db/queries/lineage.js';
import { getRun } from '../../db/queries/runs.js';
import { loadTrainingCandles } from '../../db/queries/trainingData.js';
import { backtestAnalytics } from '../../backtests/backtestAnalytics.js';
import { readMarketMonteCarlo } from '../../backtests/marketMonteCarlo.js';
import { evaluateRun, readFinishedRun } from '../evaluateRun.js';
import { runAnalytics } from '../runAnalytics.js';
import { reportHtml } from './reportHtml.js';

export interface DatasetLineage extends RunDatasetLineage {
  /** The bar size the run read (its timeframe). */
  readTimeframe: string;
  /** Bars read at that timeframe now. */
  bars: number;
  /**
   * SHA-256 (hex) of the candles at the run's timeframe as stored now: the little-endian float64
   * bytes of ts, open, high, low, close and volume, one column after another. Null when the
   * dataset or its roll-up is gone.
   */
  candleSha256: string | null;
}

export interface ReportData {
  generatedAt: number;
  run: Omit<RunDetail, 'epochs' | 'batchHistory'> & { epochsRecorded: number };
  lineage: DatasetLineage[];
  evaluation: { createdAt: number; report: EvaluationReportPayload };
  analytics: RunAnalytics | null;
  analyticsReason: string | null;
  backtest: BacktestSummary | null;
  backtestAnalytics: BacktestAnalytics | null;
  backtestReason: string | null;
  /** The backtest's market Monte Carlo as last computed (Backtests page or `candela backtest --market-paths`); null when never computed. */
  marketMonteCarlo: MarketMonteCarlo | null;
}

/** SHA-256 of candle columns (see `DatasetLineage.candleSha256`). */
export function candleSha256(c: { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }): string {
  const h = createHash('sha256');
  for (const col of [c.ts, c.open, c.high, c.low, c.close, c.volume]) {
    // Float64Array bytes are the platform's order; every platform Node runs on is little-endian, and this refuses one that is not.
    if (new Uint8Array(Float64Array.of(1).buffer)[7] !== 0x3f) throw new Error('candle hashes are defined on little-endian float64 bytes');
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  return h.digest('hex');
}

/** Everything the report shows. `backtestId` null: the run's newest backtest, if it has one. */
export async function reportData(db: Db, runId: number, backtestId: number | null, now: number): Promise<ReportData> {
  await readFinishedRun(db, runId);
  const detail = getRun(db, runId)!;
  const { checkpointDir: _dir, epochs, batchHistory: _batches, ...run } = detail;
  const tfMs = timeframeToMs(detail.timeframe) ?? undefined;
  const lineage = runLineage(db, runId).map((d): DatasetLineage => {
    const loaded = loadTrainingCandles(db, d.datasetId, tfMs === undefined ? {} : { timeframeMs: tfMs, extraColumns: [] });
    return { ...d, readTimeframe: detail.timeframe || msToTimeframe(d.timeframeMs), bars: loaded?.candles.ts.length ?? 0, candleSha256: loaded ? candleSha256(loaded.candles) : null };
  });

  const stored = latestEvaluation(db, runId);
  const evaluation = stored ? { createdAt: stored.createdAt, report: parseStoredReport(stored.id, stored.reportJson) } : { createdAt: now, report: (await evaluateRun(db, runId, now)).report };

  let analytics: RunAnalytics | null = null;
  let analyticsReason: string | null = null;
  try {
    analytics = await runAnalytics(db, runId);
  } catch (e) {
    if (!(e instanceof ContractFailure)) throw e;
    analyticsReason = e.message;
  }

  let backtest: BacktestSummary | null = null;
  let backtestReason: string | null = null;
  const row = backtestId === null ? (listBacktests(db, runId)[0] ?? null) : getBacktest(db, backtestId);
  if (backtestId !== null && (!row || row.runId !== runId)) throw new ContractFailure('NOT_FOUND', `Backtest ${backtestId} is not a backtest of run ${runId}; see \`candela backtests\` or the Backtests page.`);
  if (row) backtest = { backtestId: row.id, runId: row.runId, createdAt: row.createdAt, ...parseStoredBacktest(row.id, row.settingsJson, row.summaryJson) };
  else backtestReason = `Run ${runId} has no backtest yet; run one (\`candela backtest ${runId}\` or the Backtests page) and write the report again.`;

  let btAnalytics: BacktestAnalytics | null = null;
  if (backtest) {
    const settings = backtestSettingsFromStored(backtest.settings);
    if (settings) btAnalytics = await backtestAnalytics(db, runId, settings, backtestAnalyticsOptionsSchema.parse({}));
    else backtestReason = `Backtest ${backtest.backtestId} was stored with settings outside what the form accepts, so its Monte Carlo and cost sensitivity are not computed.`;
  }
  // Read, not computed: each path re-runs the model in a training process, too slow to do unasked for a report.
  const marketMonteCarlo = backtest ? await readMarketMonteCarlo(detail.checkpointDir, backtest.backtestId) : null;
  return { generatedAt: now, run: { ...run, epochsRecorded: epochs.length }, lineage, evaluation, analytics, analyticsReason, backtest, backtestAnalytics: btAnalytics, backtestReason, marketMonteCarlo };
}

/** The report as one self-contained HTML file and the name to save it under. */
export async function runReport(db: Db, runId: number, backtestId: number | null, now: number): Promise<{ html: string; fileName: string }> {
  const data = await reportData(db, runId, backtestId, now);
  return { html: reportHtml(data), fileName: `candela-run-${runId}${data.backtest ? `-backtest-${data.backtest.backtestId}` : ''}-report.html` };
}
