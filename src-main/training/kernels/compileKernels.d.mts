/** Path of the AssemblyScript source of the recurrent kernels. */
export const KERNEL_SOURCE: string;
/** The kernels' WebAssembly binary (plain SIMD by default); throws with asc's diagnostics when the source does not compile. */
export function compileRecurrentKernels(variant?: 'plain' | 'relaxed'): Promise<Uint8Array>;
/** esbuild `define`s that embed both variants as base64 (`__CANDELA_RECURRENT_KERNELS__`, `..._RELAXED__`). */
export function recurrentKernelDefines(): Promise<Record<string, string>>;
