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

describe('createWorkerDb', () => {
  it('fails the requests of a worker that dies with the reason, then serves the next ones from a new worker', async () => {
    const db = await createWorkerDb(join(dir, 'x.db'), script, { ops: sqlOps, jobs: {} }, () => undefined);
    const first = await db.schemaVersion();
    await expect(db.listDatasets()).rejects.toThrow(/database worker stopped \(exit code 3\)/);
    let second: number | null = null;
    for (let i = 0; i < 50 && second === null; i++) {
      second = await db.schemaVersion().catch(() => null);
      if (second === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await db.close();
  });
});
