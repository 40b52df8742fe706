import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../src-shared/contract/datasets.js';
import { columnOverrides, createImportStore, fileColumnNames, importSelectors, remapped } from './importStore.js';
import { createFakeClient } from './testing/fakeClient.js';

function setup() {
  const fake = createFakeClient();
  const store = createImportStore(fake.client);
  store.getState().connect();
  return { fake, store };
}

const preview = (file: string, symbol: string): ImportPreview => ({
  file,
  ok: true,
  error: null,
  format: 'binance',
  detected: [],
  symbol,
  kind: 'spot',
  venue: null,
  timeframe: '1h',
  header: null,
  columns: {},
  extras: [],
  sampleRows: [],
  columnIndex: {},
  sampleParsed: [],
  warnings: [],
});

/** A headerless file whose time is in column 1 and prices in 2–5, as detected. */
const headerless = (columnIndex: ImportPreview['columnIndex'], ok = true): ImportPreview => ({
  ...preview('/k.csv', 'BTC/USDT'),
  ok,
  error: ok ? null : 'No open/high/low/close columns found.',
  sampleRows: ok ? [['1704067200000', '10', '11', '9', '10.5', '3']] : [],
  columnIndex,
  sampleParsed: ok ? [{ line: 1, ts: 1704067200000, problem: null }] : [],
});
const detected = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };

describe('import store', () => {
  it('follows a started import to its summary', async () => {
    const { fake, store } = setup();
    void store.getState().importPaths(['/data/a.csv', '/data/b.csv']);
    await fake.next('datasets.import').ok({ jobId: 'j1', fileCount: 2 });
    expect(importSelectors.busy(store.getState())).toBe(true);
    fake.emit('datasets.importProgress', { jobId: 'j1', fileIndex: 0, fileCount: 2, file: '/data/a.csv', bytesRead: 5, bytesTotal: 10, rows: 50, rowsPerSec: 100, etaSec: 1 });
    expect(store.getState().progress?.rows).toBe(50);
    fake.emit('datasets.importFinished', { jobId: 'j1', files: [], cancelled: false, seconds: 1 });
    expect(store.getState()).toMatchObject({ jobId: null, summary: { jobId: 'j1' } });
    expect(importSelectors.busy(store.getState())).toBe(false);
  });

  it('a summary that arrives before the request answers is not lost', async () => {
    const { fake, store } = setup();
    void store.getState().generateDemo();
    fake.emit('datasets.importFinished', { jobId: 'j2', files: [], cancelled: false, seconds: 0.1 });
    await fake.next('datasets.generateDemo').ok({ jobId: 'j2', fileCount: 4 });
    expect(store.getState()).toMatchObject({ jobId: null, summary: { jobId: 'j2' } });
  });

  it('shows why an import or a preview was refused', async () => {
    const { fake, store } = setup();
    void store.getState().importPaths(['/nope']);
    await fake.next('datasets.import').fail('NOT_FOUND', '/nope does not exist.');
    expect(store.getState()).toMatchObject({ error: '/nope does not exist.', jobId: null });
    void store.getState().previewPath('/nope.csv');
    await fake.next('datasets.preview').fail('NOT_FOUND', '/nope.csv does not exist.');
    expect(store.getState()).toMatchObject({ error: '/nope.csv does not exist.', preview: null });
  });

  it("drops a slower preview of settings the person has changed since", async () => {
    const { fake, store } = setup();
    void store.getState().previewPath('/a.csv');
    void store.getState().previewPath('/a.csv', { symbol: 'ETH/USDT' });
    const [first, second] = fake.pending('datasets.preview');
    await second!.ok(preview('/a.csv', 'ETH/USDT'));
    await first!.ok(preview('/a.csv', 'BTC/USDT'));
    expect(store.getState().preview?.result.symbol).toBe('ETH/USDT');

    void store.getState().previewPath('/a.csv');
    store.getState().closePreview();
    await fake.next('datasets.preview').ok(preview('/a.csv', 'BTC/USDT'));
    expect(store.getState().preview).toBeNull();
  });

  it('a refused cancel says why', async () => {
    const { fake, store } = setup();
    void store.getState().importPaths(['/data/a.csv']);
    await fake.next('datasets.import').ok({ jobId: 'j3', fileCount: 1 });
    void store.getState().cancel();
    await fake.next('datasets.importCancel').fail('NOT_FOUND', 'No import j3 is running.');
    expect(store.getState().error).toBe('No import j3 is running.');
  });

  it('a remapped column previews the file again with the whole mapping pinned, the displaced role taking the old column', async () => {
    const { fake, store } = setup();
    void store.getState().previewPath('/k.csv');
    await fake.next('datasets.preview').ok(headerless(detected));
    expect(store.getState().preview).toMatchObject({ fileColumns: ['column 1', 'column 2', 'column 3', 'column 4', 'column 5', 'column 6'], mapping: detected, refreshing: false });

    void store.getState().remapColumn('high', 3);
    expect(store.getState().preview?.refreshing).toBe(true);
    const call = fake.next('datasets.preview');
    expect(call.request).toEqual({ path: '/k.csv', overrides: { columns: { time: '0', open: '1', high: '3', low: '2', close: '4', volume: '5' } } });
    await call.ok(headerless({ ...detected, high: 3, low: 2 }));
    expect(store.getState().preview).toMatchObject({ mapping: { high: 3, low: 2 }, overrides: { columns: { high: '3', low: '2' } }, refreshing: false });
  });

  it('a remap the file cannot be read with keeps the choice and the columns on screen beside the reason', async () => {
    const { fake, store } = setup();
    void store.getState().previewPath('/k.csv', { symbol: 'ETH/USDT' });
    await fake.next('datasets.preview').ok(headerless(detected));
    void store.getState().remapColumn('close', 5);
    const call = fake.next('datasets.preview');
    expect(call.request.overrides).toMatchObject({ symbol: 'ETH/USDT', columns: { close: '5', volume: '4' } });
    await call.ok(headerless({}, false));
    expect(store.getState().preview).toMatchObject({ result: { ok: false }, fileColumns: expect.arrayContaining(['column 6']), mapping: { close: 5, volume: 4 } });
  });

  it('a file the detection could not map offers its own columns to remap', async () => {
    const { fake, store } = setup();
    void store.getState().previewPath('/x.csv');
    await fake.next('datasets.preview').ok({ ...headerless({}, false), header: ['when', 'a', 'b', 'c', 'd'], sampleRows: [['2024-01-01', '1', '2', '0.5', '1.5']] });
    expect(store.getState().preview).toMatchObject({ fileColumns: ['when', 'a', 'b', 'c', 'd'], mapping: {} });
    void store.getState().remapColumn('open', 1);
    expect(fake.next('datasets.preview').request.overrides).toEqual({ columns: { open: '1' } });
  });

  it('demo generation is marked until its summary arrives, so the status says what it is doing before there are bytes to count', async () => {
    const { fake, store } = setup();
    void store.getState().generateDemo();
    expect(store.getState().demo).toBe(true);
    await fake.next('datasets.generateDemo').ok({ jobId: 'j4', fileCount: 4 });
    expect(store.getState()).toMatchObject({ demo: true, jobId: 'j4', progress: null });
    fake.emit('datasets.importFinished', { jobId: 'j4', files: [], cancelled: false, seconds: 1 });
    expect(store.getState().demo).toBe(false);
  });
});

describe('column remapping', () => {
  it('names columns by header, or by number where the file has none or a longer row', () => {
    expect(fileColumnNames({ header: ['time', 'open'], sampleRows: [['1', '2', '3']] })).toEqual(['time', 'open', 'column 3']);
    expect(fileColumnNames({ header: null, sampleRows: [] })).toEqual([]);
  });

  it('swaps a taken column, adds a free one, and drops a separate time of day', () => {
    expect(remapped({ open: 1, high: 2 }, 'open', 2)).toEqual({ open: 2, high: 1 });
    expect(remapped({ open: 1 }, 'volume', 1)).toEqual({ volume: 1 });
    expect(remapped({ time: 0, timeOfDay: 1 }, 'timeOfDay', null)).toEqual({ time: 0 });
  });

  it('writes a date with its time of day as the contract\'s date + time pair', () => {
    expect(columnOverrides({ time: 0, timeOfDay: 1, open: 2, high: 3, low: 4, close: 5 })).toEqual({ date: '0', time: '1', open: '2', high: '3', low: '4', close: '5' });
    expect(columnOverrides({ time: 3 })).toEqual({ time: '3' });
  });
});
