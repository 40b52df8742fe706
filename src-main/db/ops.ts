import { schemaVersion, type Db } from './connection.js';
import { evaluateRun } from '../evaluation/evaluateRun.js';
import { latestEvaluation } from './queries/evaluations.js';
import { backtestRun, sweepRun } from '../backtests/backtestRun.js';
import { backtestSymbolView } from '../backtests/symbolView.js';
import { listBacktests } from './queries/backtests.js';
import type { BacktestSettingsPayload } from '../../src-shared/contract/backtests.js';
import { loadHealth, queryCandles, rollupTimeframes } from './queries/candles.js';
import { refreshStaleHealth } from '../datasets/staleHealth.js';
import { deleteDataset, getDataset, listDatasets, renameDataset } from './queries/datasets.js';
import { trainingCandlePrefix, trainingPlanFacts } from './queries/trainingData.js';
import { createRun, deleteRun, getRun, listRuns, markInterruptedRuns, recordEpoch, setRunBackend, setRunResult, setRunStatus } from './queries/runs.js';

/**
 * Every database operation the services may call, each `(db, ...args)`. The worker thread
 * dispatches on these names and the client type is derived from them, so an operation is
 * declared exactly once (Signal's `Interface.std.ts` pattern).
 */
export const dbOps = {
  schemaVersion,
  sqliteVersion: (db: Db): string => db.prepare('SELECT sqlite_version()').pluck().get() as string,
  listDatasets,
  getDataset,
  deleteDataset,
  renameDataset,
  queryCandles,
  createRun: (db: Db, r: Omit<Parameters<typeof createRun>[1], 'checkpointDirFor'> & { checkpointRoot: string }) =>
    createRun(db, { ...r, checkpointDirFor: (id) => `${r.checkpointRoot}/run-${id}` }),
  setRunStatus,
  setRunBackend,
  setRunResult,
  recordEpoch,
  listRuns,
  getRun,
  deleteRun,
  /** Runs in the DB worker: reading predictions and computing curves is bulk work. */
  evaluateRun: async (db: Db, runId: number, now: number) => {
    const e = await evaluateRun(db, runId, now);
    return { evaluationId: e.evaluationId, runId, createdAt: now, report: e.report as unknown as Record<string, unknown> };
  },
  latestEvaluation: (db: Db, runId: number) => {
    const e = latestEvaluation(db, runId);
    return e ? { evaluationId: e.id, runId, createdAt: e.createdAt, report: JSON.parse(e.reportJson) as Record<string, unknown> } : null;
  },
  backtestRun: async (db: Db, runId: number, settings: BacktestSettingsPayload, now: number) => {
    const { tradeList: _trades, ...summary } = await backtestRun(db, runId, settings, now);
    return summary;
  },
  backtestSweep: (db: Db, runId: number, settings: BacktestSettingsPayload, thresholds: number[]) => sweepRun(db, runId, settings, thresholds),
  listBacktests: (db: Db, runId: number | null) =>
    listBacktests(db, runId).map((b) => ({ backtestId: b.id, runId: b.runId, createdAt: b.createdAt, settings: JSON.parse(b.settingsJson) as Record<string, unknown>, ...(JSON.parse(b.summaryJson) as { portfolio: Record<string, unknown>; symbols: { symbol: string; metrics: Record<string, unknown>; halted: string | null }[] }) })),
  backtestSymbolView,
  markInterruptedRuns: (db: Db, now: number) =>
    markInterruptedRuns(db, now, (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: the process exists but belongs to someone else — still alive.
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }),
  rollupTimeframes,
  trainingPlanFacts,
  trainingCandlePrefix,
  /** The health summary and the timestamps of candles flagged suspect (1) or bad (2). */
  datasetHealth(db: Db, datasetId: number): { summaryJson: string; flaggedTs: number[]; flaggedLevel: number[]; computedAt: number } | null {
    refreshStaleHealth(db, datasetId, Date.now());
    const h = loadHealth(db, datasetId);
    if (!h) return null;
    const flaggedTs: number[] = [];
    const flaggedLevel: number[] = [];
    let i = 0;
    for (const ts of db.prepare('SELECT ts FROM candles WHERE dataset_id = ? ORDER BY ts').pluck().iterate(datasetId) as IterableIterator<number>) {
      const f = h.flags[i++] ?? 0;
      if (f !== 0) {
        flaggedTs.push(ts);
        flaggedLevel.push(f);
      }
    }
    return { summaryJson: h.summaryJson, flaggedTs, flaggedLevel, computedAt: h.computedAt };
  },
} satisfies Record<string, (db: Db, ...args: never[]) => unknown>;

export type DbOps = typeof dbOps;
export type DbOpName = keyof DbOps;
