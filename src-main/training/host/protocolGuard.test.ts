/**
 * The protocol's guards at work on both ends of a real channel: the built training process
 * refuses a malformed message from its host and says why, and the host refuses a malformed
 * message from a process without crashing, the run still ending by its process's own word.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { trainingConfigSchema } from '../../../src-shared/contract/training.js';
import { builtFiles, repoPath } from '../../../test-support/fixtures.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import type { Services } from '../../services/createServices.js';
import { scriptedWorkspace, type ProcessScript, type ScriptedWorkspace } from './__fixtures__/scriptedTraining.js';
import { checkWorkerMessage, type HostToWorker } from '../protocol.js';
import { forkTrainingProcess } from './trainingProcess.js';

describe('the built training process refuses a malformed host message', () => {
  if (!requirePrerequisite(builtFiles('dist/main/training-worker.mjs'))) return;

  it('answers "failed" with the sentence and exits, before any run starts', async () => {
    const proc = forkTrainingProcess(repoPath('dist/main/training-worker.mjs'));
    const received: unknown[] = [];
    const exited = new Promise<number | null>((resolve) => proc.onExit((code) => resolve(code)));
    proc.onMessage((m) => received.push(m));
    // What an out-of-date host might send: a run id as text and no resume flag.
    proc.send({ type: 'start', runId: '7', config: { datasetIds: [1] }, workspaceDir: '/nowhere', checkpointDir: '/nowhere/runs/7' } as unknown as HostToWorker);
    expect(await exited).toBe(1);
    expect(received).toHaveLength(1);
    const checked = checkWorkerMessage(received[0]);
    expect(checked.ok && checked.message).toMatchObject({ type: 'failed', reason: expect.stringMatching(/^A message from the training host of type "start" was refused \(.*runId: .*resume: /) });
  }, 60_000);
});


describe('the host refuses a malformed message from a training process', () => {
  let ws: ScriptedWorkspace;
  let services: Services;
  let script: ProcessScript = () => {};
  let datasetIds: number[];

  beforeAll(async () => {
    ws = await scriptedWorkspace('candela-guard-', () => script);
    ({ services, datasetIds } = ws);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('drops it with the reason logged; the run still ends as its process says', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    script = (send) => {
      send({ type: 'progress', epoch: 1, batch: 'three', batches: 10, loss: 0.7, samplesPerSec: 100, recentLoss: 0.7 });
      send('not even an object');
      send({ type: 'failed', reason: 'The scripted process gave up.' });
    };
    const runId = await services.training.start(trainingConfigSchema.parse({ datasetIds, window: 8 }));
    expect(await services.training.whenSettled(runId)).toBe('failed');
    expect((await services.db.getRun(runId))!.failure).toBe('The scripted process gave up.');
    const lines = logged.mock.calls.map((c) => String(c[0]));
    logged.mockRestore();
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^run ${runId}: A message from the training process of type "progress" was refused \\(batch: `)),
      `run ${runId}: A message from the training process was refused (the message: Invalid input: expected object, received string).`,
    ]);
  });

  it("keeps a sweep trial's test split sealed: test figures from its process are refused", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    script = (send) => {
      send({ type: 'finished', status: 'completed', bestEpoch: 1, test: { accuracy: 0.9, baselineAccuracy: 0.5, samples: 10 }, artifactsDir: '/x' });
      send({ type: 'failed', reason: 'The scripted trial gave up.' });
    };
    const sweepId = await services.db.createSweep({ name: 's', specJson: '{}', parallel: 1, now: 0, hostPid: process.pid });
    const link = async (runId: number) => void (await services.db.createTrial({ sweepId, index: 0, runId, paramsJson: '{}', now: 0 }));
    const runId = await services.training.start(trainingConfigSchema.parse({ datasetIds, window: 8 }), undefined, link);
    expect(await services.training.whenSettled(runId)).toBe('failed');
    const lines = logged.mock.calls.map((c) => String(c[0]));
    logged.mockRestore();
    expect(lines).toEqual([`run ${runId}: A "finished" message from the training process was refused (the run is a sweep's trial, its test split is sealed).`]);
    expect((await services.db.getRun(runId))!.test).toBeNull();
    expect(await services.db.latestEvaluation(runId)).toBeNull();
  });

  it('rejects a model summary with the sentence instead of waiting forever', async () => {
    script = (send) => send({ type: 'summary', summary: { layers: 'none' } });
    await expect(services.training.summary(trainingConfigSchema.parse({ datasetIds, window: 8 }))).rejects.toThrow(/^The model could not be built: A message from the training process of type "summary" was refused \(summary\./);
  });
});
