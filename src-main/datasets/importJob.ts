import type { FileImportResult, ImportOverrides, ImportProgress, ImportSummary } from '../../src-shared/contract/datasets.js';
import type { Db } from '../db/connection.js';
import { importFile } from './importFile.js';
import { fileImportResult } from './importResult.js';

export interface JobContext {
  emit(name: 'datasets.importProgress', payload: ImportProgress): void;
  isCancelled(): boolean;
}

export interface ImportJobArgs {
  jobId: string;
  files: { path: string; bytes: number }[];
  overrides?: ImportOverrides;
}

/**
 * Imports files one after another (each atomically) and returns one summary. Progress covers
 * the whole job: bytes over all files, rows/s, and an ETA from the byte rate so far.
 */
export async function runImportJob(db: Db, ctx: JobContext, args: ImportJobArgs): Promise<ImportSummary> {
  const started = Date.now();
  const totalBytes = args.files.reduce((n, f) => n + f.bytes, 0);
  let doneBytes = 0;
  let doneRows = 0;
  const results: FileImportResult[] = [];
  for (const [i, f] of args.files.entries()) {
    if (ctx.isCancelled()) {
      results.push(...args.files.slice(i).map((rest) => fileImportResult(rest.path, { error: 'Not imported: the import was cancelled first.', cancelled: true })));
      break;
    }
    const r = await importFile(db, f.path, {
      overrides: args.overrides,
      isCancelled: ctx.isCancelled,
      onProgress: (p) => {
        const elapsed = (Date.now() - started) / 1000;
        const bytes = doneBytes + p.bytesRead;
        const rate = elapsed > 0 ? bytes / elapsed : 0;
        ctx.emit('datasets.importProgress', {
          jobId: args.jobId,
          fileIndex: i,
          fileCount: args.files.length,
          file: f.path,
          bytesRead: bytes,
          bytesTotal: totalBytes,
          rows: doneRows + p.rows,
          rowsPerSec: elapsed > 0 ? (doneRows + p.rows) / elapsed : 0,
          etaSec: rate > 0 && elapsed > 0.5 ? Math.max(0, (totalBytes - bytes) / rate) : null,
        });
      },
    });
    results.push(r);
    doneBytes += f.bytes;
    doneRows += r.rowsRead;
  }
  return { jobId: args.jobId, files: results, cancelled: ctx.isCancelled(), seconds: (Date.now() - started) / 1000 };
}
