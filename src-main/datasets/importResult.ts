import type { FileImportResult } from '../../src-shared/contract/datasets.js';

/**
 * A file's import result, starting from what is true before anything was read: not imported,
 * nothing counted, nothing known. `fields` states what is known; every place that reports a file
 * (imported, refused, cancelled, failed with its job) builds its result here, so a field added to
 * the contract gets its starting value once.
 */
export function fileImportResult(file: string, fields: Partial<Omit<FileImportResult, 'file'>> = {}): FileImportResult {
  return {
    file,
    ok: false,
    datasetId: null,
    symbol: null,
    kind: null,
    venue: null,
    timeframe: null,
    format: null,
    rowsRead: 0,
    rowsImported: 0,
    rowsRejected: 0,
    duplicates: 0,
    conflicts: 0,
    firstTs: null,
    lastTs: null,
    warnings: [],
    error: null,
    rejectedSample: [],
    conflictSample: [],
    appended: false,
    alreadyImported: false,
    cancelled: false,
    ...fields,
  };
}
