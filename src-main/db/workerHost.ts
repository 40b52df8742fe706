import { parentPort, workerData } from 'node:worker_threads';
import { callOp, createJobRunner, serializeError, type DbRegistry, type DbWorkerData, type MainToWorker, type WorkerToMain } from './client.js';
import { openWorkspaceDb, type Db } from './connection.js';

/**
 * The DB worker thread's loop: opens the workspace (read-only for a reader thread), then answers
 * the client's calls and jobs from `registry` until told to close. The registry comes from the entry script
 * (src-main/services/dbWorkerEntry.ts), so this file stays free of domain code.
 */
export function serveDbWorker(registry: DbRegistry): void {
  const port = parentPort;
  if (!port) throw new Error('The DB worker must run in a worker thread.');
  const { file, role } = workerData as DbWorkerData;
  const post = (m: WorkerToMain) => port.postMessage(m);

  let db: Db;
  try {
    // A reader opens after the writer has migrated the schema; read-only, it can never block a write.
    db = openWorkspaceDb(file, { readonly: role === 'read' });
    if (role === 'read') db.pragma('busy_timeout = 5000');
    post({ kind: 'ready' });
  } catch (e) {
    post({ kind: 'fatal', error: serializeError(e) });
    process.exit(1);
  }

  const jobs = createJobRunner(registry.jobs, () => openWorkspaceDb(file), (name, payload) => post({ kind: 'event', name, payload }));

  port.on('message', async (msg: MainToWorker) => {
    if (msg.kind === 'close') {
      db.close();
      process.exit(0);
    }
    if (msg.kind === 'cancel') {
      jobs.cancel(msg.jobId);
      return;
    }
    try {
      const value = msg.kind === 'job' ? await jobs.run(msg.job, msg.jobId, msg.args) : await callOp(registry.ops, db, msg.op, msg.args);
      post({ kind: 'reply', id: msg.id, ok: true, value });
    } catch (e) {
      post({ kind: 'reply', id: msg.id, ok: false, error: serializeError(e) });
    }
  });
}
