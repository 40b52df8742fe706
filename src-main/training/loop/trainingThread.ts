/**
 * One worker thread of data-parallel training (see dataParallel.ts), bundled as
 * dist/main/training-thread.mjs: a model replica on its own tfjs backend that, for each step,
 * takes the main thread's weights, computes its shard's gradients and writes them to shared memory.
 * Once ready it does nothing else, so it waits for steps on its {@link StepSignal} in a loop of its
 * own rather than in the event loop; terminating the worker ends that wait.
 */
import { parentPort, workerData } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';

import { initWasmBackend } from '../backends/wasmSetup.js';
import { buildModel } from '../models/index.js';
import { readWeights, shardGradients, shardTensors, StepSignal, type ShardInputs, type ThreadToMain, type TrainingThreadData } from './dataParallel.js';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function serve(port: NonNullable<typeof parentPort>, init: TrainingThreadData): Promise<void> {
  const send = (m: ThreadToMain): void => port.postMessage(m);
  const signal = new StepSignal(init.signal);
  try {
    if (init.backend === 'wasm') await initWasmBackend({ threads: 1 });
    else if (!(await tf.setBackend(init.backend))) throw new Error(`the ${init.backend} backend did not initialise in a training thread`);
    const model = buildModel(init.model);
    const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const weights = new Float32Array(init.weights);
    const grads = new Float32Array(init.grads);
    const inputs: ShardInputs = {
      x: new Float32Array(init.x),
      labels: new Int32Array(init.labels),
      weights: new Float32Array(init.sampleWeights),
      magnitude: init.magnitude ? new Float32Array(init.magnitude) : null,
    };
    send({ type: 'ready', shapes: trainable.map((v) => v.shape) });
    for (let seen = 0; ; ) {
      const { step, size } = signal.next(seen, init.spinMs);
      seen = step;
      readWeights(trainable, weights);
      const batch = shardTensors(inputs, size, init.model);
      try {
        const { loss, hits } = shardGradients(model, trainable, batch, init.magnitudeWeight, grads);
        signal.done(step, loss, hits);
      } finally {
        tf.dispose([batch.x, batch.oneHot, batch.weights, batch.magnitude ?? []]);
      }
    }
  } catch (error) {
    signal.fail();
    send({ type: 'failed', reason: reasonOf(error) });
  }
}

const init = workerData as TrainingThreadData | undefined;
if (parentPort && init?.kind === 'candela-training-thread') void serve(parentPort, init);
