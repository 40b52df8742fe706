// The DB worker thread's entry (dist/main/db-worker.mjs): db/'s loop serving the composed registry.
import { serveDbWorker } from '../db/workerHost.js';
import { dbWorkerRegistry } from './dbWorkerOps.js';

serveDbWorker(dbWorkerRegistry);
