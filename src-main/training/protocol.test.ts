import { describe, expect, it } from 'vitest';

import { TRAINING_DEFAULTS, trainingConfigSchema } from '../../src-shared/contract/training.js';
import { checkHostMessage, checkWorkerMessage, type HostToWorker, type WorkerToHost } from './protocol.js';

const config = trainingConfigSchema.parse({ datasetIds: [1, 2], model: 'mlp' });

describe('host → training process', () => {
  it('passes every message the host sends, with the config as the contract parsed it', () => {
    const sent: HostToWorker[] = [
      { type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: false },
      { type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: true },
      { type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: false, test: 'sealed', threads: 1 },
      { type: 'predictTest', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3' },
      { type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 100, seed: 1, blockLength: 22, noiseFraction: 0.25 },
      { type: 'summary', config, workspaceDir: '/w' },
      { type: 'pause' },
      { type: 'resume' },
      { type: 'stop' },
    ];
    for (const m of sent) expect(checkHostMessage(m)).toEqual({ ok: true, message: m });
  });

  it('fills the defaults of a config stored by an older version that lacked a field', () => {
    const { includeExtras: _gone, ...older } = config;
    const checked = checkHostMessage({ type: 'start', runId: 3, config: older, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: true });
    expect(checked.ok && checked.message.type === 'start' && checked.message.config.includeExtras).toBe(TRAINING_DEFAULTS.includeExtras);
  });

  it('refuses anything else with a sentence naming what is wrong, without throwing', () => {
    const refused: [unknown, RegExp][] = [
      [null, /^A message from the training host was refused \(the message: /],
      ['pause', /refused/],
      [{ type: 'progress' }, /of type "progress" was refused/],
      // The drift this module ended: 'resume' once carried a run's location, and the host never sent it.
      [{ type: 'resume', runId: 1 }, /of type "resume" was refused .*runId/],
      [{ type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3' }, /resume: /],
      [{ type: 'start', runId: 3, config: { ...config, window: 0 }, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: false }, /config\.window: /],
      [{ type: 'summary', config: { datasetIds: [] }, workspaceDir: '/w' }, /config\.datasetIds: Choose at least one dataset\./],
      [{ type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: false, test: 'peek' }, /test: /],
      [{ type: 'start', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', resume: false, threads: 0 }, /threads: /],
      [{ type: 'predictTest', runId: 3, config, workspaceDir: '/w' }, /of type "predictTest" was refused .*checkpointDir/],
      // Market paths: a bounded number of paths, a block of at least one bar, a noise that is a number ≥ 0, nothing else.
      [{ type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 0, seed: 1, blockLength: 22, noiseFraction: 0 }, /of type "marketPaths" was refused .*paths: /],
      [{ type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 100_000, seed: 1, blockLength: 22, noiseFraction: 0 }, /paths: /],
      [{ type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 10, seed: 1, blockLength: 0, noiseFraction: 0 }, /blockLength: /],
      [{ type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 10, seed: 1, blockLength: 5, noiseFraction: -0.1 }, /noiseFraction: /],
      [{ type: 'marketPaths', runId: 3, config, workspaceDir: '/w', checkpointDir: '/w/runs/3', paths: 10, seed: 1, blockLength: 5, noiseFraction: 0, candles: [] }, /was refused/],
    ];
    for (const [message, reason] of refused) {
      const checked = checkHostMessage(message);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(reason);
    }
  });
});

describe('training process → host', () => {
  const summary = { name: 'mlp', layers: [{ name: 'Dense 1', type: 'Dense', outputShapes: [[null, 16]], params: 272 }], totalParams: 272, trainableParams: 272 };
  const metrics = { epoch: 1, trainLoss: 0.69, valLoss: NaN, trainAcc: 0.5, valAcc: NaN, lr: 1e-3, samplesPerSec: 1000, seconds: 2 };

  it('passes every message a run sends, NaN measurements included', () => {
    const sent: WorkerToHost[] = [
      { type: 'ready', backend: 'wasm', gpu: false, description: 'WebAssembly (SIMD, 4 threads)' },
      { type: 'prepared', samples: { train: 700, val: 150, test: 150 }, featureNames: ['ret_1'], classNames: ['DOWN', 'UP'], symbols: ['BTC/USDT'], summary },
      { type: 'summary', summary },
      { type: 'progress', epoch: 1, batch: 3, batches: 10, loss: 0.7, samplesPerSec: 900, recentLoss: 0.69 },
      { type: 'progress', epoch: 5, batch: 0, batches: 10, loss: NaN, samplesPerSec: 0, recentLoss: NaN, fold: 1 },
      { type: 'epoch', metrics },
      { type: 'epoch', metrics, fold: 0 },
      { type: 'checkpoint', path: '/w/runs/3/epoch-1', epoch: 1 },
      { type: 'paused', epoch: 1 },
      { type: 'finished', status: 'early-stopped', bestEpoch: 2, test: { accuracy: 0.55, baselineAccuracy: 0.51, samples: 150 }, artifactsDir: '/w/runs/3/final' },
      { type: 'finished', status: 'stopped', bestEpoch: null, test: { accuracy: NaN, baselineAccuracy: NaN, samples: 0 }, artifactsDir: '/w/runs/3/final' },
      { type: 'validated', status: 'completed', bestEpoch: 3, validation: { accuracy: 0.56, baselineAccuracy: 0.5, samples: 150 }, artifactsDir: '/w/runs/3/final' },
      { type: 'tested', test: { accuracy: 0.55, baselineAccuracy: 0.51, samples: 150 }, artifactsDir: '/w/runs/3/final' },
      { type: 'marketPath', path: 0, probs: new Float32Array([0.4, 0.6]), lastClose: [101.5] },
      { type: 'marketPathsDone', paths: 1, classes: 2, ts: new Float64Array([3_600_000]), symbolIndex: new Int32Array([0]), testStarts: [40] },
      { type: 'failed', reason: 'Dataset 9 no longer exists.' },
    ];
    for (const m of sent) expect(checkWorkerMessage(m)).toEqual({ ok: true, message: m });
  });

  it('refuses anything else with a sentence naming what is wrong, without throwing', () => {
    const refused: [unknown, RegExp][] = [
      [undefined, /^A message from the training process was refused \(the message: /],
      [{ type: 'start' }, /of type "start" was refused/],
      [{ type: 'progress', epoch: 1, batch: 3, batches: 10, loss: null, samplesPerSec: 900, recentLoss: 0.7 }, /loss: expected a number/],
      [{ type: 'finished', status: 'paused', bestEpoch: 1, test: { accuracy: 1, baselineAccuracy: 0.5, samples: 2 }, artifactsDir: '/a' }, /status: /],
      [{ type: 'finished', status: 'completed', bestEpoch: 1, test: null, artifactsDir: '/a' }, /test: /],
      [{ type: 'epoch', metrics: { ...metrics, trainLoss: '0.7' } }, /metrics\.trainLoss: expected a number/],
      // A sealed run's end never carries test figures.
      [{ type: 'validated', status: 'completed', bestEpoch: 1, validation: { accuracy: 1, baselineAccuracy: 0.5, samples: 2 }, test: { accuracy: 1, baselineAccuracy: 0.5, samples: 2 }, artifactsDir: '/a' }, /was refused/],
      // Probabilities travel as typed arrays (structured clone keeps them); a plain array is not one.
      [{ type: 'marketPath', path: 0, probs: [0.4, 0.6], lastClose: [101.5] }, /probs: expected a Float32Array/],
      [{ type: 'marketPathsDone', paths: 1, classes: 2, ts: [1], symbolIndex: new Int32Array([0]), testStarts: [40] }, /ts: expected a Float64Array/],
      [{ type: 'prepared', samples: { train: -1, val: 0, test: 0 }, featureNames: [], classNames: [], symbols: [], summary }, /samples\.train: /],
    ];
    for (const [message, reason] of refused) {
      const checked = checkWorkerMessage(message);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(reason);
    }
  });
});
