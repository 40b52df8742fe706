import { afterEach, describe, expect, it, vi } from 'vitest';
import { settleWithin } from './shutdown.js';

describe('closing within a time limit', () => {
  afterEach(() => vi.useRealTimers());

  it('reports a close that finished, or failed, before the limit', async () => {
    await expect(settleWithin(Promise.resolve(), 1000)).resolves.toEqual({ kind: 'closed' });
    const failed = await settleWithin(Promise.reject(new Error('disk full')), 1000);
    expect(failed.kind === 'failed' && failed.error.message).toBe('disk full');
  });

  it('stops waiting for a close that hangs once the limit has passed, not before', async () => {
    // A fake clock: the limit is proven by when the answer comes on it, not by wall time.
    vi.useFakeTimers();
    let outcome: unknown = null;
    void settleWithin(new Promise(() => undefined), 50).then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(49);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ kind: 'timed-out', afterMs: 50 });
    expect(vi.getTimerCount()).toBe(0);
  });
});
