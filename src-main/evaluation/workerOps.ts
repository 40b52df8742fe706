import type { Db } from '../db/connection.js';
import { evaluateRun } from './evaluateRun.js';

/** Evaluation's work in the DB worker: reading predictions and computing curves is bulk work. */
export const evaluationWorkerOps = {
  evaluateRun: async (db: Db, runId: number, now: number) => {
    const e = await evaluateRun(db, runId, now);
    return { evaluationId: e.evaluationId, runId, createdAt: now, report: e.report };
  },
};
