import { createInlineDb, createWorkerDb, type DbClientOf, type DbJob, type DbOp, type JobEventSink } from '../db/client.js';
import { sqlOps } from '../db/ops.js';
import { backtestWorkerOps } from '../backtests/workerOps.js';
import { datasetWorkerOps } from '../datasets/workerOps.js';
import { dbJobs } from '../datasets/jobs.js';
import { evaluationWorkerOps } from '../evaluation/workerOps.js';
import { runsWorkerOps } from '../runs/workerOps.js';

/**
 * Everything the DB worker hosts: db/'s SQL operations and the work each domain registers to run
 * beside the database. The worker entry and the inline client both take this registry, and the
 * client type is derived from it, so an operation is declared exactly once.
 */
export const dbWorkerRegistry = {
  ops: { ...sqlOps, ...datasetWorkerOps, ...evaluationWorkerOps, ...backtestWorkerOps, ...runsWorkerOps } satisfies Record<string, DbOp>,
  jobs: dbJobs satisfies Record<string, DbJob>,
  /** Served from the reader thread (see DbRegistry.reads): a chart, list or health request never waits behind an import. */
  reads: ['listDatasets', 'getDataset', 'queryCandles', 'rollupTimeframes', 'datasetHealth'] as const satisfies readonly (keyof typeof sqlOps | keyof typeof datasetWorkerOps)[],
};

export type DbOps = (typeof dbWorkerRegistry)['ops'];
export type DbOpName = keyof DbOps;
export type DbJobName = keyof (typeof dbWorkerRegistry)['jobs'];
/** The services' database: the same whether inline (CLI, tests) or in the worker thread (app, server). */
export type DbClient = DbClientOf<typeof dbWorkerRegistry>;

export const openInlineDb = (file: string, sink: JobEventSink): DbClient => createInlineDb(file, dbWorkerRegistry, sink);
export const startDbWorker = (file: string, workerScript: URL | string, sink: JobEventSink): Promise<DbClient> => createWorkerDb(file, workerScript, dbWorkerRegistry, sink);
