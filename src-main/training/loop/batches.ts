/**
 * Batches as tensors, gathered from the prepared matrices into buffers allocated once per run.
 */
import * as tf from '@tensorflow/tfjs';

import { gatherLabels, gatherWindows, sampleCount } from '../../../src-shared/compute/sampling/index.js';
import type { PreparedData } from './prepareTrainingData.js';

/** One batch on the backend; dispose all of it after the step. */
export interface BatchTensors {
  /** [n, window, features]. */
  x: tf.Tensor3D;
  /** One-hot labels [n, classes]. */
  oneHot: tf.Tensor2D;
  /** Class weight of each sample [n]. */
  weights: tf.Tensor1D;
  /** Scaled forward log return [n, 1], when the run has a magnitude head. */
  magnitude?: tf.Tensor2D;
  /** Labels as read, for accuracy on the host side. */
  labels: Int32Array;
  size: number;
}

/**
 * Reused host-side buffers for one batch size. The cpu backend keeps a reference to the typed
 * array a tensor is made from instead of copying it, so the tensors of one batch must be disposed
 * before the next batch is gathered into the same buffers — the loop does exactly that.
 */
export class BatchBuffers {
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  private readonly weights: Float32Array;
  private readonly magnitude: Float32Array | null;
  private readonly block: number;

  constructor(
    private readonly data: PreparedData,
    readonly batchSize: number,
  ) {
    this.block = data.window * data.features;
    this.x = new Float32Array(batchSize * this.block);
    this.labels = new Int32Array(batchSize);
    this.weights = new Float32Array(batchSize);
    this.magnitude = data.magnitudeTargets ? new Float32Array(batchSize) : null;
  }

  /** Number of batches an index splits into (the last one may be short). */
  batchCount(index: Uint32Array): number {
    return Math.ceil(sampleCount(index) / this.batchSize);
  }

  /** Gathers batch `batch` of `index` and uploads it. */
  tensors(index: Uint32Array, batch: number, classWeights: Float32Array | null): BatchTensors {
    const { data, batchSize } = this;
    const start = batch * batchSize;
    const n = gatherWindows(data.matrices, index, start, batchSize, data.window, data.features, this.x);
    gatherLabels(data.labels, index, start, batchSize, this.labels);
    const labels = this.labels.subarray(0, n);
    for (let b = 0; b < n; b++) this.weights[b] = classWeights ? classWeights[labels[b]] : 1;
    const out: BatchTensors = {
      x: tf.tensor3d(this.x.subarray(0, n * this.block), [n, data.window, data.features]),
      oneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), data.classes).toFloat() as tf.Tensor2D),
      weights: tf.tensor1d(this.weights.subarray(0, n)),
      labels,
      size: n,
    };
    if (this.magnitude && data.magnitudeTargets) {
      gatherLabels(data.magnitudeTargets, index, start, batchSize, this.magnitude);
      out.magnitude = tf.tensor2d(this.magnitude.subarray(0, n), [n, 1]);
    }
    return out;
  }
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: BatchTensors): void {
  tf.dispose([batch.x, batch.oneHot, batch.weights]);
  if (batch.magnitude) batch.magnitude.dispose();
}
