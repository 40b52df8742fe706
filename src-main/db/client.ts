import { Worker } from 'node:worker_threads';
import { ContractFailure, ERROR_CODES, type ErrorCode } from '../../src-shared/contract/result.js';
import { openWorkspaceDb, WorkspaceVersionError, type Db } from './connection.js';

/** What a long job gets besides its connection: a way to report progress and to learn it was cancelled. */
export interface JobRuntime {
  emit(name: string, payload: unknown): void;
  isCancelled(): boolean;
}

/** A database operation: synchronous SQL or bulk work, always on the connection it is given. */
export type DbOp = (db: Db, ...args: never[]) => unknown;
/** A long job; it runs on a connection of its own (see createJobRunner). */
export type DbJob = (db: Db, ctx: JobRuntime, args: never) => Promise<unknown>;

/**
 * What the DB worker hosts. db/ knows only this shape; the domains register their operations
 * and jobs in src-main/services/dbWorkerOps.ts, so SQL stays here and domain code stays out.
 */
export interface DbRegistry {
  readonly ops: Record<string, DbOp>;
  readonly jobs: Record<string, DbJob>;
  /**
   * Operations that only read (chart, list, health). The worker client serves them from a second
   * thread on a read-only connection: under WAL a reader never waits for the writer, and that
   * thread is never busy with an import, so a chart stays responsive while a file is written.
   */
  readonly reads?: readonly string[];
}

type DropDb<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** Events jobs emit, forwarded to whoever created the client (the services' event bus). */
export type JobEventSink = (name: string, payload: unknown) => void;

/**
 * The asynchronous face of a registry's operations and jobs, the same whether inline or in the
 * worker thread; each operation is declared once, in the registry (Signal's `Interface.std.ts`).
 */
export type DbClientOf<R extends DbRegistry> = { [K in keyof R['ops']]: DropDb<R['ops'][K]> } & {
  readonly mode: 'inline' | 'worker';
  /** Runs a long job; `jobId` identifies it for `cancelJob`. */
  runJob<J extends keyof R['jobs'] & string>(job: J, jobId: string, args: Parameters<R['jobs'][J]>[2]): Promise<Awaited<ReturnType<R['jobs'][J]>>>;
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
export function createJobRunner(jobs: DbRegistry['jobs'], openConnection: () => Db, sink: JobEventSink) {
  const running = new Map<string, { cancelled: boolean }>();
  return {
    async run(job: string, jobId: string, args: unknown): Promise<unknown> {
      const fn = jobs[job];
      if (!fn) throw new Error(`There is no database job named ${job}.`);
      const state = { cancelled: false };
      running.set(jobId, state);
      const ctx: JobRuntime = { emit: (name, payload) => sink(name, payload), isCancelled: () => state.cancelled };
      const db = openConnection();
      // Candles go in as appended blocks, so a job's writes touch few b-tree pages: a modest page
      // cache holds them, and every MB of it is a MB of the importer's peak memory.
      db.pragma('cache_size = -8192');
      // Checkpoint every 64 MB of WAL rather than 4 MB: a folder of many files commits once per
      // file, and each checkpoint syncs the database file (readers are not held up either way).
      db.pragma('wal_autocheckpoint = 16384');
      try {
        return await (fn as (db: Db, ctx: JobRuntime, args: unknown) => Promise<unknown>)(db, ctx, args);
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

/** Calls a registered operation by name; an unknown name is a bug in the caller, said plainly. */
export function callOp(ops: DbRegistry['ops'], db: Db, op: string, args: unknown[]): unknown {
  const fn = ops[op];
  if (!fn) throw new Error(`There is no database operation named ${op}.`);
  return (fn as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
}

function buildClient<R extends DbRegistry>(
  registry: R,
  call: (op: string, args: unknown[]) => Promise<unknown>,
  jobs: { run: (job: string, jobId: string, args: unknown) => Promise<unknown>; cancel: (jobId: string) => boolean },
  mode: 'inline' | 'worker',
  close: () => Promise<void>,
): DbClientOf<R> {
  const client: Record<string, unknown> = { mode, close, runJob: jobs.run, cancelJob: jobs.cancel };
  for (const op of Object.keys(registry.ops)) client[op] = (...args: unknown[]) => call(op, args);
  return client as DbClientOf<R>;
}

/** Runs operations on the calling thread: for the CLI and tests, where nothing else waits on the loop. */
export function createInlineDb<R extends DbRegistry>(file: string, registry: R, sink: JobEventSink): DbClientOf<R> {
  const db = openWorkspaceDb(file);
  const call = async (op: string, args: unknown[]) => callOp(registry.ops, db, op, args);
  return buildClient(registry, call, createJobRunner(registry.jobs, () => openWorkspaceDb(file), sink), 'inline', async () => void db.close());
}

export type WorkerToMain =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: SerializedError }
  | { kind: 'event'; name: string; payload: unknown }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: SerializedError };
export type MainToWorker =
  | { kind: 'call'; id: number; op: string; args: unknown[] }
  | { kind: 'job'; id: number; job: string; jobId: string; args: unknown }
  | { kind: 'cancel'; jobId: string }
  | { kind: 'close' };

/** What a DB worker thread is for: the writer (every write and job) or a reader (read-only connection). */
export type DbWorkerRole = 'write' | 'read';
export interface DbWorkerData {
  file: string;
  role: DbWorkerRole;
}

/**
 * One worker thread speaking the protocol above, restarted when it dies: the requests in flight
 * fail with the reason and the next ones go to a fresh thread; SQLite's journal guarantees the
 * workspace is as it was before an interrupted transaction.
 */
function startDbThread(file: string, workerScript: URL | string, role: DbWorkerRole, sink: JobEventSink) {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let worker: Worker;
  let ready: Promise<void>;
  let closing = false;
  let fatal: Error | null = null;

  function start(): Promise<void> {
    const w = new Worker(workerScript, { workerData: { file, role } satisfies DbWorkerData });
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
        if (!closing && !fatal) {
          console.error(`${reason.message} Starting a new one.`);
          void start().catch((e: Error) => console.error(`The database worker could not be restarted: ${e.message}`));
        }
      });
    });
    return ready;
  }

  return {
    start,
    async send(msg: Extract<MainToWorker, { id: number }>): Promise<unknown> {
      if (fatal) throw fatal;
      await ready;
      return new Promise((resolve, reject) => {
        pending.set(msg.id, { resolve, reject });
        worker.postMessage(msg);
      });
    },
    post(msg: MainToWorker): void {
      worker.postMessage(msg);
    },
    async close(): Promise<void> {
      closing = true;
      if (fatal) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage({ kind: 'close' } satisfies MainToWorker);
      await exited;
    },
  };
}

/**
 * Starts the DB worker threads (`workerScript` hosts the same `registry`) and resolves once the
 * workspace is open and migrated, or rejects with the reason it could not be. The writer does all
 * writes and bulk work, off the main event loop; the registry's `reads` go to a reader thread on
 * a read-only connection, opened after the writer has migrated the schema. If the reader cannot
 * start, its operations go to the writer, as they did before there was one.
 */
export async function createWorkerDb<R extends DbRegistry>(file: string, workerScript: URL | string, registry: R, sink: JobEventSink): Promise<DbClientOf<R>> {
  const runningJobs = new Set<string>();
  let nextId = 1;
  const writer = startDbThread(file, workerScript, 'write', sink);
  await writer.start();
  let reader: ReturnType<typeof startDbThread> | null = null;
  if (registry.reads?.length) {
    const r = startDbThread(file, workerScript, 'read', sink);
    try {
      await r.start();
      reader = r;
    } catch (e) {
      console.error(`The read-only database worker could not start (${(e as Error).message}); reads share the writer's thread.`);
      await r.close().catch(() => undefined);
    }
  }
  const reads = new Set(registry.reads ?? []);
  const call = (op: string, args: unknown[]) => (reader && reads.has(op) ? reader : writer).send({ kind: 'call', id: nextId++, op, args });
  const jobs = {
    run: async (job: string, jobId: string, args: unknown) => {
      runningJobs.add(jobId);
      try {
        return await writer.send({ kind: 'job', id: nextId++, job, jobId, args });
      } finally {
        runningJobs.delete(jobId);
      }
    },
    cancel: (jobId: string) => {
      if (!runningJobs.has(jobId)) return false;
      writer.post({ kind: 'cancel', jobId });
      return true;
    },
  };
  const close = async () => {
    await Promise.all([writer.close(), reader?.close()]);
  };
  return buildClient(registry, call, jobs, 'worker', close);
}
