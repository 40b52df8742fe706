import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forwardStderr, isDawnLimitNotice } from './childStderr.js';

describe("a training process's stderr", () => {
  it("drops Dawn's limit notices and keeps every other line, also across chunk cuts", async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    let out = '';
    to.on('data', (c: Buffer) => (out += c.toString()));
    forwardStderr(from, to);
    from.write('Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\nrun 3: The training ');
    from.write('process ran out of memory\nWarning: maxDynamicStorageBuffersPerPipelineLayout artificially');
    from.write(' reduced from 1000000 to 16 to fit dynamic offset allocation limit.\nWarning: something else\nlast line');
    from.end();
    await new Promise((r) => setImmediate(r));
    expect(out).toBe('run 3: The training process ran out of memory\nWarning: something else\nlast line');
  });

  it('recognises only the limit notices', () => {
    expect(isDawnLimitNotice('Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.')).toBe(true);
    expect(isDawnLimitNotice('Warning: the GPU device was lost')).toBe(false);
    expect(isDawnLimitNotice('Error: artificially reduced from 1 to 2')).toBe(false);
  });
});
