// Compiles recurrent.as (AssemblyScript) into WebAssembly with asc's API. scripts/build.mjs calls
// it to embed the binary into the bundles; run as a script, it prints the binary as base64 (the
// loader's way to get the kernels when running from source, in tests and scripts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const KERNEL_SOURCE = fileURLToPath(new URL('./recurrent.as', import.meta.url));

/** The kernels' WebAssembly binary; throws with asc's diagnostics when the source does not compile. */
export async function compileRecurrentKernels() {
  const { default: asc } = await import('assemblyscript/asc');
  const source = readFileSync(KERNEL_SOURCE, 'utf8');
  const result = await asc.compileString(
    { 'recurrent.ts': source },
    // Stub runtime: the kernels never allocate; memory is laid out from JavaScript. No asserts,
    // no bounds-checked helpers: -O3 with SIMD on, nothing relaxed (Node 20 lacks relaxed-simd).
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, enable: ['simd'], exportRuntime: false },
  );
  if (result.error || !result.binary) throw new Error(`the recurrent kernels did not compile: ${result.error?.message ?? ''}\n${result.stderr.toString()}`);
  return result.binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(Buffer.from(await compileRecurrentKernels()).toString('base64'));
}
