/**
 * The host records a run's batch progress as its per-batch curve: every report still goes out as
 * a `training.progress` event, and the stored series is thinned evenly and bounded, whatever the
 * run's length. Uses a scripted training process (no tfjs) and a real workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_HISTORY_CAP, batchPosition, trainingConfigSchema } from '../../../src-shared/contract/training.js';
import { buildHandlers, createDispatcher } from '../../ipc/dispatch.js';
import type { Services } from '../../services/createServices.js';
import { scriptedWorkspace, type ProcessScript, type ScriptedWorkspace } from './__fixtures__/scriptedTraining.js';


describe('the per-batch curve of a run', () => {
  let ws: ScriptedWorkspace;
  let services: Services;
  let script: ProcessScript = () => {};
  let datasetIds: number[];

  beforeAll(async () => {
    ws = await scriptedWorkspace('candela-batches-', () => script);
    ({ services, datasetIds } = ws);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('records every reported batch while short, thinned evenly under the cap when long, and returns it with training.run', async () => {
    const epochs = 30;
    const batches = 400;
    const every = 2;
    script = (send) => {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        for (let batch = every; batch <= batches; batch += every) send({ type: 'progress', epoch, batch, batches, loss: 0.7, recentLoss: 0.7 - epoch / 100, samplesPerSec: 5000 });
      }
      send({ type: 'failed', reason: 'The scripted run ends here.' });
    };
    let events = 0;
    const off = services.events.subscribe((name) => void (name === 'training.progress' && events++));
    const runId = await services.training.start(trainingConfigSchema.parse({ datasetIds, window: 8, epochs }));
    expect(await services.training.whenSettled(runId)).toBe('failed');
    off();
    const reports = epochs * (batches / every);
    // The live event rate is the process's: every report is still an event.
    expect(events).toBe(reports);

    const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
    const run = await dispatch('training.run', { runId });
    if (!run.ok) throw new Error(run.error.message);
    const history = (run.value as { batchHistory: { epoch: number; batch: number; batches: number; step: number; loss: number | null; at: number }[] }).batchHistory;
    expect(reports).toBeGreaterThan(BATCH_HISTORY_CAP);
    expect(history.length).toBeLessThanOrEqual(BATCH_HISTORY_CAP);
    expect(history.length).toBeGreaterThan(BATCH_HISTORY_CAP / 2);
    expect(history[0]).toMatchObject({ epoch: 1, batch: every, batches, step: every, loss: 0.69 });
    expect(history.at(-1)).toMatchObject({ epoch: epochs });
    // Evenly spread: the gaps along the run differ by at most one report's spacing.
    const positions = history.map(batchPosition);
    const gaps = positions.slice(1).map((p, i) => p - positions[i]!);
    expect(gaps.every((g) => g > 0)).toBe(true);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(every / batches + 1e-9);
    expect(history.every((p, i) => i === 0 || p.at >= history[i - 1]!.at)).toBe(true);
  }, 60_000);

  it('keeps every report of a short run, a loss that is not a number yet as null', async () => {
    script = (send) => {
      for (let batch = 1; batch <= 20; batch++) send({ type: 'progress', epoch: 1, batch, batches: 20, loss: 0.7, recentLoss: batch < 3 ? Number.NaN : 0.7, samplesPerSec: 900 });
      send({ type: 'failed', reason: 'The scripted run ends here.' });
    };
    const runId = await services.training.start(trainingConfigSchema.parse({ datasetIds, window: 8 }));
    await services.training.whenSettled(runId);
    const run = await services.db.getRun(runId);
    expect(run!.batchHistory.map((p) => p.batch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(run!.batchHistory.slice(0, 3).map((p) => p.loss)).toEqual([null, null, 0.7]);
  });
});
