import { parentPort, workerData } from 'node:worker_threads';
import { createJobRunner, serializeError, type MainToWorker, type WorkerToMain } from './client.js';
import { openWorkspaceDb, type Db } from './connection.js';
import { dbOps } from './ops.js';

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');
const { file } = workerData as { file: string };
const post = (m: WorkerToMain) => port.postMessage(m);

let db: Db;
try {
  db = openWorkspaceDb(file);
  post({ kind: 'ready' });
} catch (e) {
  post({ kind: 'fatal', error: serializeError(e) });
  process.exit(1);
}

const jobs = createJobRunner(() => openWorkspaceDb(file), (name, payload) => post({ kind: 'event', name, payload }));

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
    const value =
      msg.kind === 'job' ? await jobs.run(msg.job, msg.jobId, msg.args) : await (dbOps[msg.op] as (db: Db, ...a: unknown[]) => unknown)(db, ...msg.args);
    post({ kind: 'reply', id: msg.id, ok: true, value });
  } catch (e) {
    post({ kind: 'reply', id: msg.id, ok: false, error: serializeError(e) });
  }
});
