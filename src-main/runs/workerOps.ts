import type { RunMetricName } from '../../src-shared/contract/runs.js';
import type { Db } from '../db/connection.js';
import { createSeedGroup, seedGroups, setRunTags, setSeedMemberRun } from '../db/queries/runGroups.js';
import { createEnsemble } from './ensemble.js';
import { compareRuns, hparams, listRunRows } from './runRows.js';
import { allSeedGroupSummaries, seedGroupSummary } from './seedSummary.js';

/** The Runs domain's work in the DB worker: reading every run's figures, predictions files and evaluations is bulk work. */
export const runsWorkerOps = {
  runRows: (db: Db, filter: string, sort: { key: string; direction: 'asc' | 'desc' }) => listRunRows(db, filter, sort),
  compareRuns: (db: Db, runIds: number[], now: number) => compareRuns(db, runIds, now),
  hparams: (db: Db, runIds: number[], metric: RunMetricName) => hparams(db, runIds, metric),
  createEnsemble: (db: Db, req: { runIds: number[]; weights: 'equal' | 'validation'; name?: string }, runsDir: string, now: number) => createEnsemble(db, req, runsDir, now),
  setRunTags: (db: Db, runId: number, tags: string[]) => setRunTags(db, runId, tags),
  createSeedGroup: (db: Db, sourceRunId: number, seeds: number[], parallel: number, now: number) => createSeedGroup(db, sourceRunId, seeds, parallel, now),
  setSeedMemberRun: (db: Db, groupId: number, position: number, runId: number) => setSeedMemberRun(db, groupId, position, runId),
  seedGroupRows: (db: Db, groupId?: number) => seedGroups(db, groupId),
  seedGroupSummary: (db: Db, groupId: number, now: number) => seedGroupSummary(db, groupId, now),
  seedGroupSummaries: (db: Db, now: number) => allSeedGroupSummaries(db, now),
};
