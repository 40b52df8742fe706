import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandlers, createDispatcher } from '../ipc/dispatch.js';
import type { Services } from '../services/createServices.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';

let dir: string;
let services: Services;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-rename-'));
  services = await createHeadlessServices(join(dir, 'ws'));
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const csv = (n: number) => ['open_time,open,high,low,close,volume', ...Array.from({ length: n }, (_, i) => `${Date.UTC(2024, 0, 1) + i * 3_600_000},10,11,9,10.5,${i}`)].join('\n');

async function importFiles(files: Record<string, string>) {
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
  const started = await services.datasets.startImport(paths);
  return (await services.datasets.whenFinished(started.jobId)).files;
}

describe('datasets.rename through the contract', () => {
  const dispatch = () => createDispatcher(buildHandlers(), { services, transport: 'websocket' });

  it('renames symbol, kind and venue, stores the canonical symbol and announces the change', async () => {
    const [perp] = await importFiles({ 'DOT-PERP_1h.csv': csv(30) });
    expect(perp).toMatchObject({ ok: true, symbol: 'DOT', kind: 'perpetual', venue: null });
    const changes: unknown[] = [];
    const off = services.events.subscribe((name, payload) => name === 'datasets.changed' && changes.push(payload));
    const r = await dispatch()('datasets.rename', { id: perp!.datasetId, symbol: 'dotusdt', venue: 'OKX' });
    off();
    expect(r).toMatchObject({ ok: true, value: { dataset: { id: perp!.datasetId, symbol: 'DOT/USDT', kind: 'perpetual', venue: 'okx', expiry: null, timeframe: '1h', rows: 30 } } });
    expect(changes).toEqual([{ reason: 'rename' }]);
  });

  it('refuses to rename onto an existing instrument and timeframe, and bad input, changing nothing', async () => {
    const [spot, other] = await importFiles({ 'DOTUSDT_1h.csv': csv(20), 'LTCUSDT-PERP_1h.csv': csv(10) });
    expect(spot).toMatchObject({ symbol: 'DOT/USDT', kind: 'spot' });
    const before = await services.db.listDatasets();

    const clash = await dispatch()('datasets.rename', { id: other!.datasetId, symbol: 'DOT/USDT', kind: 'spot' });
    expect(clash).toEqual({ ok: false, error: { code: 'CONFLICT', message: `Dataset ${spot!.datasetId} is already DOT/USDT at 1h; delete or rename that one first (datasets of one instrument and timeframe are not merged by renaming).` } });
    const badSymbol = await dispatch()('datasets.rename', { id: other!.datasetId, symbol: 'DOT USDT' });
    expect(badSymbol).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not a symbol/) } });
    const badKind = await dispatch()('datasets.rename', { id: other!.datasetId, symbol: 'LTC', kind: 'option' });
    expect(badKind).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const badVenue = await dispatch()('datasets.rename', { id: other!.datasetId, symbol: 'LTC', venue: 'two words' });
    expect(badVenue).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await dispatch()('datasets.rename', { id: 99_999, symbol: 'LTC' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Dataset 99999 does not exist.' } });

    expect(await services.db.listDatasets()).toEqual(before);
  });

  it('lets a renamed dataset receive the next import of its new instrument', async () => {
    const [eth] = await importFiles({ 'my-export.csv': csv(10) });
    const renamed = await dispatch()('datasets.rename', { id: eth!.datasetId, symbol: 'ETH/USDT', kind: 'perpetual', venue: 'binance' });
    expect(renamed.ok).toBe(true);
    const next = ['open_time,open,high,low,close,volume', ...Array.from({ length: 5 }, (_, i) => `${Date.UTC(2024, 0, 1) + (10 + i) * 3_600_000},10,11,9,10.5,1`)].join('\n');
    const [appended] = await importFiles({ 'Binance_ETHUSDT_futures_1h.csv': next });
    expect(appended).toMatchObject({ ok: true, datasetId: eth!.datasetId, appended: true, symbol: 'ETH/USDT', kind: 'perpetual', venue: 'binance', rowsImported: 5 });
  });
});
