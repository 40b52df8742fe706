import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { writeGeneratedMarket } from '../datasets/writeGeneratedMarket.js';
import { dbWorkerRegistry, openInlineDb, startDbWorker, type DbClient } from './dbWorkerOps.js';

// The worker thread runs the built entry (dist/main/db-worker.mjs); Node cannot start a .ts worker.
describe('the DB worker registry', () => {
  if (!requirePrerequisite(builtFiles('dist/main/db-worker.mjs'))) return;
  const dir = mkdtempSync(join(tmpdir(), 'candela-registry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the same domain operations and jobs in the worker thread as inline', async () => {
    const files = await writeGeneratedMarket({ symbols: 1, bars: 400, timeframe: '5m', seed: 2, signal: 0, outDir: join(dir, 'gen') });
    const events: string[] = [];
    const run = async (db: DbClient, name: string) => {
      const summary = await db.runJob('importFiles', `job-${name}`, { jobId: `job-${name}`, files: files.map((path) => ({ path, bytes: statSync(path).size })) });
      const [dataset] = await db.listDatasets();
      const health = await db.datasetHealth(dataset!.id);
      await db.close();
      return { imported: summary.files.map((f) => f.rowsImported), dataset: { symbol: dataset!.symbol, rows: dataset!.rows }, flagged: health?.flaggedTs.length };
    };
    const worker = await startDbWorker(join(dir, 'worker.db'), repoPath('dist/main/db-worker.mjs'), (name) => events.push(name));
    expect(worker.mode).toBe('worker');
    const inThread = await run(worker, 'worker');
    const inline = await run(openInlineDb(join(dir, 'inline.db'), () => undefined), 'inline');
    expect(inThread).toEqual(inline);
    expect(inThread.imported).toEqual([400]);
    // Progress crossed the thread boundary as contract events.
    expect(events).toContain('datasets.importProgress');
    expect(Object.keys(dbWorkerRegistry.ops)).toEqual(expect.arrayContaining(['datasetHealth', 'evaluateRun', 'backtestRun', 'backtestPreview', 'listDatasets']));
  });

  it('answers chart and list requests while an import is writing, before the import finishes', async () => {
    const small = await writeGeneratedMarket({ symbols: 1, bars: 3000, timeframe: '5m', seed: 3, signal: 0, outDir: join(dir, 'small') });
    const big = await writeGeneratedMarket({ symbols: 1, bars: 400_000, timeframe: '1m', seed: 4, signal: 0, outDir: join(dir, 'big') });
    let progress = 0;
    const db = await startDbWorker(join(dir, 'reads.db'), repoPath('dist/main/db-worker.mjs'), (name) => name === 'datasets.importProgress' && progress++);
    try {
      await db.runJob('importFiles', 'small', { jobId: 'small', files: small.map((path) => ({ path, bytes: statSync(path).size })) });
      const [chartDataset] = await db.listDatasets();
      // The order in which things settle is the claim, not how long they took.
      const order: string[] = [];
      const importing = db.runJob('importFiles', 'big', { jobId: 'big', files: big.map((path) => ({ path, bytes: statSync(path).size })) }).then((s) => (order.push('import finished'), s));
      const before = progress;
      while (progress === before) await new Promise((r) => setTimeout(r, 2));
      const chart = await db.queryCandles({ datasetId: chartDataset!.id, rollupMs: null, limit: 2000, anchor: 'last' });
      const listed = await db.listDatasets();
      order.push('reads answered');
      expect(chart.ts.length).toBe(2000);
      // the reader sees the last committed state: the import's dataset is not there yet
      expect(listed.map((d) => d.rows)).toEqual([3000]);
      expect((await importing).files[0]?.rowsImported).toBe(400_000);
      expect(order).toEqual(['reads answered', 'import finished']);
      expect((await db.listDatasets()).length).toBe(2);
    } finally {
      await db.close();
    }
  });
});
