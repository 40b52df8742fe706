/** Path of the AssemblyScript source of the recurrent kernels. */
export const KERNEL_SOURCE: string;
/** The kernels' WebAssembly binary; throws with asc's diagnostics when the source does not compile. */
export function compileRecurrentKernels(): Promise<Uint8Array>;
