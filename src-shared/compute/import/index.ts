/** The pure half of the OHLCV importer: line splitting, format sniffing and the row parser. */
export { CandleBatch } from './candleBatch.js';
export { DelimitedByteReader, type DecodeUtf8 } from './byteRows.js';
export { describePlan } from './describePlan.js';
export { symbolAndTimeframeFromFileName, type FileNameFacts } from './fileName.js';
export { canonicalSymbol, canonicalVenue, CONTRACT_KINDS, contractFromFileName, describeInstrument, parseSymbol, resolveInstrument, symbolProblem, type ContractKind, type Instrument } from './instrument.js';
export { FreqtradeJsonReader, JsonCandlesError, parseFreqtradeJson, startsLikeJson, type JsonRejection } from './freqtradeJson.js';
export { LineSplitter, LineTooLongError } from './lineSplitter.js';
export { epochToMs, parseDateTime, parseTimeOfDay } from './parseDateTime.js';
export { parseDecimal } from './parseDecimal.js';
export type { ColumnRole, ImportOverrides, ParsePlan, PlanColumns, TimeSpec } from './plan.js';
export { createRowParser, type RowStatus } from './rowParser.js';
export { sniffFormat, type SniffResult } from './sniff.js';
export { medianSpacingMs } from './spacing.js';
export { validateCandle } from './validateCandle.js';
