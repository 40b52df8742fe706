import { describe, expect, it } from 'vitest';

import { resourceSampleSchema, type TrainingMemory } from '../../src-shared/contract/system.js';
import { ResourceMonitor } from './resourceMonitor.js';

describe('ResourceMonitor', () => {
  it("lists each running training process's tensor memory in every sample, in the contract's shape", async () => {
    const running: TrainingMemory[] = [{ runId: 7, backend: 'webgpu', onGpu: true, bytesInUse: 12_345, bytesAllocated: 65_536 }];
    const monitor = new ResourceMonitor(() => undefined, 1000, () => running);
    const sample = await monitor.sample();
    expect(sample.training).toEqual(running);
    expect(resourceSampleSchema.parse(sample)).toEqual(sample);
    running.length = 0;
    expect((await monitor.sample()).training).toEqual([]);
  });
});
