import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerDb } from './client.js';
import { sqlOps } from './ops.js';

const dir = mkdtempSync(join(tmpdir(), 'candela-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in for the worker entry that speaks the same protocol and dies on demand, so the
// client's recovery can be exercised without crashing SQLite itself.
const script = join(dir, 'dying-worker.mjs');
writeFileSync(
  script,
  `import { parentPort, threadId } from 'node:worker_threads';
   parentPort.postMessage({ kind: 'ready' });
   parentPort.on('message', (m) => {
     if (m.kind === 'close') process.exit(0);
     if (m.op === 'listDatasets') process.exit(3);
     parentPort.postMessage({ kind: 'reply', id: m.id, ok: true, value: threadId });
   });`,
);

// A stand-in whose writer thread is held busy by every job until the test releases it (as an import
// keeps the writer's thread busy parsing and writing), and whose every reply names the thread's role.
// Released by a file rather than a message: a thread that is busy cannot read its messages.
const twoRoles = join(dir, 'two-roles-worker.mjs');
const releaseJob = join(dir, 'release-job');
writeFileSync(
  twoRoles,
  `import { existsSync } from 'node:fs';
   import { parentPort, workerData } from 'node:worker_threads';
   const nap = new Int32Array(new SharedArrayBuffer(4));
   parentPort.postMessage({ kind: 'ready' });
   parentPort.on('message', (m) => {
     if (m.kind === 'close') process.exit(0);
     if (m.kind === 'job') while (!existsSync(${JSON.stringify(releaseJob)})) Atomics.wait(nap, 0, 0, 5);
     parentPort.postMessage({ kind: 'reply', id: m.id, ok: true, value: { role: workerData.role } });
   });`,
);

describe('createWorkerDb', () => {
  it('serves the registry reads from a read-only thread of their own, so they do not wait for a job on the writer', async () => {
    const registry = { ops: sqlOps, jobs: { importFiles: async () => null }, reads: ['listDatasets', 'queryCandles'] };
    const db = await createWorkerDb(join(dir, 'y.db'), twoRoles, registry, () => undefined);
    let jobSettled = false;
    const job = (db.runJob('importFiles', 'j1', {} as never) as Promise<unknown> as Promise<{ role: string }>).finally(() => (jobSettled = true));
    const read = (await db.listDatasets()) as unknown as { role: string };
    const chart = (await db.queryCandles({ datasetId: 1, rollupMs: null, limit: 10, anchor: 'last' })) as unknown as { role: string };
    // both reads were answered while the writer was still held by the job
    expect(jobSettled).toBe(false);
    expect(read.role).toBe('read');
    expect(chart.role).toBe('read');
    writeFileSync(releaseJob, '');
    const done = await job;
    expect(done.role).toBe('write');
    // an operation not declared a read goes to the writer
    expect(((await db.schemaVersion()) as unknown as { role: string }).role).toBe('write');
    await db.close();
  });

  it('fails the requests of a worker that dies with the reason, then serves the next ones from a new worker', async () => {
    const db = await createWorkerDb(join(dir, 'x.db'), script, { ops: sqlOps, jobs: {} }, () => undefined);
    const first = await db.schemaVersion();
    await expect(db.listDatasets()).rejects.toThrow(/database worker stopped \(exit code 3\)/);
    // The deadline only stops a hung test; a new worker answers in well under a second.
    let second: number | null = null;
    for (const end = Date.now() + 30_000; second === null && Date.now() < end; ) {
      second = await db.schemaVersion().catch(() => null);
      if (second === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await db.close();
  });
});
