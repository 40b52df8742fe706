import { describe, expect, it } from 'vitest';
import { runSymbolLabels } from './runSymbols.js';

describe('runSymbolLabels', () => {
  it('keeps unique symbols and tells repeated ones apart by dataset id', () => {
    expect(runSymbolLabels([{ id: 1, symbol: 'BTC/USDT' }, { id: 2, symbol: 'EUR/USD' }, { id: 7, symbol: 'BTC/USDT' }])).toEqual(['BTC/USDT #1', 'EUR/USD', 'BTC/USDT #7']);
  });
});
