import type { Db } from '../db/connection.js';
import { flaggedCandleTimes, loadHealth } from '../db/queries/candles.js';
import { refreshStaleHealth } from './staleHealth.js';

/** Dataset work in the DB worker beside the plain queries. */
export const datasetWorkerOps = {
  /** The health summary (recomputed first when an older rule wrote it) and the timestamps of candles flagged suspect (1) or bad (2). */
  datasetHealth(db: Db, datasetId: number): { summaryJson: string; flaggedTs: number[]; flaggedLevel: number[]; computedAt: number } | null {
    const h = refreshStaleHealth(db, datasetId, Date.now()) ?? loadHealth(db, datasetId);
    if (!h) return null;
    return { summaryJson: h.summaryJson, ...flaggedCandleTimes(db, datasetId, h.flags), computedAt: h.computedAt };
  },
};
