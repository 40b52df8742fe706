import { describe, expect, it } from 'vitest';
import { settleWithin } from './shutdown.js';

describe('closing within a time limit', () => {
  it('reports a close that finished, or failed, before the limit', async () => {
    await expect(settleWithin(Promise.resolve(), 1000)).resolves.toEqual({ kind: 'closed' });
    const failed = await settleWithin(Promise.reject(new Error('disk full')), 1000);
    expect(failed.kind === 'failed' && failed.error.message).toBe('disk full');
  });

  it('stops waiting for a close that hangs', async () => {
    const started = Date.now();
    await expect(settleWithin(new Promise(() => undefined), 50)).resolves.toEqual({ kind: 'timed-out', afterMs: 50 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
