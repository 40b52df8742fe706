export type { OhlcvColumns } from '../../domain/ohlcv.js';
