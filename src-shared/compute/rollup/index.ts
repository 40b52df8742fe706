export type { OhlcvColumns } from './columns.js';
export { RollupAccumulator, bucketStart, concatRolled, rollupCandles, rollupTargets } from './rollup.js';
export type { RolledCandles } from './rollup.js';
