export { generateMarket } from './generateMarket.js';
export type { GenerateMarketOptions, GeneratedSeries } from './generateMarket.js';
export { formatCandlesCsv, generatedFileName } from './csv.js';
export type { CsvOptions } from './csv.js';
export { REGIMES, REGIME_PARAMS, REGIME_JUMP_MATRIX, regimeTransitionMatrix } from './regimes.js';
export type { RegimeName, RegimeParams } from './regimes.js';
export { defaultSymbols, symbolProfile } from './symbols.js';
export type { SymbolProfile } from './symbols.js';
