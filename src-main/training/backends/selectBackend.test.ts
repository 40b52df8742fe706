import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import type { Prerequisite } from '../../../test-support/prerequisites.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';

import { describeBackend, selectBackend } from './selectBackend.js';
import { findGpuAdapter } from './webgpuSetup.js';

/**
 * Native TensorFlow is there when its binding is: npm keeps the package folder of an optional
 * dependency whose libtensorflow download failed, so a package that resolves may still not load.
 */
function installed(pkg: string): boolean {
  try {
    const lib = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'lib');
    return existsSync(lib) && readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

/** The WebGPU adapter of this machine: llvmpipe where Mesa's Vulkan driver is installed, null without one. */
const adapterHere = await findGpuAdapter().then(
  (found) => found.description,
  () => null,
);

// The fallback can only be watched where native TensorFlow is not installed (an optional dependency
// whose download fails offline, so present on some machines and absent on others by design) and
// no hardware GPU answers WebGPU.
const nativeAbsent: Prerequisite = {
  what: 'a machine without native TensorFlow or a hardware WebGPU adapter',
  met: !installed('@tensorflow/tfjs-node-gpu') && !installed('@tensorflow/tfjs-node') && adapterHere?.hardware !== true,
  why: '@tensorflow/tfjs-node(-gpu) or a GPU with a WebGPU driver is installed here, so the fallback to wasm cannot be observed',
  optional: true,
};

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  if (requirePrerequisite(nativeAbsent)) {
    it('auto falls back to wasm and says why native TensorFlow was skipped', async () => {
      const selected = await selectBackend('auto');
      expect(selected.name).toBe('wasm');
      expect(selected.tf.getBackend()).toBe('wasm');
      expect(selected.threads).toBe(1);
      expect(selected.gpu.inUse).toBe(false);
      // Both GPU paths say why they were not used: CUDA TensorFlow missing, WebGPU software or absent.
      expect(selected.gpu.reason).toMatch(
        /^@tensorflow\/tfjs-node-gpu is not installed \(its native TensorFlow download failed or was skipped\); (the WebGPU adapter is software|Dawn found no GPU adapter)/,
      );
      expect(selected.attempts.map((a) => [a.backend, a.ok])).toEqual([
        ['tensorflow-gpu', false],
        ['webgpu', false],
        ['tensorflow', false],
        ['wasm', true],
      ]);
      expect(selected.attempts[2].error).toContain('@tensorflow/tfjs-node is not installed');
      expect(selected.adapter).toEqual(adapterHere);
      expect(describeBackend(selected)).toBe(
        adapterHere
          ? `wasm · CPU, 1 thread — native TensorFlow not installed, WebGPU adapter is software (${adapterHere.description.split(':')[0]})`
          : 'wasm · CPU, 1 thread — native TensorFlow not installed',
      );
      expect(process.env.TF_FORCE_GPU_ALLOW_GROWTH).toBe('true');
    });

    it('a forced backend that cannot load throws instead of falling back', async () => {
      await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(
        "The 'tensorflow-gpu' compute backend was requested but is unavailable: @tensorflow/tfjs-node-gpu is not installed",
      );
    });
  }

  it('selects the pure-JS cpu backend on request', async () => {
    const selected = await selectBackend('cpu');
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.attempts).toEqual([{ backend: 'cpu', ok: true }]);
    expect(describeBackend()).toMatch(/^cpu \(JavaScript\) · CPU — /);
  });

  it('computes on wasm after selecting it, with the project kernels installed', async () => {
    const selected = await selectBackend('wasm');
    const { tf } = selected;
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(y.dataSync())).toEqual([11]);
  });
});
