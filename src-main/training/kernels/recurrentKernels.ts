/**
 * Whole-sequence LSTM and GRU passes in WebAssembly SIMD (recurrent.as), for the wasm and cpu
 * tfjs backends: there the tfjs-op path spends most of its time in per-kernel overhead (about
 * 2,400 small kernels per step), while these kernels run a step as one blocked matMul plus one
 * loop of fused gate math, and keep the activations the backward pass needs in their own memory.
 *
 * The binary is embedded in the bundles by scripts/build.mjs (`__CANDELA_RECURRENT_KERNELS__`), so
 * the packaged app has no file to find; running from source (tests, scripts) it is compiled once
 * with AssemblyScript (compileKernels.mjs) and cached in the temp folder under its source's hash.
 * Each thread that imports this module instantiates its own copies.
 *
 * It comes in two variants. The relaxed-SIMD one does the matMul tiles' multiply-adds as
 * f32x4.relaxed_madd, a fused multiply-add where the CPU has one; it is used where the runtime
 * validates it (Electron 38's V8 and Node ≥ 22 ship relaxed SIMD; Node 20's V8 has it behind
 * --experimental-wasm-relaxed-simd, which is switched on here once, in the main thread, so worker
 * threads see it too). Elsewhere, or with CANDELA_RELAXED_SIMD=0, the plain-SIMD variant runs.
 * Fused multiply-adds round once where the plain variant rounds twice: results agree within the
 * tests' tolerance, and a run stays repeatable on one machine (same variant in every thread).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

declare const __CANDELA_RECURRENT_KERNELS__: string | undefined;
declare const __CANDELA_RECURRENT_KERNELS_RELAXED__: string | undefined;

/** The part of the WebAssembly API used here (the Node lib types leave it out without DOM). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type CompiledModule = object;
const wasm = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => CompiledModule;
    Instance: new (module: CompiledModule, imports: object) => { exports: unknown };
    validate(bytes: Uint8Array): boolean;
  };
}).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  gemm(M: number, N: number, K: number, a: number, ars: number, aks: number, b: number, ldb: number, c: number, ldc: number): void;
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, width: number): void;
  lstmForward(B: number, T: number, F: number, H: number, x: number, xs: number, kernel: number, rec: number, bias: number, hs: number, cs: number, gates: number, tanhC: number): void;
  lstmBackward(...args: number[]): void;
  gruForward(B: number, T: number, F: number, H: number, x: number, xs: number, kernel: number, rec: number, bias: number, hs: number, gates: number, hn: number, hp: number): void;
  gruBackward(...args: number[]): void;
  activations(src: number, n: number, outExp: number, outSigmoid: number, outTanh: number): void;
  convForward(rows: number, C: number, ld: number, F: number, taps: number, dilation: number, xp: number, w: number, bias: number, y: number, relu: number): void;
  convBackward(...args: number[]): void;
  adamUpdate(...args: number[]): void;
  fmaPeak(n: number, seed: number): number;
}

/** Which build of the kernels runs: relaxed SIMD (fused multiply-adds) or plain SIMD. */
export type RecurrentKernelVariant = 'relaxed' | 'plain';

let compiled: { module: CompiledModule; variant: RecurrentKernelVariant } | null = null;
let loadError: Error | null = null;
/** Off with CANDELA_RELAXED_SIMD=0 (read by every thread) or setRelaxedRecurrentKernels(false). */
let relaxedWanted = process.env.CANDELA_RELAXED_SIMD !== '0';

// (func (param f32 f32 f32) (result f32) splat ×3, f32x4.relaxed_madd, extract_lane 0): the smallest
// module that validates only where relaxed SIMD is on.
const RELAXED_PROBE = Buffer.from(
  '0061736d0100000001080160037d7d7d017d030201000a160114002000fd132001fd132002fd13fd8502fd1f000b',
  'hex',
);

/** V8 before 11.4 (Node 20) has relaxed SIMD, complete but behind a flag; 11.4 shipped it. */
function v8HasRelaxedSimdFlag(): boolean {
  const [major, minor] = process.versions.v8.split('.').map(Number);
  return major < 11 || (major === 11 && minor < 4);
}

/**
 * Whether this runtime runs relaxed SIMD, switching V8's flag on where it sits behind one. V8's
 * flags are process-wide, so the main thread does it when this module loads, before any training
 * thread starts; a thread only checks.
 */
function relaxedSimdRuns(): boolean {
  if (wasm.validate(RELAXED_PROBE)) return true;
  if (!isMainThread || !v8HasRelaxedSimdFlag()) return false;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(RELAXED_PROBE);
}
const relaxedSimd = relaxedWanted && relaxedSimdRuns();

function kernelBinaryFromSource(variant: RecurrentKernelVariant): Buffer {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const script = path.join(here, 'compileKernels.mjs');
  const hash = createHash('sha256')
    .update(readFileSync(path.join(here, 'recurrent.as')))
    .update(readFileSync(script))
    .digest('hex')
    .slice(0, 16);
  const cached = path.join(tmpdir(), `candela-recurrent-kernels-${variant}-${hash}.wasm`);
  if (existsSync(cached)) return readFileSync(cached);
  const run = spawnSync(process.execPath, [script, variant], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`compiling the recurrent kernels failed: ${run.stderr || run.error?.message}`);
  const binary = Buffer.from(run.stdout, 'base64');
  // Written aside and renamed, so a parallel test worker never reads half a file.
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, binary);
  renameSync(partial, cached);
  return binary;
}

/** The variant's binary: embedded in a bundle (null where a bundle embeds only the plain one), else compiled from source. */
function kernelBinary(variant: RecurrentKernelVariant): Buffer | null {
  if (typeof __CANDELA_RECURRENT_KERNELS__ === 'string') {
    if (variant === 'plain') return Buffer.from(__CANDELA_RECURRENT_KERNELS__, 'base64');
    return typeof __CANDELA_RECURRENT_KERNELS_RELAXED__ === 'string' ? Buffer.from(__CANDELA_RECURRENT_KERNELS_RELAXED__, 'base64') : null;
  }
  return kernelBinaryFromSource(variant);
}

function kernelModule(): CompiledModule {
  if (compiled) return compiled.module;
  if (loadError) throw loadError;
  try {
    const relaxed = relaxedWanted && relaxedSimd ? kernelBinary('relaxed') : null;
    compiled = relaxed ? { module: new wasm.Module(relaxed), variant: 'relaxed' } : { module: new wasm.Module(kernelBinary('plain')!), variant: 'plain' };
    return compiled.module;
  } catch (error) {
    loadError = error instanceof Error ? error : new Error(String(error));
    throw loadError;
  }
}

let enabled = true;
let warned = false;

/** Whether the kernels' binary loads; when it cannot, says so once on stderr (the callers fall back to tfjs ops). */
function kernelsLoad(): boolean {
  try {
    kernelModule();
    return true;
  } catch (error) {
    if (!warned) {
      warned = true;
      process.stderr.write(`candela: recurrent layers and large matMuls fall back to tfjs ops: ${(error as Error).message}\n`);
    }
    return false;
  }
}

/**
 * Whether the recurrent ops should use these kernels: on by default, off when `setRecurrentKernels`
 * said so (tests compare both paths) or when the binary cannot be had, which leaves training on the
 * slower tfjs-op path rather than failing it.
 */
export function recurrentKernelsAvailable(): boolean {
  return enabled && kernelsLoad();
}

/** Turns the kernels off (false) or back on; returns the previous setting. */
export function setRecurrentKernels(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * The variant that runs, for reports ("relaxed": fused multiply-adds; "plain": SIMD multiply then
 * add); null when the kernels are off or cannot be had.
 */
export function recurrentKernelVariant(): RecurrentKernelVariant | null {
  return recurrentKernelsAvailable() ? compiled!.variant : null;
}

/**
 * Allows the relaxed-SIMD variant (true, where the runtime runs it) or forces the plain one
 * (false), for this thread; instances made before keep theirs until released. Returns the
 * previous setting. Tests use it to run both variants; CANDELA_RELAXED_SIMD=0 does it for every thread.
 */
export function setRelaxedRecurrentKernels(on: boolean): boolean {
  const previous = relaxedWanted;
  if (on !== previous) {
    relaxedWanted = on;
    compiled = null;
    loadError = null;
    idle.length = 0;
  }
  return previous;
}

/** One instance of the kernels with its own memory, laid out per call by {@link Workspace.layout}. */
class Workspace {
  readonly exports: KernelExports;
  private readonly base: number;

  constructor() {
    this.exports = new wasm.Instance(kernelModule(), {}).exports as KernelExports;
    this.base = (this.exports.heapBase() + 63) & ~63;
  }

  /** Byte offsets for buffers of the given float counts, each 64-byte aligned; grows memory to fit. */
  layout(counts: number[]): number[] {
    let at = this.base;
    const offsets = counts.map((n) => {
      const here = at;
      at += Math.ceil((n * 4) / 64) * 64;
      return here;
    });
    const memory = this.exports.memory;
    if (at > memory.buffer.byteLength) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
    return offsets;
  }

  write(offset: number, values: Float32Array | ArrayLike<number>): void {
    new Float32Array(this.exports.memory.buffer, offset, values.length).set(values);
  }

  /** A copy of `count` floats at `offset` (tfjs' cpu backend keeps the array it is given). */
  read(offset: number, count: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, offset, count).slice();
  }

  bytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}

const idle: Workspace[] = [];
/** Backward passes that had to recompute their forward pass (its activations were not kept). */
let recomputed = 0;

/** How many backward passes so far recomputed their forward pass: 0 in training, where tfjs records gradients. */
export function recomputedForwardPasses(): number {
  return recomputed;
}
/** Idle instances kept for reuse; a bigger one (an unusual batch) is left to the GC. */
const KEEP_IDLE = 4;
const KEEP_BYTES = 512 << 20;

function acquire(): Workspace {
  return idle.pop() ?? new Workspace();
}

function release(workspace: Workspace): void {
  if (idle.length < KEEP_IDLE && workspace.bytes() <= KEEP_BYTES) idle.push(workspace);
}

/** Sizes of one recurrent call. */
export interface RecurrentDims {
  batch: number;
  steps: number;
  features: number;
  units: number;
}

/** Gradients of one call, laid out like the op's inputs. dx is null when not asked for. */
export interface RecurrentGradients {
  dx: Float32Array | null;
  dKernel: Float32Array;
  dRecurrent: Float32Array;
  dBias: Float32Array;
}

/** A forward pass's output and, while its activations are held, the matching backward pass. */
export interface RecurrentRun {
  output: Float32Array;
  /** Gradients for `dy` ([B, H] or [B, T, H] as the forward returned); may be called once. */
  backward(dy: Float32Array, inputGradient: boolean): RecurrentGradients;
}

/** Inputs of one call, as flat arrays in the ops' layouts. */
export interface RecurrentInputs {
  x: Float32Array;
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
}

interface CellSpec {
  /** Gates per unit. */
  gates: number;
  biasLength(units: number): number;
  /** Float counts of the saved activations after x, kernel, recurrent, bias, hs, xs (x time-major). */
  saved(d: RecurrentDims): number[];
  /** Float counts of the backward's work buffers after dh, dh2. */
  work(d: RecurrentDims): number[];
  forward(k: KernelExports, d: RecurrentDims, at: number[]): void;
  backward(k: KernelExports, d: RecurrentDims, at: number[], ptr: BackwardPointers): void;
}

interface BackwardPointers {
  dy: number;
  sequence: boolean;
  dx: number;
  dKernel: number;
  dRec: number;
  dBias: number;
  work: number[];
}

const LSTM: CellSpec = {
  gates: 4,
  biasLength: (h) => 4 * h,
  saved: ({ batch: B, steps: T, units: H }) => [(T + 1) * B * H, T * B * 4 * H, T * B * H],
  work: ({ batch: B, features: F, units: H }) => [B * H, B * 4 * H, 4 * H * H, 4 * H * F],
  forward(k, { batch, steps, features, units }, [x, kernel, rec, bias, hs, xs, cs, gates, tanhC]) {
    k.lstmForward(batch, steps, features, units, x, xs, kernel, rec, bias, hs, cs, gates, tanhC);
  },
  backward(k, { batch, steps, features, units }, [, kernel, rec, , hs, xs, cs, gates, tanhC], p) {
    const [dh, dh2, dc, dz, recT, kernelT] = p.work;
    k.lstmBackward(batch, steps, features, units, xs, kernel, rec, hs, cs, gates, tanhC, p.dy, p.sequence ? 1 : 0, p.dx, p.dKernel, p.dRec, p.dBias, dh, dh2, dc, dz, recT, kernelT);
  },
};

const GRU: CellSpec = {
  gates: 3,
  biasLength: (h) => 6 * h,
  saved: ({ batch: B, steps: T, units: H }) => [T * B * 3 * H, T * B * H, B * 3 * H],
  work: ({ batch: B, features: F, units: H }) => [B * 3 * H, B * 3 * H, 3 * H * H, 3 * H * F],
  forward(k, { batch, steps, features, units }, [x, kernel, rec, bias, hs, xs, gates, hn, hp]) {
    k.gruForward(batch, steps, features, units, x, xs, kernel, rec, bias, hs, gates, hn, hp);
  },
  backward(k, { batch, steps, features, units }, [, kernel, rec, , hs, xs, gates, hn], p) {
    const [dh, dh2, dxp, dhp, recT, kernelT] = p.work;
    k.gruBackward(batch, steps, features, units, xs, kernel, rec, hs, gates, hn, p.dy, p.sequence ? 1 : 0, p.dx, p.dKernel, p.dRec, p.dBias, dh, dh2, dxp, dhp, recT, kernelT);
  },
};

function checkInputs(spec: CellSpec, d: RecurrentDims, inputs: RecurrentInputs): void {
  const width = spec.gates * d.units;
  const expected: Array<[string, number, number]> = [
    ['x', inputs.x.length, d.batch * d.steps * d.features],
    ['kernel', inputs.kernel.length, d.features * width],
    ['recurrent', inputs.recurrent.length, d.units * width],
    ['bias', inputs.bias.length, spec.biasLength(d.units)],
  ];
  for (const [name, got, want] of expected) {
    if (got !== want) throw new Error(`recurrent kernel: ${name} holds ${got} values where ${want} were expected`);
  }
}

function run(spec: CellSpec, d: RecurrentDims, inputs: RecurrentInputs, returnSequences: boolean, keepActivations: boolean): RecurrentRun {
  checkInputs(spec, d, inputs);
  const { batch: B, steps: T, features: F, units: H } = d;
  const width = spec.gates * H;
  const outLength = returnSequences ? B * T * H : B * H;
  const counts = [B * T * F, F * width, H * width, spec.biasLength(H), (T + 1) * B * H, T * B * F, ...spec.saved(d)];
  const forwardBuffers = counts.length;
  // Backward buffers: dy, dx, dKernel, dRec, dBias, dh, dh2, the cell's work; then the sequence output.
  counts.push(outLength, B * T * F, F * width, H * width, spec.biasLength(H), B * H, B * H, ...spec.work(d), outLength);

  const forward = (workspace: Workspace): number[] => {
    const at = workspace.layout(counts);
    workspace.write(at[0], inputs.x);
    workspace.write(at[1], inputs.kernel);
    workspace.write(at[2], inputs.recurrent);
    workspace.write(at[3], inputs.bias);
    spec.forward(workspace.exports, d, at);
    return at;
  };

  let workspace: Workspace | null = acquire();
  let at = forward(workspace);
  const hs = at[4];
  let output: Float32Array;
  if (returnSequences) {
    const out = at[at.length - 1];
    // hs is time-major [(T+1), B, H]; the op returns [B, T, H].
    for (let t = 0; t < T; t++) workspace.exports.copyRows(hs + (t + 1) * B * H * 4, H, out + t * H * 4, T * H, B, H);
    output = workspace.read(out, outLength);
  } else {
    output = workspace.read(hs + T * B * H * 4, B * H);
  }
  if (!keepActivations) {
    release(workspace);
    workspace = null;
  }
  let used = false;
  return {
    output,
    backward(dy, inputGradient) {
      if (used) throw new Error('recurrent kernel: a forward pass was differentiated twice');
      used = true;
      if (dy.length !== outLength) throw new Error(`recurrent kernel: the output gradient holds ${dy.length} values where ${outLength} were expected`);
      // Activations are held only while gradients were being recorded; otherwise recompute them.
      if (!workspace) {
        recomputed++;
        workspace = acquire();
        at = forward(workspace);
      }
      const [dyAt, dxAt, dKernelAt, dRecAt, dBiasAt, ...work] = at.slice(forwardBuffers);
      workspace.write(dyAt, dy);
      spec.backward(workspace.exports, d, at, { dy: dyAt, sequence: returnSequences, dx: inputGradient ? dxAt : 0, dKernel: dKernelAt, dRec: dRecAt, dBias: dBiasAt, work });
      const gradients: RecurrentGradients = {
        dx: inputGradient ? workspace.read(dxAt, B * T * F) : null,
        dKernel: workspace.read(dKernelAt, F * width),
        dRecurrent: workspace.read(dRecAt, H * width),
        dBias: workspace.read(dBiasAt, spec.biasLength(H)),
      };
      release(workspace);
      workspace = null;
      return gradients;
    },
  };
}

/** LSTM forward over x [B, T, F] from zero state (Keras gate order i, f, c, o; bias [4H]). */
export function lstmKernelRun(d: RecurrentDims, inputs: RecurrentInputs, returnSequences: boolean, keepActivations: boolean): RecurrentRun {
  return run(LSTM, d, inputs, returnSequences, keepActivations);
}

/** GRU ("reset after") forward over x [B, T, F] from zero state (gate order z, r, n; bias [2, 3H]). */
export function gruKernelRun(d: RecurrentDims, inputs: RecurrentInputs, returnSequences: boolean, keepActivations: boolean): RecurrentRun {
  return run(GRU, d, inputs, returnSequences, keepActivations);
}

/** exp, σ and tanh of `values` exactly as the kernels' gate math computes them (for accuracy tests). */
export function kernelActivations(values: Float32Array): { exp: Float32Array; sigmoid: Float32Array; tanh: Float32Array } {
  const workspace = acquire();
  const n = values.length;
  const [src, e, s, t] = workspace.layout([n, n, n, n]);
  workspace.write(src, values);
  workspace.exports.activations(src, n, e, s, t);
  const result = { exp: workspace.read(e, n), sigmoid: workspace.read(s, n), tanh: workspace.read(t, n) };
  release(workspace);
  return result;
}

/**
 * Whether {@link kernelMatMul} can run: the binary loads. Unlike {@link recurrentKernelsAvailable}
 * it ignores `setRecurrentKernels` (which picks the recurrent ops' path, not the matMul's).
 */
export const matMulKernelAvailable = kernelsLoad;

/**
 * The leading dimension for rows of `width` floats: padded by 4 when rows would sit a multiple of
 * 256 bytes apart, since such rows fall into the same few L1 sets and the tiles' four A rows and
 * a block's 128 B rows then evict each other (measured: [1024, 256]ᵀ·[256, 128] ran at 60 % of
 * the padded speed). Other widths keep their rows contiguous, so they are copied in one call.
 */
function leadingDimension(width: number): number {
  return width % 64 === 0 ? width + 4 : width;
}

/** Copies `rows` rows of `width` floats from src (contiguous) to the heap at byte offset `at`, `stride` floats apart. */
function writeRows(heap: Float32Array, at: number, stride: number, src: Float32Array, rows: number, width: number): void {
  const base = at >> 2;
  if (stride === width) {
    heap.set(src, base);
    return;
  }
  for (let r = 0; r < rows; r++) heap.set(src.subarray(r * width, (r + 1) * width), base + r * stride);
}

/** {@link writeRows}' inverse: `rows` rows of `width` floats, `stride` floats apart from byte offset `at`, into dst (contiguous). */
function readRows(heap: Float32Array, at: number, stride: number, dst: Float32Array, rows: number, width: number): void {
  const base = at >> 2;
  for (let r = 0; r < rows; r++) dst.set(heap.subarray(base + r * stride, base + r * stride + width), r * width);
}

/**
 * out[m, n] = A · op(B) through the kernels' register-blocked gemm (6 × 8 and 4 × 8 tiles, fused
 * multiply-adds in the relaxed variant), for tfjs' dense matMuls, which XNNPACK runs slower. A is
 * [m, k], or [k, m] read transposed in place when `transposeA`; B is [k, n], or [n, k] when
 * `transposeB` (transposed while it is copied in). Operands are copied into a kernel instance's
 * memory with padded rows and the product copied out: a few hundred kilobytes next to millions of
 * multiply-adds. Each element is summed over k in order (blocks of 128 k), so every call gives
 * the same result.
 */
export function kernelMatMul(a: Float32Array, transposeA: boolean, b: Float32Array, transposeB: boolean, m: number, k: number, n: number, out: Float32Array): void {
  if (a.length !== m * k || b.length !== k * n || out.length !== m * n) {
    throw new Error(`matMul kernel: operands of ${a.length}, ${b.length} and ${out.length} values do not fit [${m}, ${k}] · [${k}, ${n}]`);
  }
  const workspace = acquire();
  try {
    const [aRows, aWidth] = transposeA ? [k, m] : [m, k];
    const lda = leadingDimension(aWidth);
    const ldb = leadingDimension(n);
    const [aAt, bAt, cAt] = workspace.layout([aRows * lda, k * ldb, m * n]);
    const heap = new Float32Array(workspace.exports.memory.buffer);
    writeRows(heap, aAt, lda, a, aRows, aWidth);
    if (transposeB) {
      const base = bAt >> 2;
      for (let j = 0; j < n; j++) {
        const row = j * k;
        for (let kk = 0; kk < k; kk++) heap[base + kk * ldb + j] = b[row + kk];
      }
    } else {
      writeRows(heap, bAt, ldb, b, k, n);
    }
    const c = heap.subarray(cAt >> 2, (cAt >> 2) + m * n);
    c.fill(0);
    workspace.exports.gemm(m, n, k, aAt, transposeA ? 1 : lda, transposeA ? lda : 1, bAt, ldb, cAt, n);
    out.set(c);
  } finally {
    release(workspace);
  }
}

/** Sizes of a convolution along time for {@link kernelTimeConv}. */
export interface TimeConvDims {
  batch: number;
  steps: number;
  channels: number;
  /** Zero rows before and after each sequence. */
  padBefore: number;
  padAfter: number;
  taps: number;
  dilation: number;
  filters: number;
}

/**
 * out[b, t, :] = Σ_j x_padded[b, t + j·dilation, :] · W_j, with x [batch, steps, channels] and
 * filter [taps, channels, filters] (a Conv2D over [batch, steps, 1, channels] with a [taps, 1, …]
 * filter), through the gemm and without an im2col copy: the padded sequences sit end to end, so
 * every output row's window is a contiguous run of the input, read at a stride of one row (for
 * dilation 1 all taps form one k = taps·channels product; otherwise one accumulating product per
 * tap, summed in tap order). Rows whose window straddles two sequences are computed and dropped:
 * (taps − 1)·dilation rows per sequence.
 */
export function kernelTimeConv(x: Float32Array, filter: Float32Array, d: TimeConvDims, out: Float32Array): void {
  const { batch, steps, channels: C, padBefore, padAfter, taps, dilation, filters: F } = d;
  const span = steps + padBefore + padAfter;
  const reach = (taps - 1) * dilation;
  const outSteps = span - reach;
  if (x.length !== batch * steps * C || filter.length !== taps * C * F || out.length !== batch * outSteps * F || outSteps < 1) {
    throw new Error(`time conv kernel: x of ${x.length}, filter of ${filter.length} and output of ${out.length} values do not fit ${JSON.stringify(d)}`);
  }
  const rows = batch * span - reach;
  const workspace = acquire();
  try {
    const [xAt, wAt, cAt] = workspace.layout([batch * span * C, taps * C * F, rows * F]);
    const heap = new Float32Array(workspace.exports.memory.buffer);
    const xBase = xAt >> 2;
    const padded = heap.subarray(xBase, xBase + batch * span * C);
    if (padBefore + padAfter > 0) padded.fill(0);
    for (let b = 0; b < batch; b++) padded.set(x.subarray(b * steps * C, (b + 1) * steps * C), (b * span + padBefore) * C);
    heap.set(filter, wAt >> 2);
    const c = heap.subarray(cAt >> 2, (cAt >> 2) + rows * F);
    c.fill(0);
    if (dilation === 1) {
      workspace.exports.gemm(rows, F, taps * C, xAt, C, 1, wAt, F, cAt, F);
    } else {
      for (let j = 0; j < taps; j++) workspace.exports.gemm(rows, F, C, xAt + 4 * j * dilation * C, C, 1, wAt + 4 * j * C * F, F, cAt, F);
    }
    for (let b = 0; b < batch; b++) out.set(c.subarray(b * span * F, (b * span + outSteps) * F), b * outSteps * F);
  } finally {
    release(workspace);
  }
}

/** Backward passes of a causal convolution that had to lay their forward's activations out again. */
let recomputedConv = 0;

/** How many causal-conv backward passes so far laid out their activations again: 0 in training, where tfjs records gradients. */
export function relaidConvActivations(): number {
  return recomputedConv;
}

/** Sizes of a causal convolution for {@link kernelCausalConvRun}. */
export interface CausalConvDims {
  batch: number;
  steps: number;
  channels: number;
  taps: number;
  dilation: number;
  filters: number;
}

/** Byte offsets of a causal convolution's buffers in a workspace, and its row geometry. */
interface CausalConvLayout {
  /** Padded rows per sequence (steps + reach) and output rows (batch·span − reach). */
  span: number;
  rows: number;
  /** Floats from one padded row of x (and of ∂x) to the next. */
  ld: number;
  xp: number;
  w: number;
  bias: number;
  y: number;
  dz: number;
  dW: number;
  db: number;
  wT: number;
  dxp: number;
}

function checkCausalConv(d: CausalConvDims, x: Float32Array, w: Float32Array): void {
  const { batch, steps, channels: C, taps, dilation, filters: F } = d;
  if (![batch, steps, C, taps, dilation, F].every((v) => Number.isInteger(v) && v >= 1) || x.length !== batch * steps * C || w.length !== taps * C * F) {
    throw new Error(`causal conv kernel: x of ${x.length} and filter of ${w.length} values do not fit ${JSON.stringify(d)}`);
  }
}

/** Lays out a causal convolution in `workspace` and writes x into its padded rows (pads zeroed). */
function layOutCausalConv(workspace: Workspace, d: CausalConvDims, x: Float32Array, w: Float32Array, backward: boolean): CausalConvLayout {
  const { batch, steps, channels: C, taps, dilation, filters: F } = d;
  const reach = (taps - 1) * dilation;
  const span = steps + reach;
  const rows = batch * span - reach;
  // Several taps read a window as one contiguous run, so rows must touch; one tap may pad them.
  const ld = taps === 1 ? leadingDimension(C) : C;
  const padded = batch * span * ld;
  const [xp, wAt, bias, y, dz, dW, db, wT, dxp] = workspace.layout([padded, taps * C * F, F, rows * F, backward ? rows * F : 0, backward ? taps * C * F : 0, backward ? F : 0, backward ? F * C : 0, backward ? padded : 0]);
  const heap = new Float32Array(workspace.exports.memory.buffer);
  if (ld !== C) {
    writeRows(heap, xp, ld, x, batch * steps, C);
  } else {
    if (reach > 0) for (let b = 0; b < batch; b++) heap.fill(0, (xp >> 2) + b * span * C, (xp >> 2) + (b * span + reach) * C);
    writeRows(heap, xp + 4 * reach * C, span * C, x, batch, steps * C);
  }
  heap.set(w, wAt >> 2);
  return { span, rows, ld, xp, w: wAt, bias, y, dz, dW, db, wT, dxp };
}

/** A causal convolution's forward pass, and while its activations are held, the matching backward pass. */
export interface CausalConvRun {
  /**
   * Gradients for the output gradient dy [batch, steps, filters]: dW [taps·channels, filters] and
   * db [filters] always, dx only when `inputGradient`, written into `into` (arrays of those
   * sizes). `operands` gives the forward's x, filter and output again; it is called only when the
   * forward pass did not keep them. May be called once.
   */
  backward(
    dy: Float32Array,
    inputGradient: boolean,
    into: { dx: Float32Array | null; dW: Float32Array; db: Float32Array },
    operands: () => { x: Float32Array; w: Float32Array; y: Float32Array },
  ): void;
}

/**
 * act(bias + causal dilated conv(x)) for x [batch, steps, channels] and filter [taps·channels,
 * filters] (tap-major): one call into the kernels (convForward: the gemm over the padded
 * sequences laid end to end, the bias entering with the first block, relu in place), written
 * into `out` [batch, steps, filters]. With `keepActivations` the padded input, the filter and
 * the output stay in the kernel instance for the backward pass (which then copies in only ∂y);
 * otherwise the backward lays them out again from `operands`.
 */
export function kernelCausalConvRun(x: Float32Array, w: Float32Array, bias: Float32Array, d: CausalConvDims, relu: boolean, out: Float32Array, keepActivations: boolean): CausalConvRun {
  checkCausalConv(d, x, w);
  if (bias.length !== d.filters || out.length !== d.batch * d.steps * d.filters) throw new Error(`causal conv kernel: a bias of ${bias.length} values or an output of ${out.length} values do not fit ${JSON.stringify(d)}`);
  const { batch, steps, channels: C, taps, dilation, filters: F } = d;
  let workspace: Workspace | null = acquire();
  let at: CausalConvLayout;
  try {
    at = layOutCausalConv(workspace, d, x, w, keepActivations);
    workspace.write(at.bias, bias);
    workspace.exports.convForward(at.rows, C, at.ld, F, taps, dilation, at.xp, at.w, at.bias, at.y, relu ? 1 : 0);
    readRows(new Float32Array(workspace.exports.memory.buffer), at.y, at.span * F, out, batch, steps * F);
  } catch (error) {
    release(workspace);
    throw error;
  }
  if (!keepActivations) {
    release(workspace);
    workspace = null;
  }
  let used = false;
  return {
    backward(dy, inputGradient, into, operands) {
      if (used) throw new Error('causal conv kernel: a forward pass was differentiated twice');
      used = true;
      const outLength = batch * steps * F;
      if (dy.length !== outLength) throw new Error(`causal conv kernel: dy of ${dy.length} values where ${outLength} were expected`);
      if (into.dW.length !== taps * C * F || into.db.length !== F || (inputGradient && into.dx?.length !== batch * steps * C)) throw new Error('causal conv kernel: gradient arrays of the wrong sizes');
      const kept = workspace !== null;
      if (!workspace) {
        const again = operands();
        checkCausalConv(d, again.x, again.w);
        if (again.y.length !== outLength) throw new Error(`causal conv kernel: y of ${again.y.length} values where ${outLength} were expected`);
        workspace = acquire();
        at = layOutCausalConv(workspace, d, again.x, again.w, true);
        writeRows(new Float32Array(workspace.exports.memory.buffer), at.y, at.span * F, again.y, batch, steps * F);
      }
      try {
        const heap = new Float32Array(workspace.exports.memory.buffer);
        // ∂y on the output rows; rows whose window straddles two sequences get ∂y = 0.
        const dzBase = at.dz >> 2;
        if (at.rows !== batch * steps) heap.fill(0, dzBase, dzBase + at.rows * F);
        writeRows(heap, at.dz, at.span * F, dy, batch, steps * F);
        workspace.exports.convBackward(at.rows, C, at.ld, F, taps, dilation, at.xp, at.w, at.y, at.dz, relu ? 1 : 0, at.dW, at.db, at.wT, inputGradient ? at.dxp : 0);
        into.dW.set(heap.subarray(at.dW >> 2, (at.dW >> 2) + taps * C * F));
        into.db.set(heap.subarray(at.db >> 2, (at.db >> 2) + F));
        const dx = inputGradient ? into.dx : null;
        if (dx) {
          // One tap: padded rows, none between sequences. Otherwise each sequence's rows after its padding.
          if (at.ld !== C) readRows(heap, at.dxp, at.ld, dx, batch * steps, C);
          else readRows(heap, at.dxp + 4 * (taps - 1) * dilation * C, at.span * C, dx, batch, steps * C);
        }
        if (!kept) recomputedConv++;
      } finally {
        release(workspace);
        workspace = null;
      }
    },
  };
}

/** A kernel instance of its own holding state across calls: buffers laid out once, and the Adam update. */
export interface AdamKernelMemory {
  /** The instance's memory as floats; it never grows after the layout, so views of it stay valid. */
  heap: Float32Array;
  /** Byte offsets of the buffers asked for, each 64-byte aligned (so whole vectors past a buffer's end stay inside it). */
  offsets: number[];
  /** recurrent.as `adamUpdate`. */
  update: (...args: number[]) => void;
}

/**
 * A new kernel instance (never pooled) with buffers of the given float counts, for an optimizer's
 * moments and scratch; null where the kernels' binary cannot be had.
 */
export function adamKernelMemory(floatCounts: number[]): AdamKernelMemory | null {
  if (!kernelsLoad()) return null;
  const workspace = new Workspace();
  const offsets = workspace.layout(floatCounts);
  return { heap: new Float32Array(workspace.exports.memory.buffer), offsets, update: workspace.exports.adamUpdate };
}

/**
 * The kernels' multiply-add throughput on this thread in GFLOP/s (recurrent.as `fmaPeak`: the
 * 6 × 8 tile's twelve chains with no memory traffic), the best of several ~2 ms timings after a
 * warm-up long enough for V8 to compile the optimised tier; null where the kernels cannot be had.
 */
export function kernelFmaPeakGflops(): number | null {
  if (!kernelsLoad()) return null;
  const workspace = acquire();
  const { fmaPeak } = workspace.exports;
  const rounds = 1 << 20;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) fmaPeak(1 << 12, 0.5);
  let best = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    fmaPeak(rounds, 0.5);
    best = Math.max(best, (96 * rounds) / ((performance.now() - t0) * 1e6));
  }
  release(workspace);
  return best;
}

