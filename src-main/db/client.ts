import { Worker } from 'node:worker_threads';
import { ContractFailure, ERROR_CODES, type ErrorCode } from '../../src-shared/contract/result.js';
import { dbJobs, type DbJobName, type DbJobs, type JobContext } from '../datasets/jobs.js';
import { openWorkspaceDb, WorkspaceVersionError, type Db } from './connection.js';
import { dbOps, type DbOpName, type DbOps } from './ops.js';

type DropDb<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
type JobArgs<J extends DbJobName> = Parameters<DbJobs[J]>[2];
type JobResult<J extends DbJobName> = Awaited<ReturnType<DbJobs[J]>>;

/** Events jobs emit, forwarded to whoever created the client (the services' event bus). */
export type JobEventSink = (name: string, payload: unknown) => void;

/** The asynchronous face of `dbOps` and `dbJobs`, the same whether inline or in the worker thread. */
export type DbClient = { [K in DbOpName]: DropDb<DbOps[K]> } & {
  readonly mode: 'inline' | 'worker';
  /** Runs a long job; `jobId` identifies it for `cancelJob`. */
  runJob<J extends DbJobName>(job: J, jobId: string, args: JobArgs<J>): Promise<JobResult<J>>;
  cancelJob(jobId: string): boolean;
  close(): Promise<void>;
};

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof ContractFailure) return { name: e.name, message: e.message, code: e.code };
  if (e instanceof WorkspaceVersionError) return { name: e.name, message: e.message, code: 'WORKSPACE' };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

function reviveError(e: SerializedError): Error {
  if (e.code && (ERROR_CODES as readonly string[]).includes(e.code)) return new ContractFailure(e.code as ErrorCode, e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * Runs jobs, each on a connection of its own: an import holds its write transaction across
 * file reads, and queries on the main connection must neither see nor join it.
 */
export function createJobRunner(openConnection: () => Db, sink: JobEventSink) {
  const running = new Map<string, { cancelled: boolean }>();
  return {
    async run(job: DbJobName, jobId: string, args: unknown): Promise<unknown> {
      const state = { cancelled: false };
      running.set(jobId, state);
      const ctx: JobContext = { emit: (name, payload) => sink(name, payload), isCancelled: () => state.cancelled };
      const db = openConnection();
      // Bulk writes touch many b-tree pages: a larger page cache keeps them from spilling mid-file.
      db.pragma('cache_size = -32768');
      try {
        return await (dbJobs[job] as (db: Db, ctx: JobContext, args: unknown) => Promise<unknown>)(db, ctx, args);
      } finally {
        running.delete(jobId);
        db.close();
      }
    },
    cancel(jobId: string): boolean {
      const s = running.get(jobId);
      if (s) s.cancelled = true;
      return !!s;
    },
  };
}

function buildClient(
  call: (op: DbOpName, args: unknown[]) => Promise<unknown>,
  jobs: { run: (job: DbJobName, jobId: string, args: unknown) => Promise<unknown>; cancel: (jobId: string) => boolean },
  mode: DbClient['mode'],
  close: () => Promise<void>,
): DbClient {
  const client: Record<string, unknown> = { mode, close, runJob: jobs.run, cancelJob: jobs.cancel };
  for (const op of Object.keys(dbOps) as DbOpName[]) client[op] = (...args: unknown[]) => call(op, args);
  return client as DbClient;
}

/** Runs operations on the calling thread: for the CLI and tests, where nothing else waits on the loop. */
export function createInlineDb(file: string, sink: JobEventSink): DbClient {
  const db = openWorkspaceDb(file);
  const call = async (op: DbOpName, args: unknown[]) => (dbOps[op] as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  return buildClient(call, createJobRunner(() => openWorkspaceDb(file), sink), 'inline', async () => void db.close());
}

export type WorkerToMain =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: SerializedError }
  | { kind: 'event'; name: string; payload: unknown }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: SerializedError };
export type MainToWorker =
  | { kind: 'call'; id: number; op: DbOpName; args: unknown[] }
  | { kind: 'job'; id: number; job: DbJobName; jobId: string; args: unknown }
  | { kind: 'cancel'; jobId: string }
  | { kind: 'close' };

/**
 * Starts the DB worker thread (all writes and bulk work happen there, off the main event loop)
 * and resolves once the workspace is open and migrated, or rejects with the reason it could not be.
 * If the thread dies later (a native crash, an out-of-memory abort), the requests in flight fail
 * with the reason and a fresh thread is started for the next ones; SQLite's journal guarantees
 * the workspace is as it was before the interrupted transaction.
 */
export function createWorkerDb(file: string, workerScript: URL | string, sink: JobEventSink): Promise<DbClient> {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const runningJobs = new Set<string>();
  let nextId = 1;
  let worker: Worker;
  let ready: Promise<void>;
  let closing = false;
  let fatal: Error | null = null;

  function start(): Promise<void> {
    const w = new Worker(workerScript, { workerData: { file } });
    worker = w;
    ready = new Promise<void>((resolveReady, rejectReady) => {
      w.on('message', (msg: WorkerToMain) => {
        if (msg.kind === 'ready') resolveReady();
        else if (msg.kind === 'fatal') {
          fatal = reviveError(msg.error);
          rejectReady(fatal);
        } else if (msg.kind === 'event') sink(msg.name, msg.payload);
        else {
          const p = pending.get(msg.id);
          if (!p) return;
          pending.delete(msg.id);
          if (msg.ok) p.resolve(msg.value);
          else p.reject(reviveError(msg.error));
        }
      });
      w.on('error', (e) => rejectReady(e));
      w.on('exit', (code) => {
        const reason = new Error(`The database worker stopped (exit code ${code}); the request was not completed and nothing partial was kept.`);
        rejectReady(reason);
        for (const p of pending.values()) p.reject(reason);
        pending.clear();
        runningJobs.clear();
        if (!closing && !fatal) {
          console.error(`${reason.message} Starting a new one.`);
          void start().catch((e: Error) => console.error(`The database worker could not be restarted: ${e.message}`));
        }
      });
    });
    return ready;
  }

  const send = async (msg: MainToWorker): Promise<unknown> => {
    if (fatal) throw fatal;
    await ready;
    return new Promise((resolve, reject) => {
      pending.set((msg as { id: number }).id, { resolve, reject });
      worker.postMessage(msg);
    });
  };
  const call = (op: DbOpName, args: unknown[]) => send({ kind: 'call', id: nextId++, op, args });
  const jobs = {
    run: async (job: DbJobName, jobId: string, args: unknown) => {
      runningJobs.add(jobId);
      try {
        return await send({ kind: 'job', id: nextId++, job, jobId, args });
      } finally {
        runningJobs.delete(jobId);
      }
    },
    cancel: (jobId: string) => {
      if (!runningJobs.has(jobId)) return false;
      worker.postMessage({ kind: 'cancel', jobId } satisfies MainToWorker);
      return true;
    },
  };
  async function close(): Promise<void> {
    closing = true;
    if (fatal) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage({ kind: 'close' } satisfies MainToWorker);
    await exited;
  }

  return start().then(() => buildClient(call, jobs, 'worker', close));
}
