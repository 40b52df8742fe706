import { describe, expect, it } from 'vitest';
import type { SweepDetail, SweepSummary } from '../../src-shared/contract/sweeps.js';
import { createSweepsStore } from './sweepsStore.js';
import { createFakeClient } from './testing/fakeClient.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createSweepsStore(fake.client) };
}

const summary = (sweepId: number, status: SweepSummary['status'] = 'running'): SweepSummary => ({
  sweepId,
  name: `sweep ${sweepId}`,
  status,
  sampler: 'tpe',
  objective: 'val-logloss',
  prune: 'median',
  trialsPlanned: 4,
  trialsDone: 1,
  parallel: 2,
  createdAt: 1,
  endedAt: null,
  bestObjective: 0.68,
  failure: null,
});

const detail = (sweepId: number, status: SweepSummary['status'] = 'running'): SweepDetail => ({
  ...summary(sweepId, status),
  spec: { base: { datasetIds: [1] }, params: { lr: { float: [0.001, 0.01] } } },
  trials: [{ trialId: 1, index: 0, runId: 9, params: { lr: 0.002 }, status: 'completed', objective: 0.68, epochs: 3, valLoss: [0.7, 0.69, 0.68], reason: null, finished: 1, bestSoFar: 0.68 }],
  best: null,
  selection: null,
});

const settings = { sampler: 'tpe' as const, prune: 'median' as const, objective: 'val-logloss' as const, trials: 4, parallel: 2, seed: 0 };

describe('sweeps store', () => {
  it('says what is wrong with the space as typed, in the words of space.json', () => {
    const { store } = setup();
    expect(store.getState().check('{"params": ', settings, [1])).toBeNull();
    expect(store.getState().problems[0]).toMatch(/^The space is not valid JSON/);
    expect(store.getState().check('{"base": {}}', settings, [1])).toBeNull();
    expect(store.getState().problems[0]).toMatch(/needs a "params" object/);
    expect(store.getState().check('{"params": {"lr": {"float": [0.1, 0.01]}}}', settings, [1])).toBeNull();
    expect(store.getState().problems).toEqual(['params: lr.float: low 0.1 is above high 0.01']);
    expect(store.getState().check('{"params": {"lr": {"float": [0.001, 0.01]}}}', { ...settings, trials: 0 }, [1])).toBeNull();
    expect(store.getState().problems).toEqual(['trials must be at least 1.']);
    expect(store.getState().check('{"params": {"lr": {"float": [0.001, 0.01]}}}', settings, [])).toBeNull();
    expect(store.getState().problems.join(' ')).toMatch(/datasetIds/);
    const spec = store.getState().check('{"base": {"model": "mlp"}, "params": {"lr": {"float": [0.001, 0.01], "log": true}}}', settings, [1, 2]);
    expect(spec).toMatchObject({ base: { model: 'mlp', datasetIds: [1, 2] }, trials: 4, parallel: 2 });
    expect(store.getState().problems).toEqual([]);
  });

  it('starts a sweep and opens it; a refused start shows the sentence', async () => {
    const { fake, store } = setup();
    const spec = store.getState().check('{"params": {"lr": {"float": [0.001, 0.01]}}}', settings, [1])!;
    void store.getState().start(spec);
    await fake.next('sweeps.start').fail('BAD_REQUEST', 'Trial 1 could not start: the dataset is too short.');
    expect(store.getState()).toMatchObject({ starting: false, problems: ['Trial 1 could not start: the dataset is too short.'] });
    void store.getState().start(spec);
    await fake.next('sweeps.start').ok({ sweepId: 3 });
    await fake.next('sweeps.list').ok({ sweeps: [summary(3)] });
    await fake.next('sweeps.get').ok(detail(3));
    expect(store.getState()).toMatchObject({ selectedId: 3, detail: { sweepId: 3, trials: [{ runId: 9 }] } });
  });

  it('refreshes the list and the open sweep when a sweep reports, and shows a refused pause', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(3);
    await fake.next('sweeps.get').ok(detail(3));
    fake.emit('sweeps.updated', { sweepId: 3, status: 'completed', trialsDone: 4, bestObjective: 0.6 });
    await fake.next('sweeps.list').ok({ sweeps: [summary(3, 'completed')] });
    await fake.next('sweeps.get').ok(detail(3, 'completed'));
    expect(store.getState().detail!.status).toBe('completed');
    void store.getState().pause(3);
    await fake.next('sweeps.pause').fail('CONFLICT', 'Sweep 3 is not active.');
    await fake.next('sweeps.get').ok(detail(3, 'completed'));
    expect(store.getState().actionError).toBe('Sweep 3 is not active.');
  });
});
