/**
 * The status bar's compute label names the threads a run would train on (the probe's label), and
 * a run's backend line does the same; both keep the one-thread text when threads are off.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { probeBackendHere } from '../../system/backendProbe.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('thread count in the compute label', () => {
  it('says × N threads on cpu when a run would train on N threads, and nothing when on 1', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREAD_SCRIPT', import.meta.filename);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '3');
    const threaded = await probeBackendHere('cpu');
    expect(threaded.label).toMatch(/^[^—]*· CPU × 3 threads/);
    vi.stubEnv('CANDELA_TRAIN_THREADS', '1');
    const single = await probeBackendHere('cpu');
    expect(single.label).not.toMatch(/threads/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('keeps the label when CANDELA_TRAIN_THREADS is invalid (the run itself refuses it with a sentence)', async () => {
    vi.stubEnv('CANDELA_TRAIN_THREADS', 'lots');
    expect((await probeBackendHere('cpu')).label).not.toMatch(/threads/);
  });
});
