import { parseStoredBacktest } from '../../src-shared/contract/backtests.js';
import { parseStoredReport } from '../../src-shared/contract/evaluation.js';
import { schemaVersion, type Db } from './connection.js';
import { latestEvaluation } from './queries/evaluations.js';
import { listBacktests } from './queries/backtests.js';
import { queryCandles, rollupTimeframes } from './queries/candles.js';
import { deleteDataset, getDataset, listDatasets, renameDataset } from './queries/datasets.js';
import { trainingCandlePrefix, trainingPlanFacts } from './queries/trainingData.js';
import { recordBatchPoint } from './queries/runBatches.js';
import { addSweepTime, createSweep, createTrial, finishTrial, getSweep, listSweeps, listTrials, markInterruptedSweeps, recordTrialValLoss, renameSweepRun, setSweepResult, setSweepStatus, setTrialStatus, sweepOfRun } from './queries/sweeps.js';
import { createRun, deleteRun, getRun, listRuns, markInterruptedRuns, recordEpoch, setRunBackend, setRunResult, setRunStatus } from './queries/runs.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The plain SQL operations the services may call on the workspace, each `(db, ...args)`. Work
 * that needs domain code (evaluating a run, backtesting, refreshing health) is not here: the
 * domains register it beside these in src-main/services/dbWorkerOps.ts, which is what the DB
 * worker hosts and what the client type is derived from.
 */
export const sqlOps = {
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
  recordBatchPoint: (db: Db, runId: number, point: Parameters<typeof recordBatchPoint>[2]) => recordBatchPoint(db, runId, point),
  listRuns,
  getRun,
  deleteRun,
  latestEvaluation: (db: Db, runId: number) => {
    const e = latestEvaluation(db, runId);
    return e ? { evaluationId: e.id, runId, createdAt: e.createdAt, report: parseStoredReport(e.id, e.reportJson) } : null;
  },
  listBacktests: (db: Db, runId: number | null) =>
    listBacktests(db, runId).map((b) => ({ backtestId: b.id, runId: b.runId, createdAt: b.createdAt, ...parseStoredBacktest(b.id, b.settingsJson, b.summaryJson) })),
  markInterruptedRuns: (db: Db, now: number) => markInterruptedRuns(db, now, processAlive),
  createSweep,
  setSweepStatus,
  addSweepTime,
  setSweepResult,
  getSweep,
  listSweeps,
  createTrial,
  listTrials,
  setTrialStatus,
  finishTrial,
  recordTrialValLoss,
  sweepOfRun,
  renameSweepRun,
  markInterruptedSweeps: (db: Db) => markInterruptedSweeps(db, processAlive),
  rollupTimeframes,
  trainingPlanFacts,
  trainingCandlePrefix,
} satisfies Record<string, (db: Db, ...args: never[]) => unknown>;
