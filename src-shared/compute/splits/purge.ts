/** Validates horizon/embargo and returns the embargo actually applied: never shorter than the horizon. */
export function effectiveEmbargo(horizon: number, embargo: number): number {
  if (!Number.isInteger(horizon) || horizon < 0) throw new RangeError(`horizon must be an integer ≥ 0, got ${horizon}`);
  if (!Number.isInteger(embargo) || embargo < 0) throw new RangeError(`embargo must be an integer ≥ 0, got ${embargo}`);
  return Math.max(embargo, horizon);
}
