/**
 * Which BLAS the PyTorch anchor runs on. Its matrix products are most of its time, and the
 * BLAS behind Debian's python3-torch depends on what else the machine has installed.
 */
import { spawnSync } from 'node:child_process';

/** Where PyTorch's BLAS comes from, by the libraries its process maps (probed once per benchmark run). */
const BLAS_PROBE = "import torch\nprint('\\n'.join(sorted({l.split()[-1] for l in open('/proc/self/maps') if '/' in l and any(k in l for k in ('blas', 'mkl', 'blis'))})))";

/**
 * The BLAS that PyTorch's matrix products run on, or null without python3-torch. Debian's
 * python3-torch links whatever provides libblas.so.3, and a plain `apt-get install python3-torch`
 * brings the reference BLAS (libblas3): on one machine here its MLP ran 9k samples/s against 166k
 * on OpenBLAS, which would make every ratio read ~10× too kind. `fair` is false for that one.
 */
export function torchBlas(): { name: string; fair: boolean } | null {
  const child = spawnSync('/usr/bin/python3', ['-c', BLAS_PROBE], { encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) return null;
  return blasOf(child.stdout);
}

/** The BLAS named by a list of mapped library paths (see {@link torchBlas}). */
export function blasOf(mapped: string): { name: string; fair: boolean } {
  if (/openblas/i.test(mapped)) return { name: 'OpenBLAS', fair: true };
  if (/mkl/i.test(mapped)) return { name: 'MKL', fair: true };
  if (/blis/i.test(mapped)) return { name: 'BLIS', fair: true };
  return { name: 'the reference BLAS (libblas3), ~10× slower than OpenBLAS: install libopenblas0-pthread for a fair anchor', fair: false };
}
