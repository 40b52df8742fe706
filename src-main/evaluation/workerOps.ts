import type { Db } from '../db/connection.js';
import { evaluateRun } from './evaluateRun.js';
import { writePredictionsCsv } from './predictionsCsv.js';
import { runAnalytics } from './runAnalytics.js';
import { runReport } from './report/runReport.js';

/** Evaluation's work in the DB worker: reading predictions and computing curves is bulk work. */
export const evaluationWorkerOps = {
  evaluateRun: async (db: Db, runId: number, now: number) => {
    const e = await evaluateRun(db, runId, now);
    return { evaluationId: e.evaluationId, runId, createdAt: now, report: e.report };
  },
  runAnalytics: (db: Db, runId: number, hmmStates: 2 | 3 | null) => runAnalytics(db, runId, hmmStates),
  writePredictionsCsv: (db: Db, runId: number, file: string) => writePredictionsCsv(db, runId, file),
  runReport: (db: Db, runId: number, backtestId: number | null, now: number) => runReport(db, runId, backtestId, now),
};
