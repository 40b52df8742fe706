/**
 * Batched matMul in WebAssembly SIMD, for the small per-head products of attention
 * ([B·heads, T, T]·[B·heads, T, d_h] and [B·heads, T, d_h]·[B·heads, d_h, T]).
 *
 * tfjs-backend-wasm sends every batched BatchMatMul to a scalar triple loop (XNNPACK is only
 * used for one 2-D product), about 0.5 GMAC/s; attention's products spend most of a
 * transformer's training step there. This module is assembled here, byte by byte (no toolchain
 * needed at install time), imports the tfjs wasm instance's own memory, and computes on tensors'
 * heap buffers in place. A block of 4, 8, 12 or 16 columns of C's row stays in registers for the
 * whole k loop (the host walks wider products block by block), and A is read through strides,
 * so Aᵀ costs no transpose:
 *   for each row i: acc = 0; for k: acc += splat(A[i, k]) · B[k, block]; C[i, block] = acc.
 * Each element is summed over k in order with a float32 multiply then add. (An earlier kernel
 * that read and wrote C's row for every k, and transposed both operands when N < 16, ran 2–3×
 * slower on the same products.)
 */

/**
 * The slice of the WebAssembly JS API used here. The Node-side tsconfig has no DOM lib, where the
 * `WebAssembly` typings live, so the global is typed locally.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}

/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof wasmApi.Memory;
}

/** Unsigned LEB128, as WebAssembly encodes indices and sizes. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128, as WebAssembly encodes constants. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A module section: its id, then its body's size and bytes. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A WebAssembly name (ASCII here). */
export function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

// Opcodes (WebAssembly core + SIMD proposal as standardised).
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  add: [0x6a],
  mul: [0x6c],
  geU: [0x4f],
  f32Load: [0x2a, 0x02, 0x00],
  v128Load: [0xfd, 0x00, 0x04, 0x00],
  v128Store: [0xfd, 0x0b, 0x04, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Splat: [0xfd, 0x13],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
};

/** for (counter = 0; counter < limit; counter += step) body */
export function forLoop(counter: number, limit: number[], step: number, body: number[]): number[] {
  return [
    ...op.i32(0),
    ...op.set(counter),
    ...op.block,
    ...op.loop,
    ...op.get(counter),
    ...limit,
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...op.get(counter),
    ...op.i32(step),
    ...op.add,
    ...op.set(counter),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/**
 * C[b][:, block] = A[b]·B[b][:, block] for one block of N columns: B's rows at b + (b·k + kk)·bRowBytes,
 * C's at c + (b·m + i)·cRowBytes (the block's first column; row strides are the whole matrices'),
 * A read at a + b·m·k·4 + i·aRowBytes + kk·aColBytes (row-major A: k·4 and 4; A stored transposed: 4 and m·4).
 */
export type SimdBatchMatMul = (a: number, b: number, c: number, batch: number, m: number, k: number, aRowBytes: number, aColBytes: number, bRowBytes: number, cRowBytes: number) => void;

/** The column blocks the module serves, one exported function each (`bmm4` … `bmm16`). */
export const BLOCK_WIDTHS = [4, 8, 12, 16] as const;

function blockBody(vectors: number): number[] {
  const [A, B, C, BATCH, M, K, AROW, ACOL, BROW, CROW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [bi, i, kk, aPtr, bPtr, cPtr, bBase, aBase] = [10, 11, 12, 13, 14, 15, 16, 17];
  const av = 18;
  const acc = (q: number): number => 19 + q;
  const zero = Array.from({ length: vectors }, (_, q) => [...op.v128Zero, ...op.set(acc(q))]).flat();
  const update = Array.from({ length: vectors }, (_, q) => [
    ...op.get(acc(q)),
    ...op.get(av),
    ...op.get(bPtr), ...op.i32(q * 16), ...op.add, ...op.v128Load,
    ...op.f32x4Mul, ...op.f32x4Add,
    ...op.set(acc(q)),
  ]).flat();
  const store = Array.from({ length: vectors }, (_, q) => [...op.get(cPtr), ...op.i32(q * 16), ...op.add, ...op.get(acc(q)), ...op.v128Store]).flat();
  return [
    ...op.get(C), ...op.set(cPtr),
    ...forLoop(bi, op.get(BATCH), 1, [
      // aBase = a + bi·m·k·4 ; bBase = b + bi·k·bRowBytes (C advances row by row below)
      ...op.get(A), ...op.get(bi), ...op.get(M), ...op.mul, ...op.get(K), ...op.mul, ...op.i32(4), ...op.mul, ...op.add, ...op.set(aBase),
      ...op.get(B), ...op.get(bi), ...op.get(K), ...op.mul, ...op.get(BROW), ...op.mul, ...op.add, ...op.set(bBase),
      ...forLoop(i, op.get(M), 1, [
        ...zero,
        ...op.get(aBase), ...op.get(i), ...op.get(AROW), ...op.mul, ...op.add, ...op.set(aPtr),
        ...op.get(bBase), ...op.set(bPtr),
        ...forLoop(kk, op.get(K), 1, [
          ...op.get(aPtr), ...op.f32Load, ...op.f32x4Splat, ...op.set(av),
          ...update,
          ...op.get(aPtr), ...op.get(ACOL), ...op.add, ...op.set(aPtr),
          ...op.get(bPtr), ...op.get(BROW), ...op.add, ...op.set(bPtr),
        ]),
        ...store,
        ...op.get(cPtr), ...op.get(CROW), ...op.add, ...op.set(cPtr),
      ]),
    ]),
    ...op.end,
  ];
}

/** The module's bytes: imports env.memory, exports bmm4, bmm8, bmm12 and bmm16. */
export function simdBatchMatMulModuleBytes(): Uint8Array {
  const codes = BLOCK_WIDTHS.map((n) => {
    const vectors = n / 4;
    // Locals: i32 10..17, then v128 18 (the splat) and 19.. (the accumulators).
    const code = [2, ...uleb(8), 0x7f, ...uleb(1 + vectors), 0x7b, ...blockBody(vectors)];
    return [...uleb(code.length), ...code];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 10, ...new Array<number>(10).fill(0x7f), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [BLOCK_WIDTHS.length, ...BLOCK_WIDTHS.map(() => 0)]),
    ...section(7, [BLOCK_WIDTHS.length, ...BLOCK_WIDTHS.flatMap((n, f) => [...name(`bmm${n}`), 0x00, f])]),
    ...section(10, [BLOCK_WIDTHS.length, ...codes.flat()]),
  ];
  return Uint8Array.from(bytes);
}

/** The kernels by block width, bound to `memory` (the tfjs wasm heap), or null where they cannot be built. */
export function createSimdBatchMatMul(memory: WasmMemory): Map<number, SimdBatchMatMul> | null {
  if (!isWasmMemory(memory)) return null;
  const bytes = simdBatchMatMulModuleBytes();
  if (!wasmApi.validate(bytes)) return null;
  try {
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    return new Map(BLOCK_WIDTHS.map((n) => [n, instance.exports[`bmm${n}`] as SimdBatchMatMul]));
  } catch {
    // E.g. the threaded tfjs build's shared memory, which this module does not declare.
    return null;
  }
}
