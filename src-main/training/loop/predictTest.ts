/**
 * Running a trained model over a split in batches: validation loss and accuracy during training,
 * and the test predictions evaluation reads afterwards.
 */
import * as tf from '@tensorflow/tfjs';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { readBack } from '../backends/webgpuSetup.js';
import { BatchBuffers, disposeBatch } from './batches.js';
import type { PreparedData } from './prepareTrainingData.js';
import { correctCount, weightedLoss } from './weightedLoss.js';

/** Batch size for inference: no gradients are kept, so larger batches are cheap. */
export const EVAL_BATCH_SIZE = 512;

/** The model's test-set output, in test-index order. */
export interface TestPredictions {
  /** Class probabilities, row-major [n × classes]. */
  probs: Float32Array;
  yTrue: Int8Array;
  /** Open time (UTC ms) of each sample's last bar. */
  ts: Float64Array;
  /** Index into PreparedData.symbols. */
  symbolIndex: Int32Array;
  /** Predicted forward log return (already multiplied back by magnitudeScale), with a magnitude head. */
  magnitude?: Float32Array;
  /** Walk-forward only: the fold (from 0) whose model made each prediction. */
  fold?: Int32Array;
}

const outputsOf = (model: tf.LayersModel, x: tf.Tensor): tf.Tensor[] => {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
};

/**
 * Mean loss (same weighted objective as training, so the curves compare) and accuracy of the
 * model on a sample index. Reads back asynchronously: the webgpu backend cannot read synchronously
 * in Node (no OffscreenCanvas), and on the other backends the promise costs nothing measurable.
 */
export async function evaluateSplit(
  model: tf.LayersModel,
  data: PreparedData,
  index: Uint32Array,
  magnitudeWeight: number,
  buffers: BatchBuffers = new BatchBuffers(data, EVAL_BATCH_SIZE),
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  const n = sampleCount(index);
  for (let b = 0, batches = buffers.batchCount(index); b < batches; b++) {
    const batch = buffers.tensors(index, b, data.classWeights);
    const stats = tf.tidy(() => {
      const out = outputsOf(model, batch.x);
      return tf.stack([weightedLoss(out, batch, magnitudeWeight), correctCount(out, batch)]);
    });
    const [loss, hits] = await readBack(stats).finally(() => stats.dispose());
    lossSum += loss * batch.size;
    correct += hits;
    disposeBatch(batch);
  }
  return { loss: n > 0 ? lossSum / n : NaN, accuracy: n > 0 ? correct / n : NaN };
}

/** The model's class probabilities (and magnitude) for every test sample, computed in batches. */
export function predictTest(model: tf.LayersModel, data: PreparedData, batchSize = EVAL_BATCH_SIZE): Promise<TestPredictions> {
  return predictSplit(model, data, data.test, data.testSamples, batchSize);
}

/**
 * The same for the validation split: what a sweep's trial (whose test split stays sealed) leaves
 * for its objective and the sweep's selection statistics.
 */
export function predictValidation(model: tf.LayersModel, data: PreparedData, batchSize = EVAL_BATCH_SIZE): Promise<TestPredictions> {
  return predictSplit(model, data, data.val, data.valSamples, batchSize);
}

async function predictSplit(model: tf.LayersModel, data: PreparedData, index: Uint32Array, samples: PreparedData['testSamples'], batchSize: number): Promise<TestPredictions> {
  const n = sampleCount(index);
  const k = data.classes;
  const probs = new Float32Array(n * k);
  const magnitude = data.magnitudeTargets && model.outputs.length > 1 ? new Float32Array(n) : undefined;
  const buffers = new BatchBuffers(data, batchSize);
  for (let b = 0, batches = buffers.batchCount(index); b < batches; b++) {
    const batch = buffers.tensors(index, b, null);
    const out = tf.tidy(() => outputsOf(model, batch.x));
    probs.set(await out[0].data(), b * batchSize * k);
    if (magnitude && out[1]) {
      const m = await out[1].data();
      for (let i = 0; i < batch.size; i++) magnitude[b * batchSize + i] = m[i] * data.magnitudeScale;
    }
    tf.dispose(out);
    disposeBatch(batch);
  }
  const { ts, symbolIndex, yTrue } = samples;
  return { probs, yTrue: yTrue.slice(), ts: ts.slice(), symbolIndex: symbolIndex.slice(), ...(magnitude ? { magnitude } : {}) };
}

/**
 * The union of walk-forward folds' test predictions, ordered like a holdout test split: by symbol,
 * then in time order. Folds' test segments are disjoint and chronological per symbol, so every
 * (symbol, time) appears once. Each part's `fold` column is kept (or filled with its position).
 */
export function mergeFoldPredictions(parts: readonly TestPredictions[], classes: number): TestPredictions {
  const n = parts.reduce((s, p) => s + p.yTrue.length, 0);
  const withMagnitude = parts.length > 0 && parts.every((p) => p.magnitude !== undefined);
  const merged = {
    probs: new Float32Array(n * classes),
    yTrue: new Int8Array(n),
    ts: new Float64Array(n),
    symbolIndex: new Int32Array(n),
    fold: new Int32Array(n),
    magnitude: withMagnitude ? new Float32Array(n) : undefined,
  };
  let at = 0;
  parts.forEach((p, k) => {
    const m = p.yTrue.length;
    merged.probs.set(p.probs, at * classes);
    merged.yTrue.set(p.yTrue, at);
    merged.ts.set(p.ts, at);
    merged.symbolIndex.set(p.symbolIndex, at);
    if (p.fold) merged.fold.set(p.fold, at);
    else merged.fold.fill(k, at, at + m);
    if (merged.magnitude && p.magnitude) merged.magnitude.set(p.magnitude, at);
    at += m;
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => merged.symbolIndex[a] - merged.symbolIndex[b] || merged.ts[a] - merged.ts[b] || a - b);
  const fold = new Int32Array(n);
  const out: TestPredictions = { probs: new Float32Array(n * classes), yTrue: new Int8Array(n), ts: new Float64Array(n), symbolIndex: new Int32Array(n), fold };
  const magnitude = merged.magnitude ? new Float32Array(n) : undefined;
  order.forEach((from, to) => {
    out.probs.set(merged.probs.subarray(from * classes, (from + 1) * classes), to * classes);
    out.yTrue[to] = merged.yTrue[from];
    out.ts[to] = merged.ts[from];
    out.symbolIndex[to] = merged.symbolIndex[from];
    fold[to] = merged.fold[from];
    if (magnitude && merged.magnitude) magnitude[to] = merged.magnitude[from];
  });
  return magnitude ? { ...out, magnitude } : out;
}

/** Test accuracy next to the majority-class baseline (the share of the test set's most frequent class). */
export function testAccuracy(predictions: TestPredictions, classes: number): { accuracy: number; baselineAccuracy: number; samples: number } {
  const n = predictions.yTrue.length;
  const counts = new Float64Array(classes);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = predictions.yTrue[i];
    counts[y]++;
    let best = 0;
    for (let c = 1; c < classes; c++) if (predictions.probs[i * classes + c] > predictions.probs[i * classes + best]) best = c;
    if (best === y) correct++;
  }
  const majority = Math.max(...counts);
  return { accuracy: n > 0 ? correct / n : NaN, baselineAccuracy: n > 0 ? majority / n : NaN, samples: n };
}
