/**
 * Checkpoints on disk: the model as tfjs artifacts (model.json + weights.bin, loadable with
 * tf.loadLayersModel), the optimizer's moments, the best weights so far, and a JSON state with
 * everything else a resumed run needs. The buffers are written with node fs rather than a tfjs
 * file handler, which only tfjs-node registers — checkpoints must work on wasm and cpu too.
 *
 * A checkpoint is written into a fresh folder and then renamed over the previous one, so a
 * process killed mid-write leaves the previous checkpoint readable.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { loadModelArtifacts, saveModelArtifacts } from '../models/index.js';
import type { OptimizerState } from './adamw.js';
import type { LoopSettings, EpochMetrics } from './loopTypes.js';
import type { ScheduleState } from './lrSchedule.js';

/** What identifies the prepared data a checkpoint was trained on (checked before resuming). */
export interface DataFingerprint {
  featureNames: string[];
  window: number;
  classes: number;
  trainSamples: number;
  valSamples: number;
  /** FNV-1a hash of the training sample index. */
  trainHash: number;
}

/** The JSON part of a checkpoint. */
export interface CheckpointState {
  format: 'candela-checkpoint';
  version: 1;
  savedAt: number;
  settings: LoopSettings;
  data: DataFingerprint;
  /** Epoch in progress (0-based = epochs completed), next batch in it, and the shuffle RNG state at its start. */
  position: { epoch: number; batch: number; rngState: number };
  /** Running sums of the epoch in progress, so its metrics come out as if it had not been interrupted. */
  epochTotals: { lossSum: number; correct: number; seen: number; trainSeconds: number; wallSeconds: number };
  optimizer: { kind: string; step: number; slotShapes: number[][] };
  schedule: ScheduleState;
  best: { valLoss: number | null; epoch: number | null; weightsFile: string | null };
  earlyStoppingWait: number;
  history: EpochMetrics[];
  weightShapes: number[][];
}

/** A checkpoint read back: the JSON state and the buffers, as host arrays in model-weight order. */
export interface LoadedCheckpoint {
  path: string;
  state: CheckpointState;
  /** tfjs names of the weights (LayerVariable.originalName), in model.weights order. */
  weightNames: string[];
  weights: Float32Array[];
  optimizer: OptimizerState;
  bestWeights: Float32Array[] | null;
}

const LATEST = 'latest';
const INCOMING = '.incoming';
const PREVIOUS = '.previous';
const STATE_FILE = 'state.json';
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const OPTIMIZER_FILE = 'optimizer.bin';
const BEST_FILE = 'best-weights.bin';

function concat(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let k = 0;
  for (const a of arrays) {
    out.set(a, k);
    k += a.length;
  }
  return out;
}

function split(all: Float32Array, shapes: readonly number[][]): Float32Array[] {
  const out: Float32Array[] = [];
  let k = 0;
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (k + n > all.length) throw new Error('checkpoint buffer is shorter than its shapes say');
    out.push(all.slice(k, k + n));
    k += n;
  }
  if (k !== all.length) throw new Error('checkpoint buffer is longer than its shapes say');
  return out;
}

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function readFloats(file: string): Promise<Float32Array> {
  const buf = await readFile(file);
  // Copy into an aligned buffer: a Node Buffer may start at any byte offset of its pool.
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  return new Float32Array(bytes.buffer);
}

/** Joins tfjs weight data, which 4.x may hand over as several ArrayBuffers. */
function joinWeightData(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let k = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), k);
    k += p.byteLength;
  }
  return out;
}

/**
 * Writes a model in the tfjs "layers-model" file layout (model.json + weights.bin), which
 * tf.loadLayersModel('file://…/model.json') under tfjs-node, or loadModelArtifacts with the
 * parsed files, reads back.
 */
export async function writeModelFiles(dir: string, model: tf.LayersModel): Promise<void> {
  const artifacts = await saveModelArtifacts(model);
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  await writeFile(join(dir, MODEL_FILE), JSON.stringify(modelJson));
  await writeFile(join(dir, WEIGHTS_FILE), joinWeightData(artifacts.weightData));
}

/** Reads a model written by {@link writeModelFiles}. */
export async function readModelFiles(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const bytes = await readFile(join(dir, WEIGHTS_FILE));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return loadModelArtifacts({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData });
}

/** Writes the checkpoint; returns the folder it is in. */
export async function writeCheckpoint(
  dir: string,
  parts: { state: CheckpointState; model: tf.LayersModel; optimizer: OptimizerState; bestWeights: Float32Array[] | null },
): Promise<string> {
  const incoming = join(dir, INCOMING);
  await rm(incoming, { recursive: true, force: true });
  await mkdir(incoming, { recursive: true });
  await writeModelFiles(incoming, parts.model);
  await writeFile(join(incoming, OPTIMIZER_FILE), bytesOf(concat([...parts.optimizer.m, ...parts.optimizer.v])));
  if (parts.bestWeights) await writeFile(join(incoming, BEST_FILE), bytesOf(concat(parts.bestWeights)));
  const state: CheckpointState = { ...parts.state, best: { ...parts.state.best, weightsFile: parts.bestWeights ? BEST_FILE : null } };
  await writeFile(join(incoming, STATE_FILE), JSON.stringify(state));

  const latest = join(dir, LATEST);
  const previous = join(dir, PREVIOUS);
  await rm(previous, { recursive: true, force: true });
  if (existsSync(latest)) await rename(latest, previous);
  await rename(incoming, latest);
  await rm(previous, { recursive: true, force: true });
  return latest;
}

/** The folder of the newest complete checkpoint under `dir`, or null. */
export function findCheckpoint(dir: string): string | null {
  for (const name of [LATEST, PREVIOUS]) {
    const path = join(dir, name);
    // A killed write can leave `latest` renamed away and `.previous` the only complete one.
    if (existsSync(join(path, STATE_FILE))) return path;
  }
  return null;
}

interface ManifestSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** Reads the newest checkpoint under `dir`; throws with a sentence when there is none. */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const path = findCheckpoint(dir);
  if (!path) throw new Error(`No checkpoint was found in ${dir}.`);
  const state = JSON.parse(await readFile(join(path, STATE_FILE), 'utf8')) as CheckpointState;
  if (state.format !== 'candela-checkpoint' || state.version !== 1) throw new Error(`${path} is not a checkpoint this version can read.`);
  const model = JSON.parse(await readFile(join(path, MODEL_FILE), 'utf8')) as { weightsManifest: { weights: ManifestSpec[] }[] };
  const specs = model.weightsManifest.flatMap((g) => g.weights);
  for (const s of specs) {
    if (s.dtype !== 'float32' || s.quantization) throw new Error(`weight ${s.name} is ${s.dtype}${s.quantization ? ' (quantized)' : ''}; checkpoints hold float32 only`);
  }
  const weights = split(await readFloats(join(path, WEIGHTS_FILE)), specs.map((s) => s.shape));
  const slots = split(await readFloats(join(path, OPTIMIZER_FILE)), [...state.optimizer.slotShapes, ...state.optimizer.slotShapes]);
  const half = state.optimizer.slotShapes.length;
  const bestWeights = state.best.weightsFile ? split(await readFloats(join(path, state.best.weightsFile)), state.weightShapes) : null;
  return {
    path,
    state,
    weightNames: specs.map((s) => s.name),
    weights,
    optimizer: { step: state.optimizer.step, m: slots.slice(0, half), v: slots.slice(half) },
    bestWeights,
  };
}

/** FNV-1a over the 32-bit words of an index: a cheap check that resumed data is the same data. */
export function hashIndex(index: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < index.length; i++) {
    h = Math.imul(h ^ index[i], 0x01000193) >>> 0;
  }
  return h;
}
