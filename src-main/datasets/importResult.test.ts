import { describe, expect, it } from 'vitest';

import { fileImportResultSchema } from '../../src-shared/contract/datasets.js';
import { fileImportResult } from './importResult.js';

describe('fileImportResult', () => {
  it('starts as a valid contract result with nothing imported, and keeps what the caller knows', () => {
    const fresh = fileImportResult('/data/a.csv');
    expect(fileImportResultSchema.parse(fresh)).toEqual(fresh);
    expect(fresh).toMatchObject({ file: '/data/a.csv', ok: false, rowsImported: 0, error: null, cancelled: false, alreadyImported: false });
    const cancelled = fileImportResult('/data/b.csv', { error: 'Not imported: the import was cancelled first.', cancelled: true });
    expect(fileImportResultSchema.parse(cancelled)).toEqual({ ...fresh, file: '/data/b.csv', error: 'Not imported: the import was cancelled first.', cancelled: true });
  });

  it('gives every call its own arrays', () => {
    const a = fileImportResult('a');
    a.warnings.push('x');
    expect(fileImportResult('b').warnings).toEqual([]);
  });
});
