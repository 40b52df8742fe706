import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { requirePrerequisite } from '../test-support/vitest.js';
import { anchorEnvironment, coresBusy, CPU_WRAPPER } from './anchorThreads.js';

describe('the PyTorch anchor held to its thread count', () => {
  it('sizes every BLAS and OpenMP pool to the count and keeps the rest of the environment', () => {
    const env = anchorEnvironment(1, { PATH: '/usr/bin', OPENBLAS_NUM_THREADS: '8' });
    expect(env).toMatchObject({ PATH: '/usr/bin', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BLIS_NUM_THREADS: '1' });
    expect(anchorEnvironment(4, {}).OPENBLAS_NUM_THREADS).toBe('4');
  });

  it('refuses a count that is not a whole number of threads', () => {
    expect(() => anchorEnvironment(0)).toThrow(/whole number of threads/);
    expect(() => anchorEnvironment(1.5)).toThrow(/not 1.5/);
  });

  it("reads the cores busy from the wrapper's line, beside the anchor's own", () => {
    expect(coresBusy('{"samples_per_s": 6000}\n{"cpu_s": 3.0, "wall_s": 1.5}\n')).toBe(2);
    expect(coresBusy('{"samples_per_s": 6000}\n')).toBeNull();
    expect(coresBusy('Traceback\n')).toBeNull();
  });

  const python = '/usr/bin/python3';
  const ready = requirePrerequisite({ what: "Python 3 at /usr/bin/python3 (the anchors' interpreter)", met: existsSync(python), why: 'apt-get install -y python3' });
  if (!ready) return;
  const dir = mkdtempSync(join(tmpdir(), 'candela-anchor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a script as __main__ with its arguments and the pinned pools, then reports the CPU it used', () => {
    const script = join(dir, 'anchor.py');
    // One busy thread for 0.3 s: one core, whatever the machine has.
    writeFileSync(
      script,
      [
        'import json, os, sys, time',
        "if __name__ == '__main__':",
        '    end = time.process_time() + 0.3',
        '    while time.process_time() < end: pass',
        "    print(json.dumps({'args': sys.argv[1:], 'blas': os.environ['OPENBLAS_NUM_THREADS'], 'samples_per_s': 1}))",
      ].join('\n'),
    );
    const child = spawnSync(python, ['-c', CPU_WRAPPER, script, '--threads', '2'], { encoding: 'utf8', env: anchorEnvironment(2) });
    expect(child.stderr).toBe('');
    const anchor = JSON.parse(child.stdout.trim().split('\n')[0]!) as { args: string[]; blas: string };
    expect(anchor).toMatchObject({ args: ['--threads', '2'], blas: '2' });
    const cores = coresBusy(child.stdout);
    expect(cores).toBeGreaterThan(0.5);
    expect(cores).toBeLessThan(1.3);
  });
});
