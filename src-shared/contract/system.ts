import { z } from 'zod';
import { channel, event } from './define.js';

/** In the order 'auto' tries them: CUDA TensorFlow, WebGPU (Dawn, any GPU), TensorFlow CPU, wasm, JavaScript. */
export const backendNameSchema = z.enum(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof backendNameSchema>;
export const backendPreferenceSchema = z.enum(['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendPreference = z.infer<typeof backendPreferenceSchema>;

/** The WebGPU adapter Dawn found, whether or not training uses it. */
export const gpuAdapterSchema = z.object({
  vendor: z.string(),
  architecture: z.string(),
  /** The driver's words, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
  description: z.string(),
  /** False for a software rasteriser (llvmpipe, SwiftShader, WARP): it computes on the CPU. */
  hardware: z.boolean(),
  maxStorageBufferBindingSize: z.number(),
  maxBufferSize: z.number(),
});
export type GpuAdapter = z.infer<typeof gpuAdapterSchema>;

export const computeBackendSchema = z.object({
  /** The backend training would use now. */
  name: backendNameSchema,
  gpuInUse: z.boolean(),
  /** Why this backend and not a faster one, e.g. "native TensorFlow not installed". */
  reason: z.string(),
  /** Short form for the status bar: "wasm · CPU — native TensorFlow not installed". */
  label: z.string(),
  attempts: z.array(z.object({ backend: backendNameSchema, ok: z.boolean(), error: z.string().optional() })),
  /** The WebGPU adapter, null where Dawn found none (or was not asked: a named backend other than webgpu). */
  adapter: gpuAdapterSchema.nullable(),
});
export type ComputeBackend = z.infer<typeof computeBackendSchema>;

export const gpuSampleSchema = z.object({
  name: z.string(),
  utilizationPct: z.number(),
  memoryUsedMiB: z.number(),
  memoryTotalMiB: z.number(),
});

/**
 * Tensor memory of one running training process, from its tfjs backend's own accounting (WebGPU
 * has no driver figure for it): bytes held by live tensors, and on webgpu the bytes of the GPU
 * buffers the backend keeps (live tensors plus its pool for reuse).
 */
export const trainingMemorySchema = z.object({
  runId: z.number().int(),
  backend: z.string(),
  /** True when the tensors live in GPU memory (webgpu, CUDA). */
  onGpu: z.boolean(),
  bytesInUse: z.number().min(0),
  bytesAllocated: z.number().min(0).nullable(),
});
export type TrainingMemory = z.infer<typeof trainingMemorySchema>;

export const resourceSampleSchema = z.object({
  ts: z.number(),
  cpuPct: z.number(),
  cpuCount: z.number(),
  memUsedBytes: z.number(),
  memTotalBytes: z.number(),
  processRssBytes: z.number(),
  /** null when `nvidia-smi` is absent or did not answer; `gpuNote` says which. */
  gpus: z.array(gpuSampleSchema).nullable(),
  gpuNote: z.string().nullable(),
  /** Tensor memory of each running training process, as its last progress report gave it. */
  training: z.array(trainingMemorySchema).default([]),
});
export type ResourceSample = z.infer<typeof resourceSampleSchema>;

export const systemInfoSchema = z.object({
  versions: z.object({
    candela: z.string(),
    node: z.string(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
    sqlite: z.string(),
    tfjs: z.string().nullable(),
    platform: z.string(),
  }),
  workspace: z.object({ path: z.string(), dbBytes: z.number(), schemaVersion: z.number() }),
  shell: z.enum(['electron', 'headless']),
  backend: computeBackendSchema.nullable(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

const empty = z.object({}).strict();

export const systemChannels = {
  'system.info': channel({
    request: empty,
    response: systemInfoSchema,
    summary: 'Versions, workspace location and size, and the compute backend training would use.',
  }),
  'system.resources': channel({
    request: empty,
    response: resourceSampleSchema,
    summary: 'One resource sample now (CPU, RAM, GPU when nvidia-smi answers).',
  }),
  'system.openExternal': channel({
    request: z.object({ url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'Only http(s) links open outside.') }).strict(),
    response: z.object({ opened: z.boolean() }),
    summary: 'Opens an http(s) link in the system browser (desktop app only).',
  }),
} as const;

export const systemEvents = {
  'system.resourceSample': event({ payload: resourceSampleSchema, summary: 'Resource samples, about one per second.' }),
  'system.backendChanged': event({ payload: computeBackendSchema, summary: 'The compute backend probe finished or changed.' }),
} as const;
