/**
 * What became of a close that was given a time limit. Quitting waits for the services (run
 * statuses, pending evaluations, the DB worker's close) but not forever: a hung close must not
 * leave a windowless process holding the workspace.
 */
export type CloseOutcome = { kind: 'closed' } | { kind: 'failed'; error: Error } | { kind: 'timed-out'; afterMs: number };

export function settleWithin(closing: Promise<unknown>, limitMs: number): Promise<CloseOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CloseOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out', afterMs: limitMs }), limitMs);
  });
  const settled = closing.then(
    (): CloseOutcome => ({ kind: 'closed' }),
    (e: unknown): CloseOutcome => ({ kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
