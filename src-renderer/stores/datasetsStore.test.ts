import { describe, expect, it } from 'vitest';
import { CANDLE_PAGE, createDatasetsStore, datasetsSelectors } from './datasetsStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { candles, dataset, healthSummary } from './testing/fixtures.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createDatasetsStore(fake.client) };
}

describe('datasets store: the list', () => {
  it('loads the datasets', async () => {
    const { fake, store } = setup();
    const done = store.getState().refresh();
    expect(store.getState().loading).toBe(true);
    await fake.next('datasets.list').ok({ datasets: [dataset(1), dataset(2)] });
    await done;
    expect(store.getState()).toMatchObject({ loaded: true, loading: false, error: null });
    expect(store.getState().datasets.map((d) => d.id)).toEqual([1, 2]);
    expect(datasetsSelectors.totalRows(store.getState())).toBe(200);
  });

  it('shows why the list could not be read, and stops loading', async () => {
    const { fake, store } = setup();
    const done = store.getState().refresh();
    await fake.next('datasets.list').fail('WORKSPACE', 'The workspace is locked by another Candela.');
    await done;
    expect(store.getState()).toMatchObject({ loading: false, loaded: false, error: 'The workspace is locked by another Candela.' });
  });

  it('keeps the newest list when an older refresh answers last', async () => {
    const { fake, store } = setup();
    void store.getState().refresh();
    void store.getState().refresh();
    const [older, newer] = fake.pending('datasets.list');
    await newer!.ok({ datasets: [dataset(1), dataset(2)] });
    await older!.ok({ datasets: [dataset(1)] });
    expect(store.getState().datasets).toHaveLength(2);
  });

  it('refreshes when told the list changed', async () => {
    const { fake, store } = setup();
    const off = store.getState().connect();
    fake.emit('datasets.changed', { reason: 'import' });
    await fake.next('datasets.list').ok({ datasets: [dataset(3)] });
    expect(store.getState().datasets[0]!.id).toBe(3);
    off();
    fake.emit('datasets.changed', { reason: 'import' });
    expect(fake.pending('datasets.list')).toHaveLength(0);
  });

  it('a refused rename returns the sentence and changes nothing', async () => {
    const { fake, store } = setup();
    store.setState({ datasets: [dataset(1)] });
    const renamed = store.getState().rename(1, { symbol: 'SYM2/USDT' });
    await fake.next('datasets.rename').fail('CONFLICT', 'SYM2/USDT 1h already exists.');
    expect(await renamed).toEqual({ ok: false, error: 'SYM2/USDT 1h already exists.' });
    expect(store.getState().datasets[0]!.symbol).toBe('SYM1/USDT');
  });

  it('a failed delete keeps the dataset and says why', async () => {
    const { fake, store } = setup();
    store.setState({ datasets: [dataset(1)] });
    const removed = store.getState().remove(1);
    await fake.next('datasets.delete').fail('NOT_FOUND', 'Dataset 1 does not exist.');
    expect(await removed).toBe(false);
    expect(store.getState()).toMatchObject({ error: 'Dataset 1 does not exist.' });
    expect(store.getState().datasets).toHaveLength(1);
  });
});

describe('datasets store: the chart', () => {
  it('loads the newest page, then older pages before it', async () => {
    const { fake, store } = setup();
    void store.getState().openChart(1, '1h');
    expect(fake.next('datasets.candles').request).toMatchObject({ id: 1, timeframe: '1h', limit: CANDLE_PAGE, anchor: 'last' });
    const page = candles(CANDLE_PAGE);
    await fake.next('datasets.candles').ok({ id: 1, timeframe: '1h', timeframes: ['1h', '4h'], candles: page });
    const first = store.getState().chart!;
    expect(first).toMatchObject({ datasetId: 1, timeframe: '1h', timeframes: ['1h', '4h'], exhausted: false });

    void store.getState().loadOlderCandles();
    expect(fake.next('datasets.candles').request).toMatchObject({ to: page.ts[0]! - 1 });
    await fake.next('datasets.candles').ok({ id: 1, timeframe: '1h', timeframes: ['1h', '4h'], candles: candles(5, page.ts[0]!) });
    const chart = store.getState().chart!;
    expect(chart.candles.ts).toHaveLength(CANDLE_PAGE + 5);
    expect(chart.exhausted).toBe(true);
    // An older page keeps the view where it is; only a fresh load jumps to the newest bar.
    expect(chart.generation).toBe(first.generation);
  });

  it('shows why candles could not be read, and is no longer loading', async () => {
    const { fake, store } = setup();
    void store.getState().openChart(1, '1h');
    await fake.next('datasets.candles').fail('NOT_FOUND', 'Dataset 1 does not exist.');
    expect(store.getState()).toMatchObject({ chartLoading: false, chartError: 'Dataset 1 does not exist.', chart: null });
  });

  it('a timeframe picked later wins over a slower earlier one', async () => {
    const { fake, store } = setup();
    void store.getState().openChart(1, '1h');
    void store.getState().openChart(1, '4h');
    const [hourly, fourHourly] = fake.pending('datasets.candles');
    await fourHourly!.ok({ id: 1, timeframe: '4h', timeframes: ['1h', '4h'], candles: candles(3) });
    await hourly!.ok({ id: 1, timeframe: '1h', timeframes: ['1h', '4h'], candles: candles(12) });
    expect(store.getState().chart).toMatchObject({ timeframe: '4h' });
    expect(store.getState().chartLoading).toBe(false);
  });
});

describe('datasets store: the health report', () => {
  it('is fetched once for the chart and the panel', async () => {
    const { fake, store } = setup();
    void store.getState().loadHealth({ id: 1, rows: 100 });
    void store.getState().loadHealth({ id: 1, rows: 100 });
    await fake.next('datasets.health').ok({ id: 1, summary: healthSummary(97), flaggedTs: [5], flaggedLevel: [2], computedAt: 0 });
    expect(datasetsSelectors.healthOf(1)(store.getState())?.summary.score).toBe(97);
    expect(datasetsSelectors.healthOf(2)(store.getState())).toBeNull();
    expect(fake.calls.filter((c) => c.channel === 'datasets.health')).toHaveLength(1);
  });

  it('shows the failure for that dataset, and a later call tries again', async () => {
    const { fake, store } = setup();
    void store.getState().loadHealth({ id: 1, rows: 100 });
    await fake.next('datasets.health').fail('INTERNAL', 'disk I/O error');
    expect(datasetsSelectors.healthErrorOf(1)(store.getState())).toBe('disk I/O error');
    void store.getState().loadHealth({ id: 1, rows: 100 });
    expect(fake.pending('datasets.health')).toHaveLength(1);
  });

  it('drops the report of a dataset opened before the current one', async () => {
    const { fake, store } = setup();
    void store.getState().loadHealth({ id: 1, rows: 100 });
    void store.getState().loadHealth({ id: 2, rows: 100 });
    const [first, second] = fake.pending('datasets.health');
    await second!.ok({ id: 2, summary: healthSummary(80), flaggedTs: [], flaggedLevel: [], computedAt: 0 });
    await first!.ok({ id: 1, summary: healthSummary(99), flaggedTs: [], flaggedLevel: [], computedAt: 0 });
    expect(datasetsSelectors.healthOf(2)(store.getState())?.summary.score).toBe(80);
    expect(datasetsSelectors.healthOf(1)(store.getState())).toBeNull();
  });
});

describe('datasets store: CSV export', () => {
  it('returns the CSV, or says why it failed', async () => {
    const { fake, store } = setup();
    fake.answer('datasets.candles', () => ({ ok: true, value: { id: 1, timeframe: '1h', timeframes: ['1h'], candles: candles(2) } }));
    const csv = await store.getState().exportCsv(dataset(1));
    expect(csv?.fileName).toBe('SYM1_USDT_1h.csv');
    expect(csv!.parts.join('').trim().split('\n')).toHaveLength(3);
    expect(store.getState().exportStatus).toBeNull();

    fake.answer('datasets.candles', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'Dataset 1 does not exist.' } }));
    expect(await store.getState().exportCsv(dataset(1))).toBeNull();
    expect(store.getState().exportStatus).toBe('Export failed: Dataset 1 does not exist.');
  });
});
