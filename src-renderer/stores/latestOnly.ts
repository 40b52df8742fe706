/**
 * Numbers the requests of one kind so that only the newest one's answer is kept: when a person
 * picks A then B, A's slower reply must not replace B's on screen. `begin()` returns a check to
 * call once the reply is in; `cancel()` makes every reply in flight stale (a selection cleared).
 */
export function latestOnly() {
  let current = 0;
  return {
    begin(): () => boolean {
      const mine = ++current;
      return () => mine === current;
    },
    cancel(): void {
      current++;
    },
  };
}
