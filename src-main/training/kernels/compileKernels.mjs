// Compiles recurrent.as (AssemblyScript) into WebAssembly with asc's API, in two variants: plain
// SIMD, which every runtime Candela supports runs, and relaxed SIMD, whose matMul tiles use fused
// multiply-adds (recurrent.as switches on ASC_FEATURE_RELAXED_SIMD). scripts/build.mjs embeds both
// into the bundles; run as a script (`node compileKernels.mjs [plain|relaxed]`), it prints one as
// base64 (the loader's way to get the kernels when running from source, in tests and scripts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KERNEL_SOURCE = fileURLToPath(new URL('./recurrent.as', import.meta.url));

/** The kernels' WebAssembly binary; throws with asc's diagnostics when the source does not compile. */
export async function compileRecurrentKernels(variant = 'plain') {
  if (variant !== 'plain' && variant !== 'relaxed') throw new Error(`the recurrent kernels come as "plain" or "relaxed", not "${variant}"`);
  const { default: asc } = await import('assemblyscript/asc');
  const source = readFileSync(KERNEL_SOURCE, 'utf8');
  const result = await asc.compileString(
    { 'recurrent.ts': source },
    // Stub runtime: the kernels never allocate; memory is laid out from JavaScript. No asserts,
    // no bounds-checked helpers: -O3 with SIMD on, and relaxed SIMD only in the relaxed variant.
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, enable: variant === 'relaxed' ? ['simd', 'relaxed-simd'] : ['simd'], exportRuntime: false },
  );
  if (result.error || !result.binary) throw new Error(`the recurrent kernels (${variant}) did not compile: ${result.error?.message ?? ''}\n${result.stderr.toString()}`);
  return result.binary;
}

/** esbuild `define`s that embed both variants as base64, for every bundle that may train. */
export async function recurrentKernelDefines() {
  const [plain, relaxed] = await Promise.all([compileRecurrentKernels('plain'), compileRecurrentKernels('relaxed')]);
  return {
    __CANDELA_RECURRENT_KERNELS__: JSON.stringify(Buffer.from(plain).toString('base64')),
    __CANDELA_RECURRENT_KERNELS_RELAXED__: JSON.stringify(Buffer.from(relaxed).toString('base64')),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(Buffer.from(await compileRecurrentKernels(process.argv[2] ?? 'plain')).toString('base64'));
}
