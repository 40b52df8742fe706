import { Worker } from 'node:worker_threads';
import { ContractFailure, ERROR_CODES, type ErrorCode } from '../../src-shared/contract/result.js';
import { openWorkspaceDb, WorkspaceVersionError, type Db } from './connection.js';
import { dbOps, type DbOpName, type DbOps } from './ops.js';

type DropDb<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** The asynchronous face of `dbOps`, the same whether it runs inline or in the worker thread. */
export type DbClient = { [K in DbOpName]: DropDb<DbOps[K]> } & {
  readonly mode: 'inline' | 'worker';
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

function buildClient(call: (op: DbOpName, args: unknown[]) => Promise<unknown>, mode: DbClient['mode'], close: () => Promise<void>): DbClient {
  const client: Record<string, unknown> = { mode, close };
  for (const op of Object.keys(dbOps) as DbOpName[]) client[op] = (...args: unknown[]) => call(op, args);
  return client as DbClient;
}

/** Runs operations on the calling thread: for the CLI and tests, where nothing else waits on the loop. */
export function createInlineDb(file: string, nativeBinding?: string): DbClient {
  const db = openWorkspaceDb(file, { nativeBinding });
  const call = async (op: DbOpName, args: unknown[]) => (dbOps[op] as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  return buildClient(call, 'inline', async () => void db.close());
}

export type WorkerToMain =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: SerializedError }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: SerializedError };
export type MainToWorker = { kind: 'call'; id: number; op: DbOpName; args: unknown[] } | { kind: 'close' };

/**
 * Starts the DB worker thread (all writes and bulk work happen there, off the main event loop)
 * and resolves once the workspace is open and migrated, or rejects with the reason it could not be.
 */
export function createWorkerDb(file: string, workerScript: URL | string, nativeBinding?: string): Promise<DbClient> {
  const worker = new Worker(workerScript, { workerData: { file, nativeBinding } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;

  return new Promise((resolveOpen, rejectOpen) => {
    worker.on('message', (msg: WorkerToMain) => {
      if (msg.kind === 'ready') {
        resolveOpen(buildClient(call, 'worker', close));
      } else if (msg.kind === 'fatal') {
        dead = reviveError(msg.error);
        rejectOpen(dead);
      } else {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(reviveError(msg.error));
      }
    });
    worker.on('error', (e) => {
      dead = e;
      rejectOpen(e);
      for (const p of pending.values()) p.reject(new Error(`The database worker stopped: ${e.message}`));
      pending.clear();
    });
    worker.on('exit', (code) => {
      dead ??= new Error(`The database worker exited (code ${code}).`);
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    });
  });

  function call(op: DbOpName, args: unknown[]): Promise<unknown> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'call', id, op, args } satisfies MainToWorker);
    });
  }

  async function close(): Promise<void> {
    if (dead) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage({ kind: 'close' } satisfies MainToWorker);
    await exited;
  }
}
