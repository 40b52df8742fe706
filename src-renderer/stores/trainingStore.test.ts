import { describe, expect, it } from 'vitest';
import { BATCH_HISTORY_CAP, type BatchPoint } from '../../src-shared/contract/training.js';
import { createTrainingStore, mergeBatchHistory, trainingSelectors } from './trainingStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { plan, run, runDetail } from './testing/fixtures.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createTrainingStore(fake.client) };
}

const config = { datasetIds: [1] };

describe('training store', () => {
  it('loads the runs and opens one', async () => {
    const { fake, store } = setup();
    void store.getState().refresh();
    await fake.next('training.runs').ok({ runs: [run(1), run(2, { status: 'failed' })] });
    expect(store.getState().runs.filter(trainingSelectors.isFinished).map((r) => r.id)).toEqual([1]);
    void store.getState().select(1);
    await fake.next('training.run').ok(runDetail(1));
    expect(store.getState()).toMatchObject({ selectedId: 1, detail: { id: 1 }, error: null });
  });

  it('shows why a run could not be started', async () => {
    const { fake, store } = setup();
    const started = store.getState().start(config);
    expect(store.getState().busy).toBe(true);
    await fake.next('training.start').fail('BAD_REQUEST', 'Choose at least one dataset.');
    await started;
    expect(store.getState()).toMatchObject({ busy: false, error: 'Choose at least one dataset.' });
  });

  it('shows why the runs, a run, the plan or the summary could not be read', async () => {
    const { fake, store } = setup();
    void store.getState().refresh();
    await fake.next('training.runs').fail('DISCONNECTED', 'Not connected to Candela; retrying.');
    expect(store.getState().error).toBe('Not connected to Candela; retrying.');
    void store.getState().loadPlan(config);
    await fake.next('training.plan').fail('NOT_FOUND', 'Dataset 1 does not exist.');
    expect(store.getState()).toMatchObject({ plan: null, planError: 'Dataset 1 does not exist.' });
    void store.getState().loadSummary(config);
    await fake.next('training.summary').fail('BAD_REQUEST', 'window must be at least 2.');
    expect(store.getState()).toMatchObject({ summary: null, summaryError: 'window must be at least 2.' });
    const files = store.getState().exportModel(1);
    await fake.next('training.exportModel').fail('CONFLICT', 'Run 1 has no model yet.');
    expect(await files).toBeNull();
    expect(store.getState().error).toBe('Run 1 has no model yet.');
  });

  it('keeps the run picked last when an earlier pick answers later', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    void store.getState().select(2);
    const [first, second] = fake.pending('training.run');
    await second!.ok(runDetail(2));
    await first!.ok(runDetail(1));
    expect(store.getState()).toMatchObject({ selectedId: 2, detail: { id: 2 } });
  });

  it("drops a slower plan or summary of the form's earlier config", async () => {
    const { fake, store } = setup();
    void store.getState().loadPlan(config);
    void store.getState().loadPlan({ datasetIds: [1], timeframe: '4h' });
    const [older, newer] = fake.pending('training.plan');
    await newer!.ok(plan('4h'));
    await older!.fail('BAD_REQUEST', 'stale');
    expect(store.getState()).toMatchObject({ plan: { timeframe: '4h' }, planError: null });

    void store.getState().loadSummary(config);
    void store.getState().loadSummary({ datasetIds: [1], hidden: 64 });
    const [oldSummary, newSummary] = fake.pending('training.summary');
    await newSummary!.ok({ layers: [], totalParams: 64, trainableParams: 64 });
    await oldSummary!.ok({ layers: [], totalParams: 32, trainableParams: 32 });
    expect(store.getState()).toMatchObject({ summary: { totalParams: 64 }, summaryLoading: false });

    // The form changes again: the shown model stays, marked as updating, until the new one is in.
    void store.getState().loadSummary({ datasetIds: [1], hidden: 128 });
    expect(store.getState()).toMatchObject({ summary: { totalParams: 64 }, summaryLoading: true });
    await fake.next('training.summary').ok({ layers: [], totalParams: 128, trainableParams: 128 });
    expect(store.getState()).toMatchObject({ summary: { totalParams: 128 }, summaryLoading: false });
  });

  it('an emptied form clears the plan and drops the one in flight', async () => {
    const { fake, store } = setup();
    void store.getState().loadPlan(config);
    await store.getState().loadPlan(null);
    await fake.next('training.plan').ok(plan('1h'));
    expect(store.getState().plan).toBeNull();
  });

  it('a deleted run closes and its late detail does not reopen it', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    const removed = store.getState().remove(1);
    await fake.next('training.delete').ok({ deleted: true });
    await fake.next('training.run').ok(runDetail(1));
    await fake.next('training.runs').ok({ runs: [] });
    await removed;
    expect(store.getState()).toMatchObject({ selectedId: null, detail: null, runs: [] });
  });

  it('follows live progress and epochs of the open run', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(1);
    await fake.next('training.run').ok(runDetail(1, { status: 'running', epochsDone: 0 }));
    fake.emit('training.progress', { runId: 1, epoch: 1, batch: 3, batches: 10, loss: 0.69, recentLoss: 0.68, samplesPerSec: 100 });
    expect(store.getState().progress[1]).toMatchObject({ batch: 3 });
    fake.emit('training.epoch', { runId: 1, metrics: { epoch: 1, trainLoss: 0.69, valLoss: 0.7, trainAcc: 0.5, valAcc: 0.5, lr: 0.001, samplesPerSec: 100, seconds: 1 } });
    expect(store.getState().detail).toMatchObject({ epochsDone: 1, epochs: [{ epoch: 1 }] });
    // and the detail is read again: the backend the run reported after it was opened appears
    await fake.next('training.run').ok(runDetail(1, { status: 'running', epochsDone: 1, backend: 'wasm' }));
    expect(store.getState().detail).toMatchObject({ backend: 'wasm', epochsDone: 1 });
  });

  const point = (epoch: number, batch: number, loss = 0.7): BatchPoint => ({ epoch, batch, batches: 10, step: (epoch - 1) * 10 + batch, loss, samplesPerSec: 100, at: 0 });
  const progress = (runId: number, epoch: number, batch: number, loss = 0.7) => ({ runId, epoch, batch, batches: 10, loss: 0.7, recentLoss: loss, samplesPerSec: 100 });
  const steps = (points: readonly BatchPoint[] | undefined) => points?.map((p) => p.step);

  it("draws the open run's per-batch curve from the stored history, then live reports after it", async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(1);
    await fake.next('training.run').ok(runDetail(1, { status: 'running', batchHistory: [point(1, 2), point(1, 4)] }));
    fake.emit('training.progress', progress(1, 1, 6, 0.68));
    fake.emit('training.progress', progress(1, 2, 1, 0.66));
    expect(steps(store.getState().detail?.batchHistory)).toEqual([2, 4, 6, 11]);
    expect(store.getState().detail?.batchHistory.at(-1)).toMatchObject({ epoch: 2, batch: 1, loss: 0.66 });
  });

  it('drops a report that is not past the end of the curve, and reports of runs not open', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(1);
    await fake.next('training.run').ok(runDetail(1, { status: 'running', batchHistory: [point(1, 2), point(1, 8)] }));
    fake.emit('training.progress', progress(1, 1, 5));
    fake.emit('training.progress', progress(1, 1, 8));
    fake.emit('training.progress', progress(2, 3, 9));
    expect(steps(store.getState().detail?.batchHistory)).toEqual([2, 8]);
    // the other run's progress is still known (its row shows it), just not drawn on this one
    expect(store.getState().progress[2]).toMatchObject({ epoch: 3, batch: 9 });
  });

  it('keeps live reports newer than a refetched history, and only those', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(1);
    await fake.next('training.run').ok(runDetail(1, { status: 'running', batchHistory: [point(1, 1)] }));
    fake.emit('training.progress', progress(1, 1, 3));
    fake.emit('training.progress', progress(1, 1, 5));
    // A status event refetches; the host had stored up to batch 3 (thinned), batch 7 came after the reply was read.
    void store.getState().select(1);
    fake.emit('training.progress', progress(1, 1, 7));
    await fake.next('training.run').ok(runDetail(1, { status: 'running', batchHistory: [point(1, 1), point(1, 3)] }));
    expect(steps(store.getState().detail?.batchHistory)).toEqual([1, 3, 5, 7]);
  });

  it('a late detail of the run opened before does not bring its curve back', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    void store.getState().select(1);
    void store.getState().select(2);
    const [first, second] = fake.pending('training.run');
    await second!.ok(runDetail(2, { status: 'running', batchHistory: [point(1, 1)] }));
    await first!.ok(runDetail(1, { batchHistory: [point(5, 5)] }));
    expect(store.getState().detail).toMatchObject({ id: 2 });
    expect(steps(store.getState().detail?.batchHistory)).toEqual([1]);
  });

  it('thins a live curve that outgrows twice the cap, keeping the newest point', () => {
    const many = Array.from({ length: 2 * BATCH_HISTORY_CAP }, (_, i) => ({ ...point(1, i + 1), batches: 1e6 }));
    const merged = mergeBatchHistory(many, [{ ...point(1, 2 * BATCH_HISTORY_CAP + 1), batches: 1e6 }]);
    expect(merged.length).toBeLessThanOrEqual(BATCH_HISTORY_CAP + 1);
    expect(merged.at(-1)?.batch).toBe(2 * BATCH_HISTORY_CAP + 1);
  });
});
