/**
 * What a dataset's prices are of: the spot market, a perpetual swap, or a dated future. Part of a
 * dataset's identity beside its symbol, venue and timeframe (see compute/import/instrument.ts).
 */
export const CONTRACT_KINDS = ['spot', 'perpetual', 'future'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];
