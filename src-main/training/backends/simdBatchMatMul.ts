/**
 * A batched matMul in WebAssembly SIMD, for the small per-head products of attention.
 *
 * tfjs-backend-wasm sends every batched BatchMatMul to a scalar triple loop (XNNPACK is only
 * used for one 2-D product), about 0.5 GMAC/s; attention's [B·heads, T, d_h] products spend most
 * of a transformer's training step there. This module is assembled here, byte by byte (no
 * toolchain needed at install time), imports the tfjs wasm instance's own memory, and computes
 * C[b] = A[b]·B[b] in place on tensors' heap buffers with f32x4 row updates:
 *   for each row i: C[i,:] = Σ_k A[i,k] · B[k,:]   (N a multiple of 4).
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

/** Computes C[b] = A[b]·B[b] for row-major f32 matrices at byte offsets in the shared memory. */
export type SimdBatchMatMul = (aOffset: number, bOffset: number, cOffset: number, batch: number, m: number, k: number, n: number) => void;

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

/** The module's bytes: imports env.memory, exports bmm(a, b, c, batch, m, k, n). */
export function simdBatchMatMulModuleBytes(): Uint8Array {
  // Parameters 0..6: a, b, c, batch, m, k, n. Locals: i32 7..13, v128 14.
  const [A, B, C, BATCH, M, K, N] = [0, 1, 2, 3, 4, 5, 6];
  const [bi, i, kk, j, rowBytes, aRow, cRow] = [7, 8, 9, 10, 11, 12, 13];
  const bRow = 15;
  const aValue = 14;
  const body = [
    ...op.get(N), ...op.i32(4), ...op.mul, ...op.set(rowBytes),
    ...forLoop(bi, op.get(BATCH), 1, [
      ...forLoop(i, op.get(M), 1, [
        // aRow = a + ((bi·M + i)·K)·4 ; cRow = c + (bi·M + i)·rowBytes
        ...op.get(bi), ...op.get(M), ...op.mul, ...op.get(i), ...op.add, ...op.set(aRow),
        ...op.get(C), ...op.get(aRow), ...op.get(rowBytes), ...op.mul, ...op.add, ...op.set(cRow),
        ...op.get(A), ...op.get(aRow), ...op.get(K), ...op.mul, ...op.i32(4), ...op.mul, ...op.add, ...op.set(aRow),
        ...forLoop(j, op.get(rowBytes), 16, [...op.get(cRow), ...op.get(j), ...op.add, ...op.v128Zero, ...op.v128Store]),
        ...forLoop(kk, op.get(K), 1, [
          ...op.get(aRow), ...op.get(kk), ...op.i32(4), ...op.mul, ...op.add, ...op.f32Load, ...op.f32x4Splat, ...op.set(aValue),
          // bRow = b + ((bi·K + kk)·rowBytes)
          ...op.get(B), ...op.get(bi), ...op.get(K), ...op.mul, ...op.get(kk), ...op.add, ...op.get(rowBytes), ...op.mul, ...op.add, ...op.set(bRow),
          ...forLoop(j, op.get(rowBytes), 16, [
            ...op.get(cRow), ...op.get(j), ...op.add,
            ...op.get(cRow), ...op.get(j), ...op.add, ...op.v128Load,
            ...op.get(aValue),
            ...op.get(bRow), ...op.get(j), ...op.add, ...op.v128Load,
            ...op.f32x4Mul, ...op.f32x4Add,
            ...op.v128Store,
          ]),
        ]),
      ]),
    ]),
    ...op.end,
  ];
  const locals = [0x03, ...uleb(7), 0x7f, ...uleb(1), 0x7b, ...uleb(1), 0x7f];
  const code = [...locals, ...body];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, ...new Array<number>(7).fill(0x7f), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('bmm'), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ];
  return Uint8Array.from(bytes);
}

/**
 * Instantiates the kernel on `memory` (the tfjs wasm heap), or returns null where this runtime
 * lacks WebAssembly SIMD or the memory cannot be imported; callers then keep tfjs' own kernel.
 */
export function createSimdBatchMatMul(memory: WasmMemory): SimdBatchMatMul | null {
  const bytes = simdBatchMatMulModuleBytes();
  if (!wasmApi.validate(bytes)) return null;
  try {
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    return instance.exports.bmm as SimdBatchMatMul;
  } catch {
    // E.g. the threaded tfjs build's shared memory, which this module does not declare.
    return null;
  }
}
