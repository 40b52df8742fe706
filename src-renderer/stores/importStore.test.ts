import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../src-shared/contract/datasets.js';
import { createImportStore, importSelectors } from './importStore.js';
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
  warnings: [],
});

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
});
