import { randomUUID } from 'node:crypto';
import type { ImportOverrides, ImportSummary } from '../../src-shared/contract/datasets.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DbClient } from '../services/dbWorkerOps.js';
import type { EventBus } from '../services/eventBus.js';
import { expandPaths } from './expandPaths.js';
import { fileImportResult } from './importResult.js';
import type { UploadStore } from './uploads.js';

export interface DemoOptions {
  symbols: number;
  bars: number;
  timeframe: string;
  seed: number;
  signal: number;
}

/**
 * Starts import and demo-generation jobs in the DB worker and reports their end as one summary
 * event; the request that started a job returns at once with its id and file count.
 */
export class DatasetService {
  private readonly finished = new Map<string, Promise<ImportSummary>>();

  constructor(
    private readonly db: DbClient,
    private readonly events: EventBus,
    private readonly workspaceDir: string,
    private readonly uploads: UploadStore | null,
  ) {}

  async startImport(paths: string[], overrides?: ImportOverrides): Promise<{ jobId: string; fileCount: number }> {
    const scanned = await expandPaths(paths);
    if (scanned.files.length === 0) {
      throw new ContractFailure('BAD_REQUEST', scanned.skipped.length ? `Nothing to import: ${scanned.skipped.slice(0, 3).join('; ')}.` : 'Nothing to import.');
    }
    const jobId = randomUUID();
    this.track(jobId, this.db.runJob('importFiles', jobId, { jobId, files: scanned.files, overrides }), paths);
    return { jobId, fileCount: scanned.files.length };
  }

  async generateDemo(o: DemoOptions): Promise<{ jobId: string; fileCount: number }> {
    const jobId = randomUUID();
    this.track(jobId, this.db.runJob('generateDemo', jobId, { jobId, workspaceDir: this.workspaceDir, generate: o }), []);
    return { jobId, fileCount: o.symbols };
  }

  cancel(jobId: string): boolean {
    return this.db.cancelJob(jobId);
  }

  /** Resolves with a job's summary (tests and the CLI wait on it; the UI listens to the event). */
  whenFinished(jobId: string): Promise<ImportSummary> {
    const p = this.finished.get(jobId);
    if (!p) throw new ContractFailure('NOT_FOUND', `No import job ${jobId}.`);
    return p;
  }

  private track(jobId: string, job: Promise<ImportSummary>, paths: string[]): void {
    const done = job.then(
      (summary) => summary,
      (e: Error): ImportSummary => ({
        jobId,
        cancelled: false,
        seconds: 0,
        files: paths.map((file) => fileImportResult(file, { error: `The import failed: ${e.message}` })),
      }),
    );
    this.finished.set(jobId, done);
    void done.then((summary) => {
      for (const f of summary.files) this.uploads?.discard(f.file);
      this.events.emit('datasets.importFinished', summary);
      this.events.emit('datasets.changed', { reason: 'import' });
    });
  }
}
