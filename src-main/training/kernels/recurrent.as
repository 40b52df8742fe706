// AssemblyScript: whole-sequence LSTM and GRU forward and backward passes with 128-bit SIMD.
// Compiled by compileKernels.mjs (asc's compileString, so this file need not end in .ts and stays
// out of the TypeScript program). Every pointer is a byte offset into this module's memory, laid
// out by recurrentKernels.ts; every matrix is row-major f32. No allocation happens in here.
//
// Gate orders follow Keras: LSTM i, f, c, o; GRU z, r, n ("reset after", as PyTorch nn.GRU).

export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Exact-enough exp: Cephes expf's range reduction by ln 2 in two parts, then e^r for |r| ≤ ln2/2 as
// 1 + r + r²·(C2 + C3·r + C4·r² + C5·r³ + C6·r⁴), a minimax fit (Lawson's iteration on the
// relative error): 3e-9 in exact arithmetic, 7e-8 (about 1 ulp) in float32, as Cephes' polynomial
// of one degree more, with two operations fewer. Inputs are clamped to [-87, 88], which only
// touches results below 1e-38 or above 1e38.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_LO: f32 = -87.3;
const EXP_HI: f32 = 88.3;
// 1.5·2²³ + 127: x·log₂e + ROUNDER rounds to an integer n, held in the low mantissa bits above
// the exponent bias, so the float's bits shifted left by 23 are 2ⁿ (the top bits shift out).
const ROUNDER: f32 = 12583039.0;
const C2: f32 = 0.4999999403953552;
const C3: f32 = 0.1666652113199234;
const C4: f32 = 0.04166838899254799;
const C5: f32 = 0.008368710055947304;
const C6: f32 = 0.001381461275741458;

// V8 builds every v128 constant from general registers at each use (three or four instructions);
// a load from this table is one. Each constant is stored in all four lanes.
const CONSTS = memory.data<f32>([
  EXP_LO, EXP_LO, EXP_LO, EXP_LO,
  EXP_HI, EXP_HI, EXP_HI, EXP_HI,
  LOG2E, LOG2E, LOG2E, LOG2E,
  ROUNDER, ROUNDER, ROUNDER, ROUNDER,
  LN2_HI, LN2_HI, LN2_HI, LN2_HI,
  LN2_LO, LN2_LO, LN2_LO, LN2_LO,
  C2, C2, C2, C2,
  C3, C3, C3, C3,
  C4, C4, C4, C4,
  C5, C5, C5, C5,
  C6, C6, C6, C6,
  1.0, 1.0, 1.0, 1.0,
  2.0, 2.0, 2.0, 2.0,
  -EXP_HI, -EXP_HI, -EXP_HI, -EXP_HI,
  -EXP_LO, -EXP_LO, -EXP_LO, -EXP_LO,
  -LOG2E, -LOG2E, -LOG2E, -LOG2E,
], 16);
const I_LO = 0, I_HI = 1, I_LOG2E = 2, I_ROUNDER = 3, I_LN2_HI = 4, I_LN2_LO = 5, I_C2 = 6, I_C3 = 7, I_C4 = 8, I_C5 = 9, I_C6 = 10, I_ONE = 11, I_TWO = 12, I_NEG_HI = 13, I_NEG_LO = 14, I_NEG_LOG2E = 15;

// @ts-ignore: decorator
@inline function kf(i: i32): v128 {
  return v128.load(CONSTS + (<usize>i << 4));
}

// Built twice (compileKernels.mjs): with relaxed SIMD on, a multiply-add is one f32x4.relaxed_madd,
// which V8 lowers to a fused multiply-add where the CPU has one (one instruction and one rounding
// instead of two); the plain-SIMD build, for runtimes without relaxed SIMD, multiplies then adds.
// The matMul tiles and exp's range reduction and polynomial use it (fused, exp is ~14 % faster
// and no less accurate); the gates' other arithmetic keeps separate roundings.
// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
// acc − a·b, fused where madd is.
// @ts-ignore: decorator
@inline function nmadd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, acc);
  return f32x4.sub(acc, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline function vexp(x0: v128): v128 {
  // pmin/pmax are single instructions (min/max are NaN-exact sequences); with x first a NaN
  // passes through, so a diverging run still shows NaN.
  const x = f32x4.pmin(f32x4.pmax(x0, kf(I_LO)), kf(I_HI));
  // n = round(x·log₂e), the rounding done by the add itself (see ROUNDER).
  const shifted = madd(kf(I_ROUNDER), x, kf(I_LOG2E));
  const n = f32x4.sub(shifted, kf(I_ROUNDER));
  let r = nmadd(x, n, kf(I_LN2_HI));
  r = nmadd(r, n, kf(I_LN2_LO));
  // Estrin's scheme: the polynomial's dependency chain is half of Horner's, and latency, not
  // throughput, is what bounds this loop.
  const r2 = f32x4.mul(r, r);
  const q23 = madd(kf(I_C2), kf(I_C3), r);
  const q45 = madd(kf(I_C4), kf(I_C5), r);
  const poly = madd(q23, madd(q45, kf(I_C6), r2), r2);
  const p = f32x4.add(madd(r, poly, r2), kf(I_ONE));
  return f32x4.mul(p, i32x4.shl(shifted, 23));
}

// exp(−x) with the negation folded into the constants: every step is vexp's on −x with its sign
// flipped (s = −r), and rounding is symmetric, so the result is vexp(−x) to the bit.
// @ts-ignore: decorator
@inline function vexpNeg(x0: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(x0, kf(I_NEG_HI)), kf(I_NEG_LO));
  const shifted = madd(kf(I_ROUNDER), x, kf(I_NEG_LOG2E));
  const n = f32x4.sub(shifted, kf(I_ROUNDER));
  let s = madd(x, n, kf(I_LN2_HI));
  s = madd(s, n, kf(I_LN2_LO));
  const r2 = f32x4.mul(s, s);
  const q23 = nmadd(kf(I_C2), kf(I_C3), s);
  const q45 = nmadd(kf(I_C4), kf(I_C5), s);
  const poly = madd(q23, madd(q45, kf(I_C6), r2), r2);
  const p = f32x4.sub(kf(I_ONE), nmadd(s, poly, r2));
  return f32x4.mul(p, i32x4.shl(shifted, 23));
}

// @ts-ignore: decorator
@inline function vsigmoid(x: v128): v128 {
  const one = kf(I_ONE);
  return f32x4.div(one, f32x4.add(one, vexpNeg(x)));
}

// tanh(x) = 2σ(2x) − 1, the identity the tfjs-op path uses too, so both paths round alike.
// @ts-ignore: decorator
@inline function vtanh(x: v128): v128 {
  const two = kf(I_TWO);
  return f32x4.sub(f32x4.mul(two, vsigmoid(f32x4.mul(two, x))), kf(I_ONE));
}

// Scalar versions for the columns left over when a width is not a multiple of 4: the same
// polynomial in lane 0, so a unit's result does not depend on where it sits.
// @ts-ignore: decorator
@inline function ssigmoid(x: f32): f32 {
  return f32x4.extract_lane(vsigmoid(f32x4.splat(x)), 0);
}
// @ts-ignore: decorator
@inline function stanh(x: f32): f32 {
  return f32x4.extract_lane(vtanh(f32x4.splat(x)), 0);
}

// ---------------------------------------------------------------------------------------------
// C[M, N] += A · B. A's element (i, k) sits at a + 4·(i·ars + k·aks), so the same routine serves
// A and Aᵀ; B and C are row-major with leading dimensions ldb and ldc. Blocked over K (KB rows of
// B) and N (NB columns) so a block of B stays in L1; the microkernel holds a 6 × 8 tile of C in
// twelve registers and broadcasts one A value per row and k.
//
// Twelve accumulators, not eight: a multiply-add waits ~5 cycles for its accumulator, and with two
// issued a cycle eight independent chains left the FMA units idle a sixth of the time. A loop of
// nothing but multiply-adds ran 51 GFLOP/s with eight chains and 61 with twelve (Zen 5, relaxed
// SIMD); the LSTM's gemm shapes went from 53 to 57 GFLOP/s. Five rows (ten chains) ran at half
// speed: V8 then spilled. Each element of C still sums its k terms in the same order, so results
// are the same to the bit as the 4 × 8 tile's.

const KB = 128;
const NB = 64;

export function gemm(M: i32, N: i32, K: i32, a: usize, ars: i32, aks: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  gemmInit(M, N, K, a, ars, aks, b, ldb, c, ldc, 0);
}

/**
 * gemm, but when `init` is not 0, C starts from the row vector init[N] in every row rather than
 * from its own contents: a bias enters with the first K block, without a pass that copies it
 * into every row first.
 */
function gemmInit(M: i32, N: i32, K: i32, a: usize, ars: i32, aks: i32, b: usize, ldb: i32, c: usize, ldc: i32, init: usize): void {
  const ars4 = <usize>ars << 2;
  const aks4 = <usize>aks << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  for (let k0 = 0; k0 < K; k0 += KB) {
    const kc = min(KB, K - k0);
    const fromInit = init != 0 && k0 == 0;
    const ldin4: usize = fromInit ? 0 : ldc4;
    for (let j0 = 0; j0 < N; j0 += NB) {
      const jEnd = min(N, j0 + NB);
      let i = 0;
      // Rows six at a time where the block's columns are all in 8-wide tiles; the rest four at a time.
      if (((jEnd - j0) & 7) == 0) {
        for (; i + 6 <= M; i += 6) {
          const pa = a + <usize>i * ars4 + <usize>k0 * aks4;
          const pc = c + <usize>i * ldc4;
          const pin = fromInit ? init : pc;
          const pbRow = b + <usize>k0 * ldb4;
          for (let j = j0; j < jEnd; j += 8) tile6x8(pa, ars4, aks4, pbRow + (<usize>j << 2), ldb4, pc + (<usize>j << 2), ldc4, kc, pin + (<usize>j << 2), ldin4);
        }
      }
      for (; i + 4 <= M; i += 4) {
        const pa = a + <usize>i * ars4 + <usize>k0 * aks4;
        const pc = c + <usize>i * ldc4;
        const pin = fromInit ? init : pc;
        const pbRow = b + <usize>k0 * ldb4;
        let j = j0;
        for (; j + 8 <= jEnd; j += 8) tile4x8(pa, ars4, aks4, pbRow + (<usize>j << 2), ldb4, pc + (<usize>j << 2), ldc4, kc, pin + (<usize>j << 2), ldin4);
        for (; j + 4 <= jEnd; j += 4) tile4x4(pa, ars4, aks4, pbRow + (<usize>j << 2), ldb4, pc + (<usize>j << 2), ldc4, kc, pin + (<usize>j << 2), ldin4);
        for (; j < jEnd; j++) {
          for (let r = 0; r < 4; r++) {
            tile1x1(pa + <usize>r * ars4, aks4, pbRow + (<usize>j << 2), ldb4, pc + <usize>r * ldc4 + (<usize>j << 2), kc, pin + <usize>r * ldin4 + (<usize>j << 2));
          }
        }
      }
      for (; i < M; i++) {
        const pa = a + <usize>i * ars4 + <usize>k0 * aks4;
        const pc = c + <usize>i * ldc4;
        const pin = fromInit ? init : pc;
        const pbRow = b + <usize>k0 * ldb4;
        let j = j0;
        for (; j + 4 <= jEnd; j += 4) tile1x4(pa, aks4, pbRow + (<usize>j << 2), ldb4, pc + (<usize>j << 2), kc, pin + (<usize>j << 2));
        for (; j < jEnd; j++) tile1x1(pa, aks4, pbRow + (<usize>j << 2), ldb4, pc + (<usize>j << 2), kc, pin + (<usize>j << 2));
      }
    }
  }
}

// The loop ends on B's pointer and reaches A's rows by fixed offsets from one pointer: fewer
// integer instructions per step, which measured ~5 % faster than one pointer a row.
function tile6x8(pa: usize, ars4: usize, aks4: usize, pb: usize, ldb4: usize, pc: usize, ldc4: usize, kc: i32, pin: usize, ldin4: usize): void {
  let c00 = v128.load(pin), c01 = v128.load(pin, 16);
  let c10 = v128.load(pin + ldin4), c11 = v128.load(pin + ldin4, 16);
  let c20 = v128.load(pin + 2 * ldin4), c21 = v128.load(pin + 2 * ldin4, 16);
  let c30 = v128.load(pin + 3 * ldin4), c31 = v128.load(pin + 3 * ldin4, 16);
  let c40 = v128.load(pin + 4 * ldin4), c41 = v128.load(pin + 4 * ldin4, 16);
  let c50 = v128.load(pin + 5 * ldin4), c51 = v128.load(pin + 5 * ldin4, 16);
  const r1 = ars4, r2 = 2 * ars4, r3 = 3 * ars4, r4 = 4 * ars4, r5 = 5 * ars4;
  const end = pb + <usize>kc * ldb4;
  while (pb < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let v = v128.load32_splat(pa);
    c00 = madd(c00, v, b0); c01 = madd(c01, v, b1);
    v = v128.load32_splat(pa + r1);
    c10 = madd(c10, v, b0); c11 = madd(c11, v, b1);
    v = v128.load32_splat(pa + r2);
    c20 = madd(c20, v, b0); c21 = madd(c21, v, b1);
    v = v128.load32_splat(pa + r3);
    c30 = madd(c30, v, b0); c31 = madd(c31, v, b1);
    v = v128.load32_splat(pa + r4);
    c40 = madd(c40, v, b0); c41 = madd(c41, v, b1);
    v = v128.load32_splat(pa + r5);
    c50 = madd(c50, v, b0); c51 = madd(c51, v, b1);
    pa += aks4; pb += ldb4;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + ldc4, c10); v128.store(pc + ldc4, c11, 16);
  v128.store(pc + 2 * ldc4, c20); v128.store(pc + 2 * ldc4, c21, 16);
  v128.store(pc + 3 * ldc4, c30); v128.store(pc + 3 * ldc4, c31, 16);
  v128.store(pc + 4 * ldc4, c40); v128.store(pc + 4 * ldc4, c41, 16);
  v128.store(pc + 5 * ldc4, c50); v128.store(pc + 5 * ldc4, c51, 16);
}

function tile4x8(pa: usize, ars4: usize, aks4: usize, pb: usize, ldb4: usize, pc: usize, ldc4: usize, kc: i32, pin: usize, ldin4: usize): void {
  let c00 = v128.load(pin), c01 = v128.load(pin, 16);
  let c10 = v128.load(pin + ldin4), c11 = v128.load(pin + ldin4, 16);
  let c20 = v128.load(pin + 2 * ldin4), c21 = v128.load(pin + 2 * ldin4, 16);
  let c30 = v128.load(pin + 3 * ldin4), c31 = v128.load(pin + 3 * ldin4, 16);
  const r1 = ars4, r2 = 2 * ars4, r3 = 3 * ars4;
  const end = pb + <usize>kc * ldb4;
  while (pb < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let v = v128.load32_splat(pa);
    c00 = madd(c00, v, b0); c01 = madd(c01, v, b1);
    v = v128.load32_splat(pa + r1);
    c10 = madd(c10, v, b0); c11 = madd(c11, v, b1);
    v = v128.load32_splat(pa + r2);
    c20 = madd(c20, v, b0); c21 = madd(c21, v, b1);
    v = v128.load32_splat(pa + r3);
    c30 = madd(c30, v, b0); c31 = madd(c31, v, b1);
    pa += aks4; pb += ldb4;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + ldc4, c10); v128.store(pc + ldc4, c11, 16);
  v128.store(pc + 2 * ldc4, c20); v128.store(pc + 2 * ldc4, c21, 16);
  v128.store(pc + 3 * ldc4, c30); v128.store(pc + 3 * ldc4, c31, 16);
}

function tile4x4(pa: usize, ars4: usize, aks4: usize, pb: usize, ldb4: usize, pc: usize, ldc4: usize, kc: i32, pin: usize, ldin4: usize): void {
  let c0 = v128.load(pin), c1 = v128.load(pin + ldin4), c2 = v128.load(pin + 2 * ldin4), c3 = v128.load(pin + 3 * ldin4);
  const r1 = ars4, r2 = 2 * ars4, r3 = 3 * ars4;
  const end = pb + <usize>kc * ldb4;
  while (pb < end) {
    const b0 = v128.load(pb);
    c0 = madd(c0, v128.load32_splat(pa), b0);
    c1 = madd(c1, v128.load32_splat(pa + r1), b0);
    c2 = madd(c2, v128.load32_splat(pa + r2), b0);
    c3 = madd(c3, v128.load32_splat(pa + r3), b0);
    pa += aks4; pb += ldb4;
  }
  v128.store(pc, c0); v128.store(pc + ldc4, c1); v128.store(pc + 2 * ldc4, c2); v128.store(pc + 3 * ldc4, c3);
}

function tile1x4(pa: usize, aks4: usize, pb: usize, ldb4: usize, pc: usize, kc: i32, pin: usize): void {
  let c0 = v128.load(pin);
  for (let k = 0; k < kc; k++) {
    c0 = madd(c0, v128.load32_splat(pa), v128.load(pb));
    pa += aks4; pb += ldb4;
  }
  v128.store(pc, c0);
}

function tile1x1(pa: usize, aks4: usize, pb: usize, ldb4: usize, pc: usize, kc: i32, pin: usize): void {
  let acc = load<f32>(pin);
  for (let k = 0; k < kc; k++) {
    acc += load<f32>(pa) * load<f32>(pb);
    pa += aks4; pb += ldb4;
  }
  store<f32>(pc, acc);
}

/**
 * The machine's ceiling for these kernels: `n` rounds of twelve independent multiply-adds (the
 * 6 × 8 tile's chains) on registers alone, 96·n floating-point operations. The benchmarks divide
 * a model's arithmetic by it to show the fastest a step could be in 128-bit WebAssembly.
 */
export function fmaPeak(n: i32, seed: f32): f32 {
  const a = f32x4.splat(seed), b = f32x4.splat(1 - seed);
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (let i = 0; i < n; i++) {
    c0 = madd(c0, a, b); c1 = madd(c1, a, b); c2 = madd(c2, a, b); c3 = madd(c3, a, b);
    c4 = madd(c4, a, b); c5 = madd(c5, a, b); c6 = madd(c6, a, b); c7 = madd(c7, a, b);
    c8 = madd(c8, a, b); c9 = madd(c9, a, b); c10 = madd(c10, a, b); c11 = madd(c11, a, b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))), 0);
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** dst[cols, rows] = src[rows, cols]ᵀ. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<f32>(dst + ((<usize>j * rows + i) << 2), load<f32>(src + ((<usize>i * cols + j) << 2)));
  }
}

/** Every row of dst[rows, width] = the vector v[width]. */
function fillRows(dst: usize, rows: i32, width: i32, v: usize): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * bytes, v, bytes);
}

/** acc[width] += Σ_rows src[rows, width]. */
export function addColumnSums(src: usize, rows: i32, width: i32, acc: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = src + ((<usize>r * width) << 2);
    let j = 0;
    for (; j + 4 <= width; j += 4) v128.store(acc + (<usize>j << 2), f32x4.add(v128.load(acc + (<usize>j << 2)), v128.load(row + (<usize>j << 2))));
    for (; j < width; j++) store<f32>(acc + (<usize>j << 2), load<f32>(acc + (<usize>j << 2)) + load<f32>(row + (<usize>j << 2)));
  }
}

/**
 * xs [T, B, F] = x [B, T, F]: a step's inputs then sit in one block, so the backward pass's
 * x_tᵀ · dz reads consecutive cache lines instead of one line every T·F floats.
 */
function toTimeMajor(x: usize, B: i32, T: i32, F: i32, xs: usize): void {
  for (let t = 0; t < T; t++) copyRows(x + ((<usize>t * F) << 2), T * F, xs + ((<usize>t * B * F) << 2), F, B, F);
}

/** dst[rows, width] = src rows taken `stride` floats apart (a step's slice of a [B, T, W] tensor and back). */
export function copyRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, width: i32): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) memory.copy(dst + ((<usize>r * dstStride) << 2), src + ((<usize>r * srcStride) << 2), bytes);
}

// ---------------------------------------------------------------------------------------------
// LSTM. x [B, T, F]; kernel [F, 4H]; rec [H, 4H]; bias [4H]. Saved for the backward pass:
// hs [(T+1), B, H] and cs [(T+1), B, H] (step 0 is the zero state), gates [T, B, 4H] after their
// activations (i, f, g = tanh, o), tanhC [T, B, H].

export function lstmForward(B: i32, T: i32, F: i32, H: i32, x: usize, xs: usize, kernel: usize, rec: usize, bias: usize, hs: usize, cs: usize, gates: usize, tanhC: usize): void {
  const G = 4 * H;
  const stateBytes = (<usize>B * H) << 2;
  memory.fill(hs, 0, stateBytes);
  memory.fill(cs, 0, stateBytes);
  toTimeMajor(x, B, T, F, xs);
  for (let t = 0; t < T; t++) {
    const z = gates + ((<usize>t * B * G) << 2);
    const hPrev = hs + <usize>t * stateBytes;
    gemmInit(B, G, F, xs + ((<usize>t * B * F) << 2), F, 1, kernel, G, z, G, bias);
    // h₋₁ = 0: the first step has no recurrent term.
    if (t > 0) gemm(B, G, H, hPrev, H, 1, rec, G, z, G);
    lstmCells(B, H, z, cs + <usize>t * stateBytes, cs + <usize>(t + 1) * stateBytes, hs + <usize>(t + 1) * stateBytes, tanhC + <usize>t * stateBytes);
  }
}

// Four activations are computed before any is stored: between two stores V8 must load exp's
// constants again (a store ends its load elimination), so one activation a store loaded all of
// them each time, and four independent exp chains also keep the out-of-order core busy. The
// gates go four to a column (i, f, g, o), the cell state four columns at a time. LSTM forward
// cells at B 256, T 64, H 64: 6.2 → 4.6 ms; every value is the same to the bit.
function lstmCells(B: i32, H: i32, z: usize, cPrev: usize, cNext: usize, hNext: usize, tanhC: usize): void {
  const h4 = <usize>H << 2;
  const vecEnd = h4 & ~15;
  for (let b = 0; b < B; b++) {
    const zi = z + <usize>b * 4 * h4, zf = zi + h4, zg = zf + h4, zo = zg + h4;
    const row = <usize>b * h4;
    for (let j: usize = 0; j < vecEnd; j += 16) {
      const i = vsigmoid(v128.load(zi + j)), f = vsigmoid(v128.load(zf + j)), g = vtanh(v128.load(zg + j)), o = vsigmoid(v128.load(zo + j));
      v128.store(zi + j, i); v128.store(zf + j, f); v128.store(zg + j, g); v128.store(zo + j, o);
    }
    for (let j = vecEnd; j < h4; j += 4) {
      store<f32>(zi + j, ssigmoid(load<f32>(zi + j)));
      store<f32>(zf + j, ssigmoid(load<f32>(zf + j)));
      store<f32>(zg + j, stanh(load<f32>(zg + j)));
      store<f32>(zo + j, ssigmoid(load<f32>(zo + j)));
    }
    let j: usize = 0;
    for (; j + 64 <= vecEnd; j += 64) {
      const c0 = f32x4.add(f32x4.mul(v128.load(zf + j), v128.load(cPrev + row + j)), f32x4.mul(v128.load(zi + j), v128.load(zg + j)));
      const c1 = f32x4.add(f32x4.mul(v128.load(zf + j, 16), v128.load(cPrev + row + j, 16)), f32x4.mul(v128.load(zi + j, 16), v128.load(zg + j, 16)));
      const c2 = f32x4.add(f32x4.mul(v128.load(zf + j, 32), v128.load(cPrev + row + j, 32)), f32x4.mul(v128.load(zi + j, 32), v128.load(zg + j, 32)));
      const c3 = f32x4.add(f32x4.mul(v128.load(zf + j, 48), v128.load(cPrev + row + j, 48)), f32x4.mul(v128.load(zi + j, 48), v128.load(zg + j, 48)));
      const t0 = vtanh(c0), t1 = vtanh(c1), t2 = vtanh(c2), t3 = vtanh(c3);
      v128.store(cNext + row + j, c0); v128.store(cNext + row + j, c1, 16); v128.store(cNext + row + j, c2, 32); v128.store(cNext + row + j, c3, 48);
      v128.store(tanhC + row + j, t0); v128.store(tanhC + row + j, t1, 16); v128.store(tanhC + row + j, t2, 32); v128.store(tanhC + row + j, t3, 48);
      v128.store(hNext + row + j, f32x4.mul(v128.load(zo + j), t0));
      v128.store(hNext + row + j, f32x4.mul(v128.load(zo + j, 16), t1), 16);
      v128.store(hNext + row + j, f32x4.mul(v128.load(zo + j, 32), t2), 32);
      v128.store(hNext + row + j, f32x4.mul(v128.load(zo + j, 48), t3), 48);
    }
    for (; j < vecEnd; j += 16) {
      const c = f32x4.add(f32x4.mul(v128.load(zf + j), v128.load(cPrev + row + j)), f32x4.mul(v128.load(zi + j), v128.load(zg + j)));
      const tc = vtanh(c);
      v128.store(cNext + row + j, c);
      v128.store(tanhC + row + j, tc);
      v128.store(hNext + row + j, f32x4.mul(v128.load(zo + j), tc));
    }
    for (let j = vecEnd; j < h4; j += 4) {
      const c = load<f32>(zf + j) * load<f32>(cPrev + row + j) + load<f32>(zi + j) * load<f32>(zg + j);
      const tc = stanh(c);
      store<f32>(cNext + row + j, c);
      store<f32>(tanhC + row + j, tc);
      store<f32>(hNext + row + j, load<f32>(zo + j) * tc);
    }
  }
}

/**
 * Gradients of the LSTM above. dy is [B, H] (last state) or [B, T, H] (sequence). dx [B, T, F]
 * is skipped when 0. Work buffers: dh, dh2, dc [B, H]; dz [B, 4H]; recT [4H, H]; kernelT [4H, F].
 */
export function lstmBackward(
  B: i32, T: i32, F: i32, H: i32, xs: usize, kernel: usize, rec: usize, hs: usize, cs: usize, gates: usize, tanhC: usize,
  dy: usize, sequence: bool, dx: usize, dKernel: usize, dRec: usize, dBias: usize,
  dh: usize, dh2: usize, dc: usize, dz: usize, recT: usize, kernelT: usize,
): void {
  const G = 4 * H;
  const stateBytes = (<usize>B * H) << 2;
  memory.fill(dKernel, 0, (<usize>F * G) << 2);
  memory.fill(dRec, 0, (<usize>H * G) << 2);
  memory.fill(dBias, 0, <usize>G << 2);
  memory.fill(dc, 0, stateBytes);
  transpose(rec, H, G, recT);
  if (dx) {
    memory.fill(dx, 0, (<usize>B * T * F) << 2);
    transpose(kernel, F, G, kernelT);
  }
  if (sequence) copyRows(dy + ((<usize>(T - 1) * H) << 2), T * H, dh, H, B, H);
  else memory.copy(dh, dy, stateBytes);
  for (let t = T - 1; t >= 0; t--) {
    lstmCellsBackward(B, H, gates + ((<usize>t * B * G) << 2), cs + <usize>t * stateBytes, tanhC + <usize>t * stateBytes, dh, dc, dz, dBias);
    if (t > 0) gemm(H, G, B, hs + <usize>t * stateBytes, 1, H, dz, G, dRec, G);
    gemm(F, G, B, xs + ((<usize>t * B * F) << 2), 1, F, dz, G, dKernel, G);
    if (dx) gemm(B, F, G, dz, G, 1, kernelT, F, dx + ((<usize>t * F) << 2), T * F);
    if (t > 0) {
      if (sequence) copyRows(dy + ((<usize>(t - 1) * H) << 2), T * H, dh2, H, B, H);
      else memory.fill(dh2, 0, stateBytes);
      gemm(B, H, G, dz, G, 1, recT, H, dh2, H);
      const swap = dh; dh = dh2; dh2 = swap;
    }
  }
}

/**
 * ∂z of one step from its saved gates; dc carries the cell's gradient back a step. The bias
 * gradient is summed here, a row at a time in row order, as addColumnSums would sum ∂z afterwards
 * (the same additions in the same order, so the same bits) but without reading ∂z back from L2.
 */
function lstmCellsBackward(B: i32, H: i32, gates: usize, cPrev: usize, tanhC: usize, dh: usize, dc: usize, dz: usize, dBias: usize): void {
  const h4 = <usize>H << 2;
  const one = kf(I_ONE);
  const bi = dBias, bf = bi + h4, bg = bf + h4, bo = bg + h4;
  for (let b = 0; b < B; b++) {
    const gi = gates + <usize>b * 4 * h4, gf = gi + h4, gg = gf + h4, go = gg + h4;
    const di = dz + <usize>b * 4 * h4, df = di + h4, dg = df + h4, dO = dg + h4;
    const row = <usize>b * h4;
    let j: usize = 0;
    for (; j + 16 <= h4; j += 16) {
      const i = v128.load(gi + j), f = v128.load(gf + j), g = v128.load(gg + j), o = v128.load(go + j);
      const tc = v128.load(tanhC + row + j), d = v128.load(dh + row + j);
      const dct = f32x4.add(v128.load(dc + row + j), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      const vi = f32x4.mul(f32x4.mul(dct, g), f32x4.mul(i, f32x4.sub(one, i)));
      const vf = f32x4.mul(f32x4.mul(dct, v128.load(cPrev + row + j)), f32x4.mul(f, f32x4.sub(one, f)));
      const vg = f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g)));
      const vo = f32x4.mul(f32x4.mul(d, tc), f32x4.mul(o, f32x4.sub(one, o)));
      v128.store(di + j, vi); v128.store(df + j, vf); v128.store(dg + j, vg); v128.store(dO + j, vo);
      v128.store(dc + row + j, f32x4.mul(dct, f));
      v128.store(bi + j, f32x4.add(v128.load(bi + j), vi));
      v128.store(bf + j, f32x4.add(v128.load(bf + j), vf));
      v128.store(bg + j, f32x4.add(v128.load(bg + j), vg));
      v128.store(bo + j, f32x4.add(v128.load(bo + j), vo));
    }
    for (; j < h4; j += 4) {
      const i = load<f32>(gi + j), f = load<f32>(gf + j), g = load<f32>(gg + j), o = load<f32>(go + j);
      const tc = load<f32>(tanhC + row + j), d = load<f32>(dh + row + j);
      const dct = load<f32>(dc + row + j) + d * o * (1 - tc * tc);
      const vi = dct * g * (i * (1 - i));
      const vf = dct * load<f32>(cPrev + row + j) * (f * (1 - f));
      const vg = dct * i * (1 - g * g);
      const vo = d * tc * (o * (1 - o));
      store<f32>(di + j, vi); store<f32>(df + j, vf); store<f32>(dg + j, vg); store<f32>(dO + j, vo);
      store<f32>(dc + row + j, dct * f);
      store<f32>(bi + j, load<f32>(bi + j) + vi);
      store<f32>(bf + j, load<f32>(bf + j) + vf);
      store<f32>(bg + j, load<f32>(bg + j) + vg);
      store<f32>(bo + j, load<f32>(bo + j) + vo);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GRU ("reset after"). x [B, T, F]; kernel [F, 3H]; rec [H, 3H]; bias [2, 3H] (input row, then
// recurrent row). Saved: hs [(T+1), B, H], gates [T, B, 3H] (z, r, n after activation) and
// hn [T, B, H] (h·R_n + b_hn, which the reset gate scales). Work: xp, hp [B, 3H].

export function gruForward(B: i32, T: i32, F: i32, H: i32, x: usize, xs: usize, kernel: usize, rec: usize, bias: usize, hs: usize, gates: usize, hn: usize, hp: usize): void {
  const G = 3 * H;
  const stateBytes = (<usize>B * H) << 2;
  memory.fill(hs, 0, stateBytes);
  toTimeMajor(x, B, T, F, xs);
  for (let t = 0; t < T; t++) {
    const xp = gates + ((<usize>t * B * G) << 2);
    const hPrev = hs + <usize>t * stateBytes;
    gemmInit(B, G, F, xs + ((<usize>t * B * F) << 2), F, 1, kernel, G, xp, G, bias);
    if (t > 0) gemmInit(B, G, H, hPrev, H, 1, rec, G, hp, G, bias + (<usize>G << 2));
    else fillRows(hp, B, G, bias + (<usize>G << 2));
    gruCells(B, H, xp, hp, hPrev, hs + <usize>(t + 1) * stateBytes, hn + <usize>t * stateBytes);
  }
}

function gruCells(B: i32, H: i32, xp: usize, hp: usize, hPrev: usize, hNext: usize, hn: usize): void {
  const h4 = <usize>H << 2;
  const vecEnd = h4 & ~15;
  for (let b = 0; b < B; b++) {
    const xz = xp + <usize>b * 3 * h4, xr = xz + h4, xn = xr + h4;
    const pz = hp + <usize>b * 3 * h4, pr = pz + h4, pn = pr + h4;
    const row = <usize>b * h4;
    // Four activations before any store, as in lstmCells: z and r of two columns, then n of four.
    let j: usize = 0;
    for (; j + 32 <= vecEnd; j += 32) {
      const z0 = vsigmoid(f32x4.add(v128.load(xz + j), v128.load(pz + j)));
      const z1 = vsigmoid(f32x4.add(v128.load(xz + j, 16), v128.load(pz + j, 16)));
      const r0 = vsigmoid(f32x4.add(v128.load(xr + j), v128.load(pr + j)));
      const r1 = vsigmoid(f32x4.add(v128.load(xr + j, 16), v128.load(pr + j, 16)));
      v128.store(xz + j, z0); v128.store(xz + j, z1, 16); v128.store(xr + j, r0); v128.store(xr + j, r1, 16);
    }
    for (; j < vecEnd; j += 16) {
      const z = vsigmoid(f32x4.add(v128.load(xz + j), v128.load(pz + j)));
      const r = vsigmoid(f32x4.add(v128.load(xr + j), v128.load(pr + j)));
      v128.store(xz + j, z); v128.store(xr + j, r);
    }
    j = 0;
    for (; j + 64 <= vecEnd; j += 64) {
      const hp0 = v128.load(pn + j), hp1 = v128.load(pn + j, 16), hp2 = v128.load(pn + j, 32), hp3 = v128.load(pn + j, 48);
      const n0 = vtanh(f32x4.add(v128.load(xn + j), f32x4.mul(v128.load(xr + j), hp0)));
      const n1 = vtanh(f32x4.add(v128.load(xn + j, 16), f32x4.mul(v128.load(xr + j, 16), hp1)));
      const n2 = vtanh(f32x4.add(v128.load(xn + j, 32), f32x4.mul(v128.load(xr + j, 32), hp2)));
      const n3 = vtanh(f32x4.add(v128.load(xn + j, 48), f32x4.mul(v128.load(xr + j, 48), hp3)));
      v128.store(xn + j, n0); v128.store(xn + j, n1, 16); v128.store(xn + j, n2, 32); v128.store(xn + j, n3, 48);
      v128.store(hn + row + j, hp0); v128.store(hn + row + j, hp1, 16); v128.store(hn + row + j, hp2, 32); v128.store(hn + row + j, hp3, 48);
      v128.store(hNext + row + j, f32x4.add(n0, f32x4.mul(v128.load(xz + j), f32x4.sub(v128.load(hPrev + row + j), n0))));
      v128.store(hNext + row + j, f32x4.add(n1, f32x4.mul(v128.load(xz + j, 16), f32x4.sub(v128.load(hPrev + row + j, 16), n1))), 16);
      v128.store(hNext + row + j, f32x4.add(n2, f32x4.mul(v128.load(xz + j, 32), f32x4.sub(v128.load(hPrev + row + j, 32), n2))), 32);
      v128.store(hNext + row + j, f32x4.add(n3, f32x4.mul(v128.load(xz + j, 48), f32x4.sub(v128.load(hPrev + row + j, 48), n3))), 48);
    }
    for (; j < vecEnd; j += 16) {
      const hpn = v128.load(pn + j);
      const n = vtanh(f32x4.add(v128.load(xn + j), f32x4.mul(v128.load(xr + j), hpn)));
      v128.store(xn + j, n);
      v128.store(hn + row + j, hpn);
      v128.store(hNext + row + j, f32x4.add(n, f32x4.mul(v128.load(xz + j), f32x4.sub(v128.load(hPrev + row + j), n))));
    }
    for (; j < h4; j += 4) {
      const z = ssigmoid(load<f32>(xz + j) + load<f32>(pz + j));
      const r = ssigmoid(load<f32>(xr + j) + load<f32>(pr + j));
      const hpn = load<f32>(pn + j);
      const n = stanh(load<f32>(xn + j) + r * hpn);
      store<f32>(xz + j, z); store<f32>(xr + j, r); store<f32>(xn + j, n);
      store<f32>(hn + row + j, hpn);
      store<f32>(hNext + row + j, n + z * (load<f32>(hPrev + row + j) - n));
    }
  }
}

/**
 * Gradients of the GRU above; dBias is [2, 3H]. Work buffers: dh, dh2 [B, H]; dxp, dhp [B, 3H];
 * recT [3H, H]; kernelT [3H, F].
 */
export function gruBackward(
  B: i32, T: i32, F: i32, H: i32, xs: usize, kernel: usize, rec: usize, hs: usize, gates: usize, hn: usize,
  dy: usize, sequence: bool, dx: usize, dKernel: usize, dRec: usize, dBias: usize,
  dh: usize, dh2: usize, dxp: usize, dhp: usize, recT: usize, kernelT: usize,
): void {
  const G = 3 * H;
  const stateBytes = (<usize>B * H) << 2;
  memory.fill(dKernel, 0, (<usize>F * G) << 2);
  memory.fill(dRec, 0, (<usize>H * G) << 2);
  memory.fill(dBias, 0, <usize>(2 * G) << 2);
  transpose(rec, H, G, recT);
  if (dx) {
    memory.fill(dx, 0, (<usize>B * T * F) << 2);
    transpose(kernel, F, G, kernelT);
  }
  if (sequence) copyRows(dy + ((<usize>(T - 1) * H) << 2), T * H, dh, H, B, H);
  else memory.copy(dh, dy, stateBytes);
  for (let t = T - 1; t >= 0; t--) {
    const hPrev = hs + <usize>t * stateBytes;
    if (t > 0 && sequence) copyRows(dy + ((<usize>(t - 1) * H) << 2), T * H, dh2, H, B, H);
    else memory.fill(dh2, 0, stateBytes);
    gruCellsBackward(B, H, gates + ((<usize>t * B * G) << 2), hn + <usize>t * stateBytes, hPrev, dh, dh2, dxp, dhp, dBias);
    if (t > 0) gemm(H, G, B, hPrev, 1, H, dhp, G, dRec, G);
    gemm(F, G, B, xs + ((<usize>t * B * F) << 2), 1, F, dxp, G, dKernel, G);
    if (dx) gemm(B, F, G, dxp, G, 1, kernelT, F, dx + ((<usize>t * F) << 2), T * F);
    if (t > 0) {
      gemm(B, H, G, dhp, G, 1, recT, H, dh2, H);
      const swap = dh; dh = dh2; dh2 = swap;
    }
  }
  // The two projections' z and r gradients are the same values, so their bias rows are equal sums.
  memory.copy(dBias + (<usize>G << 2), dBias, (<usize>(2 * H)) << 2);
}

/**
 * dhOut += dh ⊙ z (the direct path); dxp, dhp = the gradients of the two projections. The bias
 * gradient is summed here, row by row in row order as addColumnSums would (the same bits, without
 * reading dxp and dhp back): the input row's z, r and n, and the recurrent row's n; the recurrent
 * row's z and r are the input row's, copied once at the end of the backward pass.
 */
function gruCellsBackward(B: i32, H: i32, gates: usize, hn: usize, hPrev: usize, dh: usize, dhOut: usize, dxp: usize, dhp: usize, dBias: usize): void {
  const h4 = <usize>H << 2;
  const one = kf(I_ONE);
  const bz = dBias, br = bz + h4, bn = br + h4, bhn = dBias + 5 * h4; // the recurrent row starts at 3H
  for (let b = 0; b < B; b++) {
    const gz = gates + <usize>b * 3 * h4, gr = gz + h4, gn = gr + h4;
    const xz = dxp + <usize>b * 3 * h4, xr = xz + h4, xn = xr + h4;
    const pz = dhp + <usize>b * 3 * h4, pr = pz + h4, pn = pr + h4;
    const row = <usize>b * h4;
    let j: usize = 0;
    for (; j + 16 <= h4; j += 16) {
      const z = v128.load(gz + j), r = v128.load(gr + j), n = v128.load(gn + j), d = v128.load(dh + row + j);
      const dv = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzp = f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(hPrev + row + j), n)), f32x4.mul(z, f32x4.sub(one, z)));
      const drp = f32x4.mul(f32x4.mul(dv, v128.load(hn + row + j)), f32x4.mul(r, f32x4.sub(one, r)));
      const dpn = f32x4.mul(dv, r);
      v128.store(xz + j, dzp); v128.store(xr + j, drp); v128.store(xn + j, dv);
      v128.store(pz + j, dzp); v128.store(pr + j, drp); v128.store(pn + j, dpn);
      v128.store(dhOut + row + j, f32x4.add(v128.load(dhOut + row + j), f32x4.mul(d, z)));
      v128.store(bz + j, f32x4.add(v128.load(bz + j), dzp));
      v128.store(br + j, f32x4.add(v128.load(br + j), drp));
      v128.store(bn + j, f32x4.add(v128.load(bn + j), dv));
      v128.store(bhn + j, f32x4.add(v128.load(bhn + j), dpn));
    }
    for (; j < h4; j += 4) {
      const z = load<f32>(gz + j), r = load<f32>(gr + j), n = load<f32>(gn + j), d = load<f32>(dh + row + j);
      const dv = d * (1 - z) * (1 - n * n);
      const dzp = d * (load<f32>(hPrev + row + j) - n) * (z * (1 - z));
      const drp = dv * load<f32>(hn + row + j) * (r * (1 - r));
      const dpn = dv * r;
      store<f32>(xz + j, dzp); store<f32>(xr + j, drp); store<f32>(xn + j, dv);
      store<f32>(pz + j, dzp); store<f32>(pr + j, drp); store<f32>(pn + j, dpn);
      store<f32>(dhOut + row + j, load<f32>(dhOut + row + j) + d * z);
      store<f32>(bz + j, load<f32>(bz + j) + dzp);
      store<f32>(br + j, load<f32>(br + j) + drp);
      store<f32>(bn + j, load<f32>(bn + j) + dv);
      store<f32>(bhn + j, load<f32>(bhn + j) + dpn);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Causal time convolution. The batch's sequences sit end to end in xp [B·span, C], each after its
// zero padding, so output row r's window is the contiguous run of padded rows r … r + reach and
// tap j reads the input matrix shifted by j·dilation rows; rows whose window straddles two
// sequences are computed and dropped (their ∂z is zero). w [taps·C, F] is tap-major.

/**
 * y [rows, F] = act(bias + Σ_j shift_j(xp) · W_j), rows = B·span − reach. xp's rows lie `ld`
 * floats apart: C for several taps (a window is then one contiguous run), more for one tap (a
 * dense layer), where rows a multiple of 256 bytes apart would evict each other from L1.
 */
export function convForward(rows: i32, C: i32, ld: i32, F: i32, taps: i32, dilation: i32, xp: usize, w: usize, bias: usize, y: usize, relu: bool): void {
  if (dilation == 1) {
    gemmInit(rows, F, taps * C, xp, ld, 1, w, F, y, F, bias);
  } else {
    gemmInit(rows, F, C, xp, ld, 1, w, F, y, F, bias);
    for (let j = 1; j < taps; j++) gemm(rows, F, C, xp + ((<usize>j * dilation * ld) << 2), ld, 1, w + ((<usize>j * C * F) << 2), F, y, F);
  }
  if (!relu) return;
  const end = y + ((<usize>rows * F) << 2);
  const zero = f32x4.splat(0);
  let p = y;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.pmax(v128.load(p), zero));
  for (; p < end; p += 4) store<f32>(p, max(load<f32>(p), 0));
}

/**
 * Gradients of convForward. dz [rows, F] comes in holding ∂y (zero in dropped rows) and leaves
 * holding ∂z (times relu′, read off y). dW [taps·C, F] = Σ_j shift_j(xp)ᵀ · ∂z is one product
 * reading xp in place (A's rows are xp's columns, its k steps one padded row), so no im2col copy
 * is made. dxp [B·span, C] (rows `ld` apart, as xp's; skipped when 0) = Σ_j shift_j⁻¹(∂z · W_jᵀ), one accumulating product
 * per tap into the shifted rows; wT [F, C] is work space.
 */
export function convBackward(
  rows: i32, C: i32, ld: i32, F: i32, taps: i32, dilation: i32, xp: usize, w: usize, y: usize, dz: usize, relu: bool,
  dW: usize, db: usize, wT: usize, dxp: usize,
): void {
  const n = <usize>rows * F;
  if (relu) {
    const zero = f32x4.splat(0);
    let i: usize = 0;
    for (; i + 4 <= n; i += 4) {
      const at = i << 2;
      v128.store(dz + at, v128.and(v128.load(dz + at), f32x4.gt(v128.load(y + at), zero)));
    }
    for (; i < n; i++) if (!(load<f32>(y + (i << 2)) > 0)) store<f32>(dz + (i << 2), 0);
  }
  memory.fill(db, 0, <usize>F << 2);
  addColumnSums(dz, rows, F, db);
  memory.fill(dW, 0, (<usize>taps * C * F) << 2);
  if (dilation == 1) gemm(taps * C, F, rows, xp, 1, ld, dz, F, dW, F);
  else for (let j = 0; j < taps; j++) gemm(C, F, rows, xp + ((<usize>j * dilation * ld) << 2), 1, ld, dz, F, dW + ((<usize>j * C * F) << 2), F);
  if (!dxp) return;
  const reach = (taps - 1) * dilation;
  memory.fill(dxp, 0, (<usize>(rows + reach) * ld) << 2);
  for (let j = 0; j < taps; j++) {
    transpose(w + ((<usize>j * C * F) << 2), C, F, wT);
    gemm(rows, C, F, dz, F, 1, wT, C, dxp + ((<usize>j * dilation * ld) << 2), ld);
  }
}

// ---------------------------------------------------------------------------------------------
// Adam / AdamW update of one variable (training/loop/adamw.ts), four lanes at a time: m and v in
// place, the new weights into out. Plain f32x4 arithmetic in both builds (no fused multiply-adds),
// IEEE float32 like the backends' ops, in the order of adamw.ts's tfjs-op path, so both paths give
// the same bits. mode: 0 no decay, 1 coupled (g ← g + w·λ), 2 decoupled (u ← u + w·λ). `bytes` is
// a multiple of 16; every pointer is 16-aligned.
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, out: usize, bytes: usize, mode: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, bc1: f32, bc2: f32, epsilon: f32, decay: f32, lr: f32,
): void {
  const b1 = f32x4.splat(beta1), o1 = f32x4.splat(oneMinusBeta1), b2 = f32x4.splat(beta2), o2 = f32x4.splat(oneMinusBeta2);
  const c1 = f32x4.splat(bc1), c2 = f32x4.splat(bc2), eps = f32x4.splat(epsilon), lambda = f32x4.splat(decay), rate = f32x4.splat(lr);
  for (let k: usize = 0; k < bytes; k += 16) {
    const wk = v128.load(w + k);
    let gk = v128.load(g + k);
    if (mode == 1) gk = f32x4.add(gk, f32x4.mul(wk, lambda));
    const mk = f32x4.add(f32x4.mul(v128.load(m + k), b1), f32x4.mul(gk, o1));
    v128.store(m + k, mk);
    const vk = f32x4.add(f32x4.mul(v128.load(v + k), b2), f32x4.mul(f32x4.mul(gk, gk), o2));
    v128.store(v + k, vk);
    let u = f32x4.div(f32x4.div(mk, c1), f32x4.add(f32x4.sqrt(f32x4.div(vk, c2)), eps));
    if (mode == 2) u = f32x4.add(u, f32x4.mul(wk, lambda));
    v128.store(out + k, f32x4.sub(wk, f32x4.mul(u, rate)));
  }
}

// ---------------------------------------------------------------------------------------------
/** exp, σ and tanh of n values as the cells compute them (vector lanes, then the scalar tail); for tests. */
export function activations(src: usize, n: i32, outExp: usize, outSigmoid: usize, outTanh: usize): void {
  const bytes = <usize>n << 2;
  const vecEnd = bytes & ~15;
  for (let j: usize = 0; j < vecEnd; j += 16) {
    const v = v128.load(src + j);
    v128.store(outExp + j, vexp(v));
    v128.store(outSigmoid + j, vsigmoid(v));
    v128.store(outTanh + j, vtanh(v));
  }
  for (let j = vecEnd; j < bytes; j += 4) {
    const v = load<f32>(src + j);
    store<f32>(outExp + j, f32x4.extract_lane(vexp(f32x4.splat(v)), 0));
    store<f32>(outSigmoid + j, ssigmoid(v));
    store<f32>(outTanh + j, stanh(v));
  }
}
