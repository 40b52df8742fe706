/**
 * Column sums and block transposes in WebAssembly SIMD, on the tfjs wasm heap, for the Sum and
 * Transpose kernels of wasmLayoutKernels.ts. Assembled here byte by byte like simdBatchMatMul.ts
 * (no toolchain at install time); the JavaScript loops they replace ran at 3–5 ns per element.
 *
 *   sum(x, out, outer, reduce, rowBytes):   out[o, :] = Σ_i x[o, i, :], in order of i, f32x4 lanes
 *     (each lane is one output element, so every element is summed exactly as a scalar loop would).
 *   transpose(x, out, batch, rows, cols, runBytes, tile):   out[b, c, r, :] = x[b, r, c, :], rows in
 *     tiles of `tile` so a tile of the input stays in cache; a run of `runBytes` is copied with
 *     v128 moves when it is a multiple of 16 bytes, else with f32 moves.
 *   copyRows(src, srcStride, dst, dstStride, rows, runBytes):   `rows` runs from one strided layout
 *     to another (the narrow rows of Slice, SplitV and Concat, one call instead of one per row).
 * Offsets and sizes are in bytes; rowBytes must be a multiple of 16, runBytes of 4.
 */
import { forLoop, isWasmMemory, name, op, section, uleb, type WasmMemory } from './simdBatchMatMul.js';

/** Σ over the middle axis of x [outer, reduce, row] (byte offsets; rowBytes a multiple of 16). */
export type SimdColumnSum = (x: number, out: number, outer: number, reduce: number, rowBytes: number) => void;
/** out[b, c, r, :] = x[b, r, c, :] (byte offsets; runBytes a multiple of 4). */
export type SimdBlockTranspose = (x: number, out: number, batch: number, rows: number, cols: number, runBytes: number, tile: number) => void;
/** Copies `rows` runs of runBytes from src (rows srcStride bytes apart) to dst (dstStride apart); runBytes a multiple of 4. */
export type SimdCopyRows = (src: number, srcStride: number, dst: number, dstStride: number, rows: number, runBytes: number) => void;

const f32Store = [0x38, 0x02, 0x00];
const sub = [0x6b];
const ltU = [0x49];
const select = [0x1b];
const remU = [0x70];
const eqz = [0x45];
const ifBlock = [0x04, 0x40];
const elseOp = [0x05];

const wasmApi = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean; Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;

function sumBody(): number[] {
  const [X, OUT, OUTER, REDUCE, ROW] = [0, 1, 2, 3, 4];
  const [o, i, j, xRow, oRow] = [5, 6, 7, 8, 9];
  return [
    ...forLoop(o, op.get(OUTER), 1, [
      ...op.get(OUT), ...op.get(o), ...op.get(ROW), ...op.mul, ...op.add, ...op.set(oRow),
      ...forLoop(j, op.get(ROW), 16, [...op.get(oRow), ...op.get(j), ...op.add, ...op.v128Zero, ...op.v128Store]),
      // xRow = x + o·reduce·rowBytes
      ...op.get(X), ...op.get(o), ...op.get(REDUCE), ...op.mul, ...op.get(ROW), ...op.mul, ...op.add, ...op.set(xRow),
      ...forLoop(i, op.get(REDUCE), 1, [
        ...forLoop(j, op.get(ROW), 16, [
          ...op.get(oRow), ...op.get(j), ...op.add,
          ...op.get(oRow), ...op.get(j), ...op.add, ...op.v128Load,
          ...op.get(xRow), ...op.get(j), ...op.add, ...op.v128Load,
          ...op.f32x4Add,
          ...op.v128Store,
        ]),
        ...op.get(xRow), ...op.get(ROW), ...op.add, ...op.set(xRow),
      ]),
    ]),
    ...op.end,
  ];
}

/** Copies `run` bytes from local `src` to local `dst`: v128 moves when a multiple of 16 bytes, else f32 moves. */
function copyRunCode(run: number, e: number, src: number, dst: number): number[] {
  return [
    ...op.get(run), ...op.i32(16), ...remU, ...eqz,
    ...ifBlock,
    ...forLoop(e, op.get(run), 16, [...op.get(dst), ...op.get(e), ...op.add, ...op.get(src), ...op.get(e), ...op.add, ...op.v128Load, ...op.v128Store]),
    ...elseOp,
    ...forLoop(e, op.get(run), 4, [...op.get(dst), ...op.get(e), ...op.add, ...op.get(src), ...op.get(e), ...op.add, ...op.f32Load, ...f32Store]),
    ...op.end,
  ];
}

function transposeBody(): number[] {
  const [X, OUT, BATCH, ROWS, COLS, RUN, TILE] = [0, 1, 2, 3, 4, 5, 6];
  const [b, r0, c, r, e, base, span, src, dst, count] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const copyRun = copyRunCode(RUN, e, src, dst);
  return [
    // base advances one [rows, cols, run] plane per batch entry.
    ...op.i32(0), ...op.set(base),
    ...forLoop(b, op.get(BATCH), 1, [
      // for r0 = 0; r0 < rows; r0 += tile (forLoop steps by a constant, so count tiles instead)
      ...op.i32(0), ...op.set(r0),
      ...op.block, ...op.loop,
      ...op.get(r0), ...op.get(ROWS), ...op.geU, ...op.brIf(1),
      // count = min(tile, rows − r0)
      ...op.get(TILE), ...op.get(ROWS), ...op.get(r0), ...sub,
      ...op.get(TILE), ...op.get(ROWS), ...op.get(r0), ...sub, ...ltU,
      ...select, ...op.set(count),
      ...forLoop(c, op.get(COLS), 1, [
        // dst = out + base + (c·rows + r0)·run ; src = x + base + (r0·cols + c)·run ; span = cols·run
        ...op.get(OUT), ...op.get(base), ...op.add, ...op.get(c), ...op.get(ROWS), ...op.mul, ...op.get(r0), ...op.add, ...op.get(RUN), ...op.mul, ...op.add, ...op.set(dst),
        ...op.get(X), ...op.get(base), ...op.add, ...op.get(r0), ...op.get(COLS), ...op.mul, ...op.get(c), ...op.add, ...op.get(RUN), ...op.mul, ...op.add, ...op.set(src),
        ...op.get(COLS), ...op.get(RUN), ...op.mul, ...op.set(span),
        ...forLoop(r, op.get(count), 1, [
          ...copyRun,
          ...op.get(dst), ...op.get(RUN), ...op.add, ...op.set(dst),
          ...op.get(src), ...op.get(span), ...op.add, ...op.set(src),
        ]),
      ]),
      ...op.get(r0), ...op.get(TILE), ...op.add, ...op.set(r0),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.get(base), ...op.get(ROWS), ...op.get(COLS), ...op.mul, ...op.get(RUN), ...op.mul, ...op.add, ...op.set(base),
    ]),
    ...op.end,
  ];
}

function copyRowsBody(): number[] {
  const [SRC, SRC_STRIDE, DST, DST_STRIDE, ROWS, RUN] = [0, 1, 2, 3, 4, 5];
  const [r, e, src, dst] = [6, 7, 8, 9];
  return [
    ...op.get(SRC), ...op.set(src),
    ...op.get(DST), ...op.set(dst),
    ...forLoop(r, op.get(ROWS), 1, [
      ...copyRunCode(RUN, e, src, dst),
      ...op.get(src), ...op.get(SRC_STRIDE), ...op.add, ...op.set(src),
      ...op.get(dst), ...op.get(DST_STRIDE), ...op.add, ...op.set(dst),
    ]),
    ...op.end,
  ];
}

/** The module's bytes: imports env.memory, exports sum, transpose and copyRows. */
export function simdLayoutModuleBytes(): Uint8Array {
  const i32s = (n: number): number[] => new Array<number>(n).fill(0x7f);
  const sumCode = [1, ...uleb(5), 0x7f, ...sumBody()];
  const transposeCode = [1, ...uleb(10), 0x7f, ...transposeBody()];
  const copyRowsCode = [1, ...uleb(4), 0x7f, ...copyRowsBody()];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [3, 0x60, 5, ...i32s(5), 0, 0x60, 7, ...i32s(7), 0, 0x60, 6, ...i32s(6), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [3, 0, 1, 2]),
    ...section(7, [3, ...name('sum'), 0x00, 0, ...name('transpose'), 0x00, 1, ...name('copyRows'), 0x00, 2]),
    ...section(10, [3, ...uleb(sumCode.length), ...sumCode, ...uleb(transposeCode.length), ...transposeCode, ...uleb(copyRowsCode.length), ...copyRowsCode]),
  ];
  return Uint8Array.from(bytes);
}

/** The kernels bound to `memory` (the tfjs wasm heap), or null where this runtime cannot build them. */
export function createSimdLayout(memory: WasmMemory): { sum: SimdColumnSum; transpose: SimdBlockTranspose; copyRows: SimdCopyRows } | null {
  if (!isWasmMemory(memory)) return null;
  const bytes = simdLayoutModuleBytes();
  if (!wasmApi.validate(bytes)) return null;
  try {
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    return { sum: instance.exports.sum as SimdColumnSum, transpose: instance.exports.transpose as SimdBlockTranspose, copyRows: instance.exports.copyRows as SimdCopyRows };
  } catch {
    // E.g. the threaded tfjs build's shared memory, which this module does not declare.
    return null;
  }
}
