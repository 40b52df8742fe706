import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src-shared/contract/datasets.js';
import type { Services } from '../services/createServices.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';
import { writeGeneratedMarket } from './writeGeneratedMarket.js';

let dir: string;
let services: Services;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-service-'));
  services = await createHeadlessServices(join(dir, 'ws'));
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DatasetService', () => {
  it('imports a folder of 136 files as one job with one summary', async () => {
    const folder = join(dir, 'many');
    await writeGeneratedMarket({ symbols: 136, bars: 300, timeframe: '5m', seed: 3, signal: 0, outDir: folder });
    const finished: ImportSummary[] = [];
    const progressFiles = new Set<number>();
    const off = services.events.subscribe((name, payload) => {
      if (name === 'datasets.importFinished') finished.push(payload as ImportSummary);
      if (name === 'datasets.importProgress') progressFiles.add((payload as { fileIndex: number }).fileIndex);
    });
    const started = await services.datasets.startImport([folder]);
    expect(started.fileCount).toBe(136);
    const summary = await services.datasets.whenFinished(started.jobId);
    await new Promise((r) => setTimeout(r, 0));
    off();
    expect(summary.files).toHaveLength(136);
    expect(summary.files.every((f) => f.ok && f.rowsImported === 300)).toBe(true);
    expect(finished).toHaveLength(1);
    expect(progressFiles.size).toBeGreaterThan(100);
    expect((await services.db.listDatasets()).length).toBe(136);
  });

  it('refuses a path list with nothing importable in one sentence', async () => {
    await expect(services.datasets.startImport([join(dir, 'does-not-exist')])).rejects.toThrow(/Nothing to import: .*not found/);
  });

  it('cancels a running job and keeps nothing of the file in progress', async () => {
    const folder = join(dir, 'big');
    await writeGeneratedMarket({ symbols: 1, bars: 300_000, timeframe: '1m', seed: 9, signal: 0, outDir: folder });
    const before = (await services.db.listDatasets()).length;
    const started = await services.datasets.startImport([folder]);
    services.datasets.cancel(started.jobId);
    const summary = await services.datasets.whenFinished(started.jobId);
    expect(summary.cancelled).toBe(true);
    expect(summary.files[0]).toMatchObject({ ok: false, cancelled: true });
    expect((await services.db.listDatasets()).length).toBe(before);
  });
});
