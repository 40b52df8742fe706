import { describe, expect, it } from 'vitest';
import { ok } from '../../src-shared/contract/result.js';
import type { RunRow } from '../../src-shared/contract/runs.js';
import { createRunsStore } from './runsStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { run } from './testing/fixtures.js';

const NO_INTERVAL = { value: null, low: null, high: null };

function row(id: number, lr: number, accuracy: number | null, tags: string[] = []): RunRow {
  return {
    summary: run(id),
    tags,
    sweepId: id % 2 ? 3 : null,
    seedGroupId: null,
    ensembleOf: null,
    metrics: { accuracy: { value: accuracy, low: null, high: null }, macroAuc: NO_INTERVAL, majorityAccuracy: NO_INTERVAL, macroF1: null, logLoss: null, brier: null, samples: null, sharpe: null, backtestId: null, bestValLoss: null, bestValAcc: null },
    values: { lr, model: 'gru', accuracy },
  };
}

function setup() {
  const fake = createFakeClient();
  const rows = [row(3, 0.01, 0.52, ['best']), row(2, 0.001, 0.58), row(1, 0.003, null)];
  fake.answer('runs.list', () => ok({ rows, total: rows.length, fields: ['accuracy', 'lr', 'model'] }));
  fake.answer('runs.seedGroups', () => ok({ groups: [] }));
  return { fake, store: createRunsStore(fake.client) };
}

const ids = (s: ReturnType<typeof setup>['store']) => s.getState().visible.map((r) => r.summary.id);

describe('runs store', () => {
  it('filters and sorts locally as the filter is typed, keeping the last good result while a filter cannot be read', async () => {
    const { store } = setup();
    await store.getState().refresh();
    expect(ids(store)).toEqual([3, 2, 1]);
    store.getState().setFilter('lr<0.005');
    expect(ids(store)).toEqual([2, 1]);
    store.getState().setSort({ key: 'accuracy', direction: 'desc' });
    // A run without accuracy sorts last.
    expect(ids(store)).toEqual([2, 1]);
    store.getState().setFilter('lr<');
    expect(store.getState().filterError).toMatch(/with nothing/);
    expect(ids(store)).toEqual([2, 1]);
    store.getState().setFilter('tag=best sweep=3');
    expect(store.getState().filterError).toBeNull();
    expect(ids(store)).toEqual([3]);
  });

  it('compares the selection and loads HParams for two or more runs', async () => {
    const { fake, store } = setup();
    await store.getState().refresh();
    store.getState().toggle(3);
    store.getState().toggle(2);
    const done = store.getState().compare();
    expect(fake.next('runs.compare').request).toEqual({ runIds: [3, 2] });
    await fake.next('runs.compare').ok({ runs: [], configDiff: [{ field: 'lr', values: [0.01, 0.001] }], evaluatedNow: [] });
    expect(fake.next('runs.hparams').request).toEqual({ runIds: [3, 2], metric: 'accuracy' });
    await fake.next('runs.hparams').ok({ metric: 'accuracy', runIds: [3, 2], values: [0.52, 0.58], leftOut: [], dimensions: [], importance: null, importanceUnavailable: 'Importance needs at least 4 runs with accuracy; 2 of the selected runs have it.' });
    await done;
    expect(store.getState().comparison).toMatchObject({ status: 'ready' });
    expect(store.getState().hparams).toMatchObject({ status: 'ready' });
  });

  it('says why an ensemble was refused', async () => {
    const { fake, store } = setup();
    await store.getState().refresh();
    store.getState().select([3, 2]);
    const made = store.getState().makeEnsemble('validation');
    expect(fake.next('runs.ensemble').request).toEqual({ runIds: [3, 2], weights: 'validation' });
    await fake.next('runs.ensemble').fail('BAD_REQUEST', 'Runs 3 and 2 train on different timeframes (1h vs 4h).');
    await made;
    expect(store.getState().ensemble).toEqual({ busy: false, error: 'Runs 3 and 2 train on different timeframes (1h vs 4h).', result: null });
  });
});
