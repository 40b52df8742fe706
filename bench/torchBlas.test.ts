import { describe, expect, it } from 'vitest';

import { blasOf } from './torchBlas.js';

describe('the BLAS under the PyTorch anchor', () => {
  it('names a fast BLAS from the libraries the process maps', () => {
    expect(blasOf('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3\n/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so\n')).toEqual({ name: 'OpenBLAS', fair: true });
    expect(blasOf('/opt/intel/lib/libmkl_rt.so.2\n').name).toBe('MKL');
    expect(blasOf('/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3\n').name).toBe('BLIS');
  });

  it('flags the reference BLAS, which would make every ratio read ~10× too kind, and says how to fix it', () => {
    const blas = blasOf('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3\n/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3\n');
    expect(blas.fair).toBe(false);
    expect(blas.name).toMatch(/reference BLAS/);
    expect(blas.name).toMatch(/libopenblas0-pthread/);
  });
});
